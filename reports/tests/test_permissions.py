"""Who reaches which case page and action: one table, role × page (issue 6).

Another school's case, a case about the school's leadership and a case whose access the board
withdrew all answer 404, never 403: whether the case exists is not revealed.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from reports.constants import CaseState
from reports.models import Evidence, TimelineEntry
from reports.services import case_access_withdraw
from reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

OK, DENIED, LOGIN = "ok", "404", "login"


def _pages(case, report, entry, evidence):
    """(name, method, url, data) for every page and action of a case."""
    pk = case.pk
    return {
        "list": ("get", reverse("reports:case_list"), None),
        "detail": ("get", reverse("reports:case_detail", args=[pk]), None),
        "status": ("post", reverse("reports:case_transition", args=[pk]), {"to_state": CaseState.INVESTIGATING}),
        "entry": ("post", reverse("reports:case_entry", args=[pk]), {"kind": "note", "summary": "Gebeld."}),
        "correct": ("post", reverse("reports:case_entry_correct", args=[pk, entry.pk]), {"summary": "Niet gebeld."}),
        "handler": ("post", reverse("reports:case_handler", args=[pk]), {"handler": ""}),
        "merge": ("post", reverse("reports:case_merge", args=[pk]), {"other": "x"}),
        "message": ("post", reverse("reports:case_message", args=[pk, report.pk]), {"body": "Dank u."}),
        "evidence": ("get", reverse("reports:evidence", args=[pk, evidence.pk]), None),
        "access": ("post", reverse("reports:case_access", args=[pk]), {"user": "", "reason": ""}),
        "legal_hold": ("post", reverse("reports:case_legal_hold", args=[pk]), {"hold": "1"}),
        "statistics": ("get", reverse("reports:statistics"), None),
        "statistics_csv": ("get", reverse("reports:statistics_csv"), None),
    }


CASE_PAGES = ["detail", "status", "entry", "correct", "handler", "merge", "message", "evidence"]
BOARD_ONLY = ["access", "legal_hold", "statistics", "statistics_csv"]
ALL = ["list", *CASE_PAGES, *BOARD_ONLY]

# who -> which case -> expected per page
TABLE = {
    ("visitor", "own"): dict.fromkeys(ALL, LOGIN),
    ("parent", "own"): dict.fromkeys(ALL, DENIED),
    ("teacher", "own"): dict.fromkeys(ALL, DENIED),
    ("leader", "own"): {"list": OK, **dict.fromkeys(CASE_PAGES, OK), **dict.fromkeys(BOARD_ONLY, DENIED)},
    ("leader", "about_leadership"): {
        "list": OK,
        **dict.fromkeys(CASE_PAGES, DENIED),
        **dict.fromkeys(BOARD_ONLY, DENIED),
    },
    ("leader", "other_school"): {"list": OK, **dict.fromkeys(CASE_PAGES, DENIED), **dict.fromkeys(BOARD_ONLY, DENIED)},
    ("leader", "withdrawn"): {"list": OK, **dict.fromkeys(CASE_PAGES, DENIED), **dict.fromkeys(BOARD_ONLY, DENIED)},
    ("board", "own"): dict.fromkeys(ALL, OK),
    ("board", "about_leadership"): dict.fromkeys(ALL, OK),
    ("board", "other_school"): dict.fromkeys(ALL, OK),
}


def _user(who, request):
    return {
        "visitor": lambda: None,
        "parent": lambda: request.getfixturevalue("parent"),
        "teacher": lambda: request.getfixturevalue("teacher"),
        "leader": lambda: request.getfixturevalue("school_leader"),
        "board": lambda: request.getfixturevalue("board_member"),
    }[who]()


def _case(which, school, other_school, board_member, leader):
    if which == "about_leadership":
        return ReportFactory(school=school, about_leadership=True)
    if which == "other_school":
        return ReportFactory(school=other_school)
    report = ReportFactory(school=school)
    if which == "withdrawn":
        case_access_withdraw(case=report.case, user=leader, by=board_member, reason="Familie van de betrokkene.")
    return report


def _outcome(response) -> str:
    if response.status_code == 404:
        return DENIED
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return LOGIN
    assert response.status_code in (200, 302, 400), response.status_code
    return OK


@pytest.mark.parametrize(("who", "which"), list(TABLE))
def test_permission_table(
    client, request, settings, tmp_path, school, other_school, board_member, school_leader, who, which, logged_in
):
    settings.EVIDENCE_ROOT = str(tmp_path)
    (tmp_path / "chat-file").write_text("chat")
    report = _case(which, school, other_school, board_member, school_leader)
    entry = TimelineEntry.objects.create(case=report.case, kind="note", author=board_member, summary="Notitie")
    evidence = Evidence.objects.create(
        report=report,
        kind="text",
        file_name="melding-test-1.txt",
        stored_name="chat-file",
        content_type="text/plain",
        size=1,
        sha256="0" * 64,
    )
    user = _user(who, request)
    if user is not None:
        logged_in(user)
    expected = TABLE[(who, which)]
    actual = {}
    for name, (method, url, data) in _pages(report.case, report, entry, evidence).items():
        response = getattr(client, method)(url, data or {})
        actual[name] = _outcome(response)
    assert actual == expected


def test_a_leader_whose_access_was_withdrawn_no_longer_sees_it_in_the_list(
    school, school_leader, board_member, logged_in
):
    kept, withdrawn = ReportFactory(school=school), ReportFactory(school=school)
    case_access_withdraw(case=withdrawn.case, user=school_leader, by=board_member, reason="Belangenverstrengeling.")
    page = logged_in(school_leader).get(reverse("reports:case_list")).content.decode()
    assert kept.case.number in page and withdrawn.case.number not in page


def test_only_the_board_withdraws_access(school, school_leader, logged_in):
    other_leader = UserFactory(roles=[("school_leader", school)])
    report = ReportFactory(school=school)
    response = logged_in(school_leader).post(
        reverse("reports:case_access", args=[report.case.pk]), {"user": other_leader.pk, "reason": "x"}
    )
    assert response.status_code == 404
    assert not report.case.access_withdrawals.exists()
