"""Who asks, reads and answers a question to one's leader (protocol B.3, B.4): every rule of it, once.

1. **Asking** (``schools_to_ask_in``, ``may_ask``): a staff member asks "zijn/haar leidinggevende", so
   in a school where they work (a staff or school-leader role).
2. **Whose leader** (``consultation_leaders``): the school leaders of that school, not the asker; a
   school leader who asks about their own conduct asks the directeur-bestuurder, the board
   (``Consultation.for_board``, fixed when the question is asked).
3. **Who reads a thread** (``consultations_visible_to``): the asker and those leaders; nobody else —
   not another school's leadership, not the board for a staff member's question, not a parent. Any
   other reader gets 404.
4. **Who answers and who turns it into a case** (``is_leader_side``, ``check_reply``,
   ``check_convert``): both sides reply while it is a question; only the leader side turns it into a
   case, once, and then the thread is closed for replies (the case goes on in the case file).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from accounts.constants import Role
from accounts.models import School, User
from common.refusals import ActionRefused

from .models import Consultation


def schools_to_ask_in(*, user: User) -> QuerySet[School]:
    if not user.is_authenticated:
        return School.objects.none()
    return School.objects.filter(
        pk__in=user.school_ids_for(Role.STAFF) | user.school_ids_for(Role.SCHOOL_LEADER)
    ).order_by("name")


def may_ask(user: User) -> bool:
    return user.is_authenticated and bool(user.school_ids_for(Role.STAFF) | user.school_ids_for(Role.SCHOOL_LEADER))


def asks_the_board(*, user: User, school: School) -> bool:
    """A school's leader asks the directeur-bestuurder (rule 2)."""
    return school.pk in user.school_ids_for(Role.SCHOOL_LEADER)


def consultation_leaders(*, consultation: Consultation) -> QuerySet[User]:
    """Whom the question is for: the school's leaders, or the board for a leader's own question."""
    if consultation.for_board:
        leaders = User.objects.filter(role_assignments__role=Role.BOARD)
    else:
        leaders = User.objects.filter(
            role_assignments__role=Role.SCHOOL_LEADER, role_assignments__school_id=consultation.school_id
        )
    return leaders.filter(is_active=True).exclude(pk=consultation.asker_id).distinct()


def consultations_visible_to(*, user: User) -> QuerySet[Consultation]:
    """The asker's own questions, and those for ``user`` as leader (rule 3)."""
    if not user.is_authenticated:
        return Consultation.objects.none()
    mine = Q(asker=user)
    as_leader = Q(for_board=False, school_id__in=user.school_ids_for(Role.SCHOOL_LEADER))
    if user.is_board_member:
        as_leader |= Q(for_board=True)
    return Consultation.objects.filter(mine | (as_leader & ~Q(asker=user)))


def may_answer_consultations(user: User) -> bool:
    """Whether the menu shows the leader's list: a school leader or the board."""
    return user.is_authenticated and (user.is_school_leader or user.is_board_member)


def is_leader_side(*, user: User, consultation: Consultation) -> bool:
    return user.pk != consultation.asker_id and consultations_visible_to(user=user).filter(pk=consultation.pk).exists()


def check_visible(*, user: User, consultation: Consultation) -> None:
    if not consultations_visible_to(user=user).filter(pk=consultation.pk).exists():
        raise ActionRefused(_("Deze vraag is niet voor u."), status=404)


def check_reply(*, user: User, consultation: Consultation) -> None:
    check_visible(user=user, consultation=consultation)
    if consultation.case_id is not None:
        raise ActionRefused(_("Van deze vraag is een melding gemaakt; het gesprek gaat verder in het dossier."))


def check_convert(*, user: User, consultation: Consultation) -> None:
    check_visible(user=user, consultation=consultation)
    if user.pk == consultation.asker_id:
        raise ActionRefused(_("Alleen de leidinggevende maakt van een vraag een melding."), status=404)
    if consultation.case_id is not None:
        raise ActionRefused(_("Van deze vraag is al een melding gemaakt."))
