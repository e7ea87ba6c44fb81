"""Pages with personal data are never kept by a browser or proxy (`Cache-Control: no-store`); the
public protocol is (AVG art. 32: on a shared school computer the next user finds nothing in the cache).

The private pages are the access matrix's rows that send a visitor to log in: every one a role may
open must say no-store. Pages reached by a link or a code without logging in are listed here.
"""

from __future__ import annotations

import pytest

from skow_portal.tests.test_access_matrix import LOGIN, ROLES, ROWS, _fill

pytestmark = pytest.mark.django_db

PRIVATE_PAGES = [row for row in ROWS if row.method == "get" and row.expected[0] == LOGIN]

# Reached without logging in, by a link from an e-mail or a receipt code; what they show is personal.
BY_LINK_OR_CODE = [
    "/consent/invitation/",
    "/accounts/login/link/open/",
    "/accounts/login/unlock/open/",
    "/accounts/password/set/MTIzNDU2/not-a-real-token/",
    "/report/follow/",
    "/report/thanks/",
]

# The same for everyone: a browser or proxy may keep them.
PUBLIC_PAGES = ["/", "/protocol/", "/protocol/1/", "/protocol/1/print/", "/protocol/1/pdf/", "/protocol/history/"]


def _url(row, world) -> str:
    url = "/" + row.route
    for param, name in row.params.items():
        url = _fill(url, param, world.value(name))
    return url


@pytest.mark.parametrize("role", [role for role in ROLES if role != "visitor"])
def test_every_private_page_a_role_opens_says_no_store(client, world, role, logged_in):
    logged_in(world.users[role])
    column = ROLES.index(role)
    opened, cached = 0, []
    for row in PRIVATE_PAGES:
        if row.expected[column] != 200:
            continue
        response = client.get(_url(row, world))
        assert response.status_code == 200, row.name
        opened += 1
        if "no-store" not in response.get("Cache-Control", ""):
            cached.append(f"{row.name}: {response.get('Cache-Control', '(no Cache-Control)')}")
    assert opened, f"{role} opens no private page: the table is not what this test expects"
    assert not cached, f"As {role}, these pages may be cached:\n  " + "\n  ".join(cached)


def test_the_inbox_cases_consent_person_files_and_exports_are_among_the_pages_checked():
    routes = {row.route for row in PRIVATE_PAGES}
    for route in (
        "inbox/",
        "cases/",
        "cases/<int:pk>/",
        "consent/",
        "consent/campaigns/<int:pk>/",
        "consent/schools/<int:pk>/export.csv",
        "person-files/pupils/<int:pk>/",
        "accounts/groups/<int:pk>/",
        "protocol/acknowledgements/<int:school>/export.csv",
    ):
        assert route in routes


@pytest.mark.parametrize("url", BY_LINK_OR_CODE)
def test_pages_reached_by_link_or_code_say_no_store(client, world, url):
    assert "no-store" in client.get(url).get("Cache-Control", "")


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_the_public_protocol_may_be_cached(client, world, url):
    response = client.get(url)
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_the_protocol_page_is_kept_by_proxies_for_visitors(client, world):
    assert "public" in client.get("/protocol/")["Cache-Control"]
