"""The Celery app: broker and behaviour come from Django settings (``CELERY_*``)."""

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skow_portal.settings")

app = Celery("skow_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def close_old_database_connections(sender=None, **kwargs) -> None:
    """Around each task what Django does around each request: drop a connection that broke or
    outlived CONN_MAX_AGE, keep a good one (see CELERY_DB_REUSE_MAX). Not for tasks run in-process
    (eager), which run inside the caller's request or test transaction."""
    if sender is None or getattr(sender.request, "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()
