"""Celery tasks of accounts: answering link requests, re-checking single sign-on sessions, and housekeeping
of what logging in leaves behind."""

from __future__ import annotations

import logging

from celery import shared_task

from .services import link_request_answer, login_traces_purge, sso_sessions_recheck

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def login_traces_purge_task() -> dict[str, int]:
    removed = login_traces_purge()
    logger.info("Login traces past their term removed: %s", removed)
    return removed


@shared_task(ignore_result=True)
def link_request_answer_task(link_request_id: int) -> None:
    """Takes an id only: the typed address stays in the database, out of the broker and its logs."""
    link_request_answer(link_request_id=link_request_id)


@shared_task(ignore_result=True)
def sso_sessions_recheck_task() -> dict[str, int]:
    """Beat, every SSO_RECHECK_MINUTES: end the sessions of accounts the provider no longer accepts.
    Idempotent: a second run asks again and ends nothing twice."""
    counts = sso_sessions_recheck()
    logger.info("Single sign-on sessions re-checked: %s", counts)
    return counts
