"""What the navigation shows: each role sees what it can do.

Links to other apps are made by URL name only, so accounts imports none of them.
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def portal_navigation(request) -> dict:
    user = getattr(request, "user", None)
    # Public to everyone: the protocol in force (policy) and reporting (protocol A.9).
    items: list[tuple[str, str]] = [(reverse("policy:current"), _("Protocol")), (reverse("reports:new"), _("Melden"))]
    if user is None or not user.is_authenticated:
        return {"nav_items": items, "inbox_unread": 0, "overseen_schools": []}
    from notifications.selectors import unread_count_for

    from .models import Pupil
    from .selectors import schools_overseen_by

    # Parents, pupils and staff decide about their own (children's) images and sound.
    if user.is_staff_member or Pupil.objects.filter(Q(guardianships__guardian=user) | Q(user=user)).exists():
        items.append((reverse("consent:overview"), _("Toestemming")))
    if user.is_staff_member or user.is_board_member:
        items.append((reverse("consent:groups"), _("Fotocheck")))
    overseen = []
    if user.is_school_leader or user.is_board_member:
        items.append((reverse("reports:case_list"), _("Meldingen")))
        items.append((reverse("sanctions:dossier_search"), _("Dossiers")))
        items.append((reverse("consent:campaigns"), _("Campagnes")))
        overseen = list(schools_overseen_by(user=user).only("pk", "name"))
    if user.is_board_member:
        # Protocol, Toelichting: heavy measures are decided with the board (sanctions).
        items.append((reverse("sanctions:approvals"), _("Goedkeuringen")))
    if user.is_staff_member:
        items.append((reverse("policy:acknowledge"), _("Protocol bevestigen")))
    if user.is_school_leader or user.is_board_member:
        items.append((reverse("policy:acknowledgement_schools"), _("Leesbevestigingen")))
    if user.is_board_member or user.is_council_secretary or user.is_functional_admin:
        items.append((reverse("policy:drafts"), _("Concepten protocol")))
    if user.is_functional_admin or user.is_staff:
        items.append((reverse("admin:index"), _("Beheer")))
    return {"nav_items": items, "inbox_unread": unread_count_for(user=user), "overseen_schools": overseen}
