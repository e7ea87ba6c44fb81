"""Demo data of consultations: the demo teacher asked the leader about a conversation going wrong,
and the leader answered. Idempotent."""

from __future__ import annotations

from django.db import transaction

from accounts.demo import DemoLogin
from accounts.models import User

from .access import consultation_leaders, schools_to_ask_in
from .constants import Topic
from .models import Consultation
from .services import consultation_reply, consultation_start

DEMO_TEACHER = "leerkracht@demo.skow.nl"


@transaction.atomic
def seed() -> list[DemoLogin]:
    teacher = User.objects.filter(email=DEMO_TEACHER).first()
    if teacher is None or Consultation.objects.filter(asker=teacher).exists():
        return []
    school = schools_to_ask_in(user=teacher).first()
    if school is None:
        return []
    consultation = consultation_start(
        asker=teacher,
        school=school,
        topic=Topic.CONVERSATION,
        body="Een ouder reageert steeds feller op mijn bericht in de klassenapp. Moet ik nog reageren?",
    )
    leader = consultation_leaders(consultation=consultation).first()
    if leader is not None:
        consultation_reply(
            consultation=consultation,
            by=leader,
            body="Reageer niet meer online. Bel de ouder en stel een gesprek op school voor; ik schuif aan.",
        )
    return []
