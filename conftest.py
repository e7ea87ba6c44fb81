"""Fixtures shared by every app's tests: people per role, logged in, and the browser.

The harness of real services (Redis, a Celery worker, an SMTP server, the Procfile's web process)
is the plugin package ``testing/``, registered here.
"""

from __future__ import annotations

import os
import shutil

import pytest
from django.conf import settings
from django.core.cache import caches

pytest_plugins = ("testing.services", "testing.celery_worker", "testing.mail", "testing.web", "testing.oidc")

# Playwright's sync API runs an event loop in this thread; the Django ORM must still be usable here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with empty caches (settings_test: local memory, never a shared Redis)."""
    for alias in settings.CACHES:
        caches[alias].clear()


# People per role (STYLE.md: role fixtures in the root conftest) ----------------------------------


@pytest.fixture
def school(db):
    from accounts.tests.factories import SchoolFactory

    return SchoolFactory(name="Sint-Jozefschool", brin="01AB")


@pytest.fixture
def other_school(db):
    from accounts.tests.factories import SchoolFactory

    return SchoolFactory(name="Basisschool De Windroos", brin="02CD")


@pytest.fixture
def teacher(school):
    from accounts.tests.factories import UserFactory

    return UserFactory(email="leerkracht@example.nl", roles=[("staff", school)])


@pytest.fixture
def school_leader(school):
    from accounts.tests.factories import UserFactory

    return UserFactory(email="directeur@example.nl", roles=[("school_leader", school), ("staff", school)])


@pytest.fixture
def board_member(db):
    from accounts.tests.factories import UserFactory

    return UserFactory(email="bestuur@example.nl", roles=[("board", None)])


@pytest.fixture
def council_secretary(db):
    from accounts.tests.factories import UserFactory

    return UserFactory(email="gmr@example.nl", roles=[("council_secretary", None)])


@pytest.fixture
def parent(school):
    from accounts.tests.factories import GuardianshipFactory, PupilFactory, UserFactory

    guardian = UserFactory(email="ouder@example.nl", password="")
    GuardianshipFactory(guardian=guardian, pupil=PupilFactory(school=school))
    return guardian


@pytest.fixture
def functional_admin(db):
    """The back office (beheer): Django's staff and superuser, as the demo's functional admin."""
    from accounts.tests.factories import UserFactory

    return UserFactory(email="beheer@example.nl", is_staff=True, is_superuser=True, roles=[("functional_admin", None)])


# Logged in -----------------------------------------------------------------------------------------
# The way in for every test: the test client or a real browser, logged in as a person the way that
# person logs in. A test of the login itself, or of a page without the second factor, does it by hand.


@pytest.fixture
def logged_in(client):
    """Factory: ``logged_in(user)`` returns the test client logged in as ``user``; staff and everyone
    above also past the second factor, as if they had typed the code of a linked authenticator app.
    Call it again to become someone else; ``client=`` logs in another ``django.test.Client`` instead."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.tests.factories import confirmed_totp

    def log_in(user, *, client=client):
        client.force_login(user)
        if user.logs_in_with_password:
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or confirmed_totp(user)
            session = client.session
            session["otp_device_id"] = device.persistent_id
            session.save()
        return client

    return log_in


@pytest.fixture
def browser_logged_in(live_server):
    """Factory: ``browser_logged_in(page, user)`` logs a Playwright page in at the live server, the way
    ``user`` does: staff and everyone above with the password and a code from a newly linked
    authenticator app, parents and pupils with the link from the e-mail. Returns the page, once the
    login has led away from the login pages."""
    import re

    from django_otp.oath import totp
    from playwright.sync_api import expect

    from accounts.tests.factories import PASSWORD, confirmed_totp
    from testing.mail import mailed_path

    def log_in(page, user):
        if user.logs_in_with_password:
            device = confirmed_totp(user)  # a device of its own: a code is accepted once per device
            page.goto(f"{live_server.url}/accounts/login/")
            page.get_by_label("E-mailadres").fill(user.email)
            page.get_by_label("Wachtwoord").fill(PASSWORD)
            page.get_by_role("button", name="Inloggen").click()
            page.get_by_label("Code uit uw authenticator-app").fill(f"{totp(device.bin_key):06d}")
            page.get_by_role("button", name="Controleren").click()
        else:
            page.goto(f"{live_server.url}/accounts/login/link/")
            page.get_by_label("E-mailadres").fill(user.email)
            page.get_by_role("button", name="Stuur mij een inloglink").click()
            expect(page.get_by_role("heading", name="Kijk in uw e-mail")).to_be_visible()
            page.goto(live_server.url + mailed_path(user.email, r"/accounts/login/link/\S+/"))
            page.get_by_role("button", name="Inloggen").click()
        expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
        return page

    return log_in


# The browser ---------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    from testing.services import require_service

    require_service(shutil.which(CHROMIUM) is not None or os.path.exists(CHROMIUM), f"Chromium at {CHROMIUM}")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(autouse=True)
def _close_browser_contexts(request):
    """After a browser test, close every context it opened (``browser.new_context()`` included).

    An open context keeps its HTTP keep-alive sockets to the live server, and each socket keeps a
    server thread with its own database connection (CONN_MAX_AGE) until the session's browser
    closes: on PostgreSQL those add up to "too many clients" for the tests that come after.
    """
    yield
    if request.node.get_closest_marker("browser") is None or "browser" not in request.fixturenames:
        return
    for context in list(request.getfixturevalue("browser").contexts):
        context.close()


@pytest.fixture
def phone_context_args():
    return {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
