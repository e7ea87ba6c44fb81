"""Celery tasks of the outbox. They take ids and call services; both are idempotent."""

from __future__ import annotations

from celery import shared_task

from .services import (
    DeliveryOutcome,
    notification_deliver,
    notification_purge,
    notification_retry_delay,
    notification_sweep,
)


@shared_task(bind=True, max_retries=None, ignore_result=True)
def notification_deliver_task(self, notification_id: int) -> str:
    outcome = notification_deliver(notification_id=notification_id)
    if outcome == DeliveryOutcome.RETRY and not self.request.is_eager:
        # Backoff grows per attempt; after the last attempt the row is marked failed instead.
        raise self.retry(countdown=notification_retry_delay(notification_id=notification_id))
    return outcome


@shared_task(bind=True, ignore_result=True)
def notification_deliver_many_task(self, notification_ids: list[int]) -> int:
    """Deliver a campaign's rows one by one; each row is locked and sent at most once, so a
    redelivered message (acks_late after a killed worker) sends nothing twice."""
    sent = 0
    for notification_id in notification_ids:
        outcome = notification_deliver(notification_id=notification_id)
        sent += outcome == DeliveryOutcome.SENT
        if outcome == DeliveryOutcome.RETRY and not self.request.is_eager:
            notification_deliver_task.apply_async(
                (notification_id,), countdown=notification_retry_delay(notification_id=notification_id)
            )
    return sent


@shared_task(ignore_result=True)
def notification_sweep_task() -> int:
    return notification_sweep()


@shared_task(ignore_result=True)
def notification_purge_task() -> int:
    return notification_purge()
