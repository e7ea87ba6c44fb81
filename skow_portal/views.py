"""Project-wide pages: home and the health check."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from notifications.selectors import oldest_pending_age_seconds

from .celery import app as celery_app


def home(request):
    return render(request, "home.html")


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:  # noqa: BLE001 — any failure means "down"
        return False


def _broker_status() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception:  # noqa: BLE001
        return "down"


@never_cache
def healthz(request):
    """Database, broker and the age of the oldest pending notification; 503 when a part is down."""
    database_ok = _database_ok()
    broker = _broker_status()
    body = {
        "database": "ok" if database_ok else "down",
        "broker": broker,
        "oldest_pending_notification_seconds": oldest_pending_age_seconds() if database_ok else None,
    }
    healthy = database_ok and broker != "down"
    body["status"] = "ok" if healthy else "down"
    return JsonResponse(body, status=200 if healthy else 503)


def bench_minimal(request):
    """The smallest Django page, through the full middleware stack: `make bench`'s baseline."""
    return HttpResponse("ok", content_type="text/plain")
