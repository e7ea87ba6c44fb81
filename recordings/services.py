"""Writes of recording permissions: record one for a group, point a case to one (recordings/access.py)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Group, User
from common.refusals import ActionRefused
from reports.constants import TimelineKind
from reports.models import Case
from reports.services import case_timeline_add

from .access import check_case_link, may_record_for_group, may_withdraw_permission
from .models import CaseRecordingPermission, RecordingPermission


def recording_permission_record(
    *,
    by: User,
    group: Group,
    kind: str,
    recorded_by: str,
    purpose: str,
    valid_from: datetime.date,
    valid_until: datetime.date,
    lesson: str = "",
) -> RecordingPermission:
    """``by`` (a teacher of ``group`` or its school's leadership, A.1) allows a recording beforehand.

    Raises ActionRefused (404) when ``by`` may not; ValidationError when the period runs backwards or
    a text is empty."""
    if not may_record_for_group(user=by, group=group):
        raise ActionRefused(_("U geeft geen toestemming voor deze groep."), status=404)
    errors = {}
    if not recorded_by.strip():
        errors["recorded_by"] = _("Vul in wie mag opnemen.")
    if not purpose.strip():
        errors["purpose"] = _("Vul het doel in.")
    if valid_until < valid_from:
        errors["valid_until"] = _("De einddatum ligt vóór de begindatum.")
    if errors:
        raise ValidationError(errors)
    return RecordingPermission.objects.create(
        group=group,
        kind=kind,
        lesson=lesson.strip(),
        recorded_by=recorded_by.strip(),
        purpose=purpose.strip(),
        valid_from=valid_from,
        valid_until=valid_until,
        granted_by=by,
    )


def recording_permission_withdraw(*, permission: RecordingPermission, by: User, reason: str) -> RecordingPermission:
    """``by`` (who gave it, or the leadership of the group's school) withdraws ``permission`` early,
    with a reason; from now on it is not in force. Recorded, never deleted.

    Raises ActionRefused (404) when ``by`` may not; (403) when it was withdrawn already or has ended;
    ValidationError when the reason is empty."""
    if not may_withdraw_permission(user=by, permission=permission):
        raise ActionRefused(_("U kunt deze toestemming niet intrekken."), status=404)
    if not reason.strip():
        raise ValidationError({"reason": _("Vul in waarom u de toestemming intrekt.")})
    with transaction.atomic():
        permission = RecordingPermission.objects.select_for_update().get(pk=permission.pk)
        if permission.withdrawn_at is not None:
            raise ActionRefused(_("Deze toestemming is al ingetrokken."))
        if permission.valid_until < timezone.localdate():
            raise ActionRefused(_("Deze toestemming is al verlopen; intrekken is niet meer nodig."))
        permission.withdrawn_at = timezone.now()
        permission.withdrawn_by = by
        permission.withdrawal_reason = reason.strip()
        permission.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    return permission


def recording_permission_link(*, case: Case, permission: RecordingPermission, by: User) -> CaseRecordingPermission:
    """The handler points ``case`` to the permission that covered the recording; on the timeline.

    Raises ActionRefused (404) when ``by`` does not handle the case or the permission is another
    school's; (403) when it is linked already."""
    check_case_link(user=by, case=case, permission=permission)
    try:
        with transaction.atomic():
            link = CaseRecordingPermission.objects.create(case=case, permission=permission, linked_by=by)
            case_timeline_add(
                case=case,
                kind=TimelineKind.NOTE,
                author=by,
                summary=_("Opnametoestemming gekoppeld: %(permission)s, gegeven door %(by)s")
                % {"permission": permission, "by": permission.granted_by},
                data={"recording_permission_id": permission.pk},
            )
    except IntegrityError:
        raise ActionRefused(_("Deze toestemming is al aan het dossier gekoppeld.")) from None
    return link
