"""What only the board does with a case file (reports/access.py, may_oversee_cases), as a table."""

from __future__ import annotations

import pytest

from accounts.tests.factories import UserFactory
from common.refusals import ActionRefused
from reports import access, services
from reports.models import CaseAccessWithdrawal
from reports.tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def withdraw(case, by, leader):
    services.case_access_withdraw(case=case, user=leader, by=by, reason="Familie van de melder.")


def restore(case, by, leader):
    CaseAccessWithdrawal.objects.get_or_create(case=case, user=leader, defaults={"withdrawn_by": by, "reason": "x"})
    services.case_access_restore(case=case, user=leader, by=by)


def legal_hold(case, by, leader):
    services.case_legal_hold_set(case=case, is_on_legal_hold=True, by=by, reason="Aangifte loopt.")


# (action, who tries it, the refusal's words or None: allowed)
ONLY_THE_BOARD = [
    (withdraw, "board", None),
    (withdraw, "leader", "Alleen het bestuur kan toegang intrekken"),
    (restore, "board", None),
    (restore, "leader", "Alleen het bestuur kan toegang teruggeven"),
    (legal_hold, "board", None),
    (legal_hold, "leader", "Alleen het bestuur kan een bewaarplicht"),
    (legal_hold, "teacher", "Alleen het bestuur kan een bewaarplicht"),
]


@pytest.mark.parametrize(("action", "who", "refusal"), ONLY_THE_BOARD, ids=lambda v: getattr(v, "__name__", str(v)))
def test_only_the_board_oversees_a_case_file(school, school_leader, board_member, teacher, action, who, refusal):
    case = CaseFactory(school=school)
    co_leader = UserFactory(roles=[("school_leader", school)])
    person = {"board": board_member, "leader": school_leader, "teacher": teacher}[who]
    assert access.may_oversee_cases(user=person) is (refusal is None)
    if refusal is None:
        action(case, person, co_leader)
    else:
        with pytest.raises(ActionRefused, match=refusal):
            action(case, person, co_leader)


def test_a_board_members_access_is_never_withdrawn_per_case(school, board_member):
    other = UserFactory(roles=[("board", None)])
    with pytest.raises(ActionRefused, match="bestuurslid"):
        withdraw(CaseFactory(school=school), board_member, other)
