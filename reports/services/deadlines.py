"""Deadlines of a case (EU whistle-blower directive art. 9): reminders before, alerts after."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from notifications.services import notification_send

from ..access import deadline_recipients
from ..constants import CaseState
from ..models import Case
from .case_file import case_link

logger = logging.getLogger(__name__)


ACKNOWLEDGE, FEEDBACK = "acknowledge", "feedback"
REMINDER, ALERT = "reports/email/case_deadline_reminder", "reports/email/case_deadline_alert"


@dataclass(frozen=True)
class DeadlineRule:
    """One kind of notice about a deadline: which cases are due for it, and what goes out.

    Each notice goes once per case: ``stamp`` is a column of the case, set in the transaction that
    writes the notice. An alert (the deadline has passed) goes to the board as well.
    """

    name: str  # its count in case_deadlines_check's answer
    deadline: str  # ACKNOWLEDGE or FEEDBACK, named in the e-mail
    due: str  # the case's deadline column
    stamp: str  # the case's column stamped once the notice went
    template: str
    with_board: bool
    due_cases: Callable[[QuerySet[Case], datetime.datetime], QuerySet[Case]]


def _not_acknowledged(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.filter(state=CaseState.NEW)


def _awaiting_feedback(cases: QuerySet[Case]) -> QuerySet[Case]:
    # Only a message marked as feedback meets the deadline; a question does not (Case.feedback_given_at).
    return cases.exclude(state=CaseState.CLOSED).filter(feedback_given_at__isnull=True)


def _within(days: int, now: datetime.datetime) -> datetime.datetime:
    return now + datetime.timedelta(days=days)


RULES = (
    DeadlineRule(
        name="acknowledge_reminders",
        deadline=ACKNOWLEDGE,
        due="acknowledge_due_at",
        stamp="acknowledge_reminded_at",
        template=REMINDER,
        with_board=False,
        due_cases=lambda cases, now: _not_acknowledged(cases).filter(
            acknowledge_due_at__gt=now,
            acknowledge_due_at__lte=_within(settings.CASE_ACKNOWLEDGE_REMIND_DAYS_BEFORE, now),
        ),
    ),
    DeadlineRule(
        name="acknowledge_alerts",
        deadline=ACKNOWLEDGE,
        due="acknowledge_due_at",
        stamp="acknowledge_alerted_at",
        template=ALERT,
        with_board=True,
        due_cases=lambda cases, now: _not_acknowledged(cases).filter(acknowledge_due_at__lte=now),
    ),
    DeadlineRule(
        name="feedback_reminders",
        deadline=FEEDBACK,
        due="feedback_due_at",
        stamp="feedback_reminded_at",
        template=REMINDER,
        with_board=False,
        due_cases=lambda cases, now: _awaiting_feedback(cases).filter(
            feedback_due_at__gt=now,
            feedback_due_at__lte=_within(settings.CASE_FEEDBACK_REMIND_DAYS_BEFORE, now),
        ),
    ),
    DeadlineRule(
        name="feedback_alerts",
        deadline=FEEDBACK,
        due="feedback_due_at",
        stamp="feedback_alerted_at",
        template=ALERT,
        with_board=True,
        due_cases=lambda cases, now: _awaiting_feedback(cases).filter(feedback_due_at__lte=now),
    ),
)


def _deadline_notify(*, case: Case, rule: DeadlineRule) -> int:
    recipients = deadline_recipients(case, with_board=rule.with_board)
    for recipient in recipients:
        notification_send(
            template=rule.template,
            recipient=recipient,
            context={
                "school_name": case.school.name,
                "case_number": case.number,
                "deadline": rule.deadline,
                "due": f"{timezone.localtime(getattr(case, rule.due)):%d-%m-%Y}",
            },
            link=case_link(case),
        )
    return len(recipients)


def case_deadlines_check(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Send each due reminder and alert once; returns how many of each went out (cases, not e-mails).

    Idempotent (beat may run it twice, a worker may redo it): a case's stamp column is set in the
    same transaction as its notifications, and only when it was still empty.
    """
    now = now or timezone.now()
    open_cases = Case.objects.filter(merged_into__isnull=True, anonymised_at__isnull=True).select_related(
        "school", "handler"
    )
    sent = {}
    for rule in RULES:
        sent[rule.name] = 0
        due = rule.due_cases(open_cases, now).filter(**{f"{rule.stamp}__isnull": True})
        for case in due.order_by("pk").iterator():
            with transaction.atomic():
                if not Case.objects.filter(pk=case.pk, **{f"{rule.stamp}__isnull": True}).update(**{rule.stamp: now}):
                    continue  # another run took it
                _deadline_notify(case=case, rule=rule)
                sent[rule.name] += 1
    if any(sent.values()):
        logger.info("Case deadlines: %s", sent)
    return sent
