from __future__ import annotations

import factory
from django.utils import timezone

from accounts.tests.factories import UserFactory
from reports.tests.factories import CaseFactory
from sanctions.constants import MeasureKind, MeasureStatus, SubjectKind
from sanctions.models import Measure


class MeasureFactory(factory.django.DjangoModelFactory):
    """A warning to a staff member, in effect; ``MeasureFactory(proposed=True)`` a suspension awaiting the board."""

    class Meta:
        model = Measure

    case = factory.SubFactory(CaseFactory)
    subject_kind = SubjectKind.STAFF
    staff_member = factory.SubFactory(UserFactory)
    kind = MeasureKind.WARNING
    reason = "Reageerde in de ouder-Facebookgroep scheldend op ouders (B.5)."
    decided_on = factory.LazyFunction(timezone.localdate)
    status = MeasureStatus.IN_EFFECT
    proposed_by = factory.SubFactory(UserFactory)

    class Params:
        proposed = factory.Trait(kind=MeasureKind.SUSPENSION, status=MeasureStatus.PROPOSED)
