from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from notifications.models import Notification
from notifications.services import notification_send

pytestmark = pytest.mark.django_db


PUBLIC = {"REMOTE_ADDR": "203.0.113.7"}


def test_healthz_reports_database_broker_and_no_waiting_notifications_to_a_probe_on_this_machine(client):
    response = client.get("/healthz/")  # the test client's REMOTE_ADDR is 127.0.0.1
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


def test_healthz_answers_503_when_the_broker_is_down_and_the_public_learns_only_that(client, settings):
    from skow_portal.celery import app
    from testing.celery_worker import reset_celery_connections
    from testing.services import free_port

    saved = (app.conf.task_always_eager, app.conf.broker_url)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.broker_url = f"redis://127.0.0.1:{free_port()}/0"
    reset_celery_connections(app)
    try:
        response = client.get("/healthz/")
        public = client.get("/healthz/", **PUBLIC)
    finally:
        app.conf.task_always_eager, app.conf.broker_url = saved
        reset_celery_connections(app)
    assert response.status_code == 503
    assert response.json()["broker"] == "down"
    assert response.json()["status"] == "down"
    assert (public.status_code, public.json()) == (503, {"status": "down"})


def test_the_public_learns_only_ok(client):
    response = client.get("/healthz/", **PUBLIC)
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_a_request_forwarded_by_the_proxy_on_this_machine_is_public(client):
    """Behind nginx on the same host every request comes from 127.0.0.1, with X-Forwarded-For."""
    response = client.get("/healthz/", HTTP_X_FORWARDED_FOR="127.0.0.1")
    assert response.json() == {"status": "ok"}


def test_the_functional_admin_past_the_second_factor_sees_the_details_from_anywhere(client, logged_in):
    admin = UserFactory(roles=[("functional_admin", None)])
    client.force_login(admin)
    assert client.get("/healthz/", **PUBLIC).json() == {"status": "ok"}  # password only: not yet
    logged_in(admin)
    assert client.get("/healthz/", **PUBLIC).json()["database"] == "ok"


def test_other_logged_in_people_learn_only_ok(client, logged_in):
    board = UserFactory(roles=[("board", None)])
    logged_in(board)
    assert client.get("/healthz/", **PUBLIC).json() == {"status": "ok"}
