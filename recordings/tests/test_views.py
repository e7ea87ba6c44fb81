"""The group page: a teacher records a permission; bad input keeps what was typed; the list's queries are pinned."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from accounts.tests.factories import GroupFactory, UserFactory
from recordings.models import RecordingPermission

pytestmark = pytest.mark.django_db


def _form(**overrides):
    today = timezone.localdate()
    return {
        "kind": "video",
        "lesson": "Spreekbeurten",
        "recorded_by": "De leerkracht",
        "purpose": "Terugkijken in de klas",
        "valid_from": today.isoformat(),
        "valid_until": (today + datetime.timedelta(days=1)).isoformat(),
    } | overrides


def test_a_teacher_records_a_permission_and_the_group_page_shows_it_in_force(school, teacher, logged_in):
    group = GroupFactory(school=school)
    group.teachers.add(teacher)
    client = logged_in(teacher)
    response = client.post(f"/recordings/groups/{group.pk}/", _form(), follow=True)
    assert RecordingPermission.objects.get().granted_by == teacher
    assert "Terugkijken in de klas" in response.text and "De toestemming is vastgelegd." in response.text


def test_an_end_before_the_start_keeps_what_was_typed(school, teacher, logged_in):
    group = GroupFactory(school=school)
    group.teachers.add(teacher)
    response = logged_in(teacher).post(
        f"/recordings/groups/{group.pk}/",
        _form(valid_until=(timezone.localdate() - datetime.timedelta(days=3)).isoformat()),
    )
    assert response.status_code == 400
    assert "De einddatum ligt vóór de begindatum." in response.text
    assert "Terugkijken in de klas" in response.text
    assert not RecordingPermission.objects.exists()


@pytest.mark.parametrize("groups", [1, 6])
def test_the_group_list_takes_the_same_queries_for_few_and_many_groups(
    groups, school, school_leader, logged_in, django_assert_num_queries
):
    for _ in range(groups):
        GroupFactory(school=school)
    client = logged_in(school_leader)
    client.get("/recordings/")  # warm the session
    with django_assert_num_queries(7):
        response = client.get("/recordings/")
    assert response.status_code == 200 and response.text.count("toestemmingen van kracht") == groups


def test_only_who_gave_it_or_the_leadership_sees_the_withdraw_link_and_page(school, teacher, school_leader, logged_in):
    group = GroupFactory(school=school)
    co_teacher = UserFactory(roles=[("staff", school)])
    group.teachers.add(teacher, co_teacher)
    today = timezone.localdate()
    permission = RecordingPermission.objects.create(
        group=group,
        kind="video",
        recorded_by="De leerkracht",
        purpose="Terugkijken",
        valid_from=today,
        valid_until=today,
        granted_by=teacher,
    )
    withdraw = f"/recordings/permissions/{permission.pk}/withdraw/"
    group_page = f"/recordings/groups/{group.pk}/"
    assert withdraw in logged_in(teacher).get(group_page).content.decode()
    assert withdraw in logged_in(school_leader).get(group_page).content.decode()
    co = logged_in(co_teacher)
    assert withdraw not in co.get(group_page).content.decode()  # reads it, did not give it
    assert co.get(withdraw).status_code == 404
    # The leader's withdrawal without a reason keeps the page (400); with one it is recorded.
    leader = logged_in(school_leader)
    assert leader.post(withdraw, {"reason": ""}).status_code == 400
    assert leader.post(withdraw, {"reason": "Bezwaar van ouders."}).status_code == 302
    permission.refresh_from_db()
    assert permission.withdrawn_by == school_leader
    page = leader.get(group_page).content.decode()
    assert "Bezwaar van ouders." in page and withdraw not in page
