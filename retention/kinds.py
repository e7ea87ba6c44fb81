"""The kinds of record of accounts, registered here (accounts is below the retention app): pupils."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import ProtectedError, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Pupil

from .registry import RecordKind, record_kinds

PUPIL_KIND = "pupil"


def pupils_left_before(cutoff: datetime.datetime) -> QuerySet[Pupil]:
    """Pupils who left before ``cutoff``; those a consent decision (consent's kind) or a publication
    still points to stay: the publication has to show who is in it while it is online."""
    return Pupil.objects.filter(
        left_on__lt=timezone.localdate(cutoff), consent_decisions__isnull=True, publications__isnull=True
    ).distinct()


def pupils_erase(pupils: QuerySet[Pupil], now: datetime.datetime) -> int:
    """Delete each pupil (with the links to guardians and groups). A pupil a case or measure still
    names is kept (the database protects it) until that record goes under its own term."""
    count = 0
    for pk in list(pupils.values_list("pk", flat=True)):
        try:
            with transaction.atomic():
                Pupil.objects.filter(pk=pk).delete()
        except ProtectedError:
            continue
        count += 1
    return count


def register_account_kinds() -> None:
    record_kinds.register(
        RecordKind(
            key=PUPIL_KIND,
            label=_("Leerlinggegevens (naam, leerlingnummer, geboortedatum, groep, ouders)"),
            starts=_("na vertrek van de leerling, zodra geen dossier of toestemming meer naar de leerling verwijst"),
            source=_(
                "Vrijstellingsbesluit Wbp art. 19 en Kennisnet bewaartermijnenoverzicht (PO-Raad): uiterlijk twee "
                "jaar na vertrek; AVG art. 5 lid 1 onder e. De wet noemt geen minimum."
            ),
            default_days=365,
            minimum_days=0,
            due=pupils_left_before,
            erase=pupils_erase,
            order=60,
        )
    )
