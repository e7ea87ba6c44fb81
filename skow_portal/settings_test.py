"""The small test override of settings.py: same settings, plus what makes tests fast and isolated."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-3f9c1e7a5b2d4c6e8f0a1b3c5d7e9f1a")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SESSION_COOKIE_SECURE", "0")
os.environ.setdefault("CSRF_COOKIE_SECURE", "0")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
# A fixed test master key and a key store of this run (inherited by the web server and worker the
# browser and service tests start); never the project's var/.
os.environ.setdefault("SKOW_MASTER_KEY", "test-master:dGVzdC1vbmx5LW1hc3Rlci1rZXktMzJieXRlcyEhISE=")
os.environ.setdefault("SKOW_KEY_STORE", os.path.join(tempfile.gettempdir(), f"skow-test-keystore-{os.getpid()}"))

from .settings import *  # noqa: F403
from .settings import DATABASES, REDIS_URL

# Fast hashing in tests; production uses argon2 (asserted in skow_portal/tests/test_deploy.py).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Per-test cache, cleared by an autouse fixture; never shared through Redis between tests.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "public_pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-public-pages"},
}
# Tasks run in the test process unless a test starts a real worker (see conftest `celery_worker`).
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, not memory, so a Celery worker in another process sees the same test database.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / f".test-db-{os.getpid()}.sqlite3")}  # noqa: F405
AXES_FAILURE_LIMIT = 5
# Evidence of each test run in its own directory, never in the project's var/.
EVIDENCE_ROOT = os.path.join(tempfile.gettempdir(), f"skow-test-evidence-{os.getpid()}")
