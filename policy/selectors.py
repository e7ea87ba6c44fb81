"""Reads of the protocol: the version in force, public versions, drafts, read receipts."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from accounts.constants import Role
from accounts.models import RoleAssignment, School, User

from .access import acknowledgement_schools_for as acknowledgement_schools_for
from .access import may_see_drafts
from .constants import PUBLIC_STATUSES, VersionStatus
from .models import Acknowledgement, ProtocolVersion


def protocol_version_in_force() -> ProtocolVersion | None:
    """The version in force now (one indexed query; the public page is cached as a whole)."""
    return ProtocolVersion.objects.filter(status=VersionStatus.IN_FORCE).first()


def protocol_version_in_force_on(*, day: datetime.date) -> ProtocolVersion | None:
    """The adopted version whose effective date is the latest on or before ``day`` (for reports)."""
    return (
        ProtocolVersion.objects.filter(status__in=PUBLIC_STATUSES, effective_from__lte=day)
        .order_by("-effective_from", "-number")
        .first()
    )


def protocol_versions_public() -> QuerySet[ProtocolVersion]:
    """Every adopted version, newest first (the history page)."""
    return ProtocolVersion.objects.filter(status__in=PUBLIC_STATUSES).order_by("-number")


def protocol_version_public(*, number: int) -> ProtocolVersion | None:
    return protocol_versions_public().filter(number=number).first()


def protocol_versions_in_progress_for(*, user: User) -> QuerySet[ProtocolVersion]:
    """Drafts and versions on their way (or refused), for those who may see drafts; else nothing."""
    if not may_see_drafts(user):
        return ProtocolVersion.objects.none()
    return (
        ProtocolVersion.objects.exclude(status__in=[VersionStatus.IN_FORCE, VersionStatus.SUPERSEDED])
        .select_related("created_by", "based_on")
        .order_by("-created_at")
    )


def protocol_version_for_drafting(*, user: User, pk: int) -> ProtocolVersion | None:
    """Any version by id for those who may see drafts (with its steps), else None."""
    if not may_see_drafts(user):
        return None
    return (
        ProtocolVersion.objects.select_related("created_by", "based_on", "adopted_by", "council_recorded_by")
        .prefetch_related("events__by")
        .filter(pk=pk)
        .first()
    )


# Read receipts ---------------------------------------------------------------------------------


def acknowledgement_of(*, user: User, version: ProtocolVersion) -> Acknowledgement | None:
    return Acknowledgement.objects.filter(staff_member=user, version=version).first()


def acknowledgement_latest_of(*, user: User) -> Acknowledgement | None:
    return (
        Acknowledgement.objects.filter(staff_member=user).select_related("version").order_by("-version__number").first()
    )


@dataclass
class StaffReadStatus:
    staff_member: User
    current: Acknowledgement | None  # of the version in force
    latest: Acknowledgement | None  # of any version

    @property
    def is_outdated(self) -> bool:
        return self.current is None and self.latest is not None


def acknowledgement_overview(
    *, user: User, school_id: int
) -> tuple[School, ProtocolVersion | None, list[StaffReadStatus]] | None:
    """Per staff member of one school: acknowledged the version in force, an older one, or none.

    None when the user may not see that school's read receipts (access.acknowledgement_schools_for).
    """
    school = acknowledgement_schools_for(user=user).filter(pk=school_id).first()
    if school is None:
        return None
    version = protocol_version_in_force()
    staff_ids = RoleAssignment.objects.filter(school=school, role__in=[Role.STAFF, Role.SCHOOL_LEADER]).values(
        "user_id"
    )
    people = (
        User.objects.filter(pk__in=staff_ids)
        .prefetch_related(
            Prefetch(
                "protocol_acknowledgements",
                queryset=Acknowledgement.objects.select_related("version").order_by("-version__number"),
                to_attr="acknowledgement_list",
            )
        )
        .order_by("last_name", "first_name", "email")
    )
    rows = []
    for person in people:
        acks = person.acknowledgement_list
        current = next((a for a in acks if version is not None and a.version_id == version.pk), None)
        rows.append(StaffReadStatus(staff_member=person, current=current, latest=acks[0] if acks else None))
    return school, version, rows


def staff_not_acknowledged(*, version: ProtocolVersion) -> QuerySet[User]:
    """Staff members of any school who have not acknowledged this version."""
    return (
        User.objects.filter(role_assignments__role__in=[Role.STAFF, Role.SCHOOL_LEADER], is_active=True)
        .exclude(protocol_acknowledgements__version=version)
        .distinct()
    )
