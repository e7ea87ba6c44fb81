"""The outbox with real parts: Redis, a Celery worker process and its beat, the same database.

A notification written by a request is delivered by the worker; a broker that is down during the
request loses nothing (the sweep delivers it once Redis is back); a task delivered twice sends once.
"""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from accounts.tests.factories import GuardianshipFactory, PupilFactory, UserFactory
from notifications.constants import Channel, Status
from notifications.models import Notification
from notifications.tasks import notification_deliver_task
from testing.services import require_service, wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def parent(school):
    guardian = UserFactory(email="ouder@example.nl", password="")
    GuardianshipFactory(guardian=guardian, pupil=PupilFactory(school=school))
    return guardian


def _request_login_link(client, email: str):
    """The page's answer and its time; then wait until the worker (or, with the broker down, the
    request itself) has answered the link request and written the e-mail."""
    started = time.monotonic()
    response = client.post(reverse("accounts:link_request"), {"email": email})
    seconds = time.monotonic() - started
    wait_until(
        lambda: Notification.objects.filter(email=email, template="accounts/email/login_link").exists(),
        what="the link request to be answered",
    )
    return response, seconds


def _login_link_row(email: str) -> Notification:
    return Notification.objects.get(email=email, channel=Channel.EMAIL, template="accounts/email/login_link")


def test_worker_on_redis_delivers_a_notification_written_by_a_request(
    client, parent, worker_redis_url, celery_worker_on, tmp_path
):
    worker = celery_worker_on(worker_redis_url, tmp_path)
    response, _seconds = _request_login_link(client, parent.email)
    assert response.status_code == 302
    wait_until(lambda: _login_link_row(parent.email).status == Status.SENT, what="delivery by the worker")
    (message,) = worker.sent_messages()
    assert "Uw inloglink voor de SKOW Portal" in message
    assert "/accounts/login/link/" in message
    row = _login_link_row(parent.email)
    assert row.attempts == 1
    assert row.context == {}  # forgotten once sent: it held the link


def test_broker_down_during_the_request_loses_nothing_and_the_sweep_delivers_once(
    client, parent, private_redis, celery_worker_on, tmp_path
):
    worker = celery_worker_on(private_redis.url, tmp_path)
    private_redis.stop()
    response, seconds = _request_login_link(client, parent.email)
    assert response.status_code == 302  # the parent sees the usual answer
    assert seconds < 10  # and is not kept waiting for the broker
    assert _login_link_row(parent.email).status == Status.PENDING
    private_redis.start()
    wait_until(
        lambda: _login_link_row(parent.email).status == Status.SENT, timeout=60, what="delivery after the outage"
    )
    time.sleep(3)  # several more sweeps: nothing is sent again
    assert len(worker.sent_messages()) == 1


def test_a_task_delivered_twice_sends_once(client, parent, worker_redis_url, celery_worker_on, tmp_path):
    worker = celery_worker_on(worker_redis_url, tmp_path)
    _request_login_link(client, parent.email)
    row = _login_link_row(parent.email)
    notification_deliver_task.delay(row.pk)
    notification_deliver_task.delay(row.pk)
    wait_until(lambda: _login_link_row(parent.email).status == Status.SENT, what="delivery")
    time.sleep(2)  # give the duplicates time to run
    assert len(worker.sent_messages()) == 1


def _other_connections() -> set[int]:
    """Backends of other processes on this test database (the worker's)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return {pid for (pid,) in cursor.fetchall()}


def test_the_worker_keeps_its_database_connection_from_task_to_task(
    client, parent, worker_redis_url, celery_worker_on, tmp_path
):
    """A new PostgreSQL connection per e-mail was half of the delivery time (Celery's default)."""
    from django.db import connection

    require_service(connection.vendor == "postgresql", "PostgreSQL")
    celery_worker_on(worker_redis_url, tmp_path, env={"CONN_MAX_AGE": "60"})
    _request_login_link(client, parent.email)
    wait_until(lambda: _login_link_row(parent.email).status == Status.SENT, what="delivery by the worker")
    wait_until(lambda: bool(_other_connections()), what="the worker's connection, kept after the task")
    kept = _other_connections()
    time.sleep(2.5)  # the sweep runs every second in this worker: two tasks or more
    assert _other_connections() == kept
