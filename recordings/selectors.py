"""Reads of recording permissions, scoped to the asking user (recordings/access.py)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.models import Group, User, current_school_year
from reports.constants import Category
from reports.models import Case

from .access import groups_for_recording
from .models import CaseRecordingPermission, RecordingPermission

__all__ = [
    "case_permission_answer",
    "group_for",
    "group_list_for",
    "groups_for_recording",
    "permission_for",
    "permissions_of_group",
]

# The report categories that ask "was there permission?": recording in class or of lessons (A.1, A.7).
RECORDING_CATEGORIES = frozenset({Category.RECORDING_LESSONS})


def group_for(*, user: User, pk: int) -> Group | None:
    """The group when ``user`` gives its recording permissions, else None (the view answers 404)."""
    return groups_for_recording(user=user).select_related("school").filter(pk=pk).first()


def permission_for(*, user: User, pk: int) -> RecordingPermission | None:
    """The permission when ``user`` reads its group's permissions, else None (the view answers 404)."""
    return (
        RecordingPermission.objects.filter(group__in=groups_for_recording(user=user), pk=pk)
        .select_related("group__school", "granted_by", "withdrawn_by")
        .first()
    )


def group_list_for(*, user: User, today: datetime.date | None = None) -> QuerySet[Group]:
    """This school year's groups of ``user``, each with ``in_force``: how many permissions hold today."""
    today = today or timezone.localdate()
    return (
        groups_for_recording(user=user)
        .filter(school_year=current_school_year(today))
        .select_related("school")
        .annotate(
            in_force=Count(
                "recording_permissions",
                filter=Q(
                    recording_permissions__valid_from__lte=today,
                    recording_permissions__valid_until__gte=today,
                    recording_permissions__withdrawn_at__isnull=True,
                ),
                distinct=True,
            )
        )
        .order_by("school__name", "grade", "name")
    )


def permissions_of_group(*, group: Group, today: datetime.date | None = None) -> dict[str, list[RecordingPermission]]:
    """The group's permissions: ``in_force`` today, ``coming`` later, ``withdrawn`` early and ``ended``
    before (the last two newest first)."""
    today = today or timezone.localdate()
    result: dict[str, list[RecordingPermission]] = {"in_force": [], "coming": [], "withdrawn": [], "ended": []}
    permissions = group.recording_permissions.select_related("granted_by", "withdrawn_by").order_by("valid_from", "pk")
    for permission in permissions:
        if permission.withdrawn_at is not None:
            result["withdrawn"].append(permission)
        elif permission.valid_until < today:
            result["ended"].append(permission)
        elif permission.valid_from > today:
            result["coming"].append(permission)
        else:
            result["in_force"].append(permission)
    result["ended"].reverse()
    result["withdrawn"].reverse()
    return result


@dataclass
class DayAnswer:
    """One incident day of a case about recording: the permissions of the school that covered it."""

    day: datetime.date
    covering: list[RecordingPermission] = field(default_factory=list)


@dataclass
class PermissionAnswer:
    """ "Was there permission?" for a case: per incident day, and the permissions the handler linked."""

    days: list[DayAnswer]
    linked: list[CaseRecordingPermission]

    @property
    def linked_ids(self) -> set[int]:
        return {link.permission_id for link in self.linked}


def case_permission_answer(*, case: Case) -> PermissionAnswer | None:
    """None unless one of the case's reports is about recording in class (A.1, A.7); then, for each
    incident day, every permission of the case's school in force that day. The caller has checked
    that the reader handles the case (the case page)."""
    days = sorted(set(case.reports.filter(category__in=RECORDING_CATEGORIES).values_list("happened_on", flat=True)))
    if not days:
        return None
    covering = list(
        RecordingPermission.objects.filter(group__school_id=case.school_id)
        .filter(Q(*[Q(valid_from__lte=day, valid_until__gte=day) for day in days], _connector=Q.OR))
        .select_related("group", "granted_by", "withdrawn_by")
        .order_by("group__grade", "group__name", "valid_from")
    )
    linked = list(case.recording_permissions.select_related("permission__group", "linked_by").order_by("linked_at"))
    return PermissionAnswer(
        days=[DayAnswer(day=day, covering=[p for p in covering if p.covers(day)]) for day in days], linked=linked
    )
