"""Fixtures shared by every app's tests: people per role, the browser, and service checks."""

from __future__ import annotations

import os
import shutil

import pytest
from django.core.cache import cache

# Playwright's sync API runs an event loop in this thread; the Django ORM must still be usable here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def require_service(available: bool, what: str) -> None:
    """In CI a missing service fails the test; on a developer's machine it skips it."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{what} is required in CI but is not available.")
    pytest.skip(f"{what} is not available on this machine.")


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


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


# The browser ---------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
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


@pytest.fixture
def phone_context_args():
    return {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
