"""The Celery app: broker and behaviour come from Django settings (``CELERY_*``)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skow_portal.settings")

app = Celery("skow_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
