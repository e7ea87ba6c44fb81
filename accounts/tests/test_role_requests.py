"""The back office cannot make itself the board: leader, board and functional-admin roles change only
through a role request that a board member other than the requester and the person concerned approves
in the portal; every request and decision is kept and mailed to the board."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import RoleAssignment, RoleRequest
from accounts.services import role_request_decide, role_request_file
from accounts.tests.factories import UserFactory
from common.refusals import ActionRefused

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_board_member(db):
    return UserFactory(email="voorzitter@example.nl", first_name="Els", last_name="Visser", roles=[("board", None)])


def test_a_request_changes_nothing_until_another_board_member_approves_and_the_board_is_mailed(
    functional_admin, board_member, second_board_member, teacher, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        role_request = role_request_file(user=teacher, role="board", change="grant", by=functional_admin)
    assert not teacher.role_assignments.filter(role="board").exists()
    assert sorted(m.to[0] for m in mailoutbox) == ["bestuur@example.nl", "voorzitter@example.nl"]
    assert mailoutbox[0].subject == "Rolwijziging wacht op het bestuur"
    assert f"vraagt om {teacher} de rol Bestuur te geven" in mailoutbox[0].body
    assert f"/accounts/roles/#aanvraag-{role_request.pk}" in mailoutbox[0].body

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        role_request_decide(role_request_id=role_request.pk, approve=True, by=board_member)
    assert teacher.role_assignments.filter(role="board", school=None).exists()
    role_request.refresh_from_db()
    assert (role_request.state, role_request.decided_by) == ("approved", board_member)
    # The board as it was, and the new member.
    assert sorted(m.to[0] for m in mailoutbox) == ["bestuur@example.nl", teacher.email, "voorzitter@example.nl"]
    assert mailoutbox[0].subject == "Rolwijziging goedgekeurd"
    assert f"goedgekeurd door {board_member}" in mailoutbox[0].body


def test_the_requester_never_approves_their_own_request(board_member, second_board_member, teacher):
    role_request = role_request_file(user=teacher, role="board", change="grant", by=board_member)
    with pytest.raises(ActionRefused, match="zelf gedaan"):
        role_request_decide(role_request_id=role_request.pk, approve=True, by=board_member)
    role_request_decide(role_request_id=role_request.pk, approve=True, by=second_board_member)
    assert teacher.role_assignments.filter(role="board").exists()


def test_the_person_concerned_never_approves_a_request_about_themselves(
    functional_admin, board_member, second_board_member
):
    role_request = role_request_file(user=board_member, role="functional_admin", change="grant", by=functional_admin)
    with pytest.raises(ActionRefused, match="gaat over u"):
        role_request_decide(role_request_id=role_request.pk, approve=True, by=board_member)
    assert not board_member.role_assignments.filter(role="functional_admin").exists()
    role_request_decide(role_request_id=role_request.pk, approve=True, by=second_board_member)
    board_member.refresh_from_db()
    # Back-office access comes with the role.
    assert board_member.role_assignments.filter(role="functional_admin").exists()
    assert board_member.is_staff and board_member.is_superuser


def test_only_a_board_member_decides_and_only_once(functional_admin, board_member, second_board_member, teacher):
    role_request = role_request_file(
        user=teacher,
        role="school_leader",
        change="grant",
        school=teacher.role_assignments.get().school,
        by=functional_admin,
    )
    with pytest.raises(ActionRefused, match="Alleen een lid van het bestuur"):
        role_request_decide(role_request_id=role_request.pk, approve=True, by=functional_admin)
    role_request_decide(role_request_id=role_request.pk, approve=False, by=board_member)
    with pytest.raises(ActionRefused, match="al besloten"):
        role_request_decide(role_request_id=role_request.pk, approve=True, by=second_board_member)
    assert not teacher.role_assignments.filter(role="school_leader").exists()
    assert RoleRequest.objects.get().state == "rejected"


def test_removing_a_role_also_needs_approval(functional_admin, board_member, second_board_member):
    role_request = role_request_file(user=functional_admin, role="functional_admin", change="remove", by=board_member)
    assert functional_admin.role_assignments.filter(role="functional_admin").exists()
    role_request_decide(role_request_id=role_request.pk, approve=True, by=second_board_member)
    functional_admin.refresh_from_db()
    assert not functional_admin.role_assignments.filter(role="functional_admin").exists()
    assert not (functional_admin.is_staff or functional_admin.is_superuser)


def test_requests_that_make_no_sense_are_refused_in_dutch(functional_admin, board_member, teacher, school):
    with pytest.raises(ActionRefused, match="heeft deze rol al"):
        role_request_file(user=board_member, role="board", change="grant", by=functional_admin)
    with pytest.raises(ActionRefused, match="heeft deze rol niet"):
        role_request_file(user=teacher, role="board", change="remove", by=functional_admin)
    with pytest.raises(ActionRefused, match="Kies de school"):
        role_request_file(user=teacher, role="school_leader", change="grant", by=functional_admin)
    with pytest.raises(ActionRefused, match="geen aanvraag nodig"):
        role_request_file(user=teacher, role="staff", change="grant", school=school, by=functional_admin)
    with pytest.raises(ActionRefused, match="Alleen de functioneel beheerder en het bestuur"):
        role_request_file(user=teacher, role="board", change="grant", by=teacher)
    role_request_file(user=teacher, role="board", change="grant", by=functional_admin)
    with pytest.raises(ActionRefused, match="wacht al een aanvraag"):
        role_request_file(user=teacher, role="board", change="grant", by=board_member)


def test_the_database_refuses_a_decision_by_the_person_concerned_or_the_requester(functional_admin, teacher):
    role_request = RoleRequest.objects.create(user=teacher, role="board", change="grant", requested_by=functional_admin)
    for decider in (teacher, functional_admin):
        with pytest.raises(IntegrityError), transaction.atomic():
            RoleRequest.objects.filter(pk=role_request.pk).update(
                state="approved", decided_by=decider, decided_at=timezone.now()
            )


# The page ------------------------------------------------------------------------------------------


def test_the_page_offers_the_buttons_only_to_a_board_member_who_may_decide(
    logged_in, functional_admin, board_member, second_board_member, teacher
):
    role_request = role_request_file(user=teacher, role="board", change="grant", by=board_member)
    decide = reverse("accounts:role_request_decide", args=[role_request.pk])

    html = logged_in(second_board_member).get(reverse("accounts:roles")).content.decode()
    assert decide in html and "Goedkeuren" in html

    html = logged_in(board_member).get(reverse("accounts:roles")).content.decode()
    assert decide not in html and "U heeft deze aanvraag zelf gedaan" in html

    html = logged_in(functional_admin).get(reverse("accounts:roles")).content.decode()
    assert decide not in html and "Alleen een lid van het bestuur keurt" in html

    response = logged_in(board_member).post(decide, {"decision": "approve"}, follow=True)
    assert "U heeft deze aanvraag zelf gedaan" in response.content.decode()
    assert not teacher.role_assignments.filter(role="board").exists()

    response = logged_in(second_board_member).post(decide, {"decision": "approve"}, follow=True)
    assert "Goedgekeurd: de rol is gewijzigd" in response.content.decode()
    assert teacher.role_assignments.filter(role="board").exists()


def test_a_request_with_an_unknown_address_keeps_what_was_typed(logged_in, functional_admin):
    response = logged_in(functional_admin).post(
        reverse("accounts:role_request_new"),
        {"email": "niemand@example.nl", "change": "grant", "role": "board", "reason": "nieuwe bestuurder"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Er is geen account met dit e-mailadres" in html
    assert 'value="niemand@example.nl"' in html and "nieuwe bestuurder" in html
    assert not RoleRequest.objects.exists()


def test_filing_from_the_page(logged_in, functional_admin, school, teacher):
    response = logged_in(functional_admin).post(
        reverse("accounts:role_request_new"),
        {"email": teacher.email.upper(), "change": "grant", "role": "school_leader", "school": school.pk},
    )
    role_request = RoleRequest.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"#aanvraag-{role_request.pk}")
    assert (role_request.user, role_request.school, role_request.requested_by) == (teacher, school, functional_admin)

    response = logged_in(functional_admin).post(
        reverse("accounts:role_request_new"), {"email": teacher.email, "change": "grant", "role": "school_leader"}
    )
    assert response.status_code == 400 and "Kies de school" in response.content.decode()


@pytest.mark.parametrize("size", [2, 12])
def test_the_page_takes_the_same_queries_at_any_size(
    size, logged_in, client, board_member, functional_admin, django_assert_num_queries
):
    for n in range(size):
        person = UserFactory(email=f"persoon-rol-{n}@example.nl")
        pending = role_request_file(user=person, role="board", change="grant", by=functional_admin)
        RoleAssignment.objects.create(user=person, role="functional_admin")
        decided = role_request_file(user=person, role="functional_admin", change="remove", by=functional_admin)
        role_request_decide(role_request_id=decided.pk, approve=False, by=board_member)
    assert pending
    logged_in(board_member)
    client.get(reverse("accounts:roles"))  # warm: the session and the second factor
    with django_assert_num_queries(10):
        assert client.get(reverse("accounts:roles")).status_code == 200


def test_the_first_board_member_is_made_from_the_shell_once(teacher, functional_admin):
    from io import StringIO

    from django.core.management import CommandError, call_command

    call_command("role_first_board_member", teacher.email.upper(), stdout=StringIO())
    assert teacher.role_assignments.filter(role="board").exists()
    with pytest.raises(CommandError, match="Er is al een lid van het bestuur"):
        call_command("role_first_board_member", functional_admin.email, stdout=StringIO())
    assert not functional_admin.role_assignments.filter(role="board").exists()
