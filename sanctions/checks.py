"""Checks ``reports`` runs before a case may close, registered in ``SanctionsConfig.ready()``
(reports/extensions.py).

Each takes the case and returns a Dutch refusal, or None when nothing stands in the way.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from reports.access import case_falls_under_wpo_4a
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


def wpo_4a_recorded(case: Case) -> str | None:
    """WPO art. 4a: the board consulted the vertrouwensinspecteur (name, conclusion); on a reasonable
    suspicion the parents and the accused were informed and the board reported it to the police."""
    if not case_falls_under_wpo_4a(case):
        return None
    calls = case.escalations.filter(kind=EscalationKind.INSPECTOR_CALL, has_reasonable_suspicion__isnull=False)
    call = calls.order_by("-happened_on", "-happened_at", "-pk").first()
    if call is None:
        return _(
            "Dit dossier kan nog niet worden gesloten: bij een melding onder WPO art. 4a overlegt het bestuur "
            "met de vertrouwensinspecteur (%(phone)s). Leg het gesprek vast met de naam van de inspecteur "
            "en de conclusie (redelijk vermoeden: ja of nee)."
        ) % {"phone": INSPECTOR_PHONE}
    if not call.has_reasonable_suspicion:
        return None
    kinds = set(case.escalations.values_list("kind", flat=True))
    missing = [
        str(label)
        for kind, label in (
            (EscalationKind.PARENTS_INFORMED, _("dat de ouders zijn geïnformeerd")),
            (EscalationKind.ACCUSED_INFORMED, _("dat de beschuldigde is geïnformeerd")),
            (EscalationKind.POLICE_REPORT, _("de aangifte bij de politie")),
        )
        if kind not in kinds
    ]
    if missing:
        return _(
            "Dit dossier kan nog niet worden gesloten: er is een redelijk vermoeden (WPO art. 4a). "
            "Leg nog vast: %(missing)s."
        ) % {"missing": ", ".join(missing)}
    return None
