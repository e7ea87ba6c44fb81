"""SECURITY.md, "Who can read what": each statement there is held by a test here.

``STATEMENTS`` maps every line of that section, word for word, to the test that holds it. A line
without a test fails (``test_every_statement_has_a_test``), and so does a test whose line was
changed or removed: a statement changes together with its test.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse

from accounts.tests.factories import GuardianshipFactory, PupilFactory, SchoolFactory, UserFactory, confirmed_totp

pytestmark = pytest.mark.django_db

SECURITY_MD = Path(settings.BASE_DIR) / "SECURITY.md"
SECTION = "## Who can read what"


def security_statements() -> list[str]:
    """The section's bullet lines, in order."""
    text = SECURITY_MD.read_text(encoding="utf-8")
    section = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    return [line[2:].strip() for line in section.splitlines() if line.startswith("- ")]


def _case_page(client, case):
    return client.get(reverse("reports:case_detail", args=[case.pk]))


@pytest.fixture
def case_of_school(school):
    from reports.tests.factories import ReportFactory

    return ReportFactory(school=school).case


# The statements' tests ------------------------------------------------------------------------------


def case_file_read_by_its_schools_leadership_and_the_board(logged_in, school, case_of_school, board_member):
    leader = UserFactory(email="leider@example.nl", roles=[("school_leader", school)])
    other_leader = UserFactory(email="andere-leider@example.nl", roles=[("school_leader", SchoolFactory())])
    assert _case_page(logged_in(leader), case_of_school).status_code == 200
    assert _case_page(logged_in(board_member), case_of_school).status_code == 200
    assert _case_page(logged_in(other_leader), case_of_school).status_code == 404


def case_about_leadership_read_by_the_board_only(logged_in, school, board_member):
    from reports.tests.factories import ReportFactory

    case = ReportFactory(school=school, about_leadership=True).case
    leader = UserFactory(email="leider@example.nl", roles=[("school_leader", school)])
    assert _case_page(logged_in(leader), case).status_code == 404
    assert _case_page(logged_in(board_member), case).status_code == 200


def others_read_no_case_file(logged_in, school, case_of_school, council_secretary):
    teacher = UserFactory(email="leraar@example.nl", roles=[("staff", school)])
    parent = UserFactory(email="ouder@example.nl", password="")
    GuardianshipFactory(guardian=parent, pupil=PupilFactory(school=school))
    pupil_user = UserFactory(email="leerling@example.nl", password="")
    PupilFactory(school=school, sixteen_plus=True, user=pupil_user)
    for person in (teacher, parent, pupil_user, council_secretary):
        assert _case_page(logged_in(person), case_of_school).status_code in (404, 302), person


def functional_admin_reads_no_case_file(logged_in, functional_admin, case_of_school):
    case_apps = {"reports", "sanctions"}
    assert not [model for model in admin.site._registry if model._meta.app_label in case_apps]
    client = logged_in(functional_admin)
    assert _case_page(client, case_of_school).status_code == 404
    assert client.get(reverse("reports:case_list")).status_code == 404


def every_opening_is_kept(logged_in, board_member, case_of_school):
    from reports.models import CaseView

    _case_page(logged_in(board_member), case_of_school)
    assert list(CaseView.objects.filter(case=case_of_school).values_list("viewer", flat=True)) == [board_member.pk]


def only_hashes_of_codes_and_link_tokens(parent, mailoutbox, django_capture_on_commit_callbacks):
    from accounts.models import LoginLink
    from accounts.services import login_link_request
    from reports.models import Report
    from reports.tests.factories import ReportFactory

    report = ReportFactory(code="GEHEIM-CODE-1234-5678")
    stored = " ".join(str(value) for value in Report.objects.filter(pk=report.pk).values().get().values())
    assert "GEHEIM-CODE-1234-5678" not in stored

    with django_capture_on_commit_callbacks(execute=True):
        login_link_request(email=parent.email)
    token = re.search(r"/accounts/login/link/([^/\s]+)/", mailoutbox[-1].body).group(1)
    link = LoginLink.objects.get(user=parent)
    assert token not in " ".join(str(value) for value in LoginLink.objects.filter(pk=link.pk).values().get().values())


def nobody_reads_a_totp_secret(logged_in, client, functional_admin, teacher):
    device = confirmed_totp(teacher)
    admin_client = logged_in(functional_admin)
    pages = [
        reverse("admin:otp_totp_totpdevice_changelist"),
        reverse("admin:otp_totp_totpdevice_change", args=[device.pk]),
        reverse("admin:accounts_user_change", args=[teacher.pk]),
    ]
    for page in pages:
        assert device.key not in admin_client.get(page).content.decode(), page
    assert admin_client.get(reverse("admin:otp_totp_totpdevice_add")).status_code == 403
    # Nor the person's own pages after enrolment: the setup page shows a new secret, never the linked one.
    own = logged_in(teacher).get(reverse("accounts:totp_setup")).content.decode()
    assert device.key not in own


def nobody_sets_another_persons_password(logged_in, functional_admin, board_member):
    client = logged_in(functional_admin)
    assert client.get(reverse("admin:auth_user_password_change", args=[board_member.pk])).status_code == 404
    assert "email" in admin.site._registry[type(board_member)].get_readonly_fields(None, board_member)


def two_people_change_a_guarded_role(functional_admin, board_member, teacher):
    from accounts.services import role_request_decide, role_request_file
    from common.refusals import ActionRefused

    second = UserFactory(email="voorzitter@example.nl", roles=[("board", None)])
    role_request = role_request_file(user=board_member, role="functional_admin", change="grant", by=second)
    for decider in (second, board_member, functional_admin):  # the requester, the person, not the board
        with pytest.raises(ActionRefused):
            role_request_decide(role_request_id=role_request.pk, approve=True, by=decider)
    assert not board_member.role_assignments.filter(role="functional_admin").exists()
    third = UserFactory(email="penningmeester@example.nl", roles=[("board", None)])
    role_request_decide(role_request_id=role_request.pk, approve=True, by=third)
    assert board_member.role_assignments.filter(role="functional_admin").exists()


def back_office_cannot_give_itself_a_role(logged_in, functional_admin, school, tmp_path):
    from accounts.models import RoleAssignment, RoleRequest

    client = logged_in(functional_admin)
    response = client.post(
        reverse("admin:accounts_roleassignment_add"), {"user": functional_admin.pk, "role": "board", "school": ""}
    )
    assert response.status_code == 200  # the form again, refused
    csv = tmp_path / "medewerkers.csv"
    csv.write_text(f"naam;e-mail;functie;school\nBeheer Zelf;{functional_admin.email};directeur;{school.brin}\n")
    call_command("import_staff", str(csv), "--no-invite", stdout=io.StringIO())
    assert set(functional_admin.role_assignments.values_list("role", flat=True)) == {"functional_admin", "staff"}
    assert RoleRequest.objects.get().state == "pending"
    # Single sign-on and every other module: only the role request's approval writes a guarded role.
    writers = {
        str(path.relative_to(settings.BASE_DIR))
        for path in Path(settings.BASE_DIR).glob("*/**/*.py")
        if ".venv" not in path.parts
        and "tests" not in path.parts
        and re.search(
            r"RoleAssignment\.objects\.(create|update_or_create|get_or_create|bulk_create)|role_assignments\.create",
            path.read_text(),
        )
    }
    # accounts/demo.py: the demo seed, refused unless DEBUG (seed_demo); tools/bench.py: the benchmark's
    # own throw-away database.
    assert writers == {"accounts/services.py", "accounts/imports.py", "accounts/demo.py", "tools/bench.py"}
    assert RoleAssignment.objects.filter(user=functional_admin, role="school_leader").count() == 0


def role_changes_kept_and_mailed_to_the_board(
    functional_admin, board_member, teacher, mailoutbox, django_capture_on_commit_callbacks
):
    from accounts.models import RoleRequest
    from accounts.services import role_request_decide, role_request_file

    second = UserFactory(email="voorzitter@example.nl", roles=[("board", None)])
    with django_capture_on_commit_callbacks(execute=True):
        role_request = role_request_file(user=teacher, role="board", change="grant", by=functional_admin)
        role_request_decide(role_request_id=role_request.pk, approve=False, by=second)
    assert RoleRequest.objects.filter(pk=role_request.pk, state="rejected", decided_by=second).exists()
    assert {m.to[0] for m in mailoutbox} == {board_member.email, second.email}
    for mail in mailoutbox:
        assert str(teacher) in mail.body and "Bestuur" in mail.body
    assert not admin.site._registry[RoleRequest].has_delete_permission(None, role_request)  # kept


STATEMENTS = {
    "A case file (its reports, messages with the reporter, evidence, timeline, measures and escalations) is read only in the portal, by the leadership of the case's school and by the board.": case_file_read_by_its_schools_leadership_and_the_board,  # noqa: E501
    "A case about a school's leadership is read by the board only, not by that school's leaders.": case_about_leadership_read_by_the_board_only,  # noqa: E501
    "Staff members, parents, pupils and the (G)MR secretary read no case file.": others_read_no_case_file,
    "The functional admin reads no case file: the back office registers no model of reports or sanctions, and the portal's case pages answer 404 to the functional admin.": functional_admin_reads_no_case_file,  # noqa: E501
    "Every opening of a case file is kept on its timeline: who, and when.": every_opening_is_kept,
    "Nobody reads a receipt code or a login-link token: the database keeps only their hashes.": only_hashes_of_codes_and_link_tokens,  # noqa: E501
    "Nobody reads a TOTP secret after enrolment: no page of the portal or of the back office shows a device's key.": nobody_reads_a_totp_secret,  # noqa: E501
    "Nobody sets another person's password: the back office only sends a link to choose one, to the account's own address, which it cannot change for a leader, board member or functional admin.": nobody_sets_another_persons_password,  # noqa: E501
    "A leader, board or functional-admin role is given or taken away only when a board member approves the request in the portal, who is neither the one who asked nor the person it is about.": two_people_change_a_guarded_role,  # noqa: E501
    "The back office cannot give itself these roles: Django's admin shows them read-only, the staff import only files a request, and single sign-on never gives a role.": back_office_cannot_give_itself_a_role,  # noqa: E501
    "Every role request and every decision is kept and e-mailed to the board, with names and the role only.": role_changes_kept_and_mailed_to_the_board,  # noqa: E501
}


def test_every_statement_has_a_test():
    lines = security_statements()
    assert lines, f"SECURITY.md has no '{SECTION}' section with statements"
    assert [line for line in lines if line not in STATEMENTS] == [], "a statement without a test"
    assert [line for line in STATEMENTS if line not in lines] == [], "a test whose statement is gone or reworded"


@pytest.mark.parametrize("statement", list(STATEMENTS), ids=[held.__name__ for held in STATEMENTS.values()])
def test_the_statement_holds(statement, request):
    held = STATEMENTS[statement]
    names = held.__code__.co_varnames[: held.__code__.co_argcount]
    held(**{name: request.getfixturevalue(name) for name in names})
