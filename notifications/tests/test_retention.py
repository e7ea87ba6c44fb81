"""Old outbox rows go after NOTIFICATION_RETENTION_DAYS; an e-mail not yet delivered never does."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from notifications.constants import Channel, Status
from notifications.models import Notification
from notifications.tasks import notification_purge_task

pytestmark = pytest.mark.django_db


def _row(user, *, days_old: int, status: str, channel: str = Channel.EMAIL) -> Notification:
    written = timezone.now() - timedelta(days=days_old)
    return Notification.objects.create(
        recipient=user,
        email=user.email,
        channel=channel,
        template="accounts/email/login_link",
        subject="Uw inloglink",
        status=status,
        created_at=written,
        next_attempt_at=written,
    )


def test_rows_past_their_term_are_deleted_but_a_pending_email_stays(settings):
    settings.NOTIFICATION_RETENTION_DAYS = 90
    user = UserFactory()
    old_sent = _row(user, days_old=91, status=Status.SENT)
    old_read = _row(user, days_old=200, status=Status.SENT, channel=Channel.IN_APP)
    old_failed = _row(user, days_old=91, status=Status.FAILED)
    old_pending = _row(user, days_old=120, status=Status.PENDING)
    recent = _row(user, days_old=89, status=Status.SENT)
    assert notification_purge_task() == 3
    left = set(Notification.objects.values_list("pk", flat=True))
    assert left == {old_pending.pk, recent.pk}
    assert not {old_sent.pk, old_read.pk, old_failed.pk} & left


def test_the_purge_runs_daily_from_beat(settings):
    schedule = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert schedule["notifications.tasks.notification_purge_task"] == 24 * 60 * 60
    assert schedule["accounts.tasks.login_traces_purge_task"] == 24 * 60 * 60
