"""What any visitor's browser meets first: a favicon, a description, compressed public pages, and a
``Server`` header that does not name the software. The last three under the Procfile's gunicorn."""

from __future__ import annotations

import gzip
import re
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils.text import compress_string

from policy.tests.factories import version_1

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _protocol_in_force():
    """The protocol the data migration installs (again, after a transactional test's flush)."""
    version_1()


GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


def test_every_page_links_a_favicon_that_exists_and_has_a_description(client, school):
    for path in ("/", "/protocol/", "/report/", "/accounts/login/"):
        page = client.get(path).content.decode()
        icons = re.findall(r'<link rel="icon" href="([^"]+)"', page)
        assert icons and all(finders.find(icon.removeprefix(settings.STATIC_URL)) for icon in icons), path
        (description,) = re.findall(r'<meta name="description" content="([^"]+)"', page)
        assert "Protocol Sociale Media" in description and len(description) <= 200, path


def test_the_protocol_is_compressed_for_a_visitor(client):
    response = client.get("/protocol/", **GZIP)
    assert response.status_code == 200 and response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert "Protocol Sociale Media" in gzip.decompress(response.content).decode()


def test_the_cached_protocol_is_compressed_once_not_on_every_visit(client):
    """The public page's cache keeps the compressed page: gzip runs when it is filled, not per hit,
    and a browser that asks for no compression gets its own plain copy."""
    with mock.patch("django.middleware.gzip.compress_string", wraps=compress_string) as compressing:
        bodies = [gzip.decompress(client.get("/protocol/", **GZIP).content) for _ in range(3)]
        plain = client.get("/protocol/")
    assert compressing.call_count == 1
    assert bodies[0] == bodies[1] == bodies[2]
    assert not plain.has_header("Content-Encoding") and b"Protocol Sociale Media" in plain.content


@pytest.mark.parametrize(
    ("path", "why"),
    [
        ("/report/", "a CSRF token in the form"),
        ("/accounts/login/", "a CSRF token in the form"),
        ("/report/follow/", "never cached: a followed report is private"),
    ],
)
def test_a_page_with_a_secret_is_never_compressed(client, school, path, why):
    response = client.get(path, **GZIP)
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding"), why


def test_nothing_is_compressed_for_someone_logged_in(client, school_leader, logged_in):
    logged_in(school_leader)
    for path in ("/protocol/", reverse("reports:case_list"), "/"):
        response = client.get(path, **GZIP)
        assert response.status_code == 200, path
        assert not response.has_header("Content-Encoding"), path


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_under_gunicorn_no_server_name_a_root_favicon_compressed_pages_and_static(procfile_web, school):
    from testing.web import HttpClient

    web = procfile_web()
    plain = HttpClient(web.url)
    gzipped = HttpClient(web.url, headers={"Accept-Encoding": "gzip"})
    for path in ("/", "/protocol/", "/report/", "/favicon.ico", "/healthz/", "/no-such-page/"):
        answer = plain.get(path)
        server = {name.lower(): value for name, value in answer.headers.items()}.get("server", "")
        assert "gunicorn" not in server.lower() and "python" not in server.lower(), (path, server)
    favicon = plain.get("/favicon.ico")
    assert favicon.status == 200 and favicon.headers["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")

    # The help pages need no data (a transactional test before this one may have emptied the protocol).
    help_page = gzipped.get("/help/")
    assert help_page.status == 200 and help_page.headers.get("Content-Encoding") == "gzip"
    report = gzipped.get("/report/")
    assert report.status == 200 and "Content-Encoding" not in report.headers  # it holds a CSRF token
    stylesheet = re.search(r'href="(/static/vendor/bootstrap/bootstrap\.min\.[0-9a-f]+\.css)"', plain.get("/").body)
    css = gzipped.get(stylesheet.group(1))
    assert css.status == 200 and css.headers.get("Content-Encoding") == "gzip"
    assert "immutable" in css.headers.get("Cache-Control", "")  # fetched once, then from the browser's cache
