"""The interface is Dutch; the English catalogue must be complete and compiled."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client

from conftest import require_service

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
