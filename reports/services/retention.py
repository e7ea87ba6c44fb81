"""Retention (AVG art. 5(1)(e)): closed cases anonymised after the board's term, unless on legal hold.

Two kinds of record in the retention registry (retention/registry.py, registered in reports/apps.py):
"case" (from closing) and "case_pupil" (from the day the last pupil it is about left). Both erase
through ``case_anonymise``.
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from common.hashchain import chain_reseal, chain_verify
from common.vault import data_key_destroy
from retention.services import deletion_logged

from ..constants import CHAIN_RESEAL_RETENTION, TimelineKind
from ..evidence import evidence_remove
from ..extensions import case_extensions
from ..models import (
    Case,
    CaseAccessWithdrawal,
    CaseChainHead,
    CaseHandover,
    CasePerson,
    CaseSubject,
    Evidence,
    Report,
    ReportMessage,
    TimelineEntry,
)
from ..selectors import CASE_KIND, case_retention_days, cases_due_for_anonymisation
from .case_file import case_timeline_add

logger = logging.getLogger(__name__)


def _retention_summary(case: Case) -> dict:
    return {
        "case": case.number,
        "school": case.school.name,
        "closed_at": f"{timezone.localtime(case.closed_at):%d-%m-%Y}" if case.closed_at else "",
        "reports": case.reports.count(),
        "messages": ReportMessage.objects.filter(report__case=case).count(),
        "files": Evidence.objects.filter(report__case=case).count(),
    }


def _case_data_keys(case: Case) -> list[str]:
    """The data keys that sealed this case's content: its own and those of cases merged into it
    (their reports moved here, still sealed under their first case's key). None for a case that was
    merged into another: its reports live on there under its key, which goes with that case."""
    if case.merged_into_id is not None:
        return []
    keys, pending, seen = [], [case.pk], set()
    while pending:
        rows = list(Case.objects.filter(pk__in=pending).values_list("pk", "data_key"))
        seen.update(pk for pk, _key in rows)
        keys.extend(key for _pk, key in rows if key)
        pending = [
            pk for pk in Case.objects.filter(merged_into__in=pending).values_list("pk", flat=True) if pk not in seen
        ]
    return keys


def case_anonymise(*, case: Case, now: datetime.datetime | None = None) -> dict:
    """Remove names, contact details, descriptions, messages and evidence files; keep the numbers.

    Then destroy the case's data keys (common/vault.py): whatever a backup, a replica or a copy of
    the files still holds of this case no longer opens. Crypto-shredding: the blanking above clears
    the live database, the key's end clears every copy of it.

    What statistics count stays: school, category, platform, dates, states and closing reason. The
    receipt code stops working. The timeline keeps its rows (who did what when) but loses their text:
    the one place where append-only rows are changed, because the law asks it (AVG art. 5(1)(e)).
    Whom the case was about (CaseSubject, CasePerson) goes with the names. Apps that keep their own
    data about a case clear it through the anonymisers they registered (reports/extensions.py), in
    the same transaction.
    """
    now = now or timezone.now()
    files: list[str] = []
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("school").get(pk=case.pk)
        summary = _retention_summary(case)
        head, _created = CaseChainHead.objects.select_for_update().get_or_create(case=case)
        history_was_intact = chain_verify(head).is_intact
        if not history_was_intact:
            logger.error("Case %s: its history was changed outside the portal before anonymisation.", case.pk)
        evidence = Evidence.objects.filter(report__case=case)
        files = list(evidence.values_list("stored_name", flat=True))
        evidence.delete()
        for report in Report.objects.filter(case=case):
            Report.objects.filter(pk=report.pk).update(
                description="",
                involved_names="",
                reporter_name="",
                reporter_email="",
                reporter_phone="",
                reporter_user=None,
                receipt_code_digest=f"anonymised-{report.pk}",
            )
        ReportMessage.objects.filter(report__case=case).update(body="")
        TimelineEntry.objects.filter(case=case).update(summary="", with_whom="")
        TimelineEntry.objects.filter(case=case).exclude(kind=TimelineKind.STATUS_CHANGE).update(data={})
        CaseAccessWithdrawal.objects.filter(case=case).update(reason="")
        CaseHandover.objects.filter(case=case).update(reason="")
        CaseSubject.objects.filter(case=case).delete()
        CasePerson.objects.filter(case=case).delete()
        case_extensions.anonymise(case)
        Case.objects.filter(pk=case.pk).update(anonymised_at=now)
        chain_reseal(head, reason=CHAIN_RESEAL_RETENTION)
        case_timeline_add(
            case=case,
            kind=TimelineKind.RETENTION,
            author=None,
            data={
                "anonymised": True,
                "files": summary["files"],
                "reports": summary["reports"],
                "history_was_intact": history_was_intact,
            },
        )
        keys = _case_data_keys(case)
        transaction.on_commit(lambda: evidence_remove(files))
        # After the commit: a rollback must not leave content whose key is already gone.
        transaction.on_commit(lambda: [data_key_destroy(key) for key in keys])
    logger.info("Case %s anonymised after the retention period: %s", summary["case"], summary)
    return summary


def cases_erase(cases, now: datetime.datetime) -> int:
    """The retention registry's erase function for the case kinds: anonymise each case; how many."""
    count = 0
    for case in cases:
        case_anonymise(case=case, now=now)
        count += 1
    return count


def case_retention_purge(*, now: datetime.datetime | None = None, dry_run: bool = False) -> list[dict]:
    """Anonymise every closed case past the "case" term (from closing) and not on legal hold, as the
    nightly retention run does (the management command's way in).

    With ``dry_run`` nothing changes: the return value lists what would be removed, per case.
    """
    now = now or timezone.now()
    due = list(cases_due_for_anonymisation(now=now).select_related("school"))
    if dry_run:
        return [_retention_summary(case) for case in due]
    done = [case_anonymise(case=case, now=now) for case in due]
    deletion_logged(key=CASE_KIND, count=len(done), days=case_retention_days(), now=now)
    logger.info("Retention purge: %d case(s) anonymised.", len(done))
    return done
