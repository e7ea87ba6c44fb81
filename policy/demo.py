"""Demo data of the policy app: a draft on its way to the (G)MR, and one read receipt.

Version 1 itself comes from the data migration. Idempotent: a second run adds nothing.
"""

from __future__ import annotations

from accounts.models import User

from . import selectors, services
from .models import ProtocolVersion

DEMO_NOTE = "B.1: een groepsapp is er ook voor ouders, niet alleen voor leerlingen (demo)."


def seed() -> list:
    board = User.objects.filter(email="bestuur@demo.skow.nl").first()
    leader = User.objects.filter(email="directeur.jozef@demo.skow.nl").first()
    in_force = selectors.protocol_version_in_force()
    if board is None or in_force is None:
        return []
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
