"""Version 1 of the protocol (July 2020): installed by migration 0004 (and by tests after a flush).

The text lives in ``policy/seed/`` as Markdown: the seed PDF's wording, word for word, with only
its page-break artefacts removed. The seed leaves the dates of the (G)MR's consent and the board's
adoption blank ("na instemming van de (G)MR op … door het bestuur vastgesteld op …"), and the portal
does not invent them: version 1 is installed as adopted before the portal existed, and the board or
functional admin records its real dates once (services.protocol_version_record_dates). Until then
the public page says they are not yet recorded. Only ``seed_demo`` fills demonstration dates.

The effective date stays 1 July 2020: the seed is signed "Wassenaar, juli 2020", reports are pinned
to the version in force on the day of an incident, and the board corrects it when it records the
dates.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.utils import timezone

SEED = Path(__file__).resolve().parent / "seed"
EFFECTIVE_FROM = datetime.date(2020, 7, 1)
INSTALLED_NOTE = (
    "Versie 1 is in juli 2020 vastgesteld, vóór er een portal was. "
    "De datums van de instemming van de (G)MR en de vaststelling door het bestuur worden in de portal vastgelegd."
)

# What migration 0002 of an earlier release wrote into every installation: dates nobody recorded.
INVENTED = {
    "council_decided_on": datetime.date(2020, 6, 23),
    "council_minutes_reference": "Notulen GMR-vergadering 23 juni 2020 (demo)",
    "adopted_on": datetime.date(2020, 7, 1),
    "adopted_by_name": "Het bestuur van de SKOW",
}
INVENTED_STEPS = {
    ("", "draft", datetime.date(2020, 5, 1)),
    ("draft", "submitted", datetime.date(2020, 5, 12)),
    ("submitted", "council_consented", datetime.date(2020, 6, 23)),
    ("council_consented", "adopted", datetime.date(2020, 7, 1)),
    ("adopted", "in_force", datetime.date(2020, 7, 1)),
}
ZONE = ZoneInfo("Europe/Amsterdam")


def seed_text(name: str) -> str:
    return (SEED / name).read_text(encoding="utf-8")


def version_1_defaults() -> dict:
    return {
        "status": "in_force",
        "title": "Protocol Sociale Media SKOW",
        "body": seed_text("v1_protocol.md"),
        "explanation": seed_text("v1_explanation.md"),
        "summary_for_parents": seed_text("v1_summary.md"),
        "change_note": "Eerste versie van het protocol.",
        "adopted_before_portal": True,
        "effective_from": EFFECTIVE_FROM,
        "in_force_since": datetime.datetime(2020, 7, 1, tzinfo=ZONE),
    }


def _record_installation(version, ProtocolVersionEvent) -> None:
    ProtocolVersionEvent.objects.create(
        version=version,
        kind="installed",
        from_status="",
        to_status=version.status,
        at=timezone.now(),
        note=INSTALLED_NOTE,
    )


def _the_protocol(ProtocolVersion) -> dict:
    """The lookup of the protocol's versions: other documents number their own from 1 too (since
    migration 0005; a migration before it has no ``document`` and only the protocol)."""
    has_documents = any(field.name == "document" for field in ProtocolVersion._meta.get_fields())
    return {"document": "protocol"} if has_documents else {}


def install_version_1(ProtocolVersion, ProtocolVersionEvent) -> None:
    """Create version 1 unless it exists; works with the real models and with a migration's."""
    version, created = ProtocolVersion.objects.get_or_create(
        number=1, **_the_protocol(ProtocolVersion), defaults=version_1_defaults()
    )
    if created:
        _record_installation(version, ProtocolVersionEvent)


def clear_invented_dates(ProtocolVersion, ProtocolVersionEvent) -> bool:
    """An installation of an earlier release: take back the dates its migration invented for version 1.

    Only values that are exactly what that migration wrote are cleared (a date recorded by a person
    is left alone), with the five steps it made up; one line "in de portal gezet" takes their place.
    Version 1 is marked as adopted before the portal, so the board is asked to record its dates.
    Returns whether anything was cleared.
    """
    version = ProtocolVersion.objects.filter(number=1, based_on__isnull=True, **_the_protocol(ProtocolVersion)).first()
    if version is None:
        return False
    ProtocolVersion.objects.filter(pk=version.pk).update(adopted_before_portal=True)
    invented = all(getattr(version, field) == value for field, value in INVENTED.items())
    if not invented or version.adopted_by_id is not None or version.council_recorded_by_id is not None:
        return False
    ProtocolVersion.objects.filter(pk=version.pk).update(
        council_decided_on=None,
        council_minutes_reference="",
        adopted_on=None,
        adopted_by_name="",
        dates_are_demo=False,
    )
    made_up = [
        event.pk
        for event in ProtocolVersionEvent.objects.filter(version=version, by__isnull=True)
        if (event.from_status, event.to_status, event.at.astimezone(ZONE).date()) in INVENTED_STEPS
        and event.at.astimezone(ZONE).time() == datetime.time(12)
    ]
    ProtocolVersionEvent.objects.filter(pk__in=made_up).delete()
    version.refresh_from_db()
    _record_installation(version, ProtocolVersionEvent)
    return True
