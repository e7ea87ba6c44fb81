"""Celery beat tasks of sanctions; each is idempotent (a sent reminder is a row, sent once)."""

from __future__ import annotations

from celery import shared_task

from .services import meldcode_reminders_send


@shared_task(ignore_result=True)
def meldcode_reminders_task() -> int:
    """Daily: reminders for Veilig Thuis's feedback and for the help's evaluation date."""
    return meldcode_reminders_send()
