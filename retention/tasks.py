"""The nightly retention run (celery beat, settings.CELERY_BEAT_SCHEDULE); idempotent."""

from __future__ import annotations

from celery import shared_task

from .services import retention_purge


@shared_task(ignore_result=True)
def retention_purge_task() -> dict[str, int]:
    """Nightly: erase per kind of record what is past the board's term, and log the counts."""
    return {log.kind: log.count for log in retention_purge()}
