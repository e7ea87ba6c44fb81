"""What logging in leaves behind is deleted by the terms of the processing register (SECURITY.md)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.models import LinkRequest, LoginLink, SignInRefused
from accounts.tasks import login_traces_purge_task
from accounts.tests.factories import UserFactory
from accounts.throttle import throttle_count, throttle_hit

pytestmark = pytest.mark.django_db


def _aged(model, days: int, **fields):
    row = model.objects.create(**fields)
    model.objects.filter(pk=row.pk).update(attempt_time=timezone.now() - timedelta(days=days))
    return row


def test_old_login_links_sessions_and_login_logs_go_and_recent_ones_stay(settings):
    settings.LOGIN_LINK_RETENTION_DAYS = 30
    settings.AXES_FAILURE_LOG_RETENTION_DAYS = 30
    settings.AXES_ACCESS_LOG_RETENTION_DAYS = 90
    now = timezone.now()
    parent = UserFactory()
    old_link = LoginLink.objects.create(user=parent, token_hash="a" * 64, expires_at=now)
    LoginLink.objects.filter(pk=old_link.pk).update(created_at=now - timedelta(days=31))
    new_link = LoginLink.objects.create(user=parent, token_hash="b" * 64, expires_at=now + timedelta(minutes=30))
    # A typed address no worker answered (it was down for a day) does not stay either.
    LinkRequest.objects.create(email="ouder@example.nl", purpose="login", created_at=now - timedelta(hours=25))
    waiting = LinkRequest.objects.create(email="ouder@example.nl", purpose="login")
    expired, alive = SessionStore(), SessionStore()
    expired.set_expiry(-1)
    expired.save()
    alive.save()
    who = {"username": "ouder@example.nl", "ip_address": "192.0.2.1", "user_agent": "Firefox"}
    _aged(AccessFailureLog, 31, **who)
    new_failure = _aged(AccessFailureLog, 29, **who)
    _aged(AccessLog, 91, **who)
    new_access = _aged(AccessLog, 89, **who)
    lockout = _aged(AccessAttempt, 365, failures_since_start=5, **who)

    throttle_hit(scope="report-intake", client="192.0.2.1", now=now - timedelta(hours=3))
    throttle_hit(scope="report-intake", client="192.0.2.1", now=now)
    SignInRefused.objects.create(provider="microsoft", reason="unknown_account", at=now - timedelta(days=91))
    recent_refusal = SignInRefused.objects.create(provider="google", reason="unknown_account", at=now)

    removed = login_traces_purge_task()

    assert removed == {
        "login_links": 1,
        "link_requests": 1,
        "failed_logins": 1,
        "access_log": 1,
        "rate_limit_counts": 1,
        "refused_sign_ins": 1,
    }
    assert list(SignInRefused.objects.values_list("pk", flat=True)) == [recent_refusal.pk]
    assert throttle_count(scope="report-intake", client="192.0.2.1") == 1
    assert list(LoginLink.objects.values_list("pk", flat=True)) == [new_link.pk]
    assert list(LinkRequest.objects.values_list("pk", flat=True)) == [waiting.pk]
    assert list(Session.objects.values_list("session_key", flat=True)) == [alive.session_key]
    assert list(AccessFailureLog.objects.values_list("pk", flat=True)) == [new_failure.pk]
    assert list(AccessLog.objects.values_list("pk", flat=True)) == [new_access.pk]
    assert AccessAttempt.objects.filter(pk=lockout.pk).exists()  # axes' own cool-off decides on these
