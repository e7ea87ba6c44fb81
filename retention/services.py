"""Retention per kind of record: the term in force, the board changing it, the nightly erasure and
the forecast. The kinds and how each is erased come from the registry (retention/registry.py)."""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from common.refusals import ActionRefused

from . import access
from .models import DeletionLog, RetentionRule
from .registry import RecordKind, record_kinds

logger = logging.getLogger(__name__)

FORECAST_DAYS = 30
LOG_SHOWN = 50


def term_days(key: str) -> int:
    """The term of kind ``key`` in days: the board's, or else the kind's default (the law's)."""
    days = RetentionRule.objects.filter(kind=key).values_list("days", flat=True).first()
    if days is not None:
        return days
    kind = record_kinds.get(key)
    if kind is None:
        raise LookupError(f"No record kind {key!r} registered")
    return kind.default()


def retention_rule_set(*, user: User, key: str, days: int) -> RetentionRule:
    """The board sets the term of one kind; never under the legal minimum."""
    if not access.may_set_retention(user):
        raise ActionRefused(_("Alleen het bestuur stelt bewaartermijnen vast."), status=404)
    kind = record_kinds.get(key)
    if kind is None:
        raise ActionRefused(_("Deze soort gegevens bestaat niet."), status=404)
    if days < kind.minimum_days:
        raise ActionRefused(
            _("Een bewaartermijn van %(days)s dagen is korter dan de wet toestaat: minimaal %(minimum)s dagen.")
            % {"days": days, "minimum": kind.minimum_days}
        )
    rule, _created = RetentionRule.objects.update_or_create(
        kind=key, defaults={"days": days, "changed_by": user, "changed_at": timezone.now()}
    )
    logger.info("Retention term of %s set to %s days by user %s.", key, days, user.pk)
    return rule


def deletion_logged(*, key: str, count: int, days: int, now: datetime.datetime) -> DeletionLog | None:
    """Log an erasure done outside the nightly run (a management command): kind, count, term, when."""
    if not count:
        return None
    return DeletionLog.objects.create(kind=key, count=count, days=days, ran_at=now)


def _terms() -> dict[str, RetentionRule]:
    return {rule.kind: rule for rule in RetentionRule.objects.select_related("changed_by")}


def retention_purge(*, now: datetime.datetime | None = None) -> list[DeletionLog]:
    """Erase, kind by kind, what is past its term (each kind leaves out what it must keep, such as a
    case on legal hold) and log per kind how many went, under which term, when. A kind that fails
    is logged as an error and does not stop the others."""
    now = now or timezone.now()
    rules = _terms()
    logs: list[DeletionLog] = []
    for kind in record_kinds.all():
        days = rules[kind.key].days if kind.key in rules else kind.default()
        try:
            with transaction.atomic():
                count = kind.erase(kind.due(now - datetime.timedelta(days=days)), now)
                if count:
                    logs.append(DeletionLog.objects.create(kind=kind.key, count=count, days=days, ran_at=now))
        except Exception:
            logger.exception("Retention run of %s failed; the other kinds go on.", kind.key)
    logger.info("Retention run: %s", {log.kind: log.count for log in logs})
    return logs


def retention_overview(*, now: datetime.datetime | None = None) -> list[dict]:
    """Per kind: the kind, its term (and who set it, when), and how many records go within the next
    FORECAST_DAYS days (what is already due included: the next nightly run takes it)."""
    now = now or timezone.now()
    rules = _terms()
    horizon = now + datetime.timedelta(days=FORECAST_DAYS)
    rows = []
    for kind in record_kinds.all():
        rule = rules.get(kind.key)
        days = rule.days if rule else kind.default()
        rows.append(
            {
                "kind": kind,
                "days": days,
                "rule": rule,
                "forecast": kind.due(horizon - datetime.timedelta(days=days)).count(),
            }
        )
    return rows


def deletion_log(*, limit: int = LOG_SHOWN) -> list[dict]:
    """The latest rows of the deletion log with the kind's label (a kind no longer registered shows its key)."""
    rows = []
    for log in DeletionLog.objects.all()[:limit]:
        kind: RecordKind | None = record_kinds.get(log.kind)
        rows.append({"log": log, "label": kind.label if kind else log.kind})
    return rows
