"""Consent journeys in a real browser (Playwright driving Debian's Chromium)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import (
    GroupFactory,
    GuardianshipFactory,
    PupilFactory,
    UserFactory,
)
from consent.selectors import current_consent_for_pupil
from testing.mail import mailed_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leader_sends_a_campaign_a_parent_signs_on_a_phone_and_later_withdraws_one(
    live_server, browser, phone_context_args, school, school_leader, browser_logged_in
):
    group = GroupFactory(school=school, grade=5, name="5a")
    parent = UserFactory(email="ouder@example.nl", password="")
    noor = GuardianshipFactory(guardian=parent, pupil=PupilFactory(school=school, group=group, first_name="Noor")).pupil
    sem = GuardianshipFactory(guardian=parent, pupil=PupilFactory(school=school, group=group, first_name="Sem")).pupil
    other_family = GuardianshipFactory(pupil=PupilFactory(school=school, group=group, first_name="Bram")).pupil

    # The leader starts the campaign and sees nobody has answered yet.
    leader_page = browser.new_page()
    browser_logged_in(leader_page, school_leader)
    leader_page.goto(f"{live_server.url}/consent/campaigns/")
    leader_page.get_by_role("button", name="Uitnodigingen versturen").click()
    expect(leader_page.get_by_test_id("response-rate")).to_contain_text("Voor 0 van de 3 leerlingen")

    # The parent opens the e-mailed link on a phone, without an account, and answers per child.
    phone = browser.new_context(**phone_context_args).new_page()
    phone.goto(live_server.url + mailed_path(parent.email, r"/consent/invitation/\S+/"))
    expect(phone.get_by_role("region", name=noor.full_name, exact=True)).to_be_visible()
    expect(phone.get_by_text(other_family.full_name)).to_have_count(0)
    phone.get_by_role("region", name=noor.full_name, exact=True).get_by_label("Website van de school: Foto").check()
    phone.get_by_role("region", name=sem.full_name, exact=True).get_by_label("Schoolgids en folders: Film").check()
    phone.get_by_role("button", name="Keuzes opslaan").click()
    expect(phone.get_by_text(f"Opgeslagen voor {noor.first_name} en {sem.first_name}")).to_be_visible()
    assert current_consent_for_pupil(noor).allows("website", "photo")
    assert not current_consent_for_pupil(sem).allows("website", "photo")
    assert current_consent_for_pupil(sem).allows("school_guide", "film")

    leader_page.reload()
    expect(leader_page.get_by_test_id("response-rate")).to_contain_text("Voor 2 van de 3 leerlingen")

    # Later the parent logs in by link and withdraws consent for one child, on the same page.
    browser_logged_in(phone, parent)
    phone.goto(f"{live_server.url}/consent/")
    sem_card = phone.locator("section", has=phone.get_by_role("heading", name=sem.full_name))
    sem_card.get_by_role("button", name=f"Alle toestemming voor {sem.first_name} intrekken").click()
    expect(phone.get_by_text(f"De toestemming voor {sem.first_name} is ingetrokken")).to_be_visible()
    assert not current_consent_for_pupil(sem).allows("school_guide", "film")
    assert current_consent_for_pupil(noor).allows("website", "photo")
    noor_card = phone.locator("section", has=phone.get_by_role("heading", name=noor.full_name))
    expect(noor_card.get_by_label("Website van de school: Foto")).to_be_checked()


def test_teacher_runs_the_photo_check_records_the_publication_and_prints_the_group_overview(
    live_server, page, school, teacher, browser_logged_in
):
    from consent.constants import Method
    from consent.models import Publication
    from consent.services import consent_decide
    from consent.tests.factories import current_form

    group = GroupFactory(school=school, grade=5, name="5a")
    group.teachers.add(teacher)
    anna = GuardianshipFactory(pupil=PupilFactory(school=school, group=group, first_name="Anna")).pupil
    bas = GuardianshipFactory(pupil=PupilFactory(school=school, group=group, first_name="Bas")).pupil
    consent_decide(
        decided_by=anna.guardianships.get().guardian,
        form=current_form(),
        method=Method.LOGGED_IN,
        pupil=anna,
        answers={"school_social_media": {"photo": True}},
    )

    browser_logged_in(page, teacher)
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    menu.get_by_role("button", name="Toestemming").click()
    menu.get_by_role("link", name="Fotocheck").click()
    page.get_by_role("main").get_by_role("link", name="Fotocheck").click()
    page.get_by_label(anna.full_name).check()
    page.get_by_label(bas.full_name).check()
    page.get_by_label("Waar komt het?").select_option(label="Sociale-media-accounts van de school")
    page.get_by_label("Wat is het?").select_option(label="Foto")
    page.get_by_role("button", name="Controleren").click()
    expect(page.get_by_test_id("photo-check-result")).to_contain_text("Nee, dit mag niet.")
    expect(page.get_by_test_id("photo-check-result")).to_contain_text(f"{bas.full_name}: nog geen toestemming")

    page.get_by_label(bas.full_name).uncheck()
    page.get_by_role("button", name="Controleren").click()
    expect(page.get_by_test_id("photo-check-result")).to_contain_text("Ja, dit mag.")
    page.get_by_label("Korte omschrijving").fill("Sportdag groep 5")
    page.get_by_role("button", name="Vastleggen als publicatie").click()
    expect(page.get_by_text("De publicatie is vastgelegd")).to_be_visible()
    assert list(Publication.objects.get().pupils.all()) == [anna]

    page.get_by_role("link", name="Overzicht van de groep").click()
    row = page.get_by_role("row", name=re.compile(bas.full_name))
    expect(row).to_contain_text("geen antwoord")
    page.evaluate("window.printed = false; window.print = () => { window.printed = true; }")
    page.get_by_role("button", name="Afdrukken").click()
    assert page.evaluate("window.printed") is True
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Afdrukken")).to_be_hidden()


def test_teacher_enters_a_signed_paper_form_with_its_scan_after_a_wrong_file(
    live_server, page, school, teacher, tmp_path, settings, browser_logged_in
):
    from consent.models import ConsentDecision

    settings.PRIVATE_STORAGE_ROOT = str(tmp_path / "private")
    group = GroupFactory(school=school, grade=6, name="6b")
    group.teachers.add(teacher)
    mother = UserFactory(email="moeder@example.nl", password="", first_name="Ans", last_name="Visser")
    jesse = GuardianshipFactory(
        guardian=mother, pupil=PupilFactory(school=school, group=group, first_name="Jesse")
    ).pupil
    wrong = tmp_path / "formulier.pdf"
    wrong.write_bytes(b"MZ\x90\x00 not a scan at all")
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

    browser_logged_in(page, teacher)
    page.goto(f"{live_server.url}/consent/groups/{group.pk}/")
    page.get_by_role("link", name=f"papier invoeren {jesse.full_name}").click()
    page.get_by_label("Ondertekend door").select_option(label=f"{mother} ({mother.email})")
    page.get_by_label("Datum op het formulier").fill("2026-09-01")
    page.get_by_label("Website van de school: Foto").check()
    page.get_by_label("Scan van het ondertekende formulier").set_input_files(str(wrong))
    page.get_by_role("button", name="Formulier opslaan").click()
    expect(page.get_by_text("Dit bestand is geen pdf, jpg of png")).to_be_visible()
    expect(page.get_by_label("Website van de school: Foto")).to_be_checked()  # nothing typed is lost
    assert not ConsentDecision.objects.exists()

    page.get_by_label("Scan van het ondertekende formulier").set_input_files(str(scan))
    page.get_by_role("button", name="Formulier opslaan").click()
    expect(page.get_by_text(f"Het papieren formulier voor {jesse.full_name} is opgeslagen")).to_be_visible()
    expect(page.get_by_role("link", name="Scan van het ondertekende formulier downloaden")).to_be_visible()
    decision = ConsentDecision.objects.get()
    assert (decision.decided_by, decision.recorded_by, decision.method) == (mother, teacher, "paper")
