"""Demo data of consent: a version 2 of the consent form that asks one medium more (a school podcast),
published by the demo board member, so a school leader in `make run` finds a new round waiting on the
campaigns page ("Nieuwe ronde"; protocol A.5). Idempotent."""

from __future__ import annotations

from django.db import transaction

from accounts.demo import DemoLogin
from accounts.models import User

from .models import ConsentForm
from .selectors import consent_form_current
from .services import consent_form_publish

DEMO_BOARD_MEMBER = "bestuur@demo.skow.nl"
NEW_MEDIUM = {"code": "podcast", "label": "Podcast van de school"}


@transaction.atomic
def seed() -> list[DemoLogin]:
    board_member = User.objects.filter(email=DEMO_BOARD_MEMBER).first()
    current = consent_form_current()
    if (
        board_member is None
        or current is None
        or current.version != 1
        or ConsentForm.objects.filter(version=2).exists()
    ):
        return []
    form = ConsentForm.objects.create(
        version=2,
        title=current.title,
        introduction=current.introduction,
        exemptions=current.exemptions,
        purposes=current.purposes,
        media=[*current.media, NEW_MEDIUM],
    )
    consent_form_publish(form=form, by=board_member)
    return []
