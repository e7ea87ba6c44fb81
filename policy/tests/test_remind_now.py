"""A leader's "herinner nu": who was reminded when, and a reminder now for who has not read it."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone
from django.utils.html import escape

from accounts.tests.factories import UserFactory
from common.refusals import ActionRefused
from notifications.models import Notification
from policy import services
from policy.models import AcknowledgementReminder, ProtocolVersion

pytestmark = pytest.mark.django_db


def v1() -> ProtocolVersion:
    return ProtocolVersion.objects.get(number=1)


def test_remind_now_reaches_the_staff_of_the_school_who_have_not_read_it(
    school, other_school, school_leader, teacher, mailoutbox, django_capture_on_commit_callbacks
):
    reader = UserFactory(email="lezer@example.nl", roles=[("staff", school)])
    services.protocol_acknowledge(version=v1(), staff_member=reader)
    UserFactory(email="elders@example.nl", roles=[("staff", other_school)])
    UserFactory(email="vertrokken@example.nl", is_active=False, roles=[("staff", school)])
    with django_capture_on_commit_callbacks(execute=True):
        assert services.protocol_acknowledgement_remind_now(school=school, by=school_leader) == 1
    reminder = AcknowledgementReminder.objects.get()
    assert (reminder.staff_member, reminder.sent_by, reminder.after_days) == (teacher, school_leader, None)
    mails = Notification.objects.filter(recipient=teacher, template="policy/email/reminder_now")
    assert mails.count() == 2  # e-mail and inbox, through the queue
    [mail] = mailoutbox
    assert mail.to == [teacher.email] and "Sint-Jozefschool vraagt u het nu te lezen" in mail.body


def test_a_second_click_or_tab_sends_nothing_twice(school, school_leader, teacher):
    assert services.protocol_acknowledgement_remind_now(school=school, by=school_leader) == 1
    assert services.protocol_acknowledgement_remind_now(school=school, by=school_leader) == 0
    assert AcknowledgementReminder.objects.count() == 1


def test_an_automatic_reminder_an_hour_ago_counts_and_a_day_later_one_may_remind_again(school, school_leader, teacher):
    AcknowledgementReminder.objects.create(
        version=v1(), staff_member=teacher, after_days=7, sent_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert services.protocol_acknowledgement_remind_now(school=school, by=school_leader) == 0
    AcknowledgementReminder.objects.update(sent_at=timezone.now() - datetime.timedelta(hours=25))
    assert services.protocol_acknowledgement_remind_now(school=school, by=school_leader) == 1


def test_only_who_sees_the_school_may_remind_its_staff(school, other_school, teacher, board_member):
    other_leader = UserFactory(email="andere.directeur@example.nl", roles=[("school_leader", other_school)])
    with pytest.raises(ActionRefused):
        services.protocol_acknowledgement_remind_now(school=school, by=other_leader)
    with pytest.raises(ActionRefused):
        services.protocol_acknowledgement_remind_now(school=school, by=teacher)
    assert services.protocol_acknowledgement_remind_now(school=school, by=board_member) == 1


def test_the_overview_shows_who_was_reminded_when_and_by_whom(client, school, school_leader, teacher, logged_in):
    AcknowledgementReminder.objects.create(
        version=v1(), staff_member=teacher, after_days=7, sent_at=timezone.now() - datetime.timedelta(days=3)
    )
    logged_in(school_leader)
    page = client.get(f"/protocol/acknowledgements/{school.pk}/").content.decode()
    assert "(automatisch)" in page and "Herinner nu 1 medewerker" in page
    response = client.post(f"/protocol/acknowledgements/{school.pk}/remind/", follow=True)
    page = response.content.decode()
    assert "1 medewerker heeft een herinnering gekregen." in page
    # A name such as "van 't Hof" comes escaped in the page.
    assert f"(door {escape(str(school_leader))})" in page and 'data-testid="nobody-to-remind"' in page
    response = client.post(f"/protocol/acknowledgements/{school.pk}/remind/", follow=True)
    assert "Niemand kreeg een herinnering" in response.content.decode()


def test_a_teacher_cannot_post_remind_now(client, school, teacher, logged_in):
    logged_in(teacher)
    assert client.post(f"/protocol/acknowledgements/{school.pk}/remind/").status_code == 404
    assert not AcknowledgementReminder.objects.exists()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_tabs_at_the_same_moment_remind_once(school, school_leader, teacher):
    from testing.services import require_service

    require_service(connection.vendor == "postgresql", "PostgreSQL (SQLite has no row locks)")
    start = threading.Barrier(2)
    counts: list[int] = []

    def remind() -> None:
        start.wait()
        try:
            counts.append(services.protocol_acknowledgement_remind_now(school=school, by=school_leader))
        finally:
            connection.close()

    threads = [threading.Thread(target=remind) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(counts) == [0, 1]
    assert AcknowledgementReminder.objects.filter(staff_member=teacher).count() == 1


def test_the_automatic_reminder_waits_a_day_after_a_leader_s_reminder_and_never_sends_two_stages_at_once(
    school, school_leader, teacher
):
    version = v1()
    start = version.in_force_since
    AcknowledgementReminder.objects.create(
        version=version, staff_member=teacher, sent_by=school_leader, sent_at=start + datetime.timedelta(days=20)
    )
    reminded = start + datetime.timedelta(days=20)

    def run(hours: int) -> int:
        return services.protocol_acknowledgement_remind(now=reminded + datetime.timedelta(hours=hours))

    assert run(2) == 1  # the leader's stage 7; the teacher was reminded two hours ago
    assert run(23) == 0  # the teacher still within the day; the leader's stage 14 waits a day after stage 7
    assert run(25) == 1  # the teacher's stage 7 (and not stage 14 in the same run)
    assert run(27) == 1  # the leader's stage 14
    assert run(50) == 1  # the teacher's stage 14
    assert run(100) == 0
    stages = AcknowledgementReminder.objects.filter(staff_member=teacher, after_days__isnull=False)
    assert sorted(stages.values_list("after_days", flat=True)) == [7, 14]
