"""A pupil's consent decisions form a hash chain (common/hashchain.py): a decision changed or
removed in SQL, outside the portal, shows in `manage.py chain_verify`."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from accounts.tests.factories import GuardianshipFactory, PupilFactory, UserFactory
from consent.constants import Method
from consent.models import ConsentChainHead, ConsentDecision
from consent.selectors import consent_history_checks
from consent.services import consent_decide
from consent.tests.factories import all_yes, current_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def decisions(school):
    pupil = PupilFactory(school=school)
    guardian = GuardianshipFactory(pupil=pupil, guardian=UserFactory(password="")).guardian
    form = current_form()
    made = [
        consent_decide(decided_by=guardian, form=form, answers=answers, method=Method.LOGGED_IN, pupil=pupil)
        for answers in (all_yes(form), {}, all_yes(form))
    ]
    return pupil, made


def sql(statement: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_decisions_made_in_the_portal_form_an_intact_chain_per_pupil(decisions):
    pupil, made = decisions
    head = ConsentChainHead.objects.get(pupil=pupil)
    assert head.seq == 3 and [d.chain_seq for d in made] == [1, 2, 3]
    assert [check.is_intact for check in consent_history_checks()] == [True]


def test_a_withdrawal_turned_into_a_yes_in_sql_is_named(decisions, capsys):
    pupil, made = decisions
    sql("UPDATE consent_consentdecision SET answers = %s WHERE id = %s", ['{"website": {"photo": true}}', made[1].pk])
    with pytest.raises(CommandError):
        call_command("chain_verify")
    out = capsys.readouterr().out
    assert f"Toestemmingen pupil:{pupil.pk}:" in out
    assert f"Toestemmingsbesluit nummer {made[1].pk} (plaats 2 in de keten) is buiten het portaal gewijzigd." in out


def test_the_newest_decision_deleted_in_sql_is_missed(decisions):
    _pupil, made = decisions
    sql("DELETE FROM consent_consentdecision WHERE id = %s", [made[2].pk])
    assert not ConsentDecision.objects.filter(pk=made[2].pk).exists()
    (check,) = consent_history_checks()
    assert check.problems == ["De laatste regel van de keten (plaats 3) ontbreekt: buiten het portaal verwijderd."]
