"""Celery tasks of the outbox. They take ids and call services; both are idempotent."""

from __future__ import annotations

from celery import shared_task

from .services import DeliveryOutcome, notification_deliver, notification_retry_delay, notification_sweep


@shared_task(bind=True, max_retries=None, ignore_result=True)
def notification_deliver_task(self, notification_id: int) -> str:
    outcome = notification_deliver(notification_id=notification_id)
    if outcome == DeliveryOutcome.RETRY and not self.request.is_eager:
        # Backoff grows per attempt; after the last attempt the row is marked failed instead.
        raise self.retry(countdown=notification_retry_delay(notification_id=notification_id))
    return outcome


@shared_task(ignore_result=True)
def notification_sweep_task() -> int:
    return notification_sweep()
