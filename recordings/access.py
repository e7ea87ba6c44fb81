"""Who records and reads permissions to record in class (protocol A.1, A.7): every rule of it, once.

1. **Recording a permission for a group** (``groups_for_recording``, ``may_record_for_group``): A.1
   names who gives it, "de schoolleiding respectievelijk leraren": a teacher of the group, and the
   leadership of the group's school (a school leader their own, the board every school:
   ``accounts.access.schools_led_by``). The same people see the group's permissions; nobody else
   (a parent, a pupil, a teacher of another group) sees the page: 404.
2. **Withdrawing a permission early** (``may_withdraw_permission``): who gave it, and the leadership
   of the group's school; only while it has not ended or been withdrawn already.
3. **Pointing a case to a permission** (``check_case_link``): whoever handles the case
   (``reports.access.may_handle_case``), to a permission of the case's own school only.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from accounts.access import leads_schools, schools_led_by
from accounts.models import Group, User
from common.refusals import ActionRefused
from reports.access import may_handle_case
from reports.models import Case

from .models import RecordingPermission


def groups_for_recording(*, user: User) -> QuerySet[Group]:
    """The groups whose recording permissions ``user`` gives and reads: those they teach, and every
    group of a school they lead."""
    if not user.is_authenticated:
        return Group.objects.none()
    return Group.objects.filter(Q(teachers=user) | Q(school__in=schools_led_by(user=user))).distinct()


def may_record_for_group(*, user: User, group: Group) -> bool:
    return groups_for_recording(user=user).filter(pk=group.pk).exists()


def may_withdraw_permission(*, user: User, permission: RecordingPermission) -> bool:
    """Who gave ``permission``, or the leadership of its group's school (A.1 names both as who allows)."""
    if not user.is_authenticated:
        return False
    return (
        permission.granted_by_id == user.pk or schools_led_by(user=user).filter(pk=permission.group.school_id).exists()
    )


def withdrawable_ids(*, user: User, group: Group, permissions: list[RecordingPermission]) -> set[int]:
    """Of ``permissions`` (all of ``group``), those ``user`` may withdraw (``may_withdraw_permission``),
    in one query: all when they lead the group's school, else those they gave."""
    if not user.is_authenticated:
        return set()
    if schools_led_by(user=user).filter(pk=group.school_id).exists():
        return {p.pk for p in permissions}
    return {p.pk for p in permissions if p.granted_by_id == user.pk}


def may_use_recordings(*, user: User) -> bool:
    """Whether the menu shows the page (from the roles, without a query): staff, who teach groups,
    and a school's leadership; which groups is ``groups_for_recording``."""
    return user.is_authenticated and (user.is_staff_member or leads_schools(user))


def check_case_link(*, user: User, case: Case, permission: RecordingPermission) -> None:
    """Raise unless ``user`` handles ``case`` and ``permission`` is of the case's school (404 either way:
    another school's permission is not revealed)."""
    if not may_handle_case(user=user, case=case) or permission.group.school_id != case.school_id:
        raise ActionRefused(_("Deze toestemming hoort niet bij dit dossier."), status=404)
