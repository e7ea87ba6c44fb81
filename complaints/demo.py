"""Demo data of the complaints track: a parent's complaint whose committee advice came in, so the
board sees the four weeks running, and one resolved almost two years ago, which the retention term
takes within the month. Idempotent: a second run adds nothing."""

from __future__ import annotations

import datetime

from django.utils import timezone

from accounts.models import School, User

from . import services
from .constants import Step
from .models import Complaint

DEMO_SUBJECT = "Niet ingelicht over de overstap naar een andere groep (demo)"
RESOLVED_SUBJECT = "Overblijven begon te laat (demo, opgelost)"


def seed() -> list:
    parent = User.objects.filter(email="ouder@demo.skow.nl").first()
    leader = User.objects.filter(email="directeur.jozef@demo.skow.nl").first()
    board = User.objects.filter(email="bestuur@demo.skow.nl").first()
    school = School.objects.filter(brin="01AB").first()
    if None in (parent, leader, board, school) or any(
        c.subject == DEMO_SUBJECT for c in Complaint.objects.filter(complainant=parent)
    ):
        return []
    today = timezone.localdate()
    complaint = services.complaint_file(
        complainant=parent,
        school=school,
        subject=DEMO_SUBJECT,
        description="Onze dochter is zonder overleg naar een andere groep gegaan; wij hoorden het van haar.",
        event_on=today - datetime.timedelta(days=90),
    )
    services.complaint_step(complaint=complaint, by=leader, to_step=Step.DIRECTION, note="Gesprek met de ouders (demo)")
    services.complaint_step(
        complaint=complaint, by=leader, to_step=Step.COMMITTEE, on=today - datetime.timedelta(days=45)
    )
    services.complaint_record_advice(complaint=complaint, by=board, advice_on=today - datetime.timedelta(days=10))
    _resolved(parent, leader, school)
    return []


def _resolved(parent: User, leader: User, school: School) -> None:
    """A complaint resolved almost two years ago: Beheer › Bewaartermijnen shows it going within the month."""
    today = timezone.localdate()
    complaint = services.complaint_file(
        complainant=parent,
        school=school,
        subject=RESOLVED_SUBJECT,
        description="Het overblijven begon steeds te laat; na een gesprek is het opgelost.",
        event_on=today - datetime.timedelta(days=10),
    )
    services.complaint_step(complaint=complaint, by=leader, to_step=Step.RESOLVED, note="Opgelost na gesprek (demo)")
    then = timezone.now() - datetime.timedelta(days=720)
    Complaint.objects.filter(pk=complaint.pk).update(
        filed_at=then - datetime.timedelta(days=14), event_on=(then - datetime.timedelta(days=30)).date()
    )
    complaint.entries.filter(step=Step.RECEIVED).update(at=then - datetime.timedelta(days=14))
    complaint.entries.filter(step=Step.RESOLVED).update(at=then)
