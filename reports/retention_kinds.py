"""The case file's kinds of record in the retention registry (retention/registry.py).

Sources: the Vrijstellingsbesluit Wbp art. 19 and Kennisnet's bewaartermijnenoverzicht (PO-Raad):
pupil-linked records at most two years after the pupil leaves; AVG art. 5(1)(e) for the rest. The
minimum: a complaint about how a case was handled may come up to a year after the event
(klachtenregeling, Awb art. 9:8), so no board term goes under a year.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from retention.registry import RecordKind, record_kinds

from .selectors import CASE_KIND, PUPIL_CASE_KIND, cases_closed_before, cases_of_pupils_left_before
from .services.retention import cases_erase


def _case_default() -> int:
    """The law's default, two years, unless CASE_RETENTION_DAYS says otherwise (a fresh install)."""
    return settings.CASE_RETENTION_DAYS


def register_case_kinds() -> None:
    record_kinds.register(
        RecordKind(
            key=PUPIL_CASE_KIND,
            label=_("Dossiers over een leerling, met meldcode-stappen en maatregelen"),
            starts=_("na vertrek van de leerling (het dossier gesloten, geen bewaarplicht)"),
            source=_(
                "Kennisnet bewaartermijnenoverzicht (PO-Raad), Vrijstellingsbesluit Wbp art. 19: uiterlijk twee "
                "jaar na vertrek; AVG art. 5 lid 1 onder e. Minimaal een jaar: de klachttermijn."
            ),
            default_days=_case_default,
            minimum_days=365,
            due=cases_of_pupils_left_before,
            erase=cases_erase,
            order=10,
        )
    )
    record_kinds.register(
        RecordKind(
            key=CASE_KIND,
            label=_("Overige dossiers (over een medewerker, ouder of niemand in het bijzonder)"),
            starts=_("na het sluiten van het dossier (geen bewaarplicht)"),
            source=_(
                "AVG art. 5 lid 1 onder e: niet langer dan nodig; Kennisnet bewaartermijnenoverzicht (PO-Raad): "
                "twee jaar. Minimaal een jaar: de klachttermijn."
            ),
            default_days=_case_default,
            minimum_days=365,
            due=cases_closed_before,
            erase=cases_erase,
            order=20,
        )
    )
