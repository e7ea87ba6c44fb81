"""Reads of the protocol: the version in force, public versions, drafts, read receipts."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from accounts.constants import Role
from accounts.models import RoleAssignment, School, User

from .access import acknowledgement_schools_for as acknowledgement_schools_for
from .access import may_see_drafts
from .articles import document_of
from .constants import CARRYABLE_STATUSES, PUBLIC_STATUSES, REMIND_NOW_PAUSE_HOURS, Document, VersionStatus
from .models import Acknowledgement, AcknowledgementReminder, ProtocolVersion


def document_version_in_force(*, document: str) -> ProtocolVersion | None:
    """The version of ``document`` in force now (one indexed query)."""
    return ProtocolVersion.objects.filter(document=document, status=VersionStatus.IN_FORCE).first()


def document_sections_of(version: ProtocolVersion) -> list:
    """The version's text as sections and articles, its blanks filled with the recorded dates
    (for another app's page that publishes a document, with the template policy/_document.html)."""
    return document_of(version).sections


def protocol_version_in_force() -> ProtocolVersion | None:
    """The protocol's version in force now (the public page is cached as a whole)."""
    return document_version_in_force(document=Document.PROTOCOL)


def protocol_version_in_force_on(*, day: datetime.date) -> ProtocolVersion | None:
    """The adopted version whose effective date is the latest on or before ``day`` (for reports)."""
    return (
        ProtocolVersion.objects.filter(document=Document.PROTOCOL, status__in=PUBLIC_STATUSES, effective_from__lte=day)
        .order_by("-effective_from", "-number")
        .first()
    )


def protocol_versions_public(*, document: str = Document.PROTOCOL) -> QuerySet[ProtocolVersion]:
    """Every adopted version of ``document``, newest first (the history page)."""
    return ProtocolVersion.objects.filter(document=document, status__in=PUBLIC_STATUSES).order_by("-number")


def protocol_version_public(*, number: int, document: str = Document.PROTOCOL) -> ProtocolVersion | None:
    return protocol_versions_public(document=document).filter(number=number).first()


def protocol_versions_awaiting_dates() -> list[ProtocolVersion]:
    """Versions adopted before the portal whose (G)MR consent and adoption dates are not yet recorded."""
    return [
        version
        for version in protocol_versions_public().filter(adopted_before_portal=True)
        if version.awaits_recorded_dates
    ]


def protocol_version_latest_adopted(*, document: str = Document.PROTOCOL) -> ProtocolVersion | None:
    """The newest adopted version of ``document``: the one in force, or one adopted to take effect later."""
    return protocol_versions_public(document=document).first()


def protocol_draft_base(version: ProtocolVersion) -> ProtocolVersion | None:
    """The adopted version a draft's text descends from (through refused drafts it amends)."""
    base = version.based_on
    while base is not None and base.status not in PUBLIC_STATUSES:
        base = base.based_on
    return base


def protocol_draft_is_outdated(version: ProtocolVersion) -> bool:
    """A draft (not yet adopted) whose base is no longer the newest adopted version: adopting it
    would undo what was adopted since. It can be carried onto the newest one (services)."""
    if version.status not in CARRYABLE_STATUSES:
        return False
    base, latest = protocol_draft_base(version), protocol_version_latest_adopted(document=version.document)
    return latest is not None and (base is None or base.pk != latest.pk)


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
    reminders: list[AcknowledgementReminder] = field(default_factory=list)  # of the version in force, newest first

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
    people = (
        _staff_of(school)
        .prefetch_related(
            Prefetch(
                "protocol_acknowledgements",
                queryset=Acknowledgement.objects.select_related("version").order_by("-version__number"),
                to_attr="acknowledgement_list",
            )
        )
        .order_by("last_name", "first_name", "email")
    )
    reminders: dict[int, list[AcknowledgementReminder]] = {}
    if version is not None:
        for reminder in (
            AcknowledgementReminder.objects.filter(version=version, staff_member__in=_staff_of(school))
            .select_related("sent_by")
            .order_by("-sent_at", "-pk")
        ):
            reminders.setdefault(reminder.staff_member_id, []).append(reminder)
    rows = []
    for person in people:
        acks = person.acknowledgement_list
        current = next((a for a in acks if version is not None and a.version_id == version.pk), None)
        rows.append(
            StaffReadStatus(
                staff_member=person,
                current=current,
                latest=acks[0] if acks else None,
                reminders=reminders.get(person.pk, []),
            )
        )
    return school, version, rows


def _staff_of(school: School) -> QuerySet[User]:
    staff_ids = RoleAssignment.objects.filter(school=school, role__in=[Role.STAFF, Role.SCHOOL_LEADER]).values(
        "user_id"
    )
    return User.objects.filter(pk__in=staff_ids)


def staff_not_acknowledged_at(*, school: School, version: ProtocolVersion) -> QuerySet[User]:
    """Active staff members (leaders too) of ``school`` who have not acknowledged ``version``."""
    return _staff_of(school).filter(is_active=True).exclude(protocol_acknowledgements__version=version)


def staff_not_acknowledged(*, version: ProtocolVersion) -> QuerySet[User]:
    """Staff members of any school who have not acknowledged this version."""
    return (
        User.objects.filter(role_assignments__role__in=[Role.STAFF, Role.SCHOOL_LEADER], is_active=True)
        .exclude(protocol_acknowledgements__version=version)
        .distinct()
    )


def staff_to_remind_now(*, school: School, version: ProtocolVersion, by: User) -> QuerySet[User]:
    """Whom a leader's "herinner nu" reaches: active staff of ``school`` who have not read ``version``,
    not ``by``, and not reminded (by anyone, or automatically) in the last REMIND_NOW_PAUSE_HOURS."""
    recent = AcknowledgementReminder.objects.filter(
        version=version, sent_at__gte=timezone.now() - datetime.timedelta(hours=REMIND_NOW_PAUSE_HOURS)
    ).values("staff_member_id")
    return staff_not_acknowledged_at(school=school, version=version).exclude(pk__in=recent).exclude(pk=by.pk)
