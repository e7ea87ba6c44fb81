"""Single sign-on against a real OpenID Connect provider (testing/oidc.py: the npm package oidc-provider).

The test client is the portal's browser; ``requests`` plays the person at the provider's login page.
Nothing is mocked: discovery, the authorization code with PKCE, the token endpoint, the ID token's
signature, refresh and end session are the provider's own.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urljoin, urlparse

import pytest
import requests
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.constants import MICROSOFT_CONSUMER_TENANT, Role, SignInRefusal
from accounts.models import ProviderIdentity, ProviderSession, SignInRefused
from accounts.tests.factories import UserFactory, confirmed_totp

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services]

TENANT = "0b5e1c7a-5f0e-4b8e-9d3c-5a1f2e3d4c5b"
OTHER_TENANT = "a3c9e2f1-1111-4222-8333-944455556666"
PORTAL = "http://testserver"


@pytest.fixture
def microsoft(settings, oidc_provider):
    """The board's Entra ID tenant, played by a local provider; staff addresses end in @example.nl."""
    provider = oidc_provider(
        redirect_uris=[f"{PORTAL}/accounts/login/microsoft/callback/"], post_logout_redirect_uris=[f"{PORTAL}/"]
    )
    settings.SSO_MICROSOFT_CLIENT_ID = provider.CLIENT_ID
    settings.SSO_MICROSOFT_CLIENT_SECRET = provider.CLIENT_SECRET
    settings.SSO_MICROSOFT_TENANT_ID = TENANT
    settings.SSO_MICROSOFT_AUTHORITY = provider.issuer
    settings.SSO_EMAIL_DOMAINS = ["example.nl"]
    return provider


@pytest.fixture
def google(settings, oidc_provider):
    provider = oidc_provider(redirect_uris=[f"{PORTAL}/accounts/login/google/callback/"])
    settings.SSO_GOOGLE_CLIENT_ID = provider.CLIENT_ID
    settings.SSO_GOOGLE_CLIENT_SECRET = provider.CLIENT_SECRET
    settings.SSO_GOOGLE_DOMAIN = "example.nl"
    settings.SSO_GOOGLE_AUTHORITY = provider.issuer
    settings.SSO_EMAIL_DOMAINS = ["example.nl"]
    return provider


def sign_in(client, provider, login: str, *, start: str = "/accounts/login/microsoft/"):
    """Click "Inloggen met ...", sign in at the provider as ``login``, and come back: the portal's answer."""
    answer = client.get(start)
    assert answer.status_code == 302, answer.content
    authorize = urlparse(answer["Location"])
    query = parse_qs(authorize.query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"]  # PKCE
    person = requests.Session()
    page = person.get(answer["Location"], timeout=10)
    uid = re.search(r'/interaction/([^/"]+)/login', page.text).group(1)
    step = person.post(
        f"{provider.issuer}/interaction/{uid}/login",
        data={"login": login, "password": provider.PASSWORD},
        allow_redirects=False,
        timeout=10,
    )
    location = step.headers["Location"]
    while not location.startswith(PORTAL):
        step = person.get(urljoin(provider.issuer, location), allow_redirects=False, timeout=10)
        assert step.status_code in (302, 303), step.text
        location = step.headers["Location"]
    return client.get(location[len(PORTAL) :])


def staff_account(provider, user, *, tid=TENANT, amr=None, **claims):
    return provider.account(
        f"sub-{user.pk}", tid=tid, email=user.email, name=user.get_full_name(), amr=amr or ["pwd"], **claims
    )


# Microsoft -----------------------------------------------------------------------------------------


def test_a_teacher_of_the_boards_tenant_signs_in_and_is_matched_once(client, microsoft, teacher):
    login = staff_account(microsoft, teacher)
    answer = sign_in(client, microsoft, login)
    assert answer.status_code == 302 and answer["Location"] == reverse("home")
    assert client.get(reverse("home")).wsgi_request.user == teacher
    identity = ProviderIdentity.objects.get(user=teacher)
    assert (identity.provider, identity.subject, identity.email_at_match) == ("microsoft", login, teacher.email)
    assert identity.refresh_token_sealed and login not in identity.refresh_token_sealed
    assert ProviderSession.objects.filter(identity=identity, session_key=client.session.session_key).exists()
    # The roles stay the portal's: nothing about them came from the provider.
    assert teacher.role_assignments.count() == 1


def test_after_the_first_match_the_subject_id_finds_the_person_whose_address_changed(client, microsoft, teacher):
    login = staff_account(microsoft, teacher)
    sign_in(client, microsoft, login)
    client.logout()
    microsoft.account(login, tid=TENANT, email="nieuwe.naam@example.nl")
    answer = sign_in(client, microsoft, login)
    assert answer.status_code == 302
    assert client.get(reverse("home")).wsgi_request.user == teacher


def test_entra_ids_object_id_is_kept_so_a_new_app_registration_finds_the_same_people(client, microsoft, teacher):
    oid = "7d1c3a52-2f4e-4c5e-9b0a-1e2f3a4b5c6d"
    sign_in(client, microsoft, staff_account(microsoft, teacher, oid=oid))
    assert ProviderIdentity.objects.get(user=teacher).subject == oid
    client.logout()
    # Another registration: another pairwise sub for the same person, the same oid.
    answer = sign_in(
        client, microsoft, microsoft.account("new-registration-sub", tid=TENANT, oid=oid, email=teacher.email)
    )
    assert answer["Location"] == reverse("home")
    assert ProviderIdentity.objects.count() == 1


@pytest.mark.parametrize(
    ("tid", "reason", "says"),
    [
        (MICROSOFT_CONSUMER_TENANT, SignInRefusal.CONSUMER_ACCOUNT, "persoonlijk Microsoft-account"),
        (OTHER_TENANT, SignInRefusal.OTHER_ORGANISATION, "andere organisatie"),
    ],
)
def test_consumer_accounts_and_other_tenants_are_refused(client, microsoft, teacher, tid, reason, says):
    answer = sign_in(client, microsoft, staff_account(microsoft, teacher, tid=tid))
    assert answer.status_code == 403
    assert says in answer.content.decode()
    assert "_auth_user_id" not in client.session
    assert SignInRefused.objects.get().reason == reason
    assert not ProviderIdentity.objects.exists()


def test_an_unknown_account_is_refused_and_the_attempt_is_kept_for_the_admin(client, microsoft, school):
    login = microsoft.account("stranger", tid=TENANT, email="nieuw.collega@example.nl")
    answer = sign_in(client, microsoft, login)
    assert answer.status_code == 403
    assert "geen account voor nieuw.collega@example.nl" in answer.content.decode()
    refusal = SignInRefused.objects.get()
    assert (refusal.reason, refusal.email) == (SignInRefusal.UNKNOWN_ACCOUNT, "nieuw.collega@example.nl")
    assert not ProviderIdentity.objects.exists()


def test_an_address_outside_the_boards_domain_is_refused(client, microsoft, school):
    outsider = UserFactory(email="leerkracht@gmail.com", roles=[(Role.STAFF, school)])
    answer = sign_in(client, microsoft, staff_account(microsoft, outsider))
    assert answer.status_code == 403
    assert SignInRefused.objects.get().reason == SignInRefusal.OTHER_DOMAIN


def test_parents_keep_their_link_even_with_an_address_of_the_board(client, microsoft, parent):
    answer = sign_in(client, microsoft, staff_account(microsoft, parent))
    assert answer.status_code == 403
    assert "inloglink" in answer.content.decode()
    assert SignInRefused.objects.get().reason == SignInRefusal.NOT_STAFF


def test_a_disabled_portal_account_is_refused(client, microsoft, teacher):
    login = staff_account(microsoft, teacher)
    teacher.is_active = False
    teacher.save()
    assert sign_in(client, microsoft, login).status_code == 403
    assert SignInRefused.objects.get().reason == SignInRefusal.ACCOUNT_DISABLED


def test_a_second_provider_account_with_the_same_address_does_not_take_over(client, microsoft, teacher):
    sign_in(client, microsoft, staff_account(microsoft, teacher))
    client.logout()
    impostor = microsoft.account("someone-else", tid=TENANT, email=teacher.email)
    answer = sign_in(client, microsoft, impostor)
    assert answer.status_code == 403
    assert SignInRefused.objects.get().reason == SignInRefusal.IDENTITY_CONFLICT


def test_a_callback_without_the_sessions_state_signs_in_nobody(client, microsoft, teacher):
    answer = client.get("/accounts/login/microsoft/callback/?code=forged&state=forged")
    assert answer.status_code == 400
    assert "niet gelukt" in answer.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?error=access_denied&error_description=User+cancelled",
        "?code=&state=",
        "?state=%00%ff&code=" + "x" * 5000,
        "?code=a&code=b&state=c",
    ],
)
def test_junk_at_the_callback_answers_400_in_dutch(client, microsoft, query):
    client.get("/accounts/login/microsoft/")  # a sign-in under way: the session holds a real state
    answer = client.get(f"/accounts/login/microsoft/callback/{query}")
    assert answer.status_code == 400
    assert "Inloggen met Microsoft is niet gelukt of afgebroken" in answer.content.decode()
    assert "_auth_user_id" not in client.session


# The second factor ---------------------------------------------------------------------------------


def test_a_leader_whose_token_says_mfa_is_verified_without_the_code_step(client, microsoft, school_leader):
    answer = sign_in(client, microsoft, staff_account(microsoft, school_leader, amr=["pwd", "mfa"]))
    assert answer["Location"] == reverse("home")
    assert client.get(reverse("accounts:hygiene")).wsgi_request.user.is_verified()
    assert ProviderIdentity.objects.get(user=school_leader).last_multi_factor_at is not None


def test_a_leader_without_the_mfa_claim_gets_the_portals_code_step(client, microsoft, school_leader):
    confirmed_totp(school_leader)
    answer = sign_in(client, microsoft, staff_account(microsoft, school_leader))
    assert answer["Location"].startswith(reverse("accounts:verify"))
    # Every private page sends the leader there first.
    assert client.get(reverse("reports:case_list"))["Location"].startswith(reverse("accounts:verify"))


def test_a_leader_without_mfa_claim_nor_an_app_must_link_one(client, microsoft, school_leader):
    answer = sign_in(client, microsoft, staff_account(microsoft, school_leader))
    assert answer["Location"].startswith(reverse("accounts:totp_setup"))


def test_an_acr_value_the_board_names_counts_as_multi_factor(client, settings, microsoft, board_member):
    settings.SSO_MFA_ACR_VALUES = ["urn:board:mfa"]
    answer = sign_in(client, microsoft, staff_account(microsoft, board_member, acr="urn:board:mfa"))
    assert answer["Location"] == reverse("home")


def test_a_teacher_without_mfa_needs_no_code_and_a_password_login_stays_as_it_was(client, microsoft, teacher):
    sign_in(client, microsoft, staff_account(microsoft, teacher, amr=["pwd", "mfa"]))
    client.logout()
    # The password still works, and the provider's second factor does not send the teacher to a code step.
    from accounts.tests.factories import PASSWORD

    answer = client.post(reverse("accounts:login"), {"username": teacher.email, "password": PASSWORD})
    assert answer["Location"] == reverse("home")


# Disabled at the provider, logout -----------------------------------------------------------------


def test_a_session_ends_once_the_provider_disables_the_account(client, microsoft, teacher):
    login = staff_account(microsoft, teacher)
    sign_in(client, microsoft, login)
    assert services.sso_sessions_recheck() == {"enabled": 1}
    assert client.get(reverse("consent:overview")).status_code == 200
    microsoft.disable(login)
    assert services.sso_sessions_recheck() == {"ended": 1}
    assert client.get(reverse("consent:overview"))["Location"].startswith(reverse("accounts:login"))
    assert not Session.objects.exists()
    assert SignInRefused.objects.get().reason == SignInRefusal.DISABLED_AT_PROVIDER
    # And the next sign-in there is refused by the provider itself.
    assert services.sso_sessions_recheck() == {}


def test_a_session_ends_at_a_fixed_time_and_without_a_refresh_token_it_runs_to_it(client, settings, microsoft, teacher):
    sign_in(client, microsoft, staff_account(microsoft, teacher))
    expiry = Session.objects.get().expire_date
    assert abs((expiry - timezone.now()).total_seconds() - settings.SESSION_COOKIE_AGE) < 60
    session = client.session
    session["touched"] = True  # any change saves the session again: its end stays where it was
    session.save()
    assert Session.objects.get().expire_date == expiry
    ProviderIdentity.objects.update(refresh_token_sealed="")
    assert services.sso_sessions_recheck() == {"unverifiable": 1}
    assert client.get(reverse("consent:overview")).status_code == 200


def test_switching_the_provider_off_ends_its_sessions(client, settings, microsoft, teacher):
    sign_in(client, microsoft, staff_account(microsoft, teacher))
    settings.SSO_MICROSOFT_CLIENT_ID = ""
    assert services.sso_sessions_recheck() == {"ended": 1}
    assert client.get(reverse("consent:overview"))["Location"].startswith(reverse("accounts:login"))


def test_an_unreachable_provider_ends_nothing(client, microsoft, teacher):
    sign_in(client, microsoft, staff_account(microsoft, teacher))
    microsoft.stop()
    assert services.sso_sessions_recheck() == {"unreachable": 1}
    assert client.get(reverse("consent:overview")).status_code == 200


def test_logout_ends_the_portal_session_and_offers_the_providers_logout(client, microsoft, teacher):
    sign_in(client, microsoft, staff_account(microsoft, teacher))
    answer = client.post(reverse("accounts:logout"))
    assert answer["Location"] == reverse("accounts:signed_out")
    assert not ProviderSession.objects.exists()
    page = client.get(reverse("accounts:signed_out"))
    assert "_auth_user_id" not in client.session
    link = re.search(r'href="([^"]+/session/end[^"]*)"', page.content.decode()).group(1).replace("&amp;", "&")
    query = parse_qs(urlparse(link).query)
    assert query["client_id"] == ["portal"] and query["post_logout_redirect_uri"] == [f"{PORTAL}/"]
    # The provider accepts it: its own "sign out?" page.
    assert requests.get(link, timeout=10).status_code == 200


# Google --------------------------------------------------------------------------------------------


def test_google_workspace_of_the_boards_domain_signs_in(client, google, teacher):
    login = staff_account(google, teacher, tid=None, hd="example.nl", email_verified=True)
    answer = sign_in(client, google, login, start="/accounts/login/google/")
    assert answer["Location"] == reverse("home")
    assert ProviderIdentity.objects.get(user=teacher).provider == "google"


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        ({"email_verified": True}, SignInRefusal.CONSUMER_ACCOUNT),  # gmail.com: no hd
        ({"hd": "andere-stichting.nl", "email_verified": True}, SignInRefusal.OTHER_ORGANISATION),
        ({"hd": "example.nl", "email_verified": False}, SignInRefusal.EMAIL_NOT_VERIFIED),
    ],
)
def test_google_accounts_outside_the_boards_domain_are_refused(client, google, teacher, claims, reason):
    login = staff_account(google, teacher, tid=None, **claims)
    answer = sign_in(client, google, login, start="/accounts/login/google/")
    assert answer.status_code == 403
    assert SignInRefused.objects.get().reason == reason
