"""The Celery app: broker and behaviour come from Django settings (``CELERY_*``)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skow_portal.settings")

app = Celery("skow_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(ignore_result=True)
def bench_ping(key: str) -> None:
    """`make bench` only: the bare Celery round trip the notification delivery is compared with."""
    import time

    from django.core.cache import cache

    cache.set(key, time.time(), 300)
