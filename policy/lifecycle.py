"""The life of a protocol version: one table of allowed transitions and who may make them.

WMS art. 10: the board needs the (G)MR's *prior* consent for rules on safety policy, so adoption
follows only a recorded consent; there is no transition by timeout (silence is not consent).
Drafts are written by the board and by functional admins (the "drafting role"). Who may write,
see and decide is asked of this table in policy/access.py.
"""

from __future__ import annotations

from accounts.models import User

from .constants import Actor, VersionStatus

S = VersionStatus

# (from, to) -> who may make it. Change the table, and the services and tests follow.
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (S.DRAFT, S.SUBMITTED): frozenset({Actor.DRAFTER}),
    (S.SUBMITTED, S.COUNCIL_CONSENTED): frozenset({Actor.COUNCIL_SECRETARY}),
    (S.SUBMITTED, S.COUNCIL_REFUSED): frozenset({Actor.COUNCIL_SECRETARY}),
    (S.COUNCIL_CONSENTED, S.ADOPTED): frozenset({Actor.BOARD}),
    (S.ADOPTED, S.IN_FORCE): frozenset({Actor.SYSTEM}),
    (S.IN_FORCE, S.SUPERSEDED): frozenset({Actor.SYSTEM}),
    # A draft whose base was replaced is carried onto the new one as a new draft (consent again).
    (S.DRAFT, S.CARRIED_OVER): frozenset({Actor.DRAFTER}),
    (S.SUBMITTED, S.CARRIED_OVER): frozenset({Actor.DRAFTER}),
    (S.COUNCIL_CONSENTED, S.CARRIED_OVER): frozenset({Actor.DRAFTER}),
}


def actors_of(user: User | None) -> frozenset[str]:
    """The lifecycle roles a person holds; ``None`` is the portal itself (beat task, adoption)."""
    if user is None:
        return frozenset({Actor.SYSTEM})
    actors = set()
    if user.is_board_member:
        actors |= {Actor.BOARD, Actor.DRAFTER}
    if user.is_functional_admin:
        actors.add(Actor.DRAFTER)
    if user.is_council_secretary:
        actors.add(Actor.COUNCIL_SECRETARY)
    return frozenset(actors)


def may_transition(*, user: User | None, from_status: str, to_status: str) -> bool:
    """Whether the table lets ``user`` (None: the portal) move a version between these statuses."""
    allowed = TRANSITIONS.get((from_status, to_status), frozenset())
    return bool(allowed & actors_of(user))
