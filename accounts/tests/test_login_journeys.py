"""Login journeys in a real browser (Playwright driving Debian's Chromium)."""

from __future__ import annotations

import base64
import re

import pytest
from django.core import mail
from django_otp.oath import totp
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD, GroupFactory, PupilFactory, confirmed_totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_member_logs_in_with_password_and_authenticator_code(live_server, page, teacher):
    device = confirmed_totp(teacher)
    page.goto(live_server.url)
    page.get_by_role("link", name="Inloggen voor medewerkers").first.click()
    page.get_by_label("E-mailadres").fill(teacher.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", name="Code uit uw authenticator-app")).to_be_visible()
    page.get_by_label("Code uit uw authenticator-app").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Controleren").click()
    expect(page.get_by_role("banner")).to_contain_text(str(teacher))
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()


def test_parent_logs_in_on_a_phone_with_an_emailed_link_that_works_once(
    live_server, browser, phone_context_args, parent
):
    page = browser.new_context(**phone_context_args).new_page()
    page.goto(live_server.url)
    page.get_by_role("link", name="Stuur mij een inloglink").click()
    page.get_by_label("E-mailadres").fill(parent.email)
    page.get_by_role("button", name="Stuur mij een inloglink").click()
    expect(page.get_by_role("heading", name="Kijk in uw e-mail")).to_be_visible()

    (message,) = mail.outbox
    assert message.to == [parent.email]
    link = re.search(r"https?://[^/\s]+(/accounts/login/link/[^/\s]+/)", message.body).group(1)
    assert parent.children.first().first_name not in message.body  # the e-mail carries only the link

    page.goto(live_server.url + link)
    expect(page.get_by_text(parent.email)).to_be_visible()
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_text("U bent ingelogd.")).to_be_visible()

    other = browser.new_context(**phone_context_args).new_page()
    other.goto(live_server.url + link)
    expect(other.get_by_role("heading", name="Deze inloglink werkt niet meer")).to_be_visible()


def test_leader_without_second_factor_sees_nothing_private_until_an_authenticator_is_linked(
    live_server, page, school, school_leader
):
    pupil = PupilFactory(school=school, group=GroupFactory(school=school, name="7a", grade=7), first_name="Fenna")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mailadres").fill(school_leader.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", name="Tweede factor instellen")).to_be_visible()

    for path in (f"/accounts/schools/{school.pk}/", "/admin/", f"/accounts/groups/{pupil.group_id}/"):
        page.goto(live_server.url + path)
        expect(page.get_by_role("heading", name="Tweede factor instellen")).to_be_visible()
        expect(page.get_by_text(pupil.first_name)).to_have_count(0)

    secret = page.get_by_test_id("totp-secret").inner_text()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label("Code uit uw authenticator-app").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Koppelen").click()
    expect(page.get_by_text("Uw authenticator-app is gekoppeld.")).to_be_visible()
    page.goto(f"{live_server.url}/accounts/groups/{pupil.group_id}/")
    expect(page.get_by_text(pupil.full_name)).to_be_visible()


def test_repeated_wrong_passwords_lock_the_login(live_server, page, teacher):
    for attempt in range(1, 6):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("E-mailadres").fill(teacher.email)
        page.get_by_label("Wachtwoord").fill("verkeerd-wachtwoord")
        page.get_by_role("button", name="Inloggen").click()
        if attempt < 5:
            expect(page.get_by_text("horen niet bij elkaar")).to_be_visible()
    # The fifth failure locks the login, and then even the right password does not open it.
    expect(page.get_by_role("heading", name="Inloggen tijdelijk geblokkeerd")).to_be_visible()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mailadres").fill(teacher.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", name="Inloggen tijdelijk geblokkeerd")).to_be_visible()


def test_a_leader_locked_out_by_someone_else_lifts_it_from_the_emailed_link_and_logs_in(
    live_server, page, school_leader
):
    from django.test import Client

    device = confirmed_totp(school_leader)
    for _ in range(5):  # someone on the same network guesses her password
        Client(REMOTE_ADDR="127.0.0.1").post("/accounts/login/", {"username": school_leader.email, "password": "x"})
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mailadres").fill(school_leader.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", name="Inloggen tijdelijk geblokkeerd")).to_be_visible()
    page.get_by_role("button", name="Stuur mij een link om te ontgrendelen").click()
    expect(page.get_by_role("heading", name="Kijk in uw e-mail")).to_be_visible()

    (message,) = mail.outbox
    assert message.to == [school_leader.email]
    link = re.search(r"https?://[^/\s]+(/accounts/login/unlock/[^/\s]+/)", message.body).group(1)
    page.goto(live_server.url + link)
    assert "/accounts/login/unlock/open/" in page.url  # the link's secret left the address bar
    page.get_by_role("button", name="Blokkade opheffen").click()
    expect(page.get_by_text("De blokkade is opgeheven. U kunt weer inloggen.")).to_be_visible()
    page.get_by_label("E-mailadres").fill(school_leader.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_label("Code uit uw authenticator-app").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Controleren").click()
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()
