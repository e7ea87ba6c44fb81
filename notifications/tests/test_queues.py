"""Two kinds of mail: what one person waits for, and mass mail that must never stand in its way.

Mass mail goes in batches over one SMTP connection each (a real mail server here, aiosmtpd);
each row of a batch is still locked, sent once, and retried or failed by itself.
"""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import pytest
import redis
from django.db import transaction
from django.utils import timezone

from accounts.tests.factories import UserFactory
from notifications.constants import Channel, Status
from notifications.models import Notification
from notifications.services import (
    notification_deliver_many,
    notification_send,
    notification_send_bulk,
    notification_sweep,
)
from testing.services import wait_until

pytestmark = pytest.mark.django_db

TEMPLATE = "accounts/email/password_login_reminder"
INVITATION = "consent/email/invitation"
CONTEXT = {"school": "De Springplank", "closes": "01-02-2027"}


def _invite(people) -> list[int]:
    """A campaign's invitations to ``people``, committed; the ids of their e-mail rows."""
    messages = [(person, CONTEXT, f"/consent/x{n}/") for n, person in enumerate(people)]
    with transaction.atomic():
        notification_send_bulk(template=INVITATION, messages=messages)
    return list(Notification.objects.filter(template=INVITATION).order_by("pk").values_list("pk", flat=True))


def test_mail_is_urgent_unless_the_caller_says_it_is_one_of_many():
    user = UserFactory()
    (urgent,) = notification_send(template=TEMPLATE, recipient=user, channels=("email",))
    (reminder,) = notification_send(template=TEMPLATE, recipient=user, channels=("email",), bulk=True)
    notification_send_bulk(template=INVITATION, messages=[(user, CONTEXT, "/consent/x/")])
    invitation = Notification.objects.get(template=INVITATION)
    assert (urgent.is_bulk, reminder.is_bulk, invitation.is_bulk) == (False, True, True)


def test_the_sweep_takes_mail_one_person_waits_for_before_older_mass_mail(mailoutbox):
    user = UserFactory()
    (reminder,) = notification_send(template=TEMPLATE, recipient=user, channels=("email",), bulk=True)
    (urgent,) = notification_send(template=TEMPLATE, recipient=user, channels=("email",))
    Notification.objects.filter(pk=reminder.pk).update(next_attempt_at=timezone.now() - timedelta(hours=1))
    Notification.objects.filter(pk=urgent.pk).update(next_attempt_at=timezone.now() - timedelta(minutes=10))
    assert notification_sweep(limit=1) == 1
    assert Notification.objects.get(pk=urgent.pk).status == Status.SENT
    assert Notification.objects.get(pk=reminder.pk).status == Status.PENDING


# One SMTP connection per batch, each row on its own -----------------------------------------------


def test_a_batch_of_mass_mail_is_sent_over_one_smtp_connection(smtp_server, smtp_settings):
    server = smtp_settings(smtp_server())
    people = UserFactory.create_batch(20)
    ids = _invite(people)
    outcomes = notification_deliver_many(notification_ids=ids)
    assert set(outcomes.values()) == {"sent"}
    assert sorted(server.recipients()) == sorted(p.email for p in people)
    assert len(server.connections()) == 1
    assert Notification.objects.filter(pk__in=ids, status=Status.SENT, attempts=1).count() == 20


def test_a_batch_delivered_again_sends_nothing_twice(smtp_server, smtp_settings):
    server = smtp_settings(smtp_server())
    ids = _invite(UserFactory.create_batch(5))
    notification_deliver_many(notification_ids=ids)
    assert set(notification_deliver_many(notification_ids=ids).values()) == {"skipped"}
    assert len(server.received) == 5


def test_a_refused_address_in_a_batch_is_retried_by_itself_and_the_rest_is_sent(smtp_server, smtp_settings, settings):
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    people = UserFactory.create_batch(6)
    refused = people[2]
    server = smtp_settings(smtp_server(refuse=(refused.email,)))
    ids = _invite(people)

    first = notification_deliver_many(notification_ids=ids)
    row = Notification.objects.get(email=refused.email)
    assert first[row.pk] == "retry"
    assert (row.status, row.attempts) == (Status.PENDING, 1)
    assert row.next_attempt_at > timezone.now()  # backoff
    assert "No such mailbox" in row.last_error
    assert sorted(server.recipients()) == sorted(p.email for p in people if p != refused)

    second = notification_deliver_many(notification_ids=ids)  # the retry: only that row is tried
    assert second[row.pk] == "failed"
    assert sorted(set(second.values())) == ["failed", "skipped"]
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.FAILED, 2)
    assert len(server.received) == 5


def test_a_server_hanging_up_mid_batch_costs_one_retry_and_the_batch_goes_on_over_a_new_connection(
    smtp_server, smtp_settings
):
    server = smtp_settings(smtp_server(hang_up_at=3))
    ids = _invite(UserFactory.create_batch(6))
    outcomes = notification_deliver_many(notification_ids=ids)
    assert list(outcomes.values()) == ["sent", "sent", "retry", "sent", "sent", "sent"]
    assert len(server.received) == 5
    assert len(server.connections()) == 2


def test_an_urgent_message_gets_a_connection_of_its_own(smtp_server, smtp_settings, django_capture_on_commit_callbacks):
    server = smtp_settings(smtp_server())
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(template=TEMPLATE, recipient=user, channels=("email",))
        notification_send(template=TEMPLATE, recipient=user, channels=("email",))
    assert server.recipients() == [user.email, user.email]
    assert len(server.connections()) == 2


# Which queue: read from a real broker, with no worker taking the messages --------------------------


def _waiting(redis_url: str, queue: str) -> list[tuple[str, list]]:
    """The tasks waiting in ``queue``, oldest first: (task name, first argument)."""
    messages = redis.Redis.from_url(redis_url).lrange(queue, 0, -1)
    waiting = []
    for raw in reversed(messages):  # kombu pushes on the left and pops on the right
        message = json.loads(raw)
        args = json.loads(base64.b64decode(message["body"]))[0]
        waiting.append((message["headers"]["task"].rsplit(".", 1)[-1], args[0] if args else None))
    return waiting


@pytest.mark.services
def test_urgent_mail_and_mass_mail_wait_in_different_queues(
    redis_url, celery_queues_on, django_capture_on_commit_callbacks
):
    queues = celery_queues_on(redis_url)
    leader = UserFactory()
    families = UserFactory.create_batch(300)
    with django_capture_on_commit_callbacks(execute=True):
        notification_send_bulk(template=INVITATION, messages=[(p, CONTEXT, "/consent/x/") for p in families])
        (report_mail,) = notification_send(template=TEMPLATE, recipient=leader, channels=("email",))
    assert _waiting(redis_url, queues["urgent"]) == [("notification_deliver_task", report_mail.pk)]
    batches = _waiting(redis_url, queues["bulk"])
    assert [(task, len(ids)) for task, ids in batches] == [
        ("notification_deliver_many_task", 250),
        ("notification_deliver_many_task", 50),
    ]


@pytest.mark.services
def test_the_sweep_puts_each_stale_row_back_on_its_own_queue(redis_url, celery_queues_on):
    queues = celery_queues_on(redis_url)
    user = UserFactory()
    (urgent,) = notification_send(template=TEMPLATE, recipient=user, channels=("email",))
    (reminder,) = notification_send(template=TEMPLATE, recipient=user, channels=("email",), bulk=True)
    long_ago = timezone.now() - timedelta(minutes=10)
    Notification.objects.filter(channel=Channel.EMAIL).update(next_attempt_at=long_ago)
    assert notification_sweep() == 2
    assert _waiting(redis_url, queues["urgent"]) == [("notification_deliver_task", urgent.pk)]
    assert _waiting(redis_url, queues["bulk"]) == [("notification_deliver_many_task", [reminder.pk])]


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_worker_sends_a_campaign_batch_over_one_smtp_connection(
    worker_redis_url, celery_worker_on, smtp_server, tmp_path
):
    server = smtp_server()
    celery_worker_on(worker_redis_url, tmp_path, serve="bulk", beat=False, env={"EMAIL_URL": server.url})
    people = UserFactory.create_batch(40)
    _invite(people)
    wait_until(lambda: len(server.received) >= 40, what="the batch at the mail server")
    assert sorted(server.recipients()) == sorted(p.email for p in people)
    assert len(server.connections()) == 1
