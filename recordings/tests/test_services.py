"""Recording permissions (protocol A.1, A.7): who gives them, what the group page and a case show."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.tests.factories import GroupFactory, UserFactory
from common.refusals import ActionRefused
from recordings import access, selectors, services
from recordings.models import CaseRecordingPermission
from reports.constants import Category, TimelineKind
from reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 20)


def _record(by, group, *, start=TODAY, end=TODAY + datetime.timedelta(days=7), **extra):
    data = {"kind": "video", "recorded_by": "De leerkracht", "purpose": "Spreekbeurten terugkijken"} | extra
    return services.recording_permission_record(by=by, group=group, valid_from=start, valid_until=end, **data)


@pytest.mark.parametrize(
    ("who", "may"),
    [
        ("teacher", True),
        ("leader", True),
        ("board", True),
        ("other_teacher", False),
        ("other_leader", False),
        ("parent", False),
    ],
)
def test_the_groups_teacher_and_the_schools_leadership_give_permission(
    who, may, school, other_school, teacher, school_leader, board_member, parent
):
    group = GroupFactory(school=school)
    group.teachers.add(teacher)
    people = {
        "teacher": teacher,
        "leader": school_leader,
        "board": board_member,
        "other_teacher": UserFactory(roles=[("staff", school)]),
        "other_leader": UserFactory(roles=[("school_leader", other_school)]),
        "parent": parent,
    }
    assert access.may_record_for_group(user=people[who], group=group) is may
    if may:
        assert _record(people[who], group).granted_by == people[who]
    else:
        with pytest.raises(ActionRefused) as refused:
            _record(people[who], group)
        assert refused.value.status == 404


def test_a_period_that_runs_backwards_is_refused_on_its_field(school, teacher):
    group = GroupFactory(school=school)
    group.teachers.add(teacher)
    with pytest.raises(ValidationError) as error:
        _record(teacher, group, start=TODAY, end=TODAY - datetime.timedelta(days=1))
    assert "valid_until" in error.value.error_dict


def test_the_group_page_splits_in_force_coming_and_ended(school, teacher):
    group = GroupFactory(school=school)
    group.teachers.add(teacher)
    now = _record(teacher, group, start=TODAY - datetime.timedelta(days=1), end=TODAY)
    later = _record(teacher, group, start=TODAY + datetime.timedelta(days=3), end=TODAY + datetime.timedelta(days=4))
    gone = _record(teacher, group, start=TODAY - datetime.timedelta(days=9), end=TODAY - datetime.timedelta(days=2))
    split = selectors.permissions_of_group(group=group, today=TODAY)
    assert split == {"in_force": [now], "coming": [later], "withdrawn": [], "ended": [gone]}


def test_a_case_about_recording_shows_the_permissions_of_its_school_on_the_day_and_links_one(
    school, other_school, teacher, school_leader
):
    group = GroupFactory(school=school)
    group.teachers.add(teacher)
    day = timezone.localdate() - datetime.timedelta(days=2)
    covering = _record(teacher, group, start=day, end=day)
    _record(teacher, group, start=day + datetime.timedelta(days=1), end=day + datetime.timedelta(days=1))
    elsewhere = GroupFactory(school=other_school)
    _record(UserFactory(roles=[("school_leader", other_school)]), elsewhere, start=day, end=day)
    case = ReportFactory(school=school, category=Category.RECORDING_LESSONS, happened_on=day).case

    answer = selectors.case_permission_answer(case=case)
    assert [(d.day, d.covering) for d in answer.days] == [(day, [covering])]
    assert answer.linked == []

    services.recording_permission_link(case=case, permission=covering, by=school_leader)
    answer = selectors.case_permission_answer(case=case)
    assert answer.linked_ids == {covering.pk}
    entry = case.timeline.filter(kind=TimelineKind.NOTE).get()
    assert "Opnametoestemming gekoppeld" in entry.summary and entry.data == {"recording_permission_id": covering.pk}
    with pytest.raises(ActionRefused):  # once is enough
        services.recording_permission_link(case=case, permission=covering, by=school_leader)


def test_a_case_about_something_else_asks_nothing(school):
    assert selectors.case_permission_answer(case=ReportFactory(school=school).case) is None


def test_another_schools_permission_or_case_cannot_be_linked(school, other_school, school_leader):
    leader_b = UserFactory(roles=[("school_leader", other_school)])
    permission_b = _record(leader_b, GroupFactory(school=other_school))
    case_a = ReportFactory(school=school, category=Category.RECORDING_LESSONS).case
    with pytest.raises(ActionRefused) as refused:
        services.recording_permission_link(case=case_a, permission=permission_b, by=school_leader)
    assert refused.value.status == 404
    with pytest.raises(ActionRefused):
        services.recording_permission_link(case=case_a, permission=permission_b, by=leader_b)
    assert not CaseRecordingPermission.objects.exists()


# Withdrawing a permission early ---------------------------------------------------------------------


def test_who_gave_it_withdraws_it_with_a_reason_and_it_is_no_longer_in_force(school, teacher):
    group = GroupFactory(school=school)
    group.teachers.add(teacher)
    today = timezone.localdate()
    permission = _record(teacher, group, start=today, end=today + datetime.timedelta(days=7))
    with pytest.raises(ValidationError) as empty:
        services.recording_permission_withdraw(permission=permission, by=teacher, reason="  ")
    assert "reason" in empty.value.message_dict
    services.recording_permission_withdraw(permission=permission, by=teacher, reason="De les gaat niet door.")
    permission.refresh_from_db()
    assert permission.withdrawn_by == teacher and permission.withdrawal_reason == "De les gaat niet door."
    shown = selectors.permissions_of_group(group=group)
    assert shown["in_force"] == [] and shown["withdrawn"] == [permission]
    assert selectors.group_list_for(user=teacher).get(pk=group.pk).in_force == 0
    # It held up to the day it was withdrawn, not after (what a case about that day is told).
    assert permission.covers(today) and not permission.covers(today + datetime.timedelta(days=1))
    with pytest.raises(ActionRefused, match="al ingetrokken"):
        services.recording_permission_withdraw(permission=permission, by=teacher, reason="Nog eens.")


@pytest.mark.parametrize(("who", "may"), [("leader", True), ("board", True), ("co_teacher", False), ("parent", False)])
def test_the_schools_leadership_withdraws_any_another_teacher_none(
    who, may, school, teacher, school_leader, board_member, parent
):
    group = GroupFactory(school=school)
    co_teacher = UserFactory(roles=[("staff", school)])
    group.teachers.add(teacher, co_teacher)
    today = timezone.localdate()
    permission = _record(teacher, group, start=today, end=today)
    people = {"leader": school_leader, "board": board_member, "co_teacher": co_teacher, "parent": parent}
    assert access.may_withdraw_permission(user=people[who], permission=permission) is may
    assert (permission.pk in access.withdrawable_ids(user=people[who], group=group, permissions=[permission])) is may
    if may:
        services.recording_permission_withdraw(permission=permission, by=people[who], reason="Niet meer nodig.")
    else:
        with pytest.raises(ActionRefused) as refused:
            services.recording_permission_withdraw(permission=permission, by=people[who], reason="Niet meer nodig.")
        assert refused.value.status == 404


def test_an_ended_permission_is_not_withdrawn(school, teacher):
    group = GroupFactory(school=school)
    group.teachers.add(teacher)
    today = timezone.localdate()
    permission = _record(
        teacher, group, start=today - datetime.timedelta(days=9), end=today - datetime.timedelta(days=2)
    )
    with pytest.raises(ActionRefused, match="al verlopen"):
        services.recording_permission_withdraw(permission=permission, by=teacher, reason="Te laat.")
