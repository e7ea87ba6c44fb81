"""A report's e-mail does not wait behind a consent campaign: the Procfile's two workers (urgent
mail only; everything), Redis, and a real mail server that takes 50 ms over each message.

How fast exactly is for `make bench` to measure (docs/performance.md); this test holds the
promise with bounds wide enough for any CI machine.
"""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection

from accounts.models import Guardianship, Pupil, User, current_school_year
from consent.campaigns import consent_campaign_start
from consent.models import ConsentInvitation
from consent.tests.factories import current_form
from notifications.constants import Channel, Status
from notifications.models import Notification
from reports.services import report_submit
from testing.services import require_service, wait_until

pytestmark = pytest.mark.django_db

FAMILIES = 3000


def _families(school, count: int) -> None:
    """``count`` guardians, each with a child of 8 at ``school``: a campaign invites every one."""
    born = datetime.date.today().replace(year=datetime.date.today().year - 8)
    unusable = make_password(None)
    guardians = User.objects.bulk_create(
        User(email=f"ouder{n}@gezin.example.nl", password=unusable) for n in range(count)
    )
    pupils = Pupil.objects.bulk_create(
        Pupil(school=school, student_number=f"L{n:05d}", first_name=f"Kind{n}", last_name="Test", date_of_birth=born)
        for n in range(count)
    )
    Guardianship.objects.bulk_create(
        Guardianship(guardian=guardian, pupil=pupil) for guardian, pupil in zip(guardians, pupils, strict=True)
    )


def _report(school, key: str):
    return report_submit(
        school=school,
        category="bullying",
        platform="whatsapp",
        happened_on=datetime.date.today() - datetime.timedelta(days=1),
        description="Er wordt gepest in de groepsapp van groep 6.",
        involved_roles=["pupil"],
        reporter_role="pupil",
        is_anonymous=True,
        submission_key=key,
    )[0]


def test_mail_one_person_waits_for_is_urgent_and_mail_to_many_is_bulk(
    school, school_leader, teacher, parent, django_capture_on_commit_callbacks
):
    from accounts.services import login_link_request
    from policy.services import protocol_version_take_effect
    from policy.tests.factories import ProtocolVersionFactory
    from reports.services import case_deadlines_check

    current_form()
    with django_capture_on_commit_callbacks(execute=True):
        report = _report(school, "kind-of-mail")
        login_link_request(email=parent.email)
        case_deadlines_check(now=report.case.acknowledge_due_at + datetime.timedelta(hours=1))
        consent_campaign_start(school=school, school_year=current_school_year(), started_by=school_leader)
        protocol_version_take_effect(version=ProtocolVersionFactory(adopted=True, effective_from=datetime.date.today()))
    kinds = dict(Notification.objects.filter(channel=Channel.EMAIL).values_list("template", "is_bulk").distinct())
    assert kinds == {
        "reports/email/new_report": False,
        "accounts/email/login_link": False,
        "reports/email/case_deadline_alert": False,
        "consent/email/invitation": True,
        "policy/email/in_force": True,
    }


@pytest.mark.parametrize(
    ("task", "queue"),
    [
        ("notifications.tasks.notification_deliver_task", "celery.urgent"),
        ("notifications.tasks.notification_sweep_task", "celery.urgent"),
        # A parent waits for a login link on the page that asked for it.
        ("accounts.tasks.link_request_answer_task", "celery.urgent"),
        ("notifications.tasks.notification_deliver_many_task", "celery"),
        ("retention.tasks.retention_purge_task", "celery"),
    ],
)
def test_tasks_someone_waits_for_go_on_the_urgent_queue(task, queue, settings):
    from skow_portal.celery import app

    prefix = settings.CELERY_TASK_DEFAULT_QUEUE
    assert app.amqp.router.route({}, task)["queue"].name == queue.replace("celery", prefix, 1)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_report_reaches_the_mail_server_within_seconds_while_a_campaign_to_3000_families_is_queued(
    school, school_leader, worker_redis_url, celery_worker_on, smtp_server, tmp_path
):
    # Two workers with two processes each write at once: a production database, not SQLite's one writer.
    require_service(connection.vendor == "postgresql", "PostgreSQL")
    current_form()  # the form of the data migration; an earlier transactional test may have flushed it
    _families(school, FAMILIES)
    server = smtp_server(delay=0.05)
    env = {"EMAIL_URL": server.url}
    # As the Procfile runs them: worker-urgent serves urgent mail only; worker serves every queue.
    urgent = celery_worker_on(worker_redis_url, tmp_path, serve="urgent", beat=False, env=env)
    worker = celery_worker_on(worker_redis_url, tmp_path, queue=urgent.queue, beat=False, env=env)

    campaign = consent_campaign_start(school=school, school_year=current_school_year(), started_by=school_leader)
    invitations = ConsentInvitation.objects.filter(campaign=campaign)
    assert invitations.count() > FAMILIES
    wait_until(
        lambda: not invitations.filter(sent_at__isnull=True).exists(), timeout=120, what="the campaign to be queued"
    )

    _report(school, "during-the-campaign")
    leader_mail = Notification.objects.get(
        recipient=school_leader, channel=Channel.EMAIL, template="reports/email/new_report"
    )
    wait_until(lambda: server.accepted_at(leader_mail.pk), timeout=15, interval=0.05, what="the report's e-mail")

    campaign_mails = Notification.objects.filter(template="consent/email/invitation")
    assert campaign_mails.count() == invitations.count()
    assert campaign_mails.filter(status=Status.PENDING).count() > FAMILIES // 2  # far from finished
    # Either worker may have taken it; the row is marked sent just after the server's answer.
    wait_until(lambda: Notification.objects.get(pk=leader_mail.pk).status == Status.SENT, timeout=15)
    worker.kill()  # not to wait for the rest of the campaign
    urgent.stop()
