"""`make bench`'s own Celery task, imported by the workers through CELERY_IMPORTS (tools/bench_settings.py)."""

import time

from django.core.cache import cache

from skow_portal.celery import app


@app.task(ignore_result=True, name="bench.ping")
def bench_ping(key: str) -> None:
    """The bare Celery round trip: note when the worker ran it, for the bench to read."""
    cache.set(key, time.time(), 300)
