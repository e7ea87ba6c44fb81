"""The back office (beheer): the Django admin, only after password and second factor."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _


class PortalAdminSite(admin.AdminSite):
    site_header = _("SKOW Portal — beheer")
    site_title = _("SKOW Portal beheer")
    index_title = _("Beheer")

    def has_permission(self, request) -> bool:
        # Personal data of pupils is behind the second factor, for admins too.
        return super().has_permission(request) and request.user.is_verified()

    def login(self, request, extra_context=None):
        target = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index")
        if request.user.is_authenticated:
            if request.user.is_verified():
                raise PermissionDenied  # logged in properly, but not a back-office user
            return redirect(f"{reverse('accounts:verify')}?{urlencode({REDIRECT_FIELD_NAME: target})}")
        return redirect(f"{reverse('accounts:login')}?{urlencode({REDIRECT_FIELD_NAME: target})}")
