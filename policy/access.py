"""Who may write, see, decide on and confirm the protocol: every rule of it, once.

1. **Drafts** (``may_draft``, ``may_see_drafts``): the board and functional admins write drafts
   (the "drafting role"); the board, the (G)MR secretary and the drafters see them.
2. **The steps of a version's life** (``may_take_step``): who may move a version from its status to
   the next is one table, ``policy/lifecycle.py`` (submit: a drafter; the (G)MR's consent or
   refusal: its secretary, WMS art. 10; adoption: the board; taking effect: the portal). This file
   asks it; the services and the draft page read the answer here.
3. **Read receipts** (``may_acknowledge_protocol``, ``acknowledgement_schools_for``,
   ``may_remind_staff_of``): every staff member confirms having read the version in force (CAO PO
   art. 11.2: rules count once the employer has provided them); a school's leaders see who has not
   and may remind them now, the board sees (and reminds) every school.
4. **Dates of a version adopted before the portal** (``may_record_version_dates``): version 1 was
   adopted in 2020; the board or a functional admin records its real dates once, in the portal.

Services raise ``common.refusals.ActionRefused`` with a Dutch sentence when a rule says no; views
and templates ask the same functions (a page the reader may not use answers 404).
"""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.access import schools_led_by
from accounts.models import School, User

from .constants import Actor
from .lifecycle import actors_of, may_transition
from .models import ProtocolVersion

# 1. Drafts ------------------------------------------------------------------------------------------


def may_draft(user: User) -> bool:
    """The board and functional admins write drafts and change a draft's text."""
    return user.is_authenticated and Actor.DRAFTER in actors_of(user)


def may_see_drafts(user: User) -> bool:
    """Drafts are seen by the board, the (G)MR secretary and those who write drafts."""
    return bool(user.is_authenticated and actors_of(user) & {Actor.DRAFTER, Actor.BOARD, Actor.COUNCIL_SECRETARY})


# 2. The steps of a version's life -------------------------------------------------------------------


def may_record_version_dates(user: User | None) -> bool:
    """The board and functional admins (the drafting role) record the dates of version 1."""
    return user is not None and may_draft(user)


def may_take_step(*, user: User | None, version: ProtocolVersion, to_status: str) -> bool:
    """Whether ``user`` (None: the portal itself) may move ``version`` from its status to
    ``to_status`` (the table in policy/lifecycle.py)."""
    return may_transition(user=user, from_status=version.status, to_status=to_status)


# 3. Read receipts -------------------------------------------------------------------------------------


def may_acknowledge_protocol(user: User) -> bool:
    """Staff members (school leaders too) confirm having read the version in force (CAO PO art. 11.2)."""
    return user.is_authenticated and user.is_staff_member


def acknowledgement_schools_for(*, user: User) -> QuerySet[School]:
    """Schools whose read receipts ``user`` sees: the schools they lead, every school for the board
    (accounts.access.schools_led_by); not the back office."""
    return schools_led_by(user=user)


def may_remind_staff_of(*, user: User, school: School) -> bool:
    """Whoever sees a school's read receipts may remind its staff who have not read the version in force."""
    return user.is_authenticated and acknowledgement_schools_for(user=user).filter(pk=school.pk).exists()
