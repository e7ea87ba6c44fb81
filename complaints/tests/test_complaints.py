"""The complaints track: who sees what, the steps, the one-year warning and the board's 28-day clock."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from common.refusals import ActionRefused
from complaints import services
from complaints.constants import Step
from complaints.models import Complaint
from complaints.tasks import complaint_deadlines_task
from complaints.tests.factories import complaint
from notifications.models import Notification

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _emails(template: str) -> list[str]:
    return sorted(Notification.objects.filter(template=template, channel="email").values_list("email", flat=True))


def _at_committee(filed, leader, *, on=None):
    services.complaint_step(complaint=filed, by=leader, to_step=Step.CONVERSATION, note="Gesprek met de leerkracht")
    return services.complaint_step(complaint=filed, by=leader, to_step=Step.COMMITTEE, on=on or timezone.localdate())


def test_the_school_leader_and_the_board_are_told_of_a_new_complaint(parent, school, school_leader, board_member):
    complaint(complainant=parent, school=school)
    assert _emails("complaints/email/new_complaint") == sorted([school_leader.email, board_member.email])


def test_a_complaint_about_the_leadership_is_the_boards_alone(
    client, logged_in, parent, school, school_leader, board_member
):
    filed = complaint(complainant=parent, school=school, is_about_leadership=True)
    assert _emails("complaints/email/new_complaint") == [board_member.email]
    logged_in(school_leader)
    assert client.get(reverse("complaints:detail", args=[filed.pk])).status_code == 404


def test_the_committees_advice_starts_28_days_for_the_board(parent, school, school_leader, board_member):
    filed = _at_committee(
        complaint(complainant=parent, school=school), school_leader, on=timezone.localdate() - 20 * DAY
    )
    advised = services.complaint_record_advice(
        complaint=filed, by=board_member, advice_on=timezone.localdate() - 3 * DAY
    )
    assert advised.step == Step.ADVISED
    assert advised.decision_due_on == timezone.localdate() + 25 * DAY


def test_only_the_board_records_the_advice_and_decides(parent, school, school_leader, board_member):
    filed = _at_committee(complaint(complainant=parent, school=school), school_leader)
    with pytest.raises(ActionRefused):
        services.complaint_record_advice(complaint=filed, by=school_leader, advice_on=timezone.localdate())
    services.complaint_record_advice(complaint=filed, by=board_member, advice_on=timezone.localdate())
    with pytest.raises(ActionRefused):
        services.complaint_decide(complaint=filed, by=school_leader, decided_on=timezone.localdate(), decision="x")


def test_steps_only_go_forward_and_a_complaint_at_the_committee_is_not_resolved_by_the_school(
    parent, school, school_leader
):
    filed = complaint(complainant=parent, school=school)
    services.complaint_step(complaint=filed, by=school_leader, to_step=Step.DIRECTION)
    with pytest.raises(ActionRefused):
        services.complaint_step(complaint=filed, by=school_leader, to_step=Step.CONVERSATION)
    services.complaint_step(complaint=filed, by=school_leader, to_step=Step.COMMITTEE)
    with pytest.raises(ActionRefused):
        services.complaint_step(complaint=filed, by=school_leader, to_step=Step.RESOLVED)


@pytest.mark.parametrize(
    ("advice_days_ago", "reminders", "alerts"),
    [
        (10, 0, 0),  # 18 days left
        (22, 1, 0),  # 6 days left: a reminder
        (28, 1, 0),  # the last day: a reminder
        (29, 0, 1),  # passed: an alert
    ],
)
def test_the_board_is_reminded_before_the_four_weeks_end_and_alerted_after(
    parent, school, school_leader, board_member, advice_days_ago, reminders, alerts
):
    filed = _at_committee(
        complaint(complainant=parent, school=school), school_leader, on=timezone.localdate() - 40 * DAY
    )
    services.complaint_record_advice(
        complaint=filed, by=board_member, advice_on=timezone.localdate() - advice_days_ago * DAY
    )
    assert services.complaint_deadlines_check() == {"reminders": reminders, "alerts": alerts}
    assert _emails("complaints/email/decision_reminder") == ([board_member.email] if reminders else [])
    assert _emails("complaints/email/decision_alert") == ([board_member.email] if alerts else [])


def test_each_notice_goes_once_and_none_after_the_decision(parent, school, school_leader, board_member):
    filed = _at_committee(
        complaint(complainant=parent, school=school), school_leader, on=timezone.localdate() - 40 * DAY
    )
    services.complaint_record_advice(complaint=filed, by=board_member, advice_on=timezone.localdate() - 25 * DAY)
    complaint_deadlines_task.delay()
    complaint_deadlines_task.delay()
    assert len(_emails("complaints/email/decision_reminder")) == 1
    services.complaint_decide(complaint=filed, by=board_member, decided_on=timezone.localdate(), decision="Gegrond.")
    Complaint.objects.filter(pk=filed.pk).update(decision_reminded_at=None)
    assert services.complaint_deadlines_check(today=timezone.localdate() + 10 * DAY) == {"reminders": 0, "alerts": 0}


def test_the_complainant_is_told_of_the_decision_without_its_content(parent, school, school_leader, board_member):
    filed = _at_committee(complaint(complainant=parent, school=school), school_leader)
    services.complaint_record_advice(complaint=filed, by=board_member, advice_on=timezone.localdate())
    services.complaint_decide(
        complaint=filed, by=board_member, decided_on=timezone.localdate(), decision="De klacht is gegrond verklaard."
    )
    (row,) = Notification.objects.filter(template="complaints/email/decided", channel="email")
    assert row.email == parent.email
    assert "gegrond" not in row.subject and "gegrond" not in str(row.context)


def _post_new(client, school, event_on, **extra):
    data = {
        "school": school.pk,
        "subject": "Te laat ingelicht",
        "description": "Mijn tekst blijft staan.",
        "event_on": event_on.isoformat(),
        **extra,
    }
    return client.post(reverse("complaints:new"), data)


def test_an_event_more_than_a_year_ago_is_warned_about_and_accepted_once_confirmed(client, logged_in, parent, school):
    logged_in(parent)
    long_ago = timezone.localdate() - 400 * DAY
    response = _post_new(client, school, long_ago)
    assert response.status_code == 400
    page = response.content.decode()
    assert "meer dan een jaar geleden" in page and "Mijn tekst blijft staan." in page
    assert not Complaint.objects.exists()
    response = _post_new(client, school, long_ago, accept_late="on")
    filed = Complaint.objects.get()
    assert response.status_code == 302 and filed.filed_after_a_year


def test_a_recent_event_needs_no_confirmation(client, logged_in, parent, school):
    logged_in(parent)
    assert _post_new(client, school, timezone.localdate() - 30 * DAY).status_code == 302
    assert not Complaint.objects.get().filed_after_a_year


def test_a_date_in_the_future_is_refused_in_dutch(client, logged_in, parent, school):
    logged_in(parent)
    response = _post_new(client, school, timezone.localdate() + DAY)
    assert response.status_code == 400
    assert "kan niet in de toekomst liggen" in response.content.decode()


def test_another_parent_gets_404(client, logged_in, parent, school):
    filed = complaint(complainant=parent, school=school)
    logged_in(UserFactory(email="ander@example.nl", password=""))
    assert client.get(reverse("complaints:detail", args=[filed.pk])).status_code == 404


def test_the_beat_schedule_runs_the_task(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "complaints.tasks.complaint_deadlines_task" in tasks


@pytest.mark.parametrize("url_name", ["complaints:handle", "complaints:mine"])
def test_the_lists_cost_the_same_queries_for_two_complaints_and_for_eight(
    client, logged_in, parent, school, board_member, django_assert_num_queries, url_name
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = board_member if url_name == "complaints:handle" else parent
    for _ in range(2):
        complaint(complainant=parent, school=school)
    logged_in(user)
    url = reverse(url_name)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    for _ in range(6):
        complaint(complainant=parent, school=school)
    with django_assert_num_queries(len(queries)):
        assert client.get(url).status_code == 200
