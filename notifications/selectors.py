"""Reads of the outbox, scoped to the asking user."""

from __future__ import annotations

from django.db.models import Min, QuerySet
from django.utils import timezone

from .constants import Channel, Status
from .models import Notification


def inbox_for(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user, channel=Channel.IN_APP).only(
        "pk", "subject", "link", "created_at", "read_at", "recipient_id", "channel"
    )


def unread_count_for(*, user) -> int:
    return Notification.objects.filter(recipient=user, channel=Channel.IN_APP, read_at__isnull=True).count()


def oldest_pending_age_seconds() -> float | None:
    """Age of the oldest e-mail still waiting for delivery; None when none waits."""
    oldest = Notification.objects.filter(status=Status.PENDING, channel=Channel.EMAIL).aggregate(
        oldest=Min("created_at")
    )["oldest"]
    return None if oldest is None else (timezone.now() - oldest).total_seconds()
