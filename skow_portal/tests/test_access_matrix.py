"""Who gets what, for every URL of the portal.

Every URL pattern Django knows must have a row in ``ROWS``: a new page cannot ship without someone
stating, per role, what it answers. The admin is one family, checked through its index, one
changelist per registered model and the import pages.

Adding a row: copy the row of a similar page, put the route exactly as the failure message prints
it, name the ``World`` attributes that fill its path parameters (``pk="case_a"``) and give one
answer per role in the order of ``ROLES``. Objects of another school, family or case get a row of
their own (the same route, ``label="school B"``, ``pk="case_b"``), and there they answer 404; so do
the cases of school A hidden from its leader for a reason of their own (about the school's leadership,
access withdrawn, leader A a person of the case: ``World._cases_hidden_from_leader_a``). A POST-only
URL answers 405 to GET; give it a second row with ``method="post"`` for another's object.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

# The last three are staff of school A who hold a role of its role register (accounts.SafetyRoleHolder):
# the aanspreekpunt pesten, the interne vertrouwenspersoon and the aandachtsfunctionaris meldcode.
ROLES = (
    "visitor",
    "parent",
    "pupil",
    "staff",
    "leader_a",
    "leader_b",
    "council",
    "board",
    "admin",
    "aanspreekpunt",
    "vertrouwenspersoon",
    "aandachtsfunctionaris",
)

ANSWERS = {"200": 200, "302": 302, "400": 400, "403": 403, "404": 404, "405": 405, "410": 410, "login": "login"}
LOGIN = "login"


@dataclass(frozen=True)
class Row:
    """One URL: its route as the resolver spells it, what fills it, and the answer per role."""

    route: str
    expected: tuple
    params: dict[str, str] = field(default_factory=dict)  # path parameter -> World attribute (its pk)
    method: str = "get"
    label: str = ""  # tells two rows of one route apart ("school B")

    @property
    def name(self) -> str:
        return f"{self.method.upper()} /{self.route}" + (f" [{self.label}]" if self.label else "")


def row(route: str, answers: str, *, method: str = "get", label: str = "", **params: str) -> Row:
    """``answers``: one per role, in the order of ROLES: 200 302 400 403 404 405 410, or login."""
    expected = tuple(ANSWERS.get(word, word) for word in answers.split())
    return Row(route=route, expected=expected, params=params, method=method, label=label)


# 302: a redirect elsewhere than to login. 400: a POST without its form's fields, refused.
# 405: GET on a POST-only URL. 410: an unknown single-use link.
# login: a redirect to a login page or to the second-factor step (parents and pupils, who log in by
# link and have no authenticator app, are sent there by the admin and never get further).
# fmt: off
ROWS: list[Row] = [
    #   route                                                 visit parnt pupil staff leadA leadB gmr   board admin antip vertr aandf
    # Public pages
    row("",                                                  "200   200   200   200   200   200   200   200   200   200   200   200"),
    row("healthz/",                                          "200   200   200   200   200   200   200   200   200   200   200   200"),  # details only to the verified admin or from this machine (test_healthz)
    row("i18n/setlang/",                                     "302   302   302   302   302   302   302   302   302   302   302   302"),
    # accounts
    row("accounts/login/",                                   "200   200   200   200   200   200   200   200   200   200   200   200"),
    row("accounts/login/verify/",                            "login 302   302   302   302   302   302   302   302   302   302   302"),
    row("accounts/two-factor/setup/",                        "login 200   200   200   200   200   200   200   200   200   200   200"),  # a verified user may link a new app
    row("accounts/login/link/",                              "200   200   200   200   200   200   200   200   200   200   200   200"),
    row("accounts/login/link/sent/",                         "200   200   200   200   200   200   200   200   200   200   200   200"),
    row("accounts/login/link/open/",                         "410   410   410   410   410   410   410   410   410   410   410   410"),  # no link's secret in a cookie
    row("accounts/login/link/<str:token>/",                  "302   302   302   302   302   302   302   302   302   302   302   302", token="bad_token"),  # the secret moves to a cookie
    row("accounts/login/unlock/",                            "200   200   200   200   200   200   200   200   200   200   200   200"),
    row("accounts/login/unlock/sent/",                       "200   200   200   200   200   200   200   200   200   200   200   200"),
    row("accounts/login/unlock/open/",                       "410   410   410   410   410   410   410   410   410   410   410   410"),
    row("accounts/login/unlock/<str:token>/",                "302   302   302   302   302   302   302   302   302   302   302   302", token="bad_token"),
    row("accounts/password/forgotten/",                      "200   200   200   200   200   200   200   200   200   200   200   200"),
    row("accounts/password/sent/",                           "200   200   200   200   200   200   200   200   200   200   200   200"),
    row("accounts/password/set/<uidb64>/<token>/",           "200   200   200   200   200   200   200   200   200   200   200   200", uidb64="bad_uid", token="bad_token"),
    row("accounts/password/done/",                           "200   200   200   200   200   200   200   200   200   200   200   200"),
    row("accounts/logout/",                                  "405   405   405   405   405   405   405   405   405   405   405   405"),
    row("accounts/logout/provider/",                         "302   302   302   302   302   302   302   302   302   302   302   302"),  # no provider sign-in to sign out of
    # Single sign-on: no provider configured here, so there is no such page.
    row("accounts/login/microsoft/",                         "404   404   404   404   404   404   404   404   404   404   404   404"),
    row("accounts/login/microsoft/callback/",                "404   404   404   404   404   404   404   404   404   404   404   404"),
    row("accounts/login/google/",                            "404   404   404   404   404   404   404   404   404   404   404   404"),
    row("accounts/login/google/callback/",                   "404   404   404   404   404   404   404   404   404   404   404   404"),
    row("accounts/hygiene/",                                 "login 404   404   404   404   404   404   200   200   404   404   404"),
    row("accounts/hygiene/disable/",                         "login 405   405   405   405   405   405   405   405   405   405   405"),
    row("accounts/hygiene/disable/",                         "login 404   404   404   404   404   404   400   400   404   404   404", method="post"),
    row("accounts/roles/",                                   "login 404   404   404   404   404   404   200   200   404   404   404"),
    row("accounts/roles/request/",                           "login 405   405   405   405   405   405   405   405   405   405   405"),
    row("accounts/roles/request/",                           "login 404   404   404   404   404   404   400   400   404   404   404", method="post"),
    row("accounts/roles/<int:pk>/decide/",                   "login 405   405   405   405   405   405   405   405   405   405   405", pk="role_request"),
    row("accounts/roles/<int:pk>/decide/",                   "login 404   404   404   404   404   404   400   400   404   404   404", method="post", pk="role_request"),
    row("accounts/schools/<int:pk>/",                        "login 404   404   404   200   404   404   200   200   404   404   404", pk="school_a"),
    row("accounts/schools/<int:pk>/",                        "login 404   404   404   404   200   404   200   200   404   404   404", label="school B", pk="school_b"),
    row("accounts/groups/<int:pk>/",                         "login 404   404   404   200   404   404   200   200   404   404   404", pk="group_a"),
    row("accounts/groups/<int:pk>/",                         "login 404   404   404   404   200   404   200   200   404   404   404", label="school B", pk="group_b"),
    # notifications
    row("inbox/",                                            "login 200   200   200   200   200   200   200   200   200   200   200"),
    row("inbox/<int:pk>/open/",                              "login 405   405   405   405   405   405   405   405   405   405   405", pk="notification_parent"),
    row("inbox/<int:pk>/open/",                              "login 302   404   404   404   404   404   404   404   404   404   404", method="post", label="someone else's", pk="notification_parent"),
    row("inbox/read-all/",                                   "login 405   405   405   405   405   405   405   405   405   405   405"),
    # consent
    row("consent/",                                          "login 200   200   200   200   200   200   200   200   200   200   200"),
    row("consent/pupil/<int:pk>/",                           "login 405   405   405   405   405   405   405   405   405   405   405", pk="pupil_a"),
    row("consent/pupil/<int:pk>/",                           "login 404   404   404   404   404   404   404   404   404   404   404", method="post", label="other family", pk="pupil_other_family"),
    row("consent/pupil/<int:pk>/withdraw/",                  "login 405   405   405   405   405   405   405   405   405   405   405", pk="pupil_a"),
    row("consent/pupil/<int:pk>/withdraw/",                  "login 404   404   404   404   404   404   404   404   404   404   404", method="post", label="other family", pk="pupil_other_family"),
    row("consent/self/",                                     "login 405   405   405   405   405   405   405   405   405   405   405"),
    row("consent/self/withdraw/",                            "login 405   405   405   405   405   405   405   405   405   405   405"),
    row("consent/pupil/<int:pk>/paper/",                     "login 404   404   200   200   404   404   200   404   200   200   200", pk="pupil_a"),
    row("consent/pupil/<int:pk>/paper/",                     "login 404   404   404   404   200   404   200   404   404   404   404", label="school B", pk="pupil_b"),
    row("consent/decisions/<int:pk>/",                       "login 200   404   200   200   404   404   200   404   200   200   200", pk="decision_a"),
    row("consent/decisions/<int:pk>/",                       "login 404   404   404   404   200   404   200   404   404   404   404", label="other family, school B", pk="decision_b"),
    row("consent/decisions/<int:pk>/scan/",                  "login 200   404   200   200   404   404   200   404   200   200   200", pk="decision_a"),
    row("consent/decisions/<int:pk>/scan/",                  "login 404   404   404   404   200   404   200   404   404   404   404", label="other family, school B", pk="decision_b"),
    row("consent/forms/",                                    "login 404   404   404   404   404   404   200   200   404   404   404"),  # board and functional admin: texts only
    row("consent/forms/next/",                               "login 404   404   404   404   404   404   200   200   404   404   404"),  # board and functional admin publish the next version
    row("consent/forms/next/",                               "login 404   404   404   404   404   404   400   400   404   404   404", method="post", label="empty"),
    row("consent/forms/<int:version>/<slug:language>/",      "login 404   404   404   404   404   404   200   200   404   404   404", version="version_number", language="translation_language"),
    row("consent/forms/<int:version>/<slug:language>/",      "login 404   404   404   404   404   404   404   404   404   404   404", label="no such version", version="missing_number", language="translation_language"),
    row("consent/forms/<int:version>/<slug:language>/",      "login 404   404   404   404   404   404   404   404   404   404   404", label="the Dutch reference", version="version_number", language="reference_language"),
    row("consent/campaigns/",                                "login 404   404   404   200   200   404   200   404   404   404   404"),  # not the back office (admin column)
    row("consent/campaigns/<int:pk>/",                       "login 404   404   404   200   404   404   200   404   404   404   404", pk="campaign_a"),
    row("consent/campaigns/<int:pk>/",                       "login 404   404   404   404   200   404   200   404   404   404   404", label="school B", pk="campaign_b"),
    row("consent/campaigns/<int:pk>/groups/<int:group_pk>/remind/", "login 405   405   405   405   405   405   405   405   405   405   405", pk="campaign_a", group_pk="group_a"),
    row("consent/campaigns/<int:pk>/groups/<int:group_pk>/remind/", "login 404   404   404   302   404   404   302   404   404   404   404", method="post", label="school A", pk="campaign_a", group_pk="group_a"),
    row("consent/campaigns/<int:pk>/groups/<int:group_pk>/remind/", "login 404   404   404   404   404   404   404   404   404   404   404", method="post", label="campaign A, group B", pk="campaign_a", group_pk="group_b"),
    row("consent/invitation/",                               "410   410   410   410   410   410   410   410   410   410   410   410"),
    row("consent/invitation/<str:token>/",                   "302   302   302   302   302   302   302   302   302   302   302   302", token="bad_token"),
    row("consent/sixteen/",                                  "login 404   404   404   200   200   404   200   404   404   404   404"),  # not the back office (admin column)
    row("consent/sixteen/<int:pk>/invite/",                  "login 405   405   405   405   405   405   405   405   405   405   405", pk="pupil_16"),
    row("consent/sixteen/<int:pk>/invite/",                  "login 404   404   404   302   404   404   302   404   404   404   404", method="post", label="school A", pk="pupil_16"),
    row("consent/groups/",                                   "login 404   404   200   200   200   404   200   404   200   200   200"),
    row("consent/groups/<int:pk>/",                          "login 404   404   200   200   404   404   200   404   200   200   200", pk="group_a"),
    row("consent/groups/<int:pk>/",                          "login 404   404   404   404   200   404   200   404   404   404   404", label="school B", pk="group_b"),
    row("consent/groups/<int:pk>/photo-check/",              "login 404   404   200   200   404   404   200   404   200   200   200", pk="group_a"),
    row("consent/groups/<int:pk>/photo-check/",              "login 404   404   404   404   200   404   200   404   404   404   404", label="school B", pk="group_b"),
    row("consent/takedowns/",                                "login 200   200   200   200   200   200   200   200   200   200   200"),
    row("consent/takedowns/<int:pk>/done/",                  "login 405   405   405   405   405   405   405   405   405   405   405", pk="takedown_staff"),
    row("consent/takedowns/<int:pk>/done/",                  "login 404   404   302   302   404   404   302   404   404   404   404", method="post", label="someone else's", pk="takedown_staff"),  # the publisher, or the school's leadership
    row("consent/publications/",                             "login 404   404   404   200   200   404   200   404   404   404   404"),
    row("consent/schools/<int:pk>/export.csv",               "login 404   404   404   200   404   404   200   404   404   404   404", pk="school_a"),
    row("consent/schools/<int:pk>/export.csv",               "login 404   404   404   404   200   404   200   404   404   404   404", label="school B", pk="school_b"),
    # policy
    row("protocol/",                                         "200   200   200   200   200   200   200   200   200   200   200   200"),
    row("protocol/<int:number>/",                            "200   200   200   200   200   200   200   200   200   200   200   200", number="version_number"),
    row("protocol/<int:number>/",                            "404   404   404   404   404   404   404   404   404   404   404   404", label="no such version", number="missing_number"),
    row("protocol/<int:number>/print/",                      "200   200   200   200   200   200   200   200   200   200   200   200", number="version_number"),
    row("protocol/<int:number>/pdf/",                        "200   200   200   200   200   200   200   200   200   200   200   200", number="version_number"),
    row("protocol/<int:number>/dates/",                      "login 404   404   404   404   404   404   200   200   404   404   404", number="version_number"),
    row("protocol/history/",                                 "200   200   200   200   200   200   200   200   200   200   200   200"),
    row("protocol/diff/",                                    "200   200   200   200   200   200   200   200   200   200   200   200"),  # the chooser
    row("protocol/diff/<int:a>/<int:b>/",                    "404   404   404   404   404   404   404   404   404   404   404   404", a="version_number", b="missing_number"),
    row("protocol/drafts/",                                  "login 404   404   404   404   404   200   200   200   404   404   404"),
    row("protocol/drafts/new/",                              "login 405   405   405   405   405   405   405   405   405   405   405"),
    row("protocol/drafts/<int:pk>/",                         "login 404   404   404   404   404   200   200   200   404   404   404", pk="draft"),
    row("protocol/drafts/<int:pk>/edit/",                    "login 404   404   404   404   404   302   200   200   404   404   404", pk="draft"),
    row("protocol/drafts/<int:pk>/submit/",                  "login 405   405   405   405   405   405   405   405   405   405   405", pk="draft"),
    row("protocol/drafts/<int:pk>/council/",                 "login 405   405   405   405   405   405   405   405   405   405   405", pk="draft"),
    row("protocol/drafts/<int:pk>/adopt/",                   "login 405   405   405   405   405   405   405   405   405   405   405", pk="draft"),
    row("protocol/drafts/<int:pk>/carry-over/",              "login 405   405   405   405   405   405   405   405   405   405   405", pk="draft"),
    row("protocol/acknowledge/",                             "login 404   404   200   200   200   404   404   404   200   200   200"),
    row("protocol/acknowledgements/",                        "login 404   404   404   302   302   404   200   404   404   404   404"),
    row("protocol/acknowledgements/<int:school>/",           "login 404   404   404   200   404   404   200   404   404   404   404", school="school_a"),
    row("protocol/acknowledgements/<int:school>/",           "login 404   404   404   404   200   404   200   404   404   404   404", label="school B", school="school_b"),
    row("protocol/acknowledgements/<int:school>/remind/",    "login 405   405   405   405   405   405   405   405   405   405   405", school="school_a"),
    row("protocol/acknowledgements/<int:school>/remind/",    "login 404   404   404   404   302   404   302   404   404   404   404", method="post", label="school B", school="school_b"),
    row("protocol/acknowledgements/<int:school>/export.csv", "login 404   404   404   200   404   404   200   404   404   404   404", school="school_a"),
    row("protocol/acknowledgements/<int:school>/export.csv", "login 404   404   404   404   200   404   200   404   404   404   404", label="school B", school="school_b"),
    # reports: intake and follow-up open to everyone; cases for leaders and the board
    row("report/",                                           "200   200   200   200   200   200   200   200   200   200   200   200"),
    row("report/thanks/",                                    "200   200   200   200   200   200   200   200   200   200   200   200"),
    row("report/follow/",                                    "200   200   200   200   200   200   200   200   200   200   200   200"),
    row("report/follow/reply/",                              "405   405   405   405   405   405   405   405   405   405   405   405"),
    row("report/follow/stop/",                               "405   405   405   405   405   405   405   405   405   405   405   405"),
    # Bij wie kan ik terecht? (WPO art. 4c): public, per school
    row("report/contacts/",                                  "200   200   200   200   200   200   200   200   200   200   200   200"),
    row("report/contacts/<int:pk>/",                         "200   200   200   200   200   200   200   200   200   200   200   200", pk="school_a"),
    row("report/contacts/<int:pk>/",                         "404   404   404   404   404   404   404   404   404   404   404   404", label="no such school", pk="missing_number"),
    row("cases/",                                            "login 404   404   404   200   200   404   200   404   200   200   404"),
    row("cases/<int:pk>/",                                   "login 404   404   404   200   404   404   200   404   200   404   404", pk="case_a"),
    row("cases/<int:pk>/",                                   "login 404   404   404   404   200   404   200   404   404   404   404", label="school B", pk="case_b"),
    row("cases/<int:pk>/",                                   "login 404   404   404   404   404   404   200   404   404   404   404", label="about the leadership of A", pk="case_about_leader_a"),
    row("cases/<int:pk>/",                                   "login 404   404   404   404   404   404   200   404   200   404   404", label="access withdrawn from leader A", pk="case_withdrawn_from_leader_a"),
    row("cases/<int:pk>/",                                   "login 404   404   404   404   404   404   200   404   200   404   404", label="leader A is a person of it", pk="case_about_leader_a_in_person"),
    # A case sent to the vertrouwenspersoon is theirs alone until they hand it on: 404 for the leader and the board
    row("cases/<int:pk>/",                                   "login 404   404   404   404   404   404   404   404   404   200   404", label="vertrouwenspersoon-only case", pk="case_with_confidant_a"),
    row("cases/<int:pk>/",                                   "login 404   404   404   404   404   404   200   404   404   404   404", label="WPO 4a, sent to the vertrouwenspersoon", pk="case_wpo_4a_a"),
    row("cases/<int:pk>/hand-on/",                           "login 405   405   405   405   405   405   405   405   405   405   405", pk="case_with_confidant_a"),
    row("cases/<int:pk>/hand-on/",                           "login 404   404   404   404   404   404   404   404   404   400   404", method="post", label="vertrouwenspersoon-only case", pk="case_with_confidant_a"),
    row("cases/<int:pk>/hand-on/",                           "login 404   404   404   404   404   404   404   404   404   404   404", method="post", label="a case of the school", pk="case_a"),
    row("cases/<int:pk>/reports/<int:report_pk>/message/",   "login 405   405   405   405   405   405   405   405   405   405   405", pk="case_a", report_pk="report_a"),
    row("cases/<int:pk>/reports/<int:report_pk>/message/",   "login 404   404   404   404   404   404   404   404   404   404   404", method="post", label="report of another case", pk="case_a", report_pk="report_b"),
    row("cases/<int:pk>/reports/<int:report_pk>/message/",   "login 404   404   404   404   400   404   400   404   404   404   404", method="post", label="school B", pk="case_b", report_pk="report_b"),
    row("cases/<int:pk>/reports/<int:report_pk>/message/",   "login 404   404   404   404   404   404   400   404   404   404   404", method="post", label="about the leadership of A", pk="case_about_leader_a", report_pk="report_about_leader_a"),
    row("cases/<int:pk>/reports/<int:report_pk>/message/",   "login 404   404   404   404   404   404   400   404   400   404   404", method="post", label="access withdrawn from leader A", pk="case_withdrawn_from_leader_a", report_pk="report_withdrawn_from_leader_a"),
    row("cases/<int:pk>/evidence/<int:evidence_pk>/",        "login 404   404   404   200   404   404   200   404   200   404   404", pk="case_a", evidence_pk="evidence_a"),
    row("cases/<int:pk>/evidence/<int:evidence_pk>/",        "login 404   404   404   404   404   404   404   404   404   404   404", label="evidence of another case", pk="case_a", evidence_pk="evidence_b"),
    row("cases/<int:pk>/evidence/<int:evidence_pk>/",        "login 404   404   404   404   404   404   200   404   404   404   404", label="about the leadership of A", pk="case_about_leader_a", evidence_pk="evidence_about_leader_a"),
    row("cases/<int:pk>/evidence/<int:evidence_pk>/",        "login 404   404   404   404   404   404   200   404   200   404   404", label="access withdrawn from leader A", pk="case_withdrawn_from_leader_a", evidence_pk="evidence_withdrawn_from_leader_a"),
    row("cases/statistics/",                                 "login 404   404   404   404   404   404   200   404   404   404   404"),
    row("cases/statistics.csv",                              "login 404   404   404   404   404   404   200   404   404   404   404"),
    row("cases/retention/",                                  "login 404   404   404   404   404   404   200   404   404   404   404"),
    row("cases/<int:pk>/status/",                            "login 405   405   405   405   405   405   405   405   405   405   405", pk="case_a"),
    row("cases/<int:pk>/status/",                            "login 404   404   404   404   400   404   400   404   404   404   404", method="post", label="school B", pk="case_b"),
    row("cases/<int:pk>/status/",                            "login 404   404   404   404   404   404   400   404   404   404   404", method="post", label="about the leadership of A", pk="case_about_leader_a"),
    row("cases/<int:pk>/status/",                            "login 404   404   404   404   404   404   400   404   400   404   404", method="post", label="access withdrawn from leader A", pk="case_withdrawn_from_leader_a"),
    row("cases/<int:pk>/entries/",                           "login 405   405   405   405   405   405   405   405   405   405   405", pk="case_a"),
    row("cases/<int:pk>/entries/",                           "login 404   404   404   404   400   404   400   404   404   404   404", method="post", label="school B", pk="case_b"),
    row("cases/<int:pk>/entries/",                           "login 404   404   404   404   404   404   400   404   404   404   404", method="post", label="about the leadership of A", pk="case_about_leader_a"),
    row("cases/<int:pk>/entries/",                           "login 404   404   404   404   404   404   400   404   400   404   404", method="post", label="access withdrawn from leader A", pk="case_withdrawn_from_leader_a"),
    row("cases/<int:pk>/entries/",                           "login 404   404   404   404   404   404   400   404   400   404   404", method="post", label="leader A is a person of it", pk="case_about_leader_a_in_person"),
    row("cases/<int:pk>/entries/<int:entry_pk>/correct/",    "login 405   405   405   405   405   405   405   405   405   405   405", pk="case_a", entry_pk="entry_a"),
    row("cases/<int:pk>/entries/<int:entry_pk>/correct/",    "login 404   404   404   404   400   404   400   404   404   404   404", method="post", label="school B", pk="case_b", entry_pk="entry_b"),
    row("cases/<int:pk>/entries/<int:entry_pk>/correct/",    "login 404   404   404   404   404   404   404   404   404   404   404", method="post", label="entry of another case", pk="case_a", entry_pk="entry_b"),
    row("cases/<int:pk>/entries/<int:entry_pk>/correct/",    "login 404   404   404   404   404   404   400   404   404   404   404", method="post", label="about the leadership of A", pk="case_about_leader_a", entry_pk="entry_about_leader_a"),
    row("cases/<int:pk>/entries/<int:entry_pk>/correct/",    "login 404   404   404   404   404   404   400   404   400   404   404", method="post", label="access withdrawn from leader A", pk="case_withdrawn_from_leader_a", entry_pk="entry_withdrawn_from_leader_a"),
    row("cases/<int:pk>/handler/",                           "login 405   405   405   405   405   405   405   405   405   405   405", pk="case_a"),
    row("cases/<int:pk>/handler/",                           "login 404   404   404   404   400   404   400   404   404   404   404", method="post", label="school B", pk="case_b"),
    row("cases/<int:pk>/handler/",                           "login 404   404   404   404   404   404   400   404   404   404   404", method="post", label="about the leadership of A", pk="case_about_leader_a"),
    row("cases/<int:pk>/handler/",                           "login 404   404   404   404   404   404   400   404   400   404   404", method="post", label="access withdrawn from leader A", pk="case_withdrawn_from_leader_a"),
    row("cases/<int:pk>/access/",                            "login 405   405   405   405   405   405   405   405   405   405   405", pk="case_a"),
    row("cases/<int:pk>/access/",                            "login 404   404   404   404   404   404   400   404   404   404   404", method="post", label="school B", pk="case_b"),
    row("cases/<int:pk>/access/<int:user_pk>/restore/",      "login 405   405   405   405   405   405   405   405   405   405   405", pk="case_a", user_pk="withdrawn_leader_a"),
    row("cases/<int:pk>/access/<int:user_pk>/restore/",      "login 404   404   404   404   404   404   302   404   404   404   404", method="post", label="school B", pk="case_b", user_pk="withdrawn_leader_b"),
    row("cases/<int:pk>/access/<int:user_pk>/restore/",      "login 404   404   404   404   404   404   404   404   404   404   404", method="post", label="withdrawal of another case", pk="case_a", user_pk="withdrawn_leader_b"),
    row("cases/<int:pk>/merge/",                             "login 405   405   405   405   405   405   405   405   405   405   405", pk="case_a"),
    row("cases/<int:pk>/merge/",                             "login 404   404   404   404   400   404   400   404   404   404   404", method="post", label="school B", pk="case_b"),
    row("cases/<int:pk>/merge/",                             "login 404   404   404   404   404   404   400   404   404   404   404", method="post", label="about the leadership of A", pk="case_about_leader_a"),
    row("cases/<int:pk>/merge/",                             "login 404   404   404   404   404   404   400   404   400   404   404", method="post", label="access withdrawn from leader A", pk="case_withdrawn_from_leader_a"),
    row("cases/<int:pk>/legal-hold/",                        "login 405   405   405   405   405   405   405   405   405   405   405", pk="case_a"),
    row("cases/<int:pk>/legal-hold/",                        "login 404   404   404   404   404   404   302   404   404   404   404", method="post", label="school B", pk="case_b"),
    row("cases/<int:pk>/about-me/",                          "login 404   404   404   200   404   404   200   404   200   404   404", pk="case_a"),
    row("cases/<int:pk>/about-me/",                          "login 404   404   404   404   404   404   200   404   404   404   404", label="about the leadership of A", pk="case_about_leader_a"),
    row("cases/<int:pk>/about-me/",                          "login 404   404   404   404   400   404   400   404   404   404   404", method="post", label="school B, unconfirmed", pk="case_b"),
    # sanctions: a case's measures and escalations go with the case; approvals are the board's
    row("cases/<int:case_pk>/measures/",                     "login 404   404   404   200   404   404   200   404   404   404   404", case_pk="case_a"),
    row("cases/<int:case_pk>/measures/",                     "login 404   404   404   404   200   404   200   404   404   404   404", label="school B", case_pk="case_b"),
    row("cases/<int:case_pk>/measures/",                     "login 404   404   404   404   404   404   200   404   404   404   404", label="about the leadership of A", case_pk="case_about_leader_a"),
    row("cases/<int:case_pk>/measures/",                     "login 404   404   404   404   404   404   200   404   404   404   404", label="access withdrawn from leader A", case_pk="case_withdrawn_from_leader_a"),
    row("cases/<int:case_pk>/measures/",                     "login 404   404   404   404   404   404   200   404   404   404   404", label="leader A is a person of it", case_pk="case_about_leader_a_in_person"),
    row("cases/<int:case_pk>/measures/new/",                 "login 404   404   404   200   404   404   200   404   404   404   404", case_pk="case_a"),
    row("cases/<int:case_pk>/measures/new/",                 "login 404   404   404   404   200   404   200   404   404   404   404", label="school B", case_pk="case_b"),
    row("cases/<int:case_pk>/measures/new/",                 "login 404   404   404   404   404   404   200   404   404   404   404", label="leader A is a person of it", case_pk="case_about_leader_a_in_person"),
    row("cases/<int:case_pk>/measures/people/new/",          "login 404   404   404   200   404   404   200   404   404   404   404", case_pk="case_a"),
    row("cases/<int:case_pk>/measures/people/new/",          "login 404   404   404   404   200   404   200   404   404   404   404", label="school B", case_pk="case_b"),
    row("cases/<int:case_pk>/measures/people/new/",          "login 404   404   404   404   404   404   200   404   404   404   404", label="leader A is a person of it", case_pk="case_about_leader_a_in_person"),
    row("cases/<int:case_pk>/measures/<int:pk>/",            "login 404   404   404   200   404   404   200   404   404   404   404", case_pk="case_a", pk="measure_a"),
    row("cases/<int:case_pk>/measures/<int:pk>/",            "login 404   404   404   404   200   404   200   404   404   404   404", label="school B", case_pk="case_b", pk="measure_b"),
    row("cases/<int:case_pk>/measures/<int:pk>/",            "login 404   404   404   404   404   404   404   404   404   404   404", label="measure of another case", case_pk="case_a", pk="measure_b"),
    row("cases/<int:case_pk>/measures/<int:pk>/",            "login 404   404   404   404   404   404   200   404   404   404   404", label="leader A is a person of it", case_pk="case_about_leader_a_in_person", pk="measure_about_leader_a_in_person"),
    row("cases/<int:case_pk>/measures/<int:pk>/approve/",    "login 405   405   405   405   405   405   405   405   405   405   405", case_pk="case_a", pk="measure_a"),
    row("cases/<int:case_pk>/measures/<int:pk>/approve/",    "login 404   404   404   404   404   404   302   404   404   404   404", method="post", label="school B", case_pk="case_b", pk="measure_b"),
    row("cases/<int:case_pk>/measures/<int:pk>/refuse/",     "login 405   405   405   405   405   405   405   405   405   405   405", case_pk="case_a", pk="measure_a"),
    row("cases/<int:case_pk>/measures/<int:pk>/refuse/",     "login 404   404   404   404   404   404   400   404   404   404   404", method="post", label="school B", case_pk="case_b", pk="measure_b_to_refuse"),
    row("cases/<int:case_pk>/measures/<int:pk>/refuse/",     "login 404   404   404   404   404   404   404   404   404   404   404", method="post", label="measure of another case", case_pk="case_a", pk="measure_b"),
    row("cases/<int:case_pk>/escalations/",                  "login 404   404   404   200   404   404   200   404   404   404   404", case_pk="case_a"),
    row("cases/<int:case_pk>/escalations/",                  "login 404   404   404   404   200   404   200   404   404   404   404", label="school B", case_pk="case_b"),
    row("cases/<int:case_pk>/escalations/",                  "login 404   404   404   404   404   404   200   404   404   404   404", label="access withdrawn from leader A", case_pk="case_withdrawn_from_leader_a"),
    row("cases/<int:case_pk>/escalations/",                  "login 404   404   404   404   404   404   200   404   404   404   404", label="leader A is a person of it", case_pk="case_about_leader_a_in_person"),
    row("cases/<int:case_pk>/escalations/finding/",          "login 404   404   404   200   404   404   200   404   404   404   404", case_pk="case_a"),
    row("cases/<int:case_pk>/escalations/finding/",          "login 404   404   404   404   200   404   200   404   404   404   404", label="school B", case_pk="case_b"),
    row("cases/<int:case_pk>/escalations/finding/",          "login 404   404   404   404   404   404   200   404   404   404   404", label="leader A is a person of it", case_pk="case_about_leader_a_in_person"),
    row("cases/<int:case_pk>/escalations/inspector/",        "login 404   404   404   200   404   404   200   404   404   404   404", case_pk="case_a"),
    row("cases/<int:case_pk>/escalations/inspector/",        "login 404   404   404   404   200   404   200   404   404   404   404", label="school B", case_pk="case_b"),
    row("cases/<int:case_pk>/escalations/inspector/",        "login 404   404   404   404   404   404   200   404   404   404   404", label="leader A is a person of it", case_pk="case_about_leader_a_in_person"),
    row("cases/<int:case_pk>/escalations/police/",           "login 404   404   404   200   404   404   200   404   404   404   404", case_pk="case_a"),
    row("cases/<int:case_pk>/escalations/police/",           "login 404   404   404   404   200   404   200   404   404   404   404", label="school B", case_pk="case_b"),
    row("cases/<int:case_pk>/escalations/police/",           "login 404   404   404   404   404   404   200   404   404   404   404", label="leader A is a person of it", case_pk="case_about_leader_a_in_person"),
    row("cases/<int:case_pk>/escalations/informed/",         "login 404   404   404   200   404   404   200   404   404   404   404", case_pk="case_a"),
    row("cases/<int:case_pk>/escalations/informed/",         "login 404   404   404   404   200   404   200   404   404   404   404", label="school B", case_pk="case_b"),
    row("cases/<int:case_pk>/escalations/informed/",         "login 404   404   404   404   404   404   200   404   404   404   404", label="leader A is a person of it", case_pk="case_about_leader_a_in_person"),
    row("cases/<int:case_pk>/escalations/safe-home/",        "login 404   404   404   200   404   404   200   404   404   404   404", case_pk="case_a"),
    row("cases/<int:case_pk>/escalations/safe-home/",        "login 404   404   404   404   200   404   200   404   404   404   404", label="school B", case_pk="case_b"),
    row("cases/<int:case_pk>/escalations/safe-home/",        "login 404   404   404   404   404   404   200   404   404   404   404", label="leader A is a person of it", case_pk="case_about_leader_a_in_person"),
    row("cases/<int:case_pk>/escalations/<int:pk>/step/",    "login 404   404   404   200   404   404   200   404   404   404   404", case_pk="case_a", pk="safe_home_a"),
    row("cases/<int:case_pk>/escalations/<int:pk>/step/",    "login 404   404   404   404   200   404   200   404   404   404   404", label="school B", case_pk="case_b", pk="safe_home_b"),
    row("cases/<int:case_pk>/escalations/<int:pk>/step/",    "login 404   404   404   404   404   404   404   404   404   404   404", label="referral of another case", case_pk="case_a", pk="safe_home_b"),
    row("cases/<int:case_pk>/escalations/<int:pk>/step/",    "login 404   404   404   404   404   404   200   404   404   404   404", label="leader A is a person of it", case_pk="case_about_leader_a_in_person", pk="safe_home_about_leader_a_in_person"),
    row("measures/approvals/",                               "login 404   404   404   404   404   404   200   404   404   404   404"),
    # ernstig incident (SERIOUS_INCIDENT_TASKS, on in the world fixture): the case's handlers flag, the board considers
    row("cases/<int:case_pk>/escalations/serious/",          "login 404   404   404   200   404   404   200   404   404   404   404", case_pk="case_a"),
    row("cases/<int:case_pk>/escalations/serious/",          "login 404   404   404   404   200   404   200   404   404   404   404", label="school B", case_pk="case_b"),
    row("cases/<int:case_pk>/escalations/serious/",          "login 404   404   404   404   404   404   200   404   404   404   404", label="leader A is a person of it", case_pk="case_about_leader_a_in_person"),
    row("serious-incidents/",                                "login 404   404   404   404   404   404   200   404   404   404   404"),
    row("serious-incidents/<int:pk>/",                       "login 404   404   404   404   404   404   200   404   404   404   404", pk="serious_a"),
    row("serious-incidents/<int:pk>/",                       "login 404   404   404   404   404   404   400   404   404   404   404", method="post", label="school B", pk="serious_b"),
    # the yearly overview: a school's for its leadership, all schools' for the board (as its statistics)
    row("overview/",                                         "login 404   404   404   200   200   404   200   404   404   404   404"),
    row("overview/<int:year>/",                              "login 404   404   404   404   404   404   200   404   404   404   404", year="overview_year"),
    row("overview/<int:year>/overview.<str:kind>",           "login 404   404   404   404   404   404   200   404   404   404   404", year="overview_year", kind="overview_kind_pdf"),
    row("overview/<int:year>/overview.<str:kind>",           "login 404   404   404   404   404   404   404   404   404   404   404", label="no such kind", year="overview_year", kind="overview_kind_unknown"),
    row("overview/<int:year>/schools/<int:school>/",         "login 404   404   404   200   404   404   200   404   404   404   404", year="overview_year", school="school_a"),
    row("overview/<int:year>/schools/<int:school>/",         "login 404   404   404   404   200   404   200   404   404   404   404", label="school B", year="overview_year", school="school_b"),
    row("overview/<int:year>/schools/<int:school>/overview.<str:kind>", "login 404   404   404   200   404   404   200   404   404   404   404", year="overview_year", school="school_a", kind="overview_kind_csv"),
    row("overview/<int:year>/schools/<int:school>/overview.<str:kind>", "login 404   404   404   404   200   404   200   404   404   404   404", label="school B", year="overview_year", school="school_b", kind="overview_kind_pdf"),
    row("overview/<int:year>/schools/<int:school>/evaluation/", "login 404   404   404   200   404   404   200   404   404   404   404", year="overview_year", school="school_a"),
    row("overview/<int:year>/schools/<int:school>/evaluation/", "login 404   404   404   404   400   404   400   404   404   404   404", method="post", label="school B", year="overview_year", school="school_b"),
    # retention per kind of record: the board's terms, the deletion log and next month's forecast
    row("retention/",                                        "login 404   404   404   404   404   404   200   404   404   404   404"),
    row("retention/",                                        "login 404   404   404   404   404   404   404   404   404   404   404", method="post", label="no such kind"),
    # person files: the leaders of the person's school and the board, never about oneself
    # The meldcode per pupil: any staff member signals and sees their signals; the steps are the
    # aandachtsfunctionaris's of the school, its leadership's and the board's (not the teacher's: 404).
    row("meldcode/",                                         "login 404   404   200   200   200   404   200   404   200   200   200"),
    row("meldcode/signal/",                                  "login 404   404   200   200   200   404   404   404   200   200   200"),
    row("meldcode/<int:pk>/",                                "login 404   404   404   200   404   404   200   404   404   404   200", pk="meldcode_a"),
    row("meldcode/<int:pk>/",                                "login 404   404   404   404   200   404   200   404   404   404   404", label="school B", pk="meldcode_b"),
    # A meldcode started in a case goes with the case: its handlers, not the aandachtsfunctionaris.
    row("meldcode/<int:pk>/",                                "login 404   404   404   200   404   404   200   404   404   404   404", label="in a case", pk="safe_home_a"),
    row("meldcode/<int:pk>/step/",                           "login 404   404   404   200   404   404   200   404   404   404   200", pk="meldcode_a"),
    row("meldcode/<int:pk>/step/",                           "login 404   404   404   404   200   404   200   404   404   404   404", label="school B", pk="meldcode_b"),
    row("meldcode/<int:pk>/status/",                         "login 404   404   404   200   404   404   200   404   404   404   200", pk="meldcode_a"),
    row("meldcode/<int:pk>/status/",                         "login 404   404   404   404   200   404   200   404   404   404   404", label="school B", pk="meldcode_b"),
    row("person-files/",                                     "login 404   404   404   200   200   404   200   404   404   404   404"),
    row("person-files/staff/<int:pk>/",                      "login 404   404   404   200   404   404   200   404   404   404   404", pk="staff_a"),
    row("person-files/staff/<int:pk>/",                      "login 404   404   404   404   200   404   200   404   404   404   404", label="school B", pk="staff_b"),
    row("person-files/staff/<int:pk>/",                      "login 404   404   404   404   404   404   200   404   404   404   404", label="the leader of A", pk="leader_a_user"),
    row("person-files/staff/<int:pk>/",                      "login 404   404   404   404   404   404   200   404   404   404   404", label="a co-leader of A", pk="withdrawn_leader_a"),
    row("person-files/pupils/<int:pk>/",                     "login 404   404   404   200   404   404   200   404   404   404   404", pk="pupil_a"),
    row("person-files/pupils/<int:pk>/",                     "login 404   404   404   404   200   404   200   404   404   404   404", label="school B", pk="pupil_b"),
    row("person-files/parents/<int:pk>/",                    "login 404   404   404   200   404   404   200   404   404   404   404", pk="parent_a"),
    row("person-files/parents/<int:pk>/",                    "login 404   404   404   404   200   404   200   404   404   404   404", label="school B", pk="parent_b"),
    row("person-files/<str:kind>/<int:pk>/print/",           "login 404   404   404   200   404   404   200   404   404   404   404", kind="person_file_kind_staff", pk="staff_a"),
    row("person-files/<str:kind>/<int:pk>/print/",           "login 404   404   404   404   200   404   200   404   404   404   404", label="school B", kind="person_file_kind_staff", pk="staff_b"),
    row("person-files/<str:kind>/<int:pk>/print/",           "login 404   404   404   404   404   404   404   404   404   404   404", label="no such kind", kind="person_file_kind_unknown", pk="staff_a"),
    # recordings: permission to record in class (A.1, A.7), given by the group's teacher or the school's leadership
    row("recordings/",                                       "login 404   404   200   200   200   404   200   404   200   200   200"),
    row("recordings/groups/<int:pk>/",                       "login 404   404   200   200   404   404   200   404   200   200   200", pk="group_a"),
    row("recordings/groups/<int:pk>/",                       "login 404   404   404   404   200   404   200   404   404   404   404", label="school B", pk="group_b"),
    row("recordings/groups/<int:pk>/",                       "login 404   404   404   404   400   404   400   404   404   404   404", method="post", label="school B", pk="group_b"),
    row("recordings/permissions/<int:pk>/withdraw/",         "login 404   404   200   200   404   404   200   404   404   404   404", pk="recording_permission_a"),  # who gave it, or the school's leadership
    row("recordings/permissions/<int:pk>/withdraw/",         "login 404   404   404   404   200   404   200   404   404   404   404", label="school B", pk="recording_permission_b"),
    row("recordings/permissions/<int:pk>/withdraw/",         "login 404   404   404   404   400   404   400   404   404   404   404", method="post", label="school B", pk="recording_permission_b"),
    row("recordings/cases/<int:case_pk>/link/",              "login 405   405   405   405   405   405   405   405   405   405   405", case_pk="case_a"),
    row("recordings/cases/<int:case_pk>/link/",              "login 404   404   404   404   400   404   400   404   404   404   404", method="post", label="school B", case_pk="case_b"),
    # consultations: a staff member's question to their own leader (B.3, B.4); the leader's own goes to the board
    row("consultations/",                                    "login 404   404   200   200   200   404   200   404   200   200   200"),
    row("consultations/new/",                                "login 404   404   200   200   200   404   404   404   200   200   200"),
    row("consultations/<int:pk>/",                           "login 404   404   200   200   404   404   404   404   404   404   404", pk="consultation_a"),
    row("consultations/<int:pk>/",                           "login 404   404   400   400   404   404   404   404   404   404   404", method="post", pk="consultation_a"),
    row("consultations/<int:pk>/",                           "login 404   404   404   200   404   404   200   404   404   404   404", label="leader A's own", pk="consultation_leader_a"),
    row("consultations/<int:pk>/case/",                      "login 404   404   404   200   404   404   404   404   404   404   404", pk="consultation_a"),
    row("consultations/<int:pk>/case/",                      "login 404   404   404   404   404   404   200   404   404   404   404", label="leader A's own", pk="consultation_leader_a"),
    # integrity: the staff channel for misstanden (Wbk). Intake and follow-up are public; a report is seen
    # by its officers (the World's teacher is one) or, when it names them all, by the board; never by a
    # school leader, nor by an officer it names.
    row("integrity/",                                        "200   200   200   200   200   200   200   200   200   200   200   200"),
    row("integrity/report/",                                 "200   200   200   200   200   200   200   200   200   200   200   200"),
    row("integrity/follow/",                                 "200   200   200   200   200   200   200   200   200   200   200   200"),
    row("integrity/follow/reply/",                           "405   405   405   405   405   405   405   405   405   405   405   405"),
    row("integrity/follow/stop/",                            "405   405   405   405   405   405   405   405   405   405   405   405"),
    row("integrity/cases/",                                  "login 404   404   200   404   404   404   200   404   404   404   404"),
    row("integrity/cases/<int:pk>/",                         "login 404   404   200   404   404   404   404   404   404   404   404", pk="misstand_a"),
    row("integrity/cases/<int:pk>/",                         "login 404   404   404   404   404   404   404   404   404   404   404", label="names the officer", pk="misstand_naming_staff"),
    row("integrity/cases/<int:pk>/",                         "login 404   404   404   404   404   404   200   404   404   404   404", label="names every officer", pk="misstand_to_board"),
    row("integrity/board/",                                  "login 404   404   404   404   404   404   200   404   404   404   404"),
    row("integrity/board/officers/<int:pk>/end/",            "login 405   405   405   405   405   405   405   405   405   405   405", pk="officer_external"),
    row("integrity/board/officers/<int:pk>/end/",            "login 404   404   404   404   404   404   302   404   404   404   404", method="post", pk="officer_external"),
    # complaints: anyone logged in files one and reads their own; the school's leaders and the board
    # handle them; one about the school's leadership: the board only
    row("complaints/",                                       "login 200   200   200   200   200   200   200   200   200   200   200"),
    row("complaints/new/",                                   "login 200   200   200   200   200   200   200   200   200   200   200"),
    row("complaints/handle/",                                "login 404   404   404   200   200   404   200   404   404   404   404"),
    row("complaints/<int:pk>/",                              "login 200   404   404   200   404   404   200   404   404   404   404", pk="complaint_a"),
    row("complaints/<int:pk>/",                              "login 200   404   404   404   404   404   200   404   404   404   404", label="about the leader of A", pk="complaint_about_leader_a"),
    row("complaints/<int:pk>/",                              "login 404   404   404   404   200   404   200   404   404   404   404", label="school B", pk="complaint_b"),
    # help: the user guides, public
    row("help/",                                             "200   200   200   200   200   200   200   200   200   200   200   200"),
    row("help/<slug:slug>/",                                 "200   200   200   200   200   200   200   200   200   200   200   200", slug="guide_slug"),
    row("help/<slug:slug>/",                                 "404   404   404   404   404   404   404   404   404   404   404   404", label="no such guide", slug="missing_slug"),
    # accessibility: the statement and reporting a barrier, public
    row("accessibility/",                                    "200   200   200   200   200   200   200   200   200   200   200   200"),
    row("accessibility/report/",                             "200   200   200   200   200   200   200   200   200   200   200   200"),
    row("accessibility/report/sent/",                        "200   200   200   200   200   200   200   200   200   200   200   200"),
    # The admin is one family: its index and import pages here, one changelist per model below
    row("admin/",                                            "login login login 403   403   403   403   403   200   403   403   403"),
    row("admin/accounts/school/<int:school_id>/import-pupils/", "login login login 403   403   403   403   403   200   403   403   403", school_id="school_a"),
    row("admin/accounts/school/import-staff/",               "login login login 403   403   403   403   403   200   403   403   403"),
]
# fmt: on
ADMIN_CHANGELIST = row("admin/", "login login login 403 403 403 403 403 200 403 403 403").expected


def admin_changelist_rows() -> list[Row]:
    return [
        Row(
            route=f"admin/{model._meta.app_label}/{model._meta.model_name}/",
            expected=ADMIN_CHANGELIST,
            label="changelist",
        )
        for model in admin.site._registry
    ]


# The routes the resolver knows --------------------------------------------------------------------


def _routes(patterns, prefix: str = ""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        else:
            assert isinstance(pattern, URLPattern)
            yield route.lstrip("^").replace("\\Z", "").replace("$", ""), pattern.name


def all_routes() -> list[tuple[str, str]]:
    return list(_routes(get_resolver().url_patterns))


def _row_template(route: str) -> str:
    params = "".join(f', {name}="<World attribute>"' for name in re.findall(r"<(?:\w+:)?(\w+)>", route))
    return f'row("{route}", "login 404 404 404 200 404 404 200 404 404 404 404"{params}),'


def test_every_url_pattern_has_a_row():
    covered = {entry.route for entry in ROWS}
    missing = [
        f"/{route} (name {name!r}), e.g.  {_row_template(route)}"
        for route, name in all_routes()
        if route not in covered and not route.startswith("admin/")
    ]
    assert not missing, (
        "These URL patterns have no row in ROWS of skow_portal/tests/test_access_matrix.py. Add a row per "
        "pattern with one answer (200 302 400 403 404 405 410 login) for each of "
        + " ".join(ROLES)
        + ":\n  "
        + "\n  ".join(missing)
    )


def test_every_row_names_a_real_pattern_and_answers_for_every_role():
    known = {route for route, _name in all_routes()}
    for entry in ROWS:
        assert entry.route in known, f"Row {entry.name} names no URL pattern the resolver knows (removed or renamed?)."
        assert len(entry.expected) == len(ROLES), (
            f"Row {entry.name} gives {len(entry.expected)} answers; it needs one per role: {', '.join(ROLES)}."
        )
        unknown = [answer for answer in entry.expected if answer not in ANSWERS.values()]
        assert not unknown, f"Row {entry.name}: {unknown} is no answer; use one of {' '.join(ANSWERS)}."


def _answer(response) -> int | str:
    if response.status_code in (301, 302):
        location = response["Location"]
        is_link_page = "/login/link/" in location or "/login/unlock/" in location
        return LOGIN if "/login/" in location and not is_link_page else 302
    return response.status_code


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_answer_the_table_states_for_every_url(client, world, role, logged_in):
    if role != "visitor":
        logged_in(world.users[role])
    column = ROLES.index(role)
    wrong = []
    for entry in ROWS + admin_changelist_rows():
        kwargs = {param: world.value(name) for param, name in entry.params.items()}
        url = "/" + entry.route
        for param, value in kwargs.items():
            url = _fill(url, param, value)
        response = getattr(client, entry.method)(url)
        if response.status_code == 302 and response["Location"].startswith(reverse("admin:login")):
            response = client.get(response["Location"])  # the admin's login: forbidden, or on to the portal's
        got = _answer(response)
        if got != entry.expected[column]:
            wrong.append(f"{entry.name} ({url}): expected {entry.expected[column]}, got {got}")
    assert not wrong, f"As {role}:\n  " + "\n  ".join(wrong)


def _fill(url: str, param: str, value) -> str:
    for converter in ("int:", "str:", "slug:", "path:", ""):
        url = url.replace(f"<{converter}{param}>", str(value))
    return url


@pytest.mark.parametrize("role", ["leader_a", "board", "admin"])
def test_without_the_second_factor_every_private_page_asks_for_it(client, world, role):
    """Password alone is not enough: each page a visitor is sent to log in for, and this role may
    open, sends a leader, the board or an admin to the TOTP step first."""
    from accounts.tests.factories import confirmed_totp

    confirmed_totp(world.users[role])  # an app is linked, but only the password was typed
    client.force_login(world.users[role])
    column = ROLES.index(role)
    wrong = []
    for entry in ROWS + admin_changelist_rows():
        if entry.expected[0] != LOGIN or entry.expected[column] != 200:
            continue
        url = "/" + entry.route
        for param, name in entry.params.items():
            url = _fill(url, param, world.value(name))
        response = getattr(client, entry.method)(url)
        if response.status_code == 302 and response["Location"].startswith(reverse("admin:login")):
            response = client.get(response["Location"])
        location = response.get("Location", "")
        if response.status_code != 302 or not ("/login/verify/" in location or "/two-factor/" in location):
            wrong.append(f"{entry.name} ({url}): {response.status_code} {response.get('Location', '')}")
    assert not wrong, f"As {role} without the second factor:\n  " + "\n  ".join(wrong)
