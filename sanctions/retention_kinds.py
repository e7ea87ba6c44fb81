"""The meldcode without a case in the retention registry (retention/registry.py).

A meldcode about a pupil is a pupil-linked record: Kennisnet's bewaartermijnenoverzicht (PO-Raad)
keeps such records at most two years after the pupil leaves; a meldcode started in a case goes with
its case (reports' kinds). Its texts are sealed with its own data key (common/vault.py), destroyed
once the rows are gone, so no earlier copy of the database opens them.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.vault import data_key_destroy
from retention.registry import RecordKind, record_kinds

from .constants import EscalationKind
from .models import Escalation, MeldcodeReminder, SafeHomeStatusChange, SafeHomeStepRecord

MELDCODE_KIND = "meldcode"


def meldcodes_of_pupils_left_before(cutoff: datetime.datetime) -> QuerySet[Escalation]:
    """Meldcodes without a case about a pupil who left before ``cutoff`` (the pupil import records it)."""
    return Escalation.objects.filter(
        case__isnull=True,
        kind=EscalationKind.SAFE_HOME_REFERRAL,
        pupil__left_on__isnull=False,
        pupil__left_on__lt=timezone.localdate(cutoff),
    )


def meldcodes_erase(meldcodes: QuerySet[Escalation], now: datetime.datetime) -> int:
    """Delete each meldcode with its steps, closings and reminders; its data key goes after the commit."""
    count = 0
    for pk, key_id in list(meldcodes.values_list("pk", "data_key")):
        with transaction.atomic():
            MeldcodeReminder.objects.filter(escalation_id=pk).delete()
            SafeHomeStatusChange.objects.filter(escalation_id=pk).delete()
            SafeHomeStepRecord.objects.filter(escalation_id=pk).delete()
            Escalation.objects.filter(pk=pk).delete()
            if key_id:
                transaction.on_commit(lambda key_id=key_id: data_key_destroy(key_id))
        count += 1
    return count


def register_meldcode_kind() -> None:
    record_kinds.register(
        RecordKind(
            key=MELDCODE_KIND,
            label=_("Meldcodes zonder dossier (signalen en stappen over een leerling)"),
            starts=_("na vertrek van de leerling"),
            source=_(
                "Kennisnet bewaartermijnenoverzicht (PO-Raad), Vrijstellingsbesluit Wbp art. 19: uiterlijk twee "
                "jaar na vertrek; AVG art. 5 lid 1 onder e. Minimaal een jaar: de klachttermijn."
            ),
            default_days=730,
            minimum_days=365,
            due=meldcodes_of_pupils_left_before,
            erase=meldcodes_erase,
            order=15,
        )
    )
