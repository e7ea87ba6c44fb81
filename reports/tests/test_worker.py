"""A report with real parts: a browser submits it, Redis and a Celery worker (with beat) deliver
the leader's e-mail from the outbox, and a broker that is down at submission loses nothing."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from notifications.constants import Channel, Status
from notifications.models import Notification
from reports.models import Report
from testing.services import wait_until

from .test_journeys import fill_report

pytestmark = [pytest.mark.services, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESCRIPTION = "Iemand heeft het Instagram-account van groep 8 gehackt en zet er nare berichten op."


def _report_in_browser(page, live_server) -> float:
    page.goto(f"{live_server.url}/report/")
    fill_report(
        page,
        school="Sint-Jozefschool",
        category="Hacken van een account",
        platform="Instagram",
        description=DESCRIPTION,
        involved=["Leerling"],
        reporter_role="Leerling",
        anonymous=True,
    )
    started = time.monotonic()
    page.get_by_role("button", name="Melding versturen").click()
    expect(page.get_by_role("heading", name="Dank u wel voor uw melding")).to_be_visible()
    expect(page.get_by_test_id("receipt-code")).to_be_visible()
    return time.monotonic() - started


def _leader_email_row(leader) -> Notification:
    return Notification.objects.get(recipient=leader, channel=Channel.EMAIL, template="reports/email/new_report")


def _assert_in_app_inbox(logged_in, leader, case_pk: int) -> None:
    row = Notification.objects.get(recipient=leader, channel=Channel.IN_APP, template="reports/email/new_report")
    assert row.link == f"/cases/{case_pk}/"
    page = logged_in(leader).get(reverse("notifications:inbox")).content.decode()
    assert "Nieuwe melding voor Sint-Jozefschool" in page


def test_a_report_from_the_browser_reaches_the_leaders_mail_and_inbox_through_the_worker(
    live_server, page, logged_in, school, school_leader, worker_redis_url, celery_worker_on, tmp_path
):
    worker = celery_worker_on(worker_redis_url, tmp_path)
    _report_in_browser(page, live_server)
    report = Report.objects.get()
    wait_until(lambda: _leader_email_row(school_leader).status == Status.SENT, what="delivery by the worker")
    (message,) = [m for m in worker.sent_messages() if school_leader.email in m]
    assert "Nieuwe melding voor Sint-Jozefschool" in message
    assert f"/cases/{report.case.pk}/" in message
    assert "Instagram-account" not in message  # no case content in e-mail
    _assert_in_app_inbox(logged_in, school_leader, report.case.pk)


def test_a_report_made_while_redis_is_down_is_announced_after_it_returns(
    live_server, page, logged_in, school, school_leader, private_redis, celery_worker_on, tmp_path
):
    worker = celery_worker_on(private_redis.url, tmp_path)
    private_redis.stop()
    seconds = _report_in_browser(page, live_server)
    assert seconds < 10  # the reporter is not kept waiting for the broker
    report = Report.objects.get()
    assert _leader_email_row(school_leader).status == Status.PENDING
    _assert_in_app_inbox(logged_in, school_leader, report.case.pk)  # in-app is written with the report
    private_redis.start()
    wait_until(
        lambda: _leader_email_row(school_leader).status == Status.SENT, timeout=60, what="delivery after the outage"
    )
    time.sleep(3)  # more sweeps: nothing is sent twice
    assert len([m for m in worker.sent_messages() if school_leader.email in m]) == 1
