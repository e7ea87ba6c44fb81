"""Celery tasks of consent: they take ids (or nothing) and call the campaign services; each is idempotent."""

from __future__ import annotations

from celery import shared_task

from .campaigns import (
    consent_age_of_consent_notify,
    consent_campaign_remind,
    consent_campaign_resume,
    consent_campaign_send_batch,
)


@shared_task(ignore_result=True)
def consent_campaign_send_task(campaign_id: int) -> int:
    """Send invitations batch by batch; each batch is its own transaction."""
    total = 0
    while sent := consent_campaign_send_batch(campaign_id=campaign_id):
        total += sent
    return total


@shared_task(ignore_result=True)
def consent_campaign_remind_task() -> int:
    return consent_campaign_remind()


@shared_task(ignore_result=True)
def consent_age_of_consent_task() -> int:
    """Every six hours: pupils who turned 16 are asked to decide themselves; runs in batches until done."""
    total = 0
    while notified := consent_age_of_consent_notify():
        total += notified
    return total


@shared_task(ignore_result=True)
def consent_campaign_resume_task() -> int:
    """Every few minutes: a campaign whose sending never reached a worker (broker down) goes again."""
    return consent_campaign_resume()
