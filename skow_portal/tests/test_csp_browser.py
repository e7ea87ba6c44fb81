"""The Content-Security-Policy in a real browser: nothing on the portal's pages is refused by it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _violations(page) -> list[str]:
    seen: list[str] = []
    page.on("console", lambda message: seen.append(message.text) if "Content Security Policy" in message.text else None)
    return seen


def test_public_pages_load_without_a_policy_violation(live_server, page):
    from policy.tests.factories import version_1

    version_1()
    violations = _violations(page)
    for path in ("/", "/protocol/", "/protocol/1/print/", "/protocol/history/", "/report/", "/accounts/login/"):
        page.goto(live_server.url + path)
        expect(page.locator("h1").first).to_be_visible()
    # Bootstrap's script ran: the navbar toggler is wired up on a phone-sized window.
    assert page.evaluate("typeof window.bootstrap") == "object"
    assert violations == []


def test_the_report_form_honeypot_stays_out_of_sight(live_server, page):
    page.goto(live_server.url + "/report/")
    assert (
        not page.locator("input[name=website]").is_visible()
        or page.locator("input[name=website]").bounding_box()["x"] < 0
    )


def test_the_authenticator_qr_code_shows_under_the_policy(live_server, page, school_leader):
    violations = _violations(page)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("E-mailadres").fill(school_leader.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    qr = page.locator(".qr-code svg")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box["width"] > 150 and box["height"] > 150  # portal.css sizes it; no inline style needed
    assert violations == []


def test_the_admin_works_under_the_policy(live_server, page, school, functional_admin, browser_logged_in):
    violations = _violations(page)
    browser_logged_in(page, functional_admin)  # the login and second-factor pages, under the policy too
    page.goto(live_server.url + "/admin/")
    expect(page.locator("#site-name")).to_be_visible()
    for path in (
        "/admin/accounts/school/",
        f"/admin/accounts/user/{functional_admin.pk}/change/",
        "/admin/accounts/pupil/add/",
    ):
        page.goto(live_server.url + path)
        expect(page.locator("#content")).to_be_visible()
    assert violations == []
