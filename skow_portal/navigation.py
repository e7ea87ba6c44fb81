"""The main menu (a context processor): each role sees what it can do, in every app.

It belongs to the project package, which may know every app (docs/architecture.md); links are
made by URL name.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Pupil
from accounts.selectors import schools_overseen_by
from notifications.selectors import unread_count_for


@dataclass(frozen=True)
class NavLink:
    url: str
    label: str


@dataclass
class NavGroup:
    """One entry of the main menu: a single link, or a drop-down of related pages (two or more)."""

    label: str
    links: list[NavLink] = field(default_factory=list)

    def add(self, url_name: str, label) -> None:
        self.links.append(NavLink(reverse(url_name), label))


def portal_navigation(request) -> dict:
    user = getattr(request, "user", None)
    # Public to everyone: the protocol in force (policy) and reporting (protocol A.9).
    protocol = NavGroup(_("Protocol"))
    protocol.add("policy:current", _("Protocol"))
    report = NavGroup(_("Melden"))
    report.add("reports:new", _("Melden"))
    if user is None or not user.is_authenticated:
        return {"nav_items": [protocol, report], "inbox_unread": 0, "overseen_schools": []}
    consent = NavGroup(_("Toestemming"))
    # Parents, pupils and staff decide about their own (children's) images and sound.
    if user.is_staff_member or Pupil.objects.filter(Q(guardianships__guardian=user) | Q(user=user)).exists():
        consent.add("consent:overview", _("Toestemming"))
    if user.is_staff_member or user.is_board_member:
        consent.add("consent:groups", _("Fotocheck"))
    cases = NavGroup(_("Meldingen"))
    overseen = []
    if user.is_school_leader or user.is_board_member:
        cases.add("reports:case_list", _("Meldingen"))
        cases.add("sanctions:dossier_search", _("Dossiers"))
        consent.add("consent:campaigns", _("Campagnes"))
        overseen = list(schools_overseen_by(user=user).only("pk", "name"))
    if user.is_board_member:
        # Protocol, Toelichting: heavy measures are decided with the board (sanctions).
        cases.add("sanctions:approvals", _("Goedkeuringen"))
    if user.is_staff_member:
        protocol.add("policy:acknowledge", _("Protocol bevestigen"))
    if user.is_school_leader or user.is_board_member:
        protocol.add("policy:acknowledgement_schools", _("Leesbevestigingen"))
    if user.is_board_member or user.is_council_secretary or user.is_functional_admin:
        protocol.add("policy:drafts", _("Concepten protocol"))
    admin = NavGroup(_("Beheer"))
    if user.is_functional_admin or user.is_staff:
        admin.add("admin:index", _("Beheer"))
    items = [group for group in (protocol, report, consent, cases, admin) if group.links]
    return {"nav_items": items, "inbox_unread": unread_count_for(user=user), "overseen_schools": overseen}
