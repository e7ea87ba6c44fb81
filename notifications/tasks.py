"""Celery tasks of the outbox. They take ids (or nothing) and call services; each is idempotent.

Which queue each task waits in is set in settings.CELERY_TASK_ROUTES: notification_deliver_task
(mail one person waits for) on the urgent queue, everything else on the default, bulk queue.
"""

from __future__ import annotations

from collections import defaultdict

from celery import shared_task

from .services import (
    DeliveryOutcome,
    notification_deliver,
    notification_deliver_many,
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
    """Deliver a batch of mass mail over one SMTP connection; each row is locked and sent at most
    once, so a redelivered message (acks_late after a killed worker) sends nothing twice. Rows to be
    retried come back as smaller batches on the same queue, one per backoff delay."""
    outcomes = notification_deliver_many(notification_ids=notification_ids)
    if not self.request.is_eager:
        retry_after: dict[int, list[int]] = defaultdict(list)
        for notification_id, outcome in outcomes.items():
            if outcome == DeliveryOutcome.RETRY:
                retry_after[notification_retry_delay(notification_id=notification_id)].append(notification_id)
        for countdown, ids in retry_after.items():
            notification_deliver_many_task.apply_async((ids,), countdown=countdown)
    return sum(outcome == DeliveryOutcome.SENT for outcome in outcomes.values())


@shared_task(ignore_result=True)
def notification_sweep_task() -> int:
    return notification_sweep()


@shared_task(ignore_result=True)
def notification_purge_task() -> int:
    return notification_purge()
