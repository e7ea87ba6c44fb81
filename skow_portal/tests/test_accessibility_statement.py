"""The accessibility statement and the way to report a barrier to the functional admin."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from accounts.throttle import throttle_hit
from notifications.constants import Channel
from notifications.models import Notification
from skow_portal import accessibility
from skow_portal.views import AXE_VERSION
from testing.services import PROJECT_ROOT

pytestmark = pytest.mark.django_db

PROBLEM = {
    "problem": "De knop 'Keuze opslaan' is met mijn schermvergroting niet te vinden & blijft grijs.",
    "page": "/consent/",
    "assistive_technology": "ZoomText met Edge",
    "name": "Karin Bakker",
    "email": "karin@example.nl",
}


@pytest.fixture
def admins(db):
    return [
        UserFactory(email="beheer@example.nl", is_staff=True, is_superuser=True, roles=[("functional_admin", None)]),
        UserFactory(email="beheer2@example.nl", roles=[("functional_admin", None)]),
    ]


def test_the_statement_follows_the_government_model(client):
    response = client.get("/accessibility/")
    assert response.status_code == 200
    html = response.content.decode()
    for heading in (
        "Toegankelijkheidsverklaring",
        "Nalevingsstatus",
        "Wat wij hebben getest",
        "Waarmee wij testen",
        "Bekende problemen",
        "Een probleem melden",
        "Over deze verklaring",
    ):
        assert heading in html, heading
    assert f"axe-core (versie {AXE_VERSION})" in html
    assert "29 november 2026" in html
    assert 'href="/accessibility/report/"' in html


def test_the_statement_names_the_axe_core_the_tests_use():
    readme = (PROJECT_ROOT / "testing" / "vendor" / "axe-core" / "README.md").read_text()
    assert readme.startswith(f"axe-core {AXE_VERSION}."), "Update AXE_VERSION in skow_portal/views.py with axe-core"


@pytest.mark.parametrize("path", ["/", "/report/", "/protocol/", "/help/", "/accounts/login/"])
def test_every_footer_links_to_the_statement(client, path):
    html = client.get(path).content.decode()
    footer = html[html.index("<footer") :]
    assert 'href="/accessibility/"' in footer


def test_a_reported_barrier_reaches_every_functional_admin_and_nobody_else(
    client, admins, django_capture_on_commit_callbacks
):
    UserFactory(email="bestuur@example.nl", roles=[("board", None)])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accessibility/report/", PROBLEM)
    assert response.status_code == 302 and response["Location"] == "/accessibility/report/sent/"
    rows = Notification.objects.order_by("recipient__email", "channel")
    assert {(row.recipient.email, row.channel) for row in rows} == {
        ("beheer@example.nl", Channel.EMAIL),
        ("beheer@example.nl", Channel.IN_APP),
        ("beheer2@example.nl", Channel.EMAIL),
        ("beheer2@example.nl", Channel.IN_APP),
    }
    # The inbox says only that there is a report; the e-mail carries it, for the admin's answer.
    assert all(PROBLEM["problem"] not in row.subject for row in rows)
    assert sorted(message.to[0] for message in mail.outbox) == ["beheer2@example.nl", "beheer@example.nl"]
    body = mail.outbox[0].body
    assert PROBLEM["problem"] in body  # the plain text is not HTML-escaped
    assert "karin@example.nl" in body and "ZoomText met Edge" in body and "/consent/" in body
    assert "5 werkdagen" in body
    assert client.get(response["Location"]).status_code == 200


def test_the_same_report_sent_twice_is_mailed_once(client, admins, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post("/accessibility/report/", PROBLEM)
        second = client.post("/accessibility/report/", PROBLEM)
        other = client.post("/accessibility/report/", {**PROBLEM, "problem": "Ook de tabel schuift niet."})
    assert first.status_code == second.status_code == other.status_code == 302
    assert len(mail.outbox) == 4  # two reports, each to the two admins


def test_a_report_without_the_problem_is_refused_in_dutch_and_keeps_what_was_typed(client, admins):
    response = client.post("/accessibility/report/", {**PROBLEM, "problem": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Beschrijf wat er niet lukte" in html
    assert 'aria-invalid="true"' in html
    assert "ZoomText met Edge" in html
    assert not Notification.objects.exists()


def test_a_wrong_email_address_is_refused(client, admins):
    response = client.post("/accessibility/report/", {**PROBLEM, "email": "karin-at-example"})
    assert response.status_code == 400
    assert not Notification.objects.exists()


def test_a_bot_filling_the_hidden_field_is_answered_as_if_it_worked_and_nobody_is_mailed(client, admins):
    response = client.post("/accessibility/report/", {**PROBLEM, "website": "https://spam.example"})
    assert response.status_code == 302
    assert not Notification.objects.exists()


def test_without_a_functional_admin_the_sender_is_told_and_keeps_the_text(client):
    response = client.post("/accessibility/report/", PROBLEM)
    assert response.status_code == 503
    html = response.content.decode()
    assert "er is geen beheerder ingesteld" in html
    assert "ZoomText met Edge" in html


def test_a_flood_from_one_address_must_pass_the_check_first(client, admins):
    for _ in range(accessibility.FREE_PER_HOUR):
        throttle_hit(scope=accessibility.SCOPE, client="127.0.0.1")
    assert "Korte controle" in client.get("/accessibility/report/").content.decode()
    response = client.post("/accessibility/report/", PROBLEM)
    assert response.status_code == 429
    assert "Uw tekst is bewaard" in response.content.decode()
    assert not Notification.objects.exists()


def test_the_page_a_report_is_about_is_filled_in_from_the_link(client):
    html = client.get("/accessibility/report/?page=/consent/").content.decode()
    assert re.search(r'name="page"[^>]*value="/consent/"', html)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_parent_reports_a_barrier_from_the_footer_and_the_admin_is_mailed(live_server, page, admins):
    page.goto(f"{live_server.url}/consent/invitation/")
    page.get_by_role("contentinfo").get_by_role("link", name="Toegankelijkheid").click()
    expect(page.get_by_role("heading", name="Toegankelijkheidsverklaring", level=1)).to_be_visible()
    expect(page.get_by_test_id("compliance-status")).to_contain_text("eerste maatregelen genomen")
    page.get_by_role("link", name="Toegankelijkheidsprobleem melden").click()
    page.get_by_role("button", name="Melding versturen").click()
    # Refused: the focus is on the summary of what is missing.
    expect(page.get_by_role("alert")).to_be_focused()
    page.get_by_label("Wat lukte niet?").fill(PROBLEM["problem"])
    page.get_by_label("Uw e-mailadres (niet verplicht)").fill(PROBLEM["email"])
    page.get_by_role("button", name="Melding versturen").click()
    expect(page.get_by_role("heading", name="Dank u wel voor uw melding")).to_be_visible()
    expect(page.get_by_text("krijgt u binnen 5 werkdagen antwoord")).to_be_visible()
    assert sorted(message.to[0] for message in mail.outbox) == ["beheer2@example.nl", "beheer@example.nl"]


def test_a_logged_in_parent_finds_her_name_and_address_filled_in(logged_in, parent):
    html = logged_in(parent).get("/accessibility/report/").content.decode()
    assert re.search(r'name="email"[^>]*value="ouder@example.nl"', html)
