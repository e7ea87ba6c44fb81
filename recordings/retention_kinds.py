"""Permissions to record in class as a kind of record in the retention registry (retention/registry.py)."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from retention.registry import RecordKind, record_kinds

from .models import CaseRecordingPermission, RecordingPermission

RECORDING_KIND = "recording_permission"


def permissions_ended_before(cutoff: datetime.datetime) -> QuerySet[RecordingPermission]:
    """Permissions whose period ended before ``cutoff``, except those a case still relies on (a
    link to a case not yet anonymised: the link goes with its case)."""
    relied_on = CaseRecordingPermission.objects.filter(permission=OuterRef("pk"), case__anonymised_at__isnull=True)
    return RecordingPermission.objects.filter(valid_until__lt=timezone.localdate(cutoff)).exclude(Exists(relied_on))


def permissions_erase(permissions: QuerySet[RecordingPermission], now: datetime.datetime) -> int:
    pks = list(permissions.values_list("pk", flat=True))
    CaseRecordingPermission.objects.filter(permission__in=pks).delete()
    RecordingPermission.objects.filter(pk__in=pks).delete()
    return len(pks)


def register_recording_kind() -> None:
    record_kinds.register(
        RecordKind(
            key=RECORDING_KIND,
            label=_("Toestemmingen om op te nemen in de klas"),
            starts=_("na afloop van de toegestane periode (niet zolang een dossier ernaar verwijst)"),
            source=_(
                "AVG art. 5 lid 1 onder e: niet langer dan nodig; protocol A.1 en A.7. De wet noemt geen "
                "minimum; standaard een schooljaar, zodat een klacht over een opname nog te beoordelen is."
            ),
            default_days=365,
            minimum_days=0,
            due=permissions_ended_before,
            erase=permissions_erase,
            order=50,
        )
    )
