"""Celery tasks of accounts: housekeeping of what logging in leaves behind."""

from __future__ import annotations

import logging

from celery import shared_task

from .services import login_traces_purge

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def login_traces_purge_task() -> dict[str, int]:
    removed = login_traces_purge()
    logger.info("Login traces past their term removed: %s", removed)
    return removed
