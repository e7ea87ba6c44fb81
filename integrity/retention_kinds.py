"""The staff channel's misstand reports as a kind of record in the retention registry (retention/registry.py).

Source: the Wet bescherming klokkenluiders sets no term; the Huis voor Klokkenluiders and AVG art.
5(1)(e) say no longer than necessary. The portal keeps a closed report two years, and never less
than a year: the three-month feedback term (Wbk art. 2 lid 1 sub f) plus the time a reporter may
come back on it. There is no legal hold on a report.
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from common.vault import data_key_destroy
from retention.registry import RecordKind, record_kinds

from .constants import State
from .models import MisstandReport

logger = logging.getLogger(__name__)

MISSTAND_KIND = "misstand_report"


def misstand_reports_closed_before(cutoff: datetime.datetime) -> QuerySet[MisstandReport]:
    """Closed reports whose closing lies before ``cutoff``; an open report never goes."""
    return MisstandReport.objects.filter(state=State.CLOSED, closed_at__lt=cutoff)


def misstand_reports_erase(reports: QuerySet[MisstandReport], now: datetime.datetime) -> int:
    """Delete each report with its file (its lines and the people it named), then destroy its data
    key, so a copy of the database taken before stays unreadable (crypto-shredding, common/vault.py)."""
    count = 0
    for pk, key_id in list(reports.values_list("pk", "data_key")):
        with transaction.atomic():
            MisstandReport.objects.filter(pk=pk).delete()
            # After the commit, so a rollback keeps a report that is still there readable.
            transaction.on_commit(lambda key_id=key_id: data_key_destroy(key_id))
        logger.info("Misstand report %s erased after its retention term.", pk)
        count += 1
    return count


def register_misstand_kind() -> None:
    record_kinds.register(
        RecordKind(
            key=MISSTAND_KIND,
            label=_("Integriteitsmeldingen van medewerkers (misstanden), met hun dossier"),
            starts=_("na het afsluiten van de melding (een open melding blijft)"),
            source=_(
                "Wet bescherming klokkenluiders en Huis voor Klokkenluiders: niet langer bewaren dan nodig; "
                "AVG art. 5 lid 1 onder e. De wet noemt geen termijn; standaard twee jaar. Minimaal een jaar: "
                "de terugkoppeltermijn van drie maanden plus de tijd waarin de melder erop terug kan komen."
            ),
            default_days=730,
            minimum_days=365,
            due=misstand_reports_closed_before,
            erase=misstand_reports_erase,
            order=52,
        )
    )
