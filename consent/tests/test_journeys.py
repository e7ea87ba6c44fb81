"""Consent journeys in a real browser (Playwright driving Debian's Chromium)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.tests.factories import GuardianshipFactory, PupilFactory, UserFactory
from consent.selectors import current_consent_for_pupil

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in_by_link(page, live_server, email: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/link/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_role("button", name="Stuur mij een inloglink").click()
    expect(page.get_by_role("heading", name="Kijk in uw e-mail")).to_be_visible()
    link = re.search(r"https?://\S+/accounts/login/link/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link.replace("http://127.0.0.1:8000", live_server.url))
    page.get_by_role("button", name="Inloggen").click()


def test_parent_on_a_phone_signs_for_two_children_differently_then_withdraws_one(
    live_server, browser, phone_context_args, school
):
    parent = UserFactory(email="ouder@example.nl", password="")
    noor = GuardianshipFactory(guardian=parent, pupil=PupilFactory(school=school, first_name="Noor", infix="")).pupil
    sem = GuardianshipFactory(guardian=parent, pupil=PupilFactory(school=school, first_name="Sem", infix="")).pupil
    page = browser.new_context(**phone_context_args).new_page()
    log_in_by_link(page, live_server, parent.email)
    page.goto(f"{live_server.url}/consent/")

    noor_card = page.locator("section", has=page.get_by_role("heading", name=noor.full_name))
    noor_card.get_by_label("Website van de school: Foto").check()
    noor_card.get_by_label("Nieuwsbrief en ouderapp: Film").check()
    noor_card.get_by_role("button", name="Keuze opslaan").click()
    expect(page.get_by_text("Uw keuze is opgeslagen")).to_be_visible()

    sem_card = page.locator("section", has=page.get_by_role("heading", name=sem.full_name))
    sem_card.get_by_label("Schoolgids en folders: Foto").check()
    sem_card.get_by_role("button", name="Keuze opslaan").click()
    expect(page.get_by_text("Uw keuze is opgeslagen")).to_be_visible()

    # What was saved is what the page shows again, per child.
    noor_card = page.locator("section", has=page.get_by_role("heading", name=noor.full_name))
    expect(noor_card.get_by_label("Website van de school: Foto")).to_be_checked()
    expect(noor_card.get_by_label("Schoolgids en folders: Foto")).not_to_be_checked()
    assert current_consent_for_pupil(noor).allows("website", "photo")
    assert not current_consent_for_pupil(sem).allows("website", "photo")
    assert current_consent_for_pupil(sem).allows("school_guide", "photo")

    sem_card = page.locator("section", has=page.get_by_role("heading", name=sem.full_name))
    sem_card.get_by_role("button", name="Alle toestemming intrekken").click()
    expect(page.get_by_text("Uw toestemming is ingetrokken")).to_be_visible()
    assert not current_consent_for_pupil(sem).allows("school_guide", "photo")
    assert current_consent_for_pupil(noor).allows("website", "photo")
    receipts = [m for m in mail.outbox if m.to == [parent.email] and "Bevestiging" in m.subject]
    assert len(receipts) == 3
