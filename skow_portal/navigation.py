"""The main menu (a context processor): each role sees what it can do, in every app.

It belongs to the project package, which may know every app (docs/architecture.md); links are
made by URL name. Who sees an entry is the rule of the page behind it, asked of that app's
``access.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.access import leads_schools, may_request_roles, may_see_account_hygiene, schools_led_by
from complaints import access as complaints_access
from consent import access as consent_access
from consultations import access as consultations_access
from integrity import access as integrity_access
from notifications.selectors import unread_count_for
from policy import access as policy_access
from recordings import access as recordings_access
from reports import access as reports_access
from retention import access as retention_access
from sanctions import access as sanctions_access


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
        return {"nav_items": [protocol, report], "inbox_unread": 0, "leads_schools": False, "led_schools": []}
    # Consent's campaigns (campaign_schools_for) and policy's read receipts (acknowledgement_schools_for)
    # are those of the schools the user leads: every school for the board.
    leads = leads_schools(user)
    led_schools = list(schools_led_by(user=user).only("pk", "name")) if leads else []
    consent = NavGroup(_("Toestemming"))
    # Parents, pupils and staff decide about their own (children's) images and sound.
    if consent_access.decides_own_consent_as_staff(user) or consent_access.pupils_decidable_by(user=user).exists():
        consent.add("consent:overview", _("Toestemming"))
    if consent_access.may_check_photos(user):
        consent.add("consent:groups", _("Fotocheck"))
    # Permission to record in class, given by the teacher or the leadership (A.1, A.7).
    if recordings_access.may_use_recordings(user=user):
        consent.add("recordings:group_list", _("Opnames in de klas"))
    # A staff member's question to their leader, and the leader's list of them (B.3, B.4).
    consult = NavGroup(_("Overleggen"))
    if consultations_access.may_ask(user) or consultations_access.may_answer_consultations(user):
        consult.add("consultations:list", _("Overleggen"))
    cases = NavGroup(_("Meldingen"))
    if reports_access.may_handle_cases(user=user):
        cases.add("reports:case_list", _("Meldingen"))
    if sanctions_access.may_read_person_files(user=user):
        cases.add("sanctions:person_file_search", _("Persoonsdossiers"))
    if sanctions_access.may_signal_meldcode(user=user) or sanctions_access.may_record_sanctions(user=user):
        # Meldcode huiselijk geweld en kindermishandeling: staff signal, the aandachtsfunctionaris handles.
        cases.add("sanctions:meldcode_list", _("Meldcode"))
    if leads:
        consent.add("consent:campaigns", _("Campagnes"))
        consent.add("consent:pupils_of_sixteen", _("Leerlingen van 16+"))
        # Every publication and takedown task of the schools they lead (consent.access, rule 5).
        consent.add("consent:publications", _("Publicaties"))
        consent.add("consent:takedowns", _("Verwijdertaken"))
    if consent_access.may_maintain_form_texts(user):
        consent.add("consent:form_texts", _("Formulierteksten"))
        consent.add("consent:form_next", _("Nieuwe formulierversie"))
    if sanctions_access.may_decide_measures(user=user):
        # Protocol, Toelichting: heavy measures are decided with the board (sanctions).
        cases.add("sanctions:approvals", _("Goedkeuringen"))
    if sanctions_access.may_consider_serious_incidents(user=user):
        # The board's task "melding Inspectie overwegen" (only while SERIOUS_INCIDENT_TASKS is on).
        cases.add("sanctions:serious_incidents", _("Ernstige incidenten"))
    if leads:
        # Inspectie standard VS1: the yearly overview and evaluatie of the schools one leads.
        cases.add("sanctions:overview_index", _("Jaaroverzicht"))
    if reports_access.may_oversee_cases(user=user):
        cases.add("reports:retention", _("Bewaartermijn"))
    # The staff channel for misstanden (Wet bescherming klokkenluiders): staff report there, the
    # officers and the board handle, the board designates and watches the clocks.
    if user.is_staff_member:
        report.add("integrity:new", _("Vermoeden van een misstand"))
    if integrity_access.shows_misstands_in_menu(user):
        cases.add("integrity:case_list", _("Misstanden"))
    if integrity_access.may_oversee_integrity(user):
        cases.add("integrity:board", _("Meldkanaal misstanden"))
    # Complaints (klachtenregeling), apart from reports: anyone logged in files one; the school's
    # leaders and the board handle them.
    complaints = NavGroup(_("Klachten"))
    if complaints_access.may_file_complaint(user):
        complaints.add("complaints:mine", _("Klachten"))
    if complaints_access.may_handle_complaints(user):
        complaints.add("complaints:handle", _("Klachten behandelen"))
    if policy_access.may_acknowledge_protocol(user):
        protocol.add("policy:acknowledge", _("Protocol bevestigen"))
    if leads:
        protocol.add("policy:acknowledgement_schools", _("Leesbevestigingen"))
    if policy_access.may_see_drafts(user):
        protocol.add("policy:drafts", _("Concepten protocol"))
    admin = NavGroup(_("Beheer"))
    if user.is_functional_admin or user.is_staff:
        admin.add("admin:index", _("Beheer"))
    if may_see_account_hygiene(user):
        admin.add("accounts:hygiene", _("Accounts opschonen"))
    if retention_access.may_set_retention(user):
        # AVG art. 5(1)(e): the board's terms per kind of record, the deletion log, next month's forecast.
        admin.add("retention:rules", _("Bewaartermijnen"))
    if may_request_roles(user):
        admin.add("accounts:roles", _("Rollen"))
    items = [group for group in (protocol, report, consent, consult, cases, complaints, admin) if group.links]
    return {
        "nav_items": items,
        "inbox_unread": unread_count_for(user=user),
        "leads_schools": leads,
        "led_schools": led_schools,
    }
