"""Celery tasks of the policy app: take nothing or ids, call a service; idempotent."""

from celery import shared_task

from . import services


@shared_task
def protocol_take_effect_task() -> int:
    """Hourly: adopted versions whose effective date has come take effect."""
    return len(services.protocol_versions_take_effect_due())


@shared_task
def protocol_acknowledgement_remind_task() -> int:
    """Hourly: remind staff who have not acknowledged the version in force (after 7 and 14 days)."""
    return services.protocol_acknowledgement_remind()
