"""Production settings: `check --deploy` is clean and the safe defaults hold."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "skow_portal.settings",
    "DEBUG": "0",
    "SECRET_KEY": "k8Jq2x9Lw4Vn7Rt1Yp5Zs3Hd6Fg0Mb2Nc8Xe4Ua7Qi9Ko1Pl3Sj5Tv7Wy9Ar2Bt",
    "ALLOWED_HOSTS": "portal.skow.nl",
    "DATABASE_URL": "sqlite:////tmp/skow-deploy-check.sqlite3",
}


def _environment(overrides: dict[str, str]) -> dict[str, str]:
    """This process's environment without what the test settings put there, plus ``overrides``."""
    dropped = ("DJANGO_", "SECURE_", "SESSION_", "CSRF_", "REDIS_URL", "CELERY_", "ALLOWED_HOSTS", "SECRET_KEY")
    return {**{k: v for k, v in os.environ.items() if not k.startswith(dropped)}, **overrides}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=_environment(env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_has_no_warnings_under_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("settings.PASSWORD_HASHERS[0]", "django.contrib.auth.hashers.Argon2PasswordHasher"),
        ("settings.CELERY_TASK_ACKS_LATE", "True"),
        ("settings.CELERY_TASK_ALWAYS_EAGER", "True"),  # no broker configured: tasks run in-process
        ("settings.LANGUAGE_CODE", "nl"),
        ("settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE", "True"),
    ],
)
def test_production_settings_values(expression, expected):
    code = f"import django; django.setup(); from django.conf import settings; print({expression})"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=_environment(PRODUCTION_ENV),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == expected, result.stderr
