"""Signing in with the board's Microsoft account, in a real browser, against a real OpenID provider
(testing/oidc.py); and the account hygiene report's one-click disabling."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from django_otp.oath import totp
from playwright.sync_api import expect

from accounts import services
from accounts.constants import MICROSOFT_CONSUMER_TENANT, Role
from accounts.models import AccountDisabling, User
from accounts.tests.factories import UserFactory, confirmed_totp
from testing.axe import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TENANT = "0b5e1c7a-5f0e-4b8e-9d3c-5a1f2e3d4c5b"


@pytest.fixture
def microsoft(settings, live_server, oidc_provider):
    """The board's Entra ID tenant, played by a local OpenID provider, registered for the live server."""
    provider = oidc_provider(
        redirect_uris=[f"{live_server.url}/accounts/login/microsoft/callback/"],
        post_logout_redirect_uris=[f"{live_server.url}/"],
    )
    settings.SSO_MICROSOFT_CLIENT_ID = provider.CLIENT_ID
    settings.SSO_MICROSOFT_CLIENT_SECRET = provider.CLIENT_SECRET
    settings.SSO_MICROSOFT_TENANT_ID = TENANT
    settings.SSO_MICROSOFT_AUTHORITY = provider.issuer
    settings.SSO_EMAIL_DOMAINS = ["example.nl"]
    return provider


def sign_in_with_microsoft(page, live_server, provider, login: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Inloggen met Microsoft").click()
    expect(page).to_have_url(re.compile(re.escape(provider.issuer)))
    page.get_by_label("Account").fill(login)
    page.get_by_label("Provider password").fill(provider.PASSWORD)
    page.get_by_role("button", name="Sign in at provider").click()


def no_axe_findings(page) -> None:
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert axe_violations(page) == [], f"at {width} px"


def test_a_teacher_signs_in_with_microsoft_and_loses_access_once_the_board_disables_the_account(
    live_server, page, microsoft, teacher
):
    login = microsoft.account("teacher", tid=TENANT, email=teacher.email, amr=["pwd"])
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("heading", name="Met uw werkaccount van het bestuur")).to_be_visible()
    no_axe_findings(page)
    sign_in_with_microsoft(page, live_server, microsoft, login)
    # Straight in: a teacher needs no code step, and no password was typed in the portal.
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("banner")).to_contain_text(str(teacher))

    page.goto(f"{live_server.url}/consent/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert "/accounts/login/" not in page.url

    microsoft.disable(login)
    assert services.sso_sessions_recheck() == {"ended": 1}  # what beat runs every SSO_RECHECK_MINUTES
    page.goto(f"{live_server.url}/consent/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.get_by_role("button", name="Uitloggen")).to_have_count(0)


def test_logout_offers_to_sign_out_at_microsoft_too(live_server, page, microsoft, teacher):
    sign_in_with_microsoft(page, live_server, microsoft, microsoft.account("t", tid=TENANT, email=teacher.email))
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_role("heading", name="U bent uitgelogd uit het portaal")).to_be_visible()
    no_axe_findings(page)
    page.get_by_role("link", name="Ook uitloggen bij Microsoft").click()
    # The provider's own end-session page asks to confirm; after it, back to the portal.
    page.get_by_role("button").first.click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(live_server.url)}/(\?state=\S+)?$"))
    expect(page.get_by_role("link", name="Inloggen voor medewerkers").first).to_be_visible()


def test_a_leader_without_the_mfa_claim_gets_the_portals_code_step(live_server, page, microsoft, school_leader):
    device = confirmed_totp(school_leader)
    sign_in_with_microsoft(
        page, live_server, microsoft, microsoft.account("leader", tid=TENANT, email=school_leader.email, amr=["pwd"])
    )
    expect(page.get_by_role("heading", name="Code uit uw authenticator-app")).to_be_visible()
    page.get_by_label("Code uit uw authenticator-app").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Controleren").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("banner")).to_contain_text(str(school_leader))


def test_a_leader_whose_provider_did_mfa_goes_straight_in(live_server, page, microsoft, school_leader):
    confirmed_totp(school_leader)
    sign_in_with_microsoft(
        page,
        live_server,
        microsoft,
        microsoft.account("leader", tid=TENANT, email=school_leader.email, amr=["pwd", "mfa"]),
    )
    expect(page).to_have_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/cases/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Meldingen")


def test_a_personal_microsoft_account_is_refused_with_a_clear_message(live_server, page, microsoft, teacher):
    login = microsoft.account("consumer", tid=MICROSOFT_CONSUMER_TENANT, email=teacher.email)
    sign_in_with_microsoft(page, live_server, microsoft, login)
    expect(page.get_by_role("heading", name="Inloggen met Microsoft is niet gelukt")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("persoonlijk Microsoft-account")
    expect(page.get_by_role("button", name="Uitloggen")).to_have_count(0)
    no_axe_findings(page)
    page.get_by_role("link", name="Terug naar inloggen").click()
    expect(page.get_by_role("heading", name="Inloggen voor medewerkers")).to_be_visible()


def test_without_a_provider_the_login_page_is_as_before(live_server, page):
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("heading", name="Inloggen voor medewerkers")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Inloggen met"))).to_have_count(0)


def test_the_functional_admin_disables_a_stale_account_with_one_click(
    live_server, page, browser_logged_in, functional_admin, school
):
    stale = UserFactory(roles=[(Role.STAFF, school)], email="vertrokken@example.nl")
    UserFactory(roles=[(Role.STAFF, school)], email="actief@example.nl", last_login=timezone.now())
    User.objects.filter(pk=stale.pk).update(last_login=timezone.now() - datetime.timedelta(days=120))
    browser_logged_in(page, functional_admin)
    page.get_by_role("button", name="Beheer").click()
    page.get_by_role("link", name="Accounts opschonen").click()
    expect(page.get_by_role("heading", name="Accounts opschonen", level=1)).to_be_visible()
    no_axe_findings(page)
    stale_list = page.locator("#no_recent_login")
    expect(stale_list).to_contain_text("vertrokken@example.nl")
    expect(stale_list).not_to_contain_text("actief@example.nl")
    stale_list.get_by_role("button", name=re.compile(r"^Uitschakelen\W+vertrokken@example\.nl$")).click()
    expect(page.get_by_text("is uitgeschakeld (Lang niet ingelogd)")).to_be_visible()
    expect(page.locator("#no_recent_login")).not_to_contain_text("vertrokken@example.nl")
    expect(page.locator("#disabled")).to_contain_text("vertrokken@example.nl")
    stale.refresh_from_db()
    assert not stale.is_active
    assert AccountDisabling.objects.get().disabled_by == functional_admin


def test_with_both_providers_a_teacher_signs_in_with_google(live_server, page, settings, oidc_provider, teacher):
    for name in ("microsoft", "google"):
        provider = oidc_provider(redirect_uris=[f"{live_server.url}/accounts/login/{name}/callback/"])
        if name == "microsoft":
            settings.SSO_MICROSOFT_CLIENT_ID, settings.SSO_MICROSOFT_TENANT_ID = provider.CLIENT_ID, TENANT
            settings.SSO_MICROSOFT_CLIENT_SECRET, settings.SSO_MICROSOFT_AUTHORITY = (
                provider.CLIENT_SECRET,
                provider.issuer,
            )
        else:
            google = provider
            settings.SSO_GOOGLE_CLIENT_ID, settings.SSO_GOOGLE_DOMAIN = provider.CLIENT_ID, "example.nl"
            settings.SSO_GOOGLE_CLIENT_SECRET, settings.SSO_GOOGLE_AUTHORITY = provider.CLIENT_SECRET, provider.issuer
    settings.SSO_EMAIL_DOMAINS = ["example.nl"]
    login = google.account("g-teacher", hd="example.nl", email=teacher.email, email_verified=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("link", name=re.compile("^Inloggen met "))).to_have_text(
        ["Inloggen met Microsoft", "Inloggen met Google"]
    )
    page.get_by_role("link", name="Inloggen met Google").click()
    expect(page).to_have_url(re.compile(re.escape(google.issuer)))
    page.get_by_label("Account").fill(login)
    page.get_by_label("Provider password").fill(google.PASSWORD)
    page.get_by_role("button", name="Sign in at provider").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("banner")).to_contain_text(str(teacher))
