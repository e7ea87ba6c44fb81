"""The pages of the reporting channel and of login by link, as axe-core reads them (WCAG 2.2 AA).

At phone and desktop width, quiet and with the busy-network check shown, and after a refused send.
Scope: each page's own content (``main``); the shared header and footer are checked with the rest of
the theme elsewhere.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import signing
from django.test import Client

from accounts.services import UNLOCK_SALT
from accounts.tests.factories import UserFactory
from accounts.throttle import throttle_hit
from reports.tests.factories import ReportFactory
from testing.axe import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [pytest.param(1280, id="desktop"), pytest.param(390, id="phone")]


def _busy(*scopes: str) -> None:
    """Past every free allowance: the report's and the links' (a school network gets more links)."""
    for scope in scopes:
        for _ in range(max(12, settings.LINK_REQUESTS_FREE_PER_NETWORK_PER_HOUR + 1)):
            throttle_hit(scope=scope, client="127.0.0.1")


def _check(page, url: str) -> None:
    page.goto(url)
    assert axe_violations(page) == [], url


@pytest.mark.parametrize("width", WIDTHS)
def test_the_report_and_follow_pages_pass_axe_quiet_and_busy(live_server, page, school, width):
    page.set_viewport_size({"width": width, "height": 900})
    _check(page, f"{live_server.url}/report/")
    _check(page, f"{live_server.url}/report/follow/")
    _busy("report-intake", "report-follow", "login-link", "password-link", "unlock-link")
    for path in ("/report/", "/report/follow/", "/accounts/login/link/", "/accounts/password/forgotten/"):
        _check(page, f"{live_server.url}{path}")
        assert page.get_by_role("group", name="Korte controle").is_visible()
    # A send refused for the check, as a browser without the portal's script meets it: the message,
    # the kept text and the question, together.
    page.route("**/js/forms.js", lambda route: route.abort())
    page.goto(f"{live_server.url}/report/")
    page.get_by_label("Over welke school gaat het?").select_option(label=school.name)
    page.get_by_label("Wat is er gebeurd?").select_option(label="Pesten")
    page.get_by_label("Waar gebeurde het?").select_option(label="WhatsApp")
    page.get_by_label("Wanneer gebeurde het?").fill("2026-11-20")
    page.get_by_label("Beschrijf wat er is gebeurd").fill("Er wordt gescholden in de groepsapp.")
    page.get_by_role("group", name="Ik ben").get_by_label("Leerling", exact=True).check()
    page.get_by_label("Ik meld anoniem").check()
    page.get_by_label(re.compile("Hoeveel is")).fill("99")  # a wrong answer
    page.get_by_role("button", name="Melding versturen").click()
    page.get_by_role("alert").filter(has_text="Uw melding is nog niet verstuurd").wait_for()
    assert page.get_by_text("Uw melding is nog niet verstuurd").count() == 1
    assert page.get_by_label("Beschrijf wat er is gebeurd").input_value() == "Er wordt gescholden in de groepsapp."
    assert axe_violations(page) == []


@pytest.mark.parametrize("width", WIDTHS)
def test_the_thank_you_page_passes_axe(live_server, page, school, school_leader, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/report/")
    page.get_by_label("Over welke school gaat het?").select_option(label=school.name)
    page.get_by_label("Wat is er gebeurd?").select_option(label="Pesten")
    page.get_by_label("Waar gebeurde het?").select_option(label="WhatsApp")
    page.get_by_label("Wanneer gebeurde het?").fill("2026-11-20")
    page.get_by_label("Beschrijf wat er is gebeurd").fill("Er wordt gescholden in de groepsapp.")
    page.get_by_role("group", name="Ik ben").get_by_label("Leerling", exact=True).check()
    page.get_by_label("Ik meld anoniem").check()
    page.get_by_role("button", name="Melding versturen").click()
    page.get_by_test_id("receipt-code").wait_for()
    assert axe_violations(page) == []
    ReportFactory(school=school, anonymous=True, code="ABCD-EFGH-JKMN-PQRS-TVWX")
    page.goto(f"{live_server.url}/report/follow/")
    page.get_by_label("Uw ontvangstcode").fill("ABCD-EFGH-JKMN-PQRS-TVWX")
    page.get_by_role("button", name="Melding bekijken").click()
    page.get_by_test_id("case-state").wait_for()
    assert axe_violations(page) == []


@pytest.mark.parametrize("width", WIDTHS)
def test_the_lockout_and_unlock_pages_pass_axe(live_server, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    leader = UserFactory(email="directeur@example.nl", roles=[("board", None)])
    for _ in range(5):
        Client(REMOTE_ADDR="127.0.0.1").post("/accounts/login/", {"username": leader.email, "password": "fout"})
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mailadres").fill(leader.email)
    page.get_by_label("Wachtwoord").fill("nog steeds fout")
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("heading", name="Inloggen tijdelijk geblokkeerd").wait_for()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Stuur mij een link om te ontgrendelen").click()
    page.get_by_role("heading", name="Kijk in uw e-mail").wait_for()
    assert axe_violations(page) == []
    _check(page, f"{live_server.url}/accounts/login/unlock/")
    token = signing.dumps({"u": leader.pk, "n": "a11y"}, salt=UNLOCK_SALT)
    _check(page, f"{live_server.url}/accounts/login/unlock/{token}/")
    assert page.get_by_role("button", name="Blokkade opheffen").is_visible()
