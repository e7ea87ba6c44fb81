"""Demo data of the policy app: demonstration dates for version 1, a draft on its way to the
(G)MR, and one read receipt.

Version 1 itself comes from the data migration, without dates (only recorded facts are published);
this is the only place that fills demonstration dates, and the public page then says "(demo)".
Idempotent: a second run adds nothing, and dates a person recorded are never overwritten.
"""

from __future__ import annotations

import datetime

from accounts.models import User

from . import selectors, services
from .models import ProtocolVersion

DEMO_COUNCIL_DECIDED_ON = datetime.date(2020, 6, 23)
DEMO_ADOPTED_ON = datetime.date(2020, 7, 1)
DEMO_NOTE = "B.1: een groepsapp is er ook voor ouders, niet alleen voor leerlingen (demo)."


def seed() -> list:
    board = User.objects.filter(email="bestuur@demo.skow.nl").first()
    leader = User.objects.filter(email="directeur.jozef@demo.skow.nl").first()
    in_force = selectors.protocol_version_in_force()
    if board is None or in_force is None:
        return []
    version_1 = selectors.protocol_version_public(number=1)
    if version_1 is not None and version_1.awaits_recorded_dates:
        services.protocol_version_record_dates(
            version=version_1,
            by=None,
            council_decided_on=DEMO_COUNCIL_DECIDED_ON,
            minutes_reference="Notulen GMR-vergadering 23 juni 2020",
            adopted_on=DEMO_ADOPTED_ON,
            adopted_by_name="Het bestuur van de SKOW",
            effective_from=version_1.effective_from or DEMO_ADOPTED_ON,
            is_demo=True,
        )
    if not ProtocolVersion.objects.filter(change_note=DEMO_NOTE).exists():
        draft = services.protocol_draft_create(by=board, change_note=DEMO_NOTE)
        services.protocol_draft_update(
            version=draft,
            by=board,
            title=draft.title,
            body=draft.body.replace(
                "ten behoeve van leerlingen van de klas waaraan hij lesgeeft.",
                "ten behoeve van leerlingen en ouders van de klas waaraan hij lesgeeft.",
            ),
            explanation=draft.explanation,
            summary_for_parents=draft.summary_for_parents,
            change_note=DEMO_NOTE,
        )
        services.protocol_version_submit(version=draft, by=board)
    if leader is not None:
        services.protocol_acknowledge(version=in_force, staff_member=leader)
    return []
