"""Test data of the complaints track, made through the services."""

from __future__ import annotations

import datetime

from django.utils import timezone

from complaints import services
from complaints.models import Complaint


def complaint(*, complainant, school, days_ago: int = 10, **kwargs) -> Complaint:
    return services.complaint_file(
        complainant=complainant,
        school=school,
        subject=kwargs.pop("subject", "Gesprek over de overgang"),
        description=kwargs.pop("description", "De school heeft ons niet op tijd ingelicht."),
        event_on=timezone.localdate() - datetime.timedelta(days=days_ago),
        **kwargs,
    )
