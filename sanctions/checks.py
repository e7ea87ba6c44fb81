"""Checks ``reports`` runs before a case may close, registered in ``SanctionsConfig.ready()``
(reports/extensions.py).

Each takes the case and returns a Dutch refusal, or None when nothing stands in the way.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from reports.models import Case

from . import selectors
from .constants import INSPECTOR_PHONE, EscalationKind, MeasureStatus, SafeHomeStep


def escalation_recorded(case: Case) -> str | None:
    """Sancties 3: boundary-crossing staff communication is reported to the Vertrouwensinspecteur."""
    if selectors.inspector_call_needed(case=case):
        return _(
            "Dit dossier kan nog niet worden gesloten: de communicatie van een medewerker is als "
            "grensoverschrijdend beoordeeld. Meld dit telefonisch bij de Landelijke Vertrouwensinspecteur "
            "(%(phone)s) en leg het gesprek vast (datum, tijd, wie belde, advies)."
        ) % {"phone": INSPECTOR_PHONE}
    unfinished = case.escalations.filter(kind=EscalationKind.SAFE_HOME_REFERRAL).exclude(
        steps__step=SafeHomeStep.DECIDE
    )
    if unfinished.exists():
        return _(
            "Dit dossier kan nog niet worden gesloten: de meldcode (Veilig Thuis) is nog niet doorlopen "
            "tot en met stap 5, het besluit."
        )
    return None


def measures_decided(case: Case) -> str | None:
    """A heavy measure still waiting for the board keeps the case open."""
    if case.measures.filter(status=MeasureStatus.PROPOSED).exists():
        return _("Dit dossier kan nog niet worden gesloten: een maatregel wacht nog op het besluit van het bestuur.")
    return None
