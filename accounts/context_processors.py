"""What the navigation shows: each role sees what it can do."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def portal_navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "inbox_unread": 0}
    from notifications.selectors import unread_count_for

    from .selectors import schools_overseen_by

    items = []
    if user.is_school_leader or user.is_board_member:
        for school in schools_overseen_by(user=user).only("pk", "name"):
            items.append((reverse("accounts:school_detail", args=[school.pk]), school.name))
    if user.is_functional_admin or user.is_staff:
        items.append((reverse("admin:index"), _("Beheer")))
    return {"nav_items": items, "inbox_unread": unread_count_for(user=user)}
