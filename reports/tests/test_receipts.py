"""The receipt code reaches the reporter's screen once, through no URL, whatever the cache does."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reports import services
from reports.models import ReceiptHandover, Report
from reports.tests.factories import report_form_data

pytestmark = pytest.mark.django_db

DEAD_REDIS = {
    "default": {"BACKEND": "skow_portal.cache.ResilientRedisCache", "LOCATION": "redis://127.0.0.1:1/0"},
    "public_pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "dead-redis-pages"},
}


def code_on(response) -> str | None:
    found = re.search(r'data-testid="receipt-code"[^>]*>([0-9A-Z-]+)<', response.content.decode())
    return found.group(1) if found else None


def test_the_code_travels_in_no_url(client, school, school_leader):
    data = report_form_data(school)
    response = client.post(reverse("reports:new"), data)
    assert response.status_code == 302 and response["Location"] == reverse("reports:thanks")
    assert data["submission_key"] not in response["Location"]
    cookie = response.cookies["skow_report_receipt"]
    assert cookie["httponly"] and cookie["path"] == reverse("reports:thanks")
    code = code_on(client.get(reverse("reports:thanks")))
    assert code and services.report_for_code(code) == Report.objects.get()


def test_the_code_is_shown_once_and_only_to_the_browser_that_sent_the_report(client, school, school_leader):
    data = report_form_data(school)
    client.post(reverse("reports:new"), data)
    stranger = Client()
    stranger.cookies["skow_report_receipt"] = "someone-elses-guess-1234567890"
    assert code_on(stranger.get(reverse("reports:thanks"))) is None
    first = client.get(reverse("reports:thanks"))
    assert code_on(first)
    assert first.cookies["skow_report_receipt"].value == ""  # the one-time cookie is deleted
    client.cookies["skow_report_receipt"] = data["submission_key"]  # even if the browser kept it
    again = client.get(reverse("reports:thanks"))
    assert code_on(again) is None and "al eerder getoond" in again.content.decode()
    assert not ReceiptHandover.objects.exists()


def test_the_code_waits_sealed_so_a_database_dump_shows_no_code(client, school, school_leader):
    data = report_form_data(school)
    client.post(reverse("reports:new"), data)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM reports_receipthandover")
        dump = str(cursor.fetchall())
        cursor.execute("SELECT * FROM reports_report")
        dump += str(cursor.fetchall())
    code = code_on(client.get(reverse("reports:thanks")))
    assert code.replace("-", "") not in dump.replace("-", "") and code not in dump
    assert data["submission_key"] not in dump  # the report keeps only a hash of the form's key


def test_a_code_nobody_came_to_see_is_gone_after_its_minutes(client, school, school_leader, settings):
    data = report_form_data(school)
    client.post(reverse("reports:new"), data)
    later = timezone.now() + datetime.timedelta(minutes=settings.RECEIPT_HANDOVER_MINUTES + 1)
    assert services.receipt_handover_take(submission_key=data["submission_key"], now=later) is None
    assert services.receipt_handover_purge(now=later) == 1
    assert code_on(client.get(reverse("reports:thanks"))) is None


def test_the_code_reaches_the_screen_with_the_cache_unreachable(client, school, school_leader, settings):
    settings.CACHES = DEAD_REDIS  # nothing listens on port 1
    response = client.post(reverse("reports:new"), report_form_data(school), follow=True)
    assert response.status_code == 200 and code_on(response)
    assert Report.objects.count() == 1
