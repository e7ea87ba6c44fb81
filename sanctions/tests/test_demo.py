import io

import pytest
from django.core.management import call_command

from sanctions.constants import MeasureKind, MeasureStatus
from sanctions.models import Measure

pytestmark = pytest.mark.django_db


def test_demo_leaves_a_suspension_for_the_board_to_approve_and_is_idempotent():
    call_command("seed_demo", "--force", stdout=io.StringIO())
    call_command("seed_demo", "--force", stdout=io.StringIO())
    assert dict(Measure.objects.values_list("kind", "status")) == {
        MeasureKind.CONVERSATION: MeasureStatus.IN_EFFECT,
        MeasureKind.SUSPENSION: MeasureStatus.PROPOSED,
    }


def test_demo_leaves_one_meldcode_signal_for_the_aandachtsfunctionaris():
    from accounts.models import User
    from sanctions.access import meldcodes_handled_by
    from sanctions.models import Escalation

    call_command("seed_demo", "--force", stdout=io.StringIO())
    call_command("seed_demo", "--force", stdout=io.StringIO())
    signal = Escalation.objects.get(case__isnull=True)
    officer = User.objects.get(email="aandachtsfunctionaris@demo.skow.nl")
    assert meldcodes_handled_by(user=officer).filter(pk=signal.pk).exists()
