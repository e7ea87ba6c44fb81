"""Login: password + TOTP for staff and above, single-use e-mailed links for parents and pupils."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp

from accounts.constants import LinkPurpose
from accounts.models import LinkRequest, LoginLink
from accounts.services import link_request_answer, link_request_submit
from accounts.tests.factories import PASSWORD, GroupFactory, PupilFactory, UserFactory, confirmed_totp
from accounts.throttle import proof_of_work_solve

pytestmark = pytest.mark.django_db


def code(device) -> str:
    return f"{totp(device.bin_key):06d}"


def mailed_link(email: str) -> str:
    bodies = [m.body for m in mail.outbox if m.to == [email]]
    return re.search(r"https?://[^/\s]+(/accounts/login/link/[^/\s]+/)", bodies[-1]).group(1)


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    """Run on-commit callbacks (the outbox hands e-mails to the queue after commit)."""

    def run(callable_, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return callable_(*args, **kwargs)

    return run


# Link login -----------------------------------------------------------------------------------------


def test_known_and_unknown_addresses_get_the_same_answer(client, parent, capture):
    known = capture(client.post, reverse("accounts:link_request"), {"email": parent.email})
    unknown = capture(client.post, reverse("accounts:link_request"), {"email": "niemand@example.nl"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("accounts:link_sent")
    assert [m.to for m in mail.outbox] == [[parent.email]]


def test_a_parent_gets_a_single_use_link_that_logs_in_after_a_click(client, parent, capture):
    capture(client.post, reverse("accounts:link_request"), {"email": parent.email.upper()})
    link = mailed_link(parent.email)
    assert LoginLink.objects.get().token_hash not in link  # only a hash is stored
    # Opening the link (as a mail scanner would) spends nothing, and the secret leaves the address bar.
    opened = client.get(link, follow=True)
    assert opened.status_code == 200 and opened.redirect_chain == [(reverse("accounts:link_open"), 302)]
    assert client.get(link, follow=True).status_code == 200
    response = client.post(reverse("accounts:link_open"))
    assert response.status_code == 302
    assert client.get(reverse("notifications:inbox")).status_code == 200
    client.logout()
    client.get(link)
    reused = client.post(reverse("accounts:link_open"))
    assert reused.status_code == 410
    assert "Deze inloglink werkt niet meer" in reused.content.decode()


def test_the_links_secret_is_kept_for_the_next_page_only(client, parent, capture):
    capture(client.post, reverse("accounts:link_request"), {"email": parent.email})
    link = mailed_link(parent.email)
    response = client.get(link)
    cookie = response.cookies["skow_login_link"]
    assert response["Location"] == reverse("accounts:link_open") and link.split("/")[-2] not in response["Location"]
    assert cookie["path"] == reverse("accounts:link_open") and cookie["httponly"]
    assert response["Referrer-Policy"] == "no-referrer"


def test_an_expired_link_is_refused(client, parent, capture):
    capture(client.post, reverse("accounts:link_request"), {"email": parent.email})
    LoginLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    client.get(mailed_link(parent.email))
    assert client.post(reverse("accounts:link_open")).status_code == 410


def test_a_link_works_for_thirty_minutes(client, parent, capture):
    capture(client.post, reverse("accounts:link_request"), {"email": parent.email})
    link = LoginLink.objects.get()
    assert timedelta(minutes=29) < link.expires_at - link.created_at <= timedelta(minutes=30)


def test_a_tampered_link_is_refused(client, parent, capture):
    capture(client.post, reverse("accounts:link_request"), {"email": parent.email})
    assert client.get(mailed_link(parent.email)[:-4] + "abc/", follow=True).status_code == 410


def test_staff_asking_for_a_link_are_told_to_use_their_password(client, teacher, capture):
    capture(client.post, reverse("accounts:link_request"), {"email": teacher.email})
    (message,) = mail.outbox
    assert "wachtwoord" in message.body
    assert "/accounts/login/link/" not in message.body
    assert not LoginLink.objects.exists()


def test_a_fourth_link_to_one_address_in_an_hour_is_refused_plainly_with_the_time_to_try_again(client, parent, capture):
    for _ in range(3):
        response = capture(client.post, reverse("accounts:link_request"), {"email": parent.email})
        assert response["Location"] == reverse("accounts:link_sent")
    refused = capture(client.post, reverse("accounts:link_request"), {"email": parent.email})
    page = refused.content.decode()
    assert refused.status_code == 429
    assert "Er is nu geen e-mail verstuurd" in page and "Kijk in uw e-mail" not in page
    next_hour = timezone.localtime().replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    assert f"Probeer het om {next_hour:%H:%M} opnieuw" in page
    assert parent.email in page  # what was typed stays
    assert len(mail.outbox) == 3


def test_the_limit_per_address_reads_the_same_for_a_known_and_an_unknown_address(client, parent, capture):
    answers = []
    for email in (parent.email, "niemand@example.nl"):
        for _ in range(4):
            response = capture(client.post, reverse("accounts:link_request"), {"email": email})
        page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
        answers.append((response.status_code, page.replace(email, "ADDRESS")))
    assert answers[0] == answers[1]


def test_a_consent_evening_on_one_network_is_not_locked_out(client, parent, capture, settings):
    """Sixty parents on the school's Wi-Fi ask for a link within the hour: every one gets it, without a check."""
    for index in range(settings.LINK_REQUESTS_FREE_PER_NETWORK_PER_HOUR - 1):
        response = capture(client.post, reverse("accounts:link_request"), {"email": f"ouder-{index}@example.nl"})
        assert response.status_code == 302
    response = capture(client.post, reverse("accounts:link_request"), {"email": parent.email})
    assert response["Location"] == reverse("accounts:link_sent")
    assert [message.to for message in mail.outbox] == [[parent.email]]


def test_a_busy_network_is_asked_for_a_check_instead_of_being_refused(client, parent, capture, settings):
    settings.CHALLENGE_BITS_MIN, settings.CHALLENGE_BITS_MAX = 6, 8
    settings.LINK_REQUESTS_FREE_PER_NETWORK_PER_HOUR = 5
    for index in range(5):
        capture(client.post, reverse("accounts:link_request"), {"email": f"iemand-{index}@example.nl"})
    asked = client.post(reverse("accounts:link_request"), {"email": parent.email})
    page = asked.content.decode()
    assert asked.status_code == 429 and "Korte controle" in page and parent.email in page
    token = re.search(r'name="challenge_token" value="([^"]+)"', page).group(1)
    bits = int(re.search(r'data-challenge-bits="(\d+)"', page).group(1))
    check = {"challenge_token": token, "challenge_solution": proof_of_work_solve(token, bits)}
    response = capture(client.post, reverse("accounts:link_request"), {"email": parent.email, **check})
    assert response["Location"] == reverse("accounts:link_sent")
    assert [message.to for message in mail.outbox] == [[parent.email]]


# Password and second factor ---------------------------------------------------------------------------


def test_staff_with_an_authenticator_must_give_the_code_before_anything_private(client, teacher):
    device = confirmed_totp(teacher)
    response = client.post(reverse("accounts:login"), {"username": teacher.email, "password": PASSWORD})
    assert response["Location"].startswith(reverse("accounts:verify"))
    assert client.get(reverse("notifications:inbox"))["Location"].startswith(reverse("accounts:verify"))
    wrong = client.post(reverse("accounts:verify"), {"token": "000000" if code(device) != "000000" else "111111"})
    assert "Deze code klopt niet" in wrong.content.decode()
    # Right after a wrong code, guessing is slowed down: even the right code must wait a moment.
    throttled = client.post(reverse("accounts:verify"), {"token": code(device)})
    assert "Wacht even" in throttled.content.decode()
    device.refresh_from_db()
    device.throttle_reset()
    assert client.post(reverse("accounts:verify"), {"token": code(device)}).status_code == 302
    assert client.get(reverse("notifications:inbox")).status_code == 200


def test_leader_without_a_second_factor_sees_nothing_private_until_one_is_linked(client, school, school_leader):
    pupil = PupilFactory(school=school, group=GroupFactory(school=school), first_name="Zeldzaam")
    client.post(reverse("accounts:login"), {"username": school_leader.email, "password": PASSWORD})
    for url in (reverse("accounts:school_detail", args=[school.pk]), reverse("admin:index"), "/inbox/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert reverse("accounts:totp_setup") in response["Location"] or "/admin/login/" in response["Location"]
    setup = client.get(reverse("accounts:totp_setup"))
    assert pupil.first_name not in setup.content.decode()
    assert "<svg" in setup.content.decode()  # the QR code, drawn on the server
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=school_leader, confirmed=False)
    assert client.post(reverse("accounts:totp_setup"), {"token": code(device)}).status_code == 302
    page = client.get(reverse("accounts:school_detail", args=[school.pk])).content.decode()
    assert school.name in page


def test_next_is_followed_only_within_the_portal(client, teacher):
    device = confirmed_totp(teacher)
    client.post(reverse("accounts:login"), {"username": teacher.email, "password": PASSWORD})
    response = client.post(reverse("accounts:verify") + "?next=https://evil.example/", {"token": code(device)})
    assert response["Location"] == reverse("home")


@pytest.mark.parametrize("target", ["0", "home", "evil.example", "javascript:alert(1)"])
def test_a_next_that_is_no_path_leads_home_instead_of_an_error(client, school_leader, target, logged_in):
    # Found by the fuzz tests: redirect() read a bare word as a URL name and answered 500.
    logged_in(school_leader)
    response = client.get(reverse("accounts:verify"), {"next": target})
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_wrong_password_keeps_the_address_and_says_so_in_dutch(client, teacher):
    response = client.post(reverse("accounts:login"), {"username": teacher.email, "password": "fout"})
    page = response.content.decode()
    assert "horen niet bij elkaar" in page
    assert f'value="{teacher.email}"' in page


def test_five_failures_lock_the_login_even_for_the_right_password(client, teacher):
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": teacher.email, "password": "fout"})
    response = client.post(reverse("accounts:login"), {"username": teacher.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Inloggen tijdelijk geblokkeerd" in response.content.decode()


SCHOOL_NETWORK = "198.51.100.20"


def _login(client, email: str, password: str):
    return client.post(reverse("accounts:login"), {"username": email, "password": password}, REMOTE_ADDR=SCHOOL_NETWORK)


def test_a_pupil_on_the_school_network_cannot_lock_the_leader_out_of_her_own_browser(school_leader):
    leaders_browser, pupils_browser, new_browser = Client(), Client(), Client()
    assert _login(leaders_browser, school_leader.email, PASSWORD).status_code == 302  # trusted from now on
    leaders_browser.cookies.pop("sessionid")  # logged out; the browser keeps its other cookies
    for _ in range(6):
        _login(pupils_browser, school_leader.email, "geraden")
    assert _login(new_browser, school_leader.email, PASSWORD).status_code == 429  # a new browser: locked
    response = _login(leaders_browser, school_leader.email, PASSWORD)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:totp_setup"))


def test_the_trust_is_for_one_login_name_and_cannot_be_forged(school_leader, teacher):
    browser = Client()
    assert _login(browser, teacher.email, PASSWORD).status_code == 302
    browser.cookies.pop("sessionid")
    for _ in range(5):
        _login(Client(), school_leader.email, "geraden")
    assert _login(browser, school_leader.email, PASSWORD).status_code == 429  # trusted for the teacher only
    browser.cookies["skow_trusted_device"] = browser.cookies["skow_trusted_device"].value[:-3] + "abc"
    assert _login(browser, teacher.email, PASSWORD).status_code == 302  # not locked, so no trust needed


def test_a_trusted_browser_still_has_a_limit_of_its_own(school_leader):
    browser = Client()
    _login(browser, school_leader.email, PASSWORD)
    browser.cookies.pop("sessionid")
    answers = [_login(browser, school_leader.email, "geraden").status_code for _ in range(11)]
    assert answers[:5] == [200] * 5 and 429 in answers  # then axes counts it like any other browser
    assert _login(browser, school_leader.email, PASSWORD).status_code == 429


def test_the_locked_out_leader_lifts_the_lockout_from_the_emailed_link(school_leader, capture):
    for _ in range(5):
        _login(Client(), school_leader.email, "geraden")
    browser = Client()
    locked = _login(browser, school_leader.email, PASSWORD)
    assert locked.status_code == 429 and "Stuur mij een link om te ontgrendelen" in locked.content.decode()
    sent = capture(
        browser.post, reverse("accounts:unlock_request"), {"email": school_leader.email}, REMOTE_ADDR=SCHOOL_NETWORK
    )
    assert sent["Location"] == reverse("accounts:unlock_sent")
    (message,) = mail.outbox
    link = re.search(r"https?://[^/\s]+(/accounts/login/unlock/[^/\s]+/)", message.body).group(1)
    assert browser.get(link, follow=True).status_code == 200  # a mail scanner following it lifts nothing
    assert _login(Client(), school_leader.email, PASSWORD).status_code == 429
    lifted = browser.post(reverse("accounts:unlock_open"), follow=True)
    assert "De blokkade is opgeheven" in lifted.content.decode()
    assert _login(Client(), school_leader.email, PASSWORD).status_code == 302  # lifted everywhere
    browser.get(link)
    assert browser.post(reverse("accounts:unlock_open")).status_code == 410  # once


def test_unlock_links_go_only_to_accounts_with_a_password(parent, capture):
    for email in (parent.email, "niemand@example.nl"):
        response = capture(Client().post, reverse("accounts:unlock_request"), {"email": email})
        assert response["Location"] == reverse("accounts:unlock_sent")
    assert not mail.outbox


def test_admin_refuses_an_unverified_superuser_and_a_verified_non_admin(client, school_leader, logged_in):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.get(reverse("admin:index")).status_code == 302
    assert logged_in(school_leader).get(reverse("admin:login")).status_code == 403


# The school and group pages -----------------------------------------------------------------------------


@pytest.mark.parametrize(("groups", "pupils_per_group"), [(2, 5), (8, 30)])
def test_school_and_group_pages_query_counts_do_not_grow(
    client, school, school_leader, groups, pupils_per_group, django_assert_num_queries, logged_in
):
    first = None
    for index in range(groups):
        group = GroupFactory(school=school, grade=index % 8 + 1, name=f"{index % 8 + 1}{'abcdefgh'[index // 8]}")
        group.teachers.add(UserFactory(roles=[("staff", school)]))
        first = first or group
        for _ in range(pupils_per_group):
            PupilFactory(school=school, group=group)
    logged_in(school_leader)
    with django_assert_num_queries(11):
        assert client.get(reverse("accounts:school_detail", args=[school.pk])).status_code == 200
    with django_assert_num_queries(8):
        assert client.get(reverse("accounts:group_detail", args=[first.pk])).status_code == 200


@pytest.mark.parametrize("url_name", ["accounts:link_request", "accounts:password_forgotten"])
def test_the_page_does_the_same_work_for_known_and_unknown_addresses(
    client, parent, teacher, url_name, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """No answer and no timing tells whether an address has an account: the page counts the request
    for its network and for the typed address, writes one row and queues its id, whoever the address
    belongs to; a worker does the rest."""
    gone = UserFactory(email="vertrokken@example.nl", password="", is_active=False)
    answers = set()
    for email in (parent.email, teacher.email, gone.email, "niemand@example.nl"):
        with django_capture_on_commit_callbacks() as queued, django_assert_num_queries(3):
            response = client.post(reverse(url_name), {"email": email})
        answers.add((response.status_code, response["Location"], len(queued)))
    assert len(answers) == 1, answers
    assert LinkRequest.objects.count() == 4
    assert not LoginLink.objects.exists() and not mail.outbox  # nothing address-dependent happened yet


def test_the_worker_answers_each_link_request_once(parent, teacher, django_capture_on_commit_callbacks):
    for email in (parent.email, teacher.email, "niemand@example.nl"):
        link_request_submit(email=email, purpose=LinkPurpose.LOGIN)
    pending = list(LinkRequest.objects.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        for pk in pending + pending:  # every task delivered twice
            link_request_answer(link_request_id=pk)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([parent.email, teacher.email])
    assert LoginLink.objects.count() == 1  # the parent's; the teacher is reminded of the password
    assert not LinkRequest.objects.exists()  # the typed addresses are not kept
