"""Private pages: logged in, past the second factor where one is due, never cached; the client's address.

Generic: the login and second-factor pages are named by URL only (as Django names its login page by
``settings.LOGIN_URL``), and the user's ``requires_second_factor`` is read from the user model.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django_otp import user_has_device


def is_verified(user) -> bool:
    """Past the second factor in this session (django-otp; a user fresh from login() is not)."""
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def second_factor_step(user) -> str | None:
    """The URL name of the second-factor step this logged-in user still owes, or None."""
    if is_verified(user):
        return None
    if user_has_device(user, confirmed=True):
        return "accounts:verify"
    if user.requires_second_factor:
        return "accounts:totp_setup"
    return None


def second_factor_redirect(request, next_url: str | None = None):
    """A redirect to the owed second-factor step that comes back to ``next_url``, or None."""
    step = second_factor_step(request.user)
    if step is None:
        return None
    return redirect(f"{reverse(step)}?{urlencode({REDIRECT_FIELD_NAME: next_url or request.get_full_path()})}")


def personal_page(view_func):
    """A page with personal data that no browser cache, back button or proxy may keep.

    ``Cache-Control: private, no-store`` (AVG art. 32: on a shared school computer the next user must
    not find a list of pupils in the cache). Every ``private_view`` is one; pages reached by a link
    or code without logging in (a campaign invitation, a login link) say so themselves.
    """

    @wraps(view_func)
    def wrapper(request, *args, **kwargs):
        response = view_func(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        return response

    return wrapper


def private_view(view_func):
    """A page with personal data: logged in, past the second factor where one is due, never cached."""

    @personal_page
    @wraps(view_func)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        pending = second_factor_redirect(request)
        if pending is not None:
            return pending
        return view_func(request, *args, **kwargs)

    return wrapper


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or the one our own proxies put in X-Forwarded-For."""
    if settings.PROXY_COUNT:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= settings.PROXY_COUNT:
            return forwarded[-settings.PROXY_COUNT]
    return request.META.get("REMOTE_ADDR", "")
