"""Celery beat tasks of the case files; each is idempotent (settings: acks late, so a task may rerun)."""

from __future__ import annotations

from celery import shared_task

from .services import case_deadlines_check, case_retention_purge, receipt_handover_purge


@shared_task(ignore_result=True)
def case_deadlines_task() -> dict[str, int]:
    """Hourly: reminders before and alerts after the acknowledge and feedback deadlines, once each."""
    return case_deadlines_check()


@shared_task(ignore_result=True)
def case_retention_task() -> int:
    """Daily: anonymise closed cases past the retention period (logged per case)."""
    return len(case_retention_purge())


@shared_task(ignore_result=True)
def receipt_handover_purge_task() -> int:
    """Every few minutes: receipt codes nobody came to see are gone for good."""
    return receipt_handover_purge()
