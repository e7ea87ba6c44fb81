"""Who files, sees and handles a complaint (the board's klachtenregeling).

The rules, each once:

- Anyone logged in may file a complaint about a school; the complainant sees their own.
- A complaint is handled by the leadership of its school and by the board (the competent
  authority); one about the school's leadership by the board only.
- The committee's advice and the board's decision on it are the board's (WPO art. 14: the board
  decides, within four weeks of the advice).
- Nobody else sees a complaint: 404.
"""

from __future__ import annotations

from http import HTTPStatus

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from accounts.access import leads_schools
from accounts.constants import Role
from accounts.models import User
from common.refusals import ActionRefused

from .models import Complaint


def may_file_complaint(user: User) -> bool:
    return user.is_authenticated and user.is_active


def complaints_handled_by(user: User) -> QuerySet[Complaint]:
    """The complaints this person handles: the board every one, a leader those of their schools that
    are not about the leadership."""
    if not leads_schools(user):
        return Complaint.objects.none()
    if user.is_board_member:
        return Complaint.objects.all()
    return Complaint.objects.filter(school_id__in=user.school_ids_for(Role.SCHOOL_LEADER), is_about_leadership=False)


def may_handle_complaints(user: User) -> bool:
    return leads_schools(user)


def complaints_visible_to(user: User) -> QuerySet[Complaint]:
    """Own complaints and the ones this person handles."""
    if not user.is_authenticated:
        return Complaint.objects.none()
    return Complaint.objects.filter(Q(complainant=user) | Q(pk__in=complaints_handled_by(user).values("pk")))


def may_handle(user: User, complaint: Complaint) -> bool:
    return complaints_handled_by(user).filter(pk=complaint.pk).exists()


def check_handles(user: User, complaint: Complaint) -> None:
    if not may_handle(user, complaint):
        raise ActionRefused(_("Deze klacht bestaat niet."), status=HTTPStatus.NOT_FOUND)


def may_decide(user: User) -> bool:
    """The committee's advice and the decision on it: the board."""
    return user.is_authenticated and user.is_board_member


def decision_recipients() -> list[User]:
    """Who is reminded of the decision's term: the board."""
    return list(User.objects.filter(is_active=True, role_assignments__role=Role.BOARD).distinct())
