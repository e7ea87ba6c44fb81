import io

import pytest
from django.core.management import call_command

from sanctions.constants import MeasureKind, MeasureStatus
from sanctions.models import Measure, SafetyEvaluation, SeriousIncident

pytestmark = pytest.mark.django_db


def test_demo_leaves_a_suspension_for_the_board_to_approve_and_is_idempotent():
    call_command("seed_demo", "--force", stdout=io.StringIO())
    call_command("seed_demo", "--force", stdout=io.StringIO())
    assert dict(Measure.objects.values_list("kind", "status")) == {
        MeasureKind.CONVERSATION: MeasureStatus.IN_EFFECT,
        MeasureKind.SUSPENSION: MeasureStatus.PROPOSED,
    }


def test_demo_records_this_years_evaluatie_and_flags_an_ernstig_incident_only_when_switched_on(settings):
    call_command("seed_demo", "--force", stdout=io.StringIO())
    assert SafetyEvaluation.objects.count() == 1
    assert not SeriousIncident.objects.exists()
    settings.SERIOUS_INCIDENT_TASKS = True
    call_command("seed_demo", "--force", stdout=io.StringIO())
    call_command("seed_demo", "--force", stdout=io.StringIO())
    assert SafetyEvaluation.objects.count() == 1
    assert SeriousIncident.objects.get().kinds == ["gross_bullying"]


def test_demo_leaves_one_meldcode_signal_for_the_aandachtsfunctionaris():
    from accounts.models import User
    from sanctions.access import meldcodes_handled_by
    from sanctions.models import Escalation

    call_command("seed_demo", "--force", stdout=io.StringIO())
    call_command("seed_demo", "--force", stdout=io.StringIO())
    signal = Escalation.objects.get(case__isnull=True)
    officer = User.objects.get(email="aandachtsfunctionaris@demo.skow.nl")
    assert meldcodes_handled_by(user=officer).filter(pk=signal.pk).exists()
