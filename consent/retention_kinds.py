"""Consent's kinds of record in the retention registry (retention/registry.py): the decisions with
their proofs (paper scans), and the takedown tasks once done."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from retention.registry import RecordKind, record_kinds

from .models import ConsentCampaign, ConsentChainHead, ConsentDecision, Publication, TakedownTask
from .scans import scan_delete

DECISION_KIND = "consent_decision"
TAKEDOWN_KIND = "consent_takedown"
CAMPAIGN_KIND = "consent_campaign"


def decisions_no_longer_relied_on(cutoff: datetime.datetime) -> QuerySet[ConsentDecision]:
    """Decisions about pupils who left before ``cutoff`` (the pupil import records the day) and who
    appear in no publication: a publication relies on the consent that counted when it went out
    (AVG art. 7(1): the school must be able to show it), so those decisions stay."""
    published = Publication.objects.filter(pupils=OuterRef("pupil_id"))
    return ConsentDecision.objects.filter(
        pupil__left_on__isnull=False, pupil__left_on__lt=timezone.localdate(cutoff)
    ).exclude(Exists(published))


def decisions_erase(decisions: QuerySet[ConsentDecision], now: datetime.datetime) -> int:
    """Delete the decisions; the scans of paper forms go once the deletion is committed."""
    rows = list(decisions.values_list("pk", "scan_name", "pupil_id"))
    ConsentDecision.objects.filter(pk__in=[pk for pk, _scan, _pupil in rows]).delete()
    # A pupil's hash chain of decisions (common/hashchain.py) ends with its last decision: with no
    # decision left there is nothing to verify, and the head would keep the pupil's row alive.
    pupils = {pupil for _pk, _scan, pupil in rows if pupil}
    ConsentChainHead.objects.filter(pupil_id__in=pupils).exclude(
        pupil_id__in=ConsentDecision.objects.filter(pupil_id__in=pupils).values("pupil_id")
    ).delete()
    scans = [scan for _pk, scan, _pupil in rows if scan]
    transaction.on_commit(lambda: [scan_delete(scan) for scan in scans])
    return len(rows)


def takedowns_done_before(cutoff: datetime.datetime) -> QuerySet[TakedownTask]:
    return TakedownTask.objects.filter(done_at__lt=cutoff)


def takedowns_erase(tasks: QuerySet[TakedownTask], now: datetime.datetime) -> int:
    count, _per_model = TakedownTask.objects.filter(pk__in=list(tasks.values_list("pk", flat=True))).delete()
    return count


def campaigns_closed_before(cutoff: datetime.datetime) -> QuerySet[ConsentCampaign]:
    """Campaigns whose links stopped working (the school year's end) before ``cutoff``."""
    return ConsentCampaign.objects.filter(closes_at__lt=cutoff)


def campaigns_erase(campaigns: QuerySet[ConsentCampaign], now: datetime.datetime) -> int:
    """Delete the campaigns with their invitations and reminders; the decisions stay (their own kind)."""
    pks = list(campaigns.values_list("pk", flat=True))
    ConsentCampaign.objects.filter(pk__in=pks).delete()
    return len(pks)


def register_consent_kinds() -> None:
    record_kinds.register(
        RecordKind(
            key=CAMPAIGN_KIND,
            label=_("Toestemmingsrondes en uitnodigingen (wie is gevraagd, herinnerd, heeft geantwoord)"),
            starts=_("na het einde van het schooljaar van de ronde"),
            source=_(
                "AVG art. 5 lid 1 onder e: niet langer dan nodig. De wet noemt geen minimum; standaard een jaar, "
                "zodat de volgende ronde de vorige nog kan zien."
            ),
            default_days=365,
            minimum_days=0,
            due=campaigns_closed_before,
            erase=campaigns_erase,
            order=36,
        )
    )
    record_kinds.register(
        RecordKind(
            key=DECISION_KIND,
            label=_("Toestemmingsbesluiten en scans van papieren formulieren"),
            starts=_("na vertrek van de leerling, zolang geen publicatie erop steunt"),
            source=_(
                "AVG art. 7 lid 1: de school moet toestemming kunnen aantonen zolang zij erop steunt; daarna "
                "art. 5 lid 1 onder e. Kennisnet bewaartermijnenoverzicht (PO-Raad): een jaar na vertrek. "
                "Minimaal 30 dagen, om een vraag over een publicatie van net voor het vertrek te kunnen beantwoorden."
            ),
            default_days=365,
            minimum_days=30,
            due=decisions_no_longer_relied_on,
            erase=decisions_erase,
            order=30,
        )
    )
    record_kinds.register(
        RecordKind(
            key=TAKEDOWN_KIND,
            label=_("Afgeronde verwijdertaken na intrekking van toestemming"),
            starts=_("nadat de publicatie is verwijderd"),
            source=_(
                "AVG art. 7 lid 3 en art. 5 lid 1 onder e: de taak toont dat een ingetrokken toestemming is "
                "nagekomen. De wet noemt geen minimum."
            ),
            default_days=365,
            minimum_days=0,
            due=takedowns_done_before,
            erase=takedowns_erase,
            order=35,
        )
    )
