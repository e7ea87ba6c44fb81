"""What the portal writes to its logs, read as someone who holds them would read them."""

from __future__ import annotations

import logging

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from skow_portal.log_privacy import RedactingFilter, redact


@pytest.mark.parametrize(
    ("line", "logged"),
    [
        ("Not Found: /accounts/login/link/fgz1KAFhRQzLnjI_x7HVIa/", "Not Found: /accounts/login/link/…/"),
        ('"GET /accounts/password/set/MQ/cc3-8a1f9e2b/ HTTP/1.1"', '"GET /accounts/password/set/MQ/…/ HTTP/1.1"'),
        ("/accounts/login/unlock/eyJ1IjoxfQ:1u:abc/", "/accounts/login/unlock/…/"),
        ("/consent/invitation/Xy_Z-123/", "/consent/invitation/…/"),
        ("/accounts/login/link/open/", "/accounts/login/link/open/"),  # the page after the link: no secret
        ("/accounts/password/set/MQ/set-password/", "/accounts/password/set/MQ/set-password/"),
        ("/cases/?q=Noor+de+Vries&page=2", "/cases/?…"),
        ("from 203.0.113.77 via 2001:db8::7", "from [adres] via [adres]"),
        ("worker on 127.0.0.1:6379 and ::1", "worker on 127.0.0.1:6379 and ::1"),
        ("[29/Nov/2026:17:45:33 +0000] Python 3.11.7", "[29/Nov/2026:17:45:33 +0000] Python 3.11.7"),
    ],
)
def test_secrets_queries_and_addresses_are_masked_and_nothing_else(line, logged):
    assert redact(line) == logged


def test_every_log_line_passes_the_filter_with_its_arguments_resolved(caplog):
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Not Found: %s", ("/x/?code=1",), None)
    RedactingFilter().filter(record)
    assert record.getMessage() == "Not Found: /x/?…"


@pytest.mark.django_db
def test_a_lockout_is_logged_without_the_address_or_the_login_name(client, caplog):
    user = UserFactory(email="directeur@example.nl")
    with caplog.at_level(logging.INFO, logger="axes"):
        for _ in range(6):
            data = {"username": user.email, "password": "fout"}
            client.post(reverse("accounts:login"), data, REMOTE_ADDR="203.0.113.9")
    assert "Locking out login" in caplog.text
    assert "203.0.113.9" not in caplog.text and user.email not in caplog.text
