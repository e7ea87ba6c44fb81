"""The interface is Dutch; the English catalogue must be complete and compiled."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client

from testing.services import require_service

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES"


def _statistics() -> str:
    require_service(shutil.which("msgfmt") is not None, "GNU gettext (msgfmt)")
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(CATALOGUE / "django.po")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stderr


def test_english_catalogue_has_no_untranslated_or_fuzzy_entries():
    stats = _statistics()
    assert re.match(r"\d+ translated messages?\.$", stats.strip()), stats


def test_compiled_catalogue_matches_the_po_file(tmp_path):
    _statistics()
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-o", str(compiled), str(CATALOGUE / "django.po")], check=True)
    assert compiled.read_bytes() == (CATALOGUE / "django.mo").read_bytes(), "run `make messages`"


@pytest.mark.django_db
def test_pages_speak_dutch_whatever_the_browser_asks():
    response = Client().get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Inloggen voor medewerkers" in response.content.decode()


@pytest.mark.django_db
def test_language_switcher_turns_the_pages_english():
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"}, follow=True)
    assert "Staff login" in response.content.decode()
    assert "Inloggen voor medewerkers" not in response.content.decode()


def test_catalogue_holds_every_string_of_the_source(tmp_path):
    """A string wrapped in gettext but missing from the English catalogue fails here: run `make messages`."""
    _statistics()
    require_service(shutil.which("xgettext") is not None, "GNU gettext (xgettext)")
    import sys

    import polib

    root = CATALOGUE.parents[2]
    copy = tmp_path / "src"
    shutil.copytree(
        root,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "var", "staticfiles", "node_modules", "*.sqlite3", "__pycache__"
        ),
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete", "--ignore=.venv"],
        cwd=copy,
        env={**os.environ, "DEBUG": "1"},
        check=True,
        capture_output=True,
    )
    fresh = {
        (e.msgctxt, e.msgid) for e in polib.pofile(str(copy / "locale/en/LC_MESSAGES/django.po")) if not e.obsolete
    }
    ours = {(e.msgctxt, e.msgid) for e in polib.pofile(str(CATALOGUE / "django.po")) if not e.obsolete}
    missing = sorted(msgid for _ctx, msgid in fresh - ours)
    assert not missing, f"run `make messages` and translate: {missing[:10]}"
