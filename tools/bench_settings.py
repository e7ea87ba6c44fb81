"""`make bench`'s settings: the portal's own, plus what only the bench serves and runs.

The bench sets DJANGO_SETTINGS_MODULE to this module for itself, gunicorn and the workers (their
entry points only default to skow_portal.settings), so production knows nothing of the bench.
"""

from skow_portal.settings import *  # noqa: F403

# The portal's URLs plus a minimal page: the framework's floor the portal's pages are compared with.
ROOT_URLCONF = "tools.bench_urls"
# A no-op task for the bare Celery round trip the e-mail delivery is compared with.
CELERY_IMPORTS = ["tools.bench_tasks"]
