"""Celery beat task of the complaints track; idempotent (settings: acks late, so a task may rerun)."""

from __future__ import annotations

from celery import shared_task

from .services import complaint_deadlines_check


@shared_task(ignore_result=True)
def complaint_deadlines_task() -> dict[str, int]:
    """Hourly: remind the board before the four weeks after the committee's advice end, alert after."""
    return complaint_deadlines_check()
