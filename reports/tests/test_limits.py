"""The reporting channel's limits slow a flooder and never close the channel for a school (A.9).

A school's network is one address: everything here is about two people behind the same one.
"""

from __future__ import annotations

import re
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.throttle import challenge_new, proof_of_work_solve, throttle_count
from reports import limits
from reports.models import Report
from reports.tests.factories import ReportFactory, report_form_data

pytestmark = pytest.mark.django_db

SCHOOL_NETWORK = "198.51.100.7"


@pytest.fixture
def quick_checks(settings):
    """Cheap proofs of work, so a test can solve many; the check itself is the same."""
    settings.CHALLENGE_BITS_MIN = 6
    settings.CHALLENGE_BITS_MAX = 9
    settings.REPORT_INTAKE_FREE_PER_HOUR = 2
    settings.REPORT_FOLLOW_FREE_PER_HOUR = 3
    return settings


def challenge_on(page: str) -> tuple[str, int] | None:
    token = re.search(r'name="challenge_token" value="([^"]+)"', page)
    bits = re.search(r'data-challenge-bits="(\d+)"', page)
    return (token.group(1), int(bits.group(1))) if token else None


def solved(page: str) -> dict:
    """What the browser's script adds to the form: the token and a nonce that meets its difficulty."""
    token, bits = challenge_on(page)
    return {"challenge_token": token, "challenge_solution": proof_of_work_solve(token, bits)}


def report(client, school, **extra):
    return client.post(reverse("reports:new"), report_form_data(school, **extra), REMOTE_ADDR=SCHOOL_NETWORK)


def test_a_quiet_address_reports_without_any_check(client, school, school_leader, quick_checks):
    page = client.get(reverse("reports:new"), REMOTE_ADDR=SCHOOL_NETWORK).content.decode()
    assert challenge_on(page) is None and "Korte controle" not in page
    assert report(client, school).status_code == 302


def test_a_busy_address_is_asked_for_a_check_and_keeps_what_was_typed(client, school, school_leader, quick_checks):
    for _ in range(2):
        assert report(client, school).status_code == 302
    refused = report(client, school)
    page = refused.content.decode()
    assert refused.status_code == 429
    assert "Uw melding is nog niet verstuurd" in page and "Noor wordt uitgescholden" in page
    assert challenge_on(page) is not None and "Hoeveel is" in page
    assert Report.objects.count() == 2


def test_a_busy_address_reports_with_the_browsers_proof_of_work(client, school, school_leader, quick_checks):
    for _ in range(3):
        report(client, school)
    page = client.get(reverse("reports:new"), REMOTE_ADDR=SCHOOL_NETWORK).content.decode()
    response = report(client, school, **solved(page))
    assert response.status_code == 302
    assert Report.objects.count() == 3


def test_without_javascript_the_question_lets_a_reporter_through(client, school, school_leader, quick_checks):
    for _ in range(3):
        report(client, school)
    page = client.get(reverse("reports:new"), REMOTE_ADDR=SCHOOL_NETWORK).content.decode()
    words = re.search(r"Hoeveel is (\w+) plus (\w+)\?", page).groups()
    from accounts.throttle import NUMBER_WORDS

    answer = str(sum(NUMBER_WORDS.index(word) for word in words))
    token, _bits = challenge_on(page)
    assert report(client, school, challenge_token=token, challenge_answer="99").status_code == 429
    page = client.get(reverse("reports:new"), REMOTE_ADDR=SCHOOL_NETWORK).content.decode()
    words = re.search(r"Hoeveel is (\w+) plus (\w+)\?", page).groups()
    answer = str(sum(NUMBER_WORDS.index(word) for word in words))
    token, _bits = challenge_on(page)
    assert report(client, school, challenge_token=token, challenge_answer=answer).status_code == 302


def test_a_check_is_spent_once_and_cannot_be_replayed(client, school, school_leader, quick_checks):
    for _ in range(3):
        report(client, school)
    page = client.get(reverse("reports:new"), REMOTE_ADDR=SCHOOL_NETWORK).content.decode()
    check = solved(page)
    assert report(client, school, **check).status_code == 302
    assert report(client, school, **check).status_code == 429


def test_a_check_made_for_another_purpose_or_forged_does_not_pass(client, school, school_leader, quick_checks):
    for _ in range(3):
        report(client, school)
    other = challenge_new(scope=limits.FOLLOW, bits=6)
    forged = "x" + other.token
    for token in (other.token, forged):
        extra = {"challenge_token": token, "challenge_solution": proof_of_work_solve(token, 6)}
        assert report(client, school, **extra).status_code == 429


def test_the_flooder_pays_more_work_the_busier_the_address(client, school, school_leader, quick_checks):
    for _ in range(2):
        report(client, school)
    first = challenge_on(client.get(reverse("reports:new"), REMOTE_ADDR=SCHOOL_NETWORK).content.decode())
    for _ in range(25):
        report(client, school)  # refused without a check, but counted
    later = challenge_on(client.get(reverse("reports:new"), REMOTE_ADDR=SCHOOL_NETWORK).content.decode())
    assert (first[1], later[1]) == (6, 9)


def test_logged_in_reporters_are_not_counted(client, school, teacher, quick_checks):
    client.force_login(teacher)
    for _ in range(4):
        assert (
            report(client, school, is_anonymous="", reporter_name="Lars", reporter_email="l@example.nl").status_code
            == 302
        )
    assert throttle_count(scope=limits.INTAKE, client=SCHOOL_NETWORK) == 0


# Following a report by code --------------------------------------------------------------------------


def follow(client, code: str, **extra):
    return client.post(reverse("reports:follow"), {"code": code, **extra}, REMOTE_ADDR=SCHOOL_NETWORK)


def test_wrong_codes_from_the_network_never_lock_out_the_right_code(client, school, quick_checks):
    ReportFactory(school=school, anonymous=True, code="ABCD-EFGH-JKMN-PQRS-TVWX")
    for _ in range(3):
        assert follow(client, "0000-0000-0000-0000-0000").status_code == 400
    asked = follow(Client(), "ABCD-EFGH-JKMN-PQRS-TVWX")
    assert asked.status_code == 429 and "Korte controle" in asked.content.decode()
    opened = follow(Client(), "ABCD-EFGH-JKMN-PQRS-TVWX", **solved(asked.content.decode()))
    assert opened.status_code == 302 and opened["Location"] == reverse("reports:follow")


def test_a_right_code_is_not_counted_as_a_guess(client, school, quick_checks):
    ReportFactory(school=school, anonymous=True, code="ABCD-EFGH-JKMN-PQRS-TVWX")
    for _ in range(5):
        assert follow(Client(), "ABCD-EFGH-JKMN-PQRS-TVWX").status_code == 302
    assert throttle_count(scope=limits.FOLLOW, client=SCHOOL_NETWORK) == 0


@pytest.mark.django_db(transaction=True)
def test_codes_tried_at_the_same_moment_never_check_more_than_the_allowance(school, quick_checks):
    """Twelve wrong codes at once from one address: exactly the free allowance is looked up."""
    ReportFactory(school=school, anonymous=True, code="ABCD-EFGH-JKMN-PQRS-TVWX")
    start = threading.Barrier(12)
    statuses: list[int] = []

    def guess(index: int) -> None:
        start.wait()
        try:
            statuses.append(follow(Client(), f"0000-0000-0000-0000-{index:04d}").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=guess, args=(index,)) for index in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [400] * 3 + [429] * 9
