"""Version 1 of the protocol (July 2020): installed by migration 0002 (and by tests after a flush).

The text lives in ``policy/seed/`` as Markdown: the seed PDF's wording, word for word, with only
its page-break artefacts removed. The dates of the (G)MR's consent and the board's adoption are
the demo's: the seed leaves them blank.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

SEED = Path(__file__).resolve().parent / "seed"
COUNCIL_DECIDED_ON = datetime.date(2020, 6, 23)
ADOPTED_ON = datetime.date(2020, 7, 1)
EFFECTIVE_FROM = datetime.date(2020, 7, 1)


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
        "council_decided_on": COUNCIL_DECIDED_ON,
        "council_minutes_reference": "Notulen GMR-vergadering 23 juni 2020 (demo)",
        "adopted_on": ADOPTED_ON,
        "adopted_by_name": "Het bestuur van de SKOW",
        "effective_from": EFFECTIVE_FROM,
        "in_force_since": datetime.datetime(2020, 7, 1, tzinfo=ZoneInfo("Europe/Amsterdam")),
    }


def install_version_1(ProtocolVersion, ProtocolVersionEvent=None) -> None:
    """Create version 1 unless it exists; works with the real models and with a migration's."""
    version, created = ProtocolVersion.objects.get_or_create(number=1, defaults=version_1_defaults())
    if created and ProtocolVersionEvent is not None:
        steps = [
            ("", "draft", datetime.date(2020, 5, 1), ""),
            ("draft", "submitted", datetime.date(2020, 5, 12), ""),
            ("submitted", "council_consented", COUNCIL_DECIDED_ON, "Notulen GMR-vergadering 23 juni 2020 (demo)"),
            ("council_consented", "adopted", ADOPTED_ON, ""),
            ("adopted", "in_force", EFFECTIVE_FROM, ""),
        ]
        zone = ZoneInfo("Europe/Amsterdam")
        for from_status, to_status, day, note in steps:
            ProtocolVersionEvent.objects.create(
                version=version,
                from_status=from_status,
                to_status=to_status,
                at=datetime.datetime.combine(day, datetime.time(12), tzinfo=zone),
                note=note,
            )
