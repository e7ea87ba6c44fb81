"""Complaints as a kind of record in the retention registry (retention/registry.py).

Source: the klachtenregeling (WPO art. 14, the model of the Landelijke Klachtencommissie) sets no
term for keeping the file; AVG art. 5(1)(e) says no longer than necessary. The portal keeps a
finished complaint two years after the board's decision or its resolution, and never less than a
year: the klachtenregeling's one-year term after an event, in which a related complaint may still
come. There is no legal hold on a complaint.
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from common.vault import data_key_destroy
from retention.registry import RecordKind, record_kinds

from .constants import Step
from .models import Complaint, ComplaintEntry

logger = logging.getLogger(__name__)

COMPLAINT_KIND = "complaint"
FINISHED_STEPS = (Step.DECIDED, Step.RESOLVED)


def complaints_finished_before(cutoff: datetime.datetime) -> QuerySet[Complaint]:
    """Complaints the board decided or a handler resolved before ``cutoff`` (the time that step was
    recorded in the append-only history); an open complaint never goes."""
    finished = ComplaintEntry.objects.filter(complaint=OuterRef("pk"), step__in=FINISHED_STEPS, at__lt=cutoff)
    return Complaint.objects.filter(step__in=FINISHED_STEPS).filter(Exists(finished))


def complaints_erase(complaints: QuerySet[Complaint], now: datetime.datetime) -> int:
    """Delete each complaint with its history, then destroy its data key, so a copy of the database
    taken before stays unreadable (crypto-shredding, common/vault.py)."""
    count = 0
    for pk, key_id in list(complaints.values_list("pk", "data_key")):
        with transaction.atomic():
            Complaint.objects.filter(pk=pk).delete()
            # After the commit, so a rollback keeps a complaint that is still there readable.
            transaction.on_commit(lambda key_id=key_id: data_key_destroy(key_id))
        logger.info("Complaint %s erased after its retention term.", pk)
        count += 1
    return count


def register_complaint_kind() -> None:
    record_kinds.register(
        RecordKind(
            key=COMPLAINT_KIND,
            label=_("Klachtdossiers (klachtenregeling), met hun stappen en het besluit"),
            starts=_("na het besluit van het bestuur of het afronden van de klacht (een open klacht blijft)"),
            source=_(
                "Klachtenregeling (WPO art. 14) en Landelijke Klachtencommissie; AVG art. 5 lid 1 onder e: niet "
                "langer dan nodig. De regeling noemt geen bewaartermijn; standaard twee jaar. Minimaal een jaar: "
                "de klachttermijn van een jaar na de gebeurtenis."
            ),
            default_days=730,
            minimum_days=365,
            due=complaints_finished_before,
            erase=complaints_erase,
            order=54,
        )
    )
