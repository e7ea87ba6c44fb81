"""Celery beat task of the questions to one's leader; idempotent."""

from __future__ import annotations

from celery import shared_task

from .services import consultation_retention_purge


@shared_task(ignore_result=True)
def consultation_retention_task() -> int:
    """Daily: erase threads past their retention term (CONSULTATION_RETENTION_DAYS after the last message)."""
    return consultation_retention_purge()
