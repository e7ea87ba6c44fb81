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
