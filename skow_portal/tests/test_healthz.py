from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from notifications.models import Notification
from notifications.services import notification_send

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_broker_and_no_waiting_notifications(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {
        "database": "ok",
        "broker": "eager",
        "oldest_pending_notification_seconds": None,
        "status": "ok",
    }
    assert "no-cache" in response["Cache-Control"]


def test_healthz_reports_the_age_of_the_oldest_pending_notification(client):
    (row,) = notification_send(
        template="accounts/email/password_login_reminder", recipient=UserFactory(), channels=("email",)
    )
    Notification.objects.filter(pk=row.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    age = client.get("/healthz/").json()["oldest_pending_notification_seconds"]
    assert 299 < age < 310


def test_healthz_answers_503_when_the_broker_is_down(client, settings):
    from conftest import _free_port, _reset_celery_connections
    from skow_portal.celery import app

    saved = (app.conf.task_always_eager, app.conf.broker_url)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.broker_url = f"redis://127.0.0.1:{_free_port()}/0"
    _reset_celery_connections(app)
    try:
        response = client.get("/healthz/")
    finally:
        app.conf.task_always_eager, app.conf.broker_url = saved
        _reset_celery_connections(app)
    assert response.status_code == 503
    assert response.json()["broker"] == "down"
    assert response.json()["status"] == "down"
