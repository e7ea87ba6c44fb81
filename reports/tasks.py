"""Celery beat tasks of the case files; each is idempotent (settings: acks late, so a task may rerun)."""

from __future__ import annotations

from celery import shared_task

from .services import case_deadlines_check, receipt_handover_purge


@shared_task(ignore_result=True)
def case_deadlines_task() -> dict[str, int]:
    """Hourly: reminders before and alerts after the acknowledge and feedback deadlines, once each."""
    return case_deadlines_check()


# Anonymising closed cases is the nightly retention run's (retention.tasks.retention_purge_task).


@shared_task(ignore_result=True)
def receipt_handover_purge_task() -> int:
    """Every few minutes: receipt codes nobody came to see are gone for good."""
    return receipt_handover_purge()
