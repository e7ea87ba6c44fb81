import io

import pytest
from django.core.management import call_command

from policy.constants import VersionStatus
from policy.demo import DEMO_NOTE
from policy.models import Acknowledgement, ProtocolVersion

pytestmark = pytest.mark.django_db


def test_demo_has_a_draft_with_the_council_and_is_idempotent():
    call_command("seed_demo", "--force", stdout=io.StringIO())
    call_command("seed_demo", "--force", stdout=io.StringIO())
    draft = ProtocolVersion.objects.get(change_note=DEMO_NOTE)
    assert draft.status == VersionStatus.SUBMITTED
    assert "leerlingen en ouders van de klas" in draft.body
    assert Acknowledgement.objects.filter(staff_member__email="directeur.jozef@demo.skow.nl").count() == 1
