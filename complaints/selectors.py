"""Reads of the complaints track, already limited to what the asking person may see."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.constants import Role
from accounts.models import User

from .access import complaints_handled_by, complaints_visible_to, may_decide, may_handle, may_handle_complaints  # noqa: F401
from .models import Complaint, ComplaintEntry


def complaint_list_for_complainant(*, user: User) -> QuerySet[Complaint]:
    return Complaint.objects.filter(complainant=user).select_related("school").order_by("-filed_at", "-pk")


def complaint_list_for_handler(*, user: User) -> QuerySet[Complaint]:
    return complaints_handled_by(user).select_related("school").order_by("-filed_at", "-pk")


def complaint_history(*, complaint: Complaint) -> QuerySet[ComplaintEntry]:
    return complaint.entries.select_related("by").order_by("at", "pk")


def complaint_handlers(complaint: Complaint) -> list[User]:
    """Who is told of a new complaint: the school's leaders (unless it is about them) and the board."""
    people = User.objects.filter(is_active=True, role_assignments__role=Role.BOARD)
    if not complaint.is_about_leadership:
        people = people | User.objects.filter(
            is_active=True, role_assignments__role=Role.SCHOOL_LEADER, role_assignments__school=complaint.school
        )
    return list(people.distinct())
