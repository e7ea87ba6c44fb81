"""Demo data of retention: a pupil who left (as an import would have recorded), so Beheer ›
Bewaartermijnen forecasts something, and last night's run in the deletion log. Idempotent."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import Pupil

from .kinds import PUPIL_KIND
from .models import DeletionLog

LEFT_PUPIL_NUMBER = "D-9001"


@transaction.atomic
def seed() -> list:
    school_pupil = Pupil.objects.order_by("pk").first()
    if school_pupil is None:
        return []
    Pupil.objects.update_or_create(
        school=school_pupil.school,
        student_number=LEFT_PUPIL_NUMBER,
        defaults={
            "first_name": "Tim",
            "infix": "",
            "last_name": "Vertrokken",
            "date_of_birth": timezone.localdate() - datetime.timedelta(days=13 * 365),
            # Left 350 days ago: under the default term of a year, the pupil goes within a month.
            "left_on": timezone.localdate() - datetime.timedelta(days=350),
            "group": None,
        },
    )
    if not DeletionLog.objects.exists():
        DeletionLog.objects.create(
            kind=PUPIL_KIND, count=2, days=365, ran_at=timezone.now() - datetime.timedelta(hours=20)
        )
    return []
