"""The help pages show the user guides with their pictures, for everyone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

from skow_portal.views import GUIDES

pytestmark = pytest.mark.django_db


def test_help_lists_every_guide_and_is_linked_from_every_page(client):
    home = client.get("/").content.decode()
    assert 'href="/help/"' in home
    index = client.get("/help/").content.decode()
    for slug in GUIDES:
        assert f'href="/help/{slug}/"' in index


@pytest.mark.parametrize("slug", list(GUIDES))
def test_each_guide_renders_and_its_pictures_exist(client, slug):
    page = client.get(f"/help/{slug}/").content.decode()
    pictures = re.findall(r'<img alt="[^"]+" src="/static/guide/([^"]+)"', page)
    assert pictures, "a guide without pictures"
    for name in pictures:
        assert (Path(settings.BASE_DIR) / "static" / "guide" / name).is_file(), f"run `make screenshots`: {name}"


def test_an_unknown_guide_is_404(client):
    assert client.get("/help/onbekend/").status_code == 404
