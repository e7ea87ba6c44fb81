"""Celery beat task of the staff channel; idempotent (settings: acks late, so a task may rerun)."""

from __future__ import annotations

from celery import shared_task

from .services import misstand_deadlines_check


@shared_task(ignore_result=True)
def misstand_deadlines_task() -> dict[str, int]:
    """Hourly: warnings before and alerts after the 7-day and 3-month clocks, to the board too."""
    return misstand_deadlines_check()
