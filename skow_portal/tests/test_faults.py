"""Faults injected into real parts: a worker killed mid-delivery, a database that is gone, a restart.

Each of these must lose nothing and send nothing twice: a report or a consent decision is either
stored and announced, or the person is told plainly that it was not stored.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from accounts.tests.factories import GuardianshipFactory, PupilFactory, UserFactory
from notifications.constants import Channel, Status
from notifications.models import Notification
from testing.celery_worker import database_url_of_this_run
from testing.services import PROJECT_ROOT, wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


class StallingSmtpServer:
    """Accepts connections and never answers: a mail server that hangs mid-delivery."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.connections: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _address = self.sock.accept()
            except OSError:
                return
            self.connections.append(connection)

    def close(self) -> None:
        for connection in self.connections:
            connection.close()
        self.sock.close()


def _worker_db(url: str) -> str:
    return url.rsplit("/", 1)[0] + "/14"


def test_a_worker_killed_mid_delivery_delivers_once_after_restart(client, redis_url, celery_worker_on, tmp_path):
    guardian = UserFactory(email="ouder@example.nl", password="")
    GuardianshipFactory(guardian=guardian, pupil=PupilFactory())
    smtp = StallingSmtpServer()
    try:
        first = celery_worker_on(
            _worker_db(redis_url),
            tmp_path,
            env={"EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}", "NOTIFICATION_SWEEP_AFTER_SECONDS": "3"},
        )
        assert client.post(reverse("accounts:link_request"), {"email": guardian.email}).status_code == 302
        wait_until(lambda: smtp.connections, what="the worker to be stuck talking to the mail server")
        first.kill()
    finally:
        smtp.close()

    row = Notification.objects.get(email=guardian.email, channel=Channel.EMAIL)
    assert (row.status, row.attempts) == (Status.PENDING, 0)  # the killed attempt left no trace

    second = celery_worker_on(_worker_db(redis_url), tmp_path, queue=first.queue)
    wait_until(lambda: Notification.objects.get(pk=row.pk).status == Status.SENT, timeout=40, what="the sweep")
    time.sleep(3)  # any message the sweep queued twice has been handled by now
    assert len(second.sent_messages()) == 1
    assert Notification.objects.get(pk=row.pk).attempts == 1


def _portal_process(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh Python with the portal's settings: a restarted server."""
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        cwd=PROJECT_ROOT,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_SETTINGS")},
            "DJANGO_SETTINGS_MODULE": "skow_portal.settings",
            "DEBUG": "0",
            "SECRET_KEY": settings.SECRET_KEY,
            "RECEIPT_CODE_KEY": settings.RECEIPT_CODE_KEY,
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "0",
            "REDIS_URL": "",
            "LOG_LEVEL": "CRITICAL",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_receipt_codes_and_login_links_survive_a_restart(client, school, school_leader):
    from reports.services import report_submit

    _report, code = report_submit(
        school=school,
        category="bullying",
        platform="whatsapp",
        happened_on=datetime_date(),
        description="Er wordt gepest in de groepsapp.",
        involved_roles=["pupil"],
        reporter_role="pupil",
        is_anonymous=True,
        submission_key="restart-1",
    )
    guardian = UserFactory(email="ouder@example.nl", password="")
    GuardianshipFactory(guardian=guardian, pupil=PupilFactory(school=school))
    client.post(reverse("accounts:link_request"), {"email": guardian.email})
    token = re.search(r"/accounts/login/link/([^/\s]+)/", mail.outbox[-1].body).group(1)

    result = _portal_process(
        "import json\n"
        "from reports.services import report_for_code\n"
        "from accounts.services import login_link_get\n"
        f"print(json.dumps([report_for_code({code!r}) is not None, login_link_get(token={token!r}) is not None]))",
        {"DATABASE_URL": database_url_of_this_run()},
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [True, True]


def test_an_unreachable_database_answers_a_clear_503_and_keeps_nothing(tmp_path):
    result = _portal_process(
        "import json\n"
        "from django.core.management import call_command\n"
        "from django.test import Client\n"
        "call_command('collectstatic', interactive=False, verbosity=0)\n"
        "c = Client(raise_request_exception=False)\n"
        "page = c.get('/protocol/')\n"
        "post = c.post('/report/', {'school': 1, 'category': 'bullying', 'description': 'x'})\n"
        "print(json.dumps([page.status_code, page.get('Retry-After'), post.status_code,"
        " page.content.decode()]))",
        # Nothing listens on port 1: the database is gone.
        {"DATABASE_URL": "postgres://postgres@127.0.0.1:1/skow", "STATIC_ROOT": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    status, retry_after, post_status, html = json.loads(result.stdout.strip().splitlines()[-1])
    assert (status, retry_after, post_status) == (503, "30", 503)
    assert "De portal is even niet bereikbaar" in html and "niet opgeslagen" in html


def datetime_date():
    import datetime

    return datetime.date.today() - datetime.timedelta(days=1)


def test_consent_decisions_made_while_redis_is_down_are_confirmed_once_it_is_back(
    client, private_redis, celery_worker_on, tmp_path
):
    from consent.models import ConsentDecision
    from consent.tests.factories import current_form

    current_form()  # the form of the data migration; an earlier transactional test may have flushed it
    guardian = UserFactory(email="moeder@example.nl", password="")
    children = [PupilFactory(first_name=name) for name in ("Fenna", "Stijn")]
    for child in children:
        GuardianshipFactory(guardian=guardian, pupil=child)
    worker = celery_worker_on(private_redis.url, tmp_path)
    client.force_login(guardian)
    private_redis.stop()
    for child in children:
        response = client.post(reverse("consent:decide_pupil", args=[child.pk]), {"website__photo": "on"})
        assert response.status_code == 302  # the parent sees the usual answer
    assert ConsentDecision.objects.filter(decided_by=guardian).count() == 2
    receipts = Notification.objects.filter(
        email=guardian.email, channel=Channel.EMAIL, template="consent/email/receipt"
    )
    assert set(receipts.values_list("status", flat=True)) == {Status.PENDING}

    private_redis.start()
    wait_until(lambda: not receipts.exclude(status=Status.SENT).exists(), timeout=60, what="the receipts")
    time.sleep(3)  # several more sweeps: nothing is sent twice
    assert len(worker.sent_messages()) == 2
