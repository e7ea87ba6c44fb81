"""English-speaking families in a real browser: the form, the receipt and the proof in English."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.tests.factories import GroupFactory, GuardianshipFactory, PupilFactory, UserFactory
from consent.models import ConsentDecision
from consent.selectors import consent_form_text, current_consent_for_pupil
from consent.tests.factories import current_form
from testing.axe import axe_violations
from testing.mail import mailed_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (390, 1280)


def switch_to_english(page):
    page.get_by_label("Taal").select_option(label="English")
    page.get_by_role("button", name="Kies").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def assert_accessible_at_both_widths(page):
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert axe_violations(page) == [], width


def test_english_parent_switches_language_on_the_campaign_link_signs_and_gets_the_english_receipt(
    live_server, browser, phone_context_args, school, school_leader, browser_logged_in
):
    from consent.campaigns import consent_campaign_start

    group = GroupFactory(school=school, grade=5, name="5a")
    mother = UserFactory(email="mother@example.nl", password="", first_name="Emma", last_name="Brown")
    noor = GuardianshipFactory(guardian=mother, pupil=PupilFactory(school=school, group=group, first_name="Noor")).pupil
    consent_campaign_start(school=school, school_year="2026-2027", started_by=school_leader)

    # On her phone, from the invitation: Dutch first, then English with the switch at the bottom.
    phone = browser.new_context(**phone_context_args).new_page()
    phone.goto(live_server.url + mailed_path(mother.email, r"/consent/invitation/\S+/"))
    expect(phone.get_by_text("De scholen van de SKOW vragen aantoonbaar")).to_be_visible()
    switch_to_english(phone)
    expect(phone.get_by_role("heading", level=1)).to_have_text("Consent for photos, video and audio")
    expect(phone.get_by_text("The schools of the SKOW ask for demonstrable written consent")).to_be_visible()
    expect(phone.get_by_text("This is a translation of the Dutch form.")).to_be_visible()
    expect(phone.get_by_text("Website van de school")).to_have_count(0)
    assert_accessible_at_both_widths(phone)
    phone.set_viewport_size({"width": 390, "height": 844})
    card = phone.locator("section", has=phone.get_by_role("heading", name=noor.full_name))
    card.get_by_label("The school's website: Photo").check()
    phone.get_by_role("button", name="Save choices").click()
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    expect(phone.get_by_text("Saved for Noor. You will receive a confirmation by e-mail.")).to_be_visible()
    # The same link page again, with what applies now.
    expect(card.get_by_label("The school's website: Photo")).to_be_checked()
    assert current_consent_for_pupil(noor).allows("website", "photo")

    decision = ConsentDecision.objects.get(pupil=noor)
    assert decision.language == "en"
    assert decision.text_sha256 == consent_form_text(current_form(), "en").sha256
    (receipt,) = [m for m in mail.outbox if m.to == [mother.email] and m.subject.startswith("Confirmation")]
    assert receipt.subject == "Confirmation of your choice about photos, video and audio"
    assert "The school's website: Photo" in receipt.body
    assert "Language of the text you decided on: English" in receipt.body

    # Logged in later on a fresh browser, the portal is in English by itself; the proof shows the text she signed.
    laptop = browser.new_page()
    browser_logged_in(laptop, mother)
    laptop.goto(f"{live_server.url}/consent/")
    expect(laptop.locator("html")).to_have_attribute("lang", "en")
    laptop.get_by_text("History").click()
    laptop.get_by_role("link", name="proof").first.click()
    expect(laptop.get_by_text("Language of the text shown")).to_be_visible()
    expect(laptop.locator("pre")).to_contain_text("Consent for photos, video and audio (version 1)")
    expect(laptop.locator("pre")).to_contain_text("- The school's website: The school's public website")
    expect(laptop.get_by_text("matches the text below")).to_be_visible()
    assert_accessible_at_both_widths(laptop)


def test_two_guardians_in_two_languages_each_sign_their_own_text_and_get_their_own_receipt(
    live_server, browser, school, browser_logged_in
):
    child = PupilFactory(school=school, first_name="Sam")
    mother = GuardianshipFactory(pupil=child, guardian=UserFactory(email="mum@example.nl", password="")).guardian
    father = GuardianshipFactory(pupil=child, guardian=UserFactory(email="vader@example.nl", password="")).guardian

    # The mother reads English: she ticks website photo and film.
    mum = browser.new_page()
    browser_logged_in(mum, mother)
    mum.goto(f"{live_server.url}/consent/")
    switch_to_english(mum)
    card = mum.locator("section", has=mum.get_by_role("heading", name=child.full_name))
    card.get_by_label("The school's website: Photo").check()
    card.get_by_label("The school's website: Video").check()
    mum.get_by_role("button", name="Save choices").click()
    expect(mum.get_by_text("Saved for Sam")).to_be_visible()

    # The father reads Dutch, as before: only website photo.
    dad = browser.new_page()
    browser_logged_in(dad, father)
    dad.goto(f"{live_server.url}/consent/")
    expect(dad.locator("html")).to_have_attribute("lang", "nl")
    card = dad.locator("section", has=dad.get_by_role("heading", name=child.full_name))
    expect(card.get_by_label("The school's website: Photo")).to_have_count(0)
    card.get_by_label("Website van de school: Foto").check()
    dad.get_by_role("button", name="Keuzes opslaan").click()
    expect(dad.get_by_text("Opgeslagen voor Sam")).to_be_visible()

    mine, his = (ConsentDecision.objects.get(pupil=child, decided_by=who) for who in (mother, father))
    form = current_form()
    assert (mine.language, mine.text_sha256) == ("en", consent_form_text(form, "en").sha256)
    assert (his.language, his.text_sha256) == ("nl", form.text_sha256())
    # The stricter answer counts, whatever the language it was given in.
    assert current_consent_for_pupil(child).allows("website", "photo")
    assert not current_consent_for_pupil(child).allows("website", "film")

    english = [m for m in mail.outbox if m.to == [mother.email] and m.subject.startswith("Confirmation")]
    dutch = [m for m in mail.outbox if m.to == [father.email] and m.subject.startswith("Bevestiging")]
    assert len(english) == 1 and "The school's website: Photo, Video" in english[0].body
    assert len(dutch) == 1 and "Website van de school: Foto" in dutch[0].body
    assert "Taal van de tekst waarop u koos: Nederlands" in dutch[0].body

    # The father opens the mother's proof: his Dutch page, her English text.
    dad.goto(f"{live_server.url}/consent/decisions/{mine.pk}/")
    expect(dad.get_by_text("Taal van de getoonde tekst")).to_be_visible()
    expect(dad.locator("dd", has_text="Engels")).to_be_visible()
    expect(dad.locator("pre")).to_contain_text("Consent for photos, video and audio (version 1)")
    expect(dad.get_by_text("klopt met de tekst hieronder")).to_be_visible()
    dad.goto(f"{live_server.url}/consent/decisions/{his.pk}/")
    expect(dad.locator("pre")).to_contain_text("Toestemming voor foto's, film en geluid (versie 1)")


def test_a_dutch_parent_sees_nothing_of_the_english_text(live_server, page, school, parent, browser_logged_in):
    child = parent.children.get()
    browser_logged_in(page, parent)
    page.goto(f"{live_server.url}/consent/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_text("Dit is een vertaling")).to_have_count(0)
    expect(page.get_by_text("The school's website")).to_have_count(0)
    page.get_by_label("Website van de school: Foto").check()
    page.get_by_role("button", name="Keuzes opslaan").click()
    expect(page.get_by_text(f"Opgeslagen voor {child.first_name}")).to_be_visible()
    decision = ConsentDecision.objects.get(pupil=child)
    assert decision.language == "nl"
    (receipt,) = [m for m in mail.outbox if m.to == [parent.email] and m.subject.startswith("Bevestiging")]
    assert "Website van de school: Foto" in receipt.body
    parent.refresh_from_db()
    assert parent.language == "nl"


def test_the_board_corrects_the_english_text_until_a_parent_signs_it(
    live_server, browser, school, board_member, browser_logged_in
):
    board = browser.new_page()
    browser_logged_in(board, board_member)
    menu = board.get_by_role("navigation", name="Hoofdmenu")
    menu.get_by_role("button", name="Toestemming").click()
    menu.get_by_role("link", name="Formulierteksten").click()
    expect(board.get_by_role("heading", level=1)).to_have_text("Teksten van het toestemmingsformulier")
    assert_accessible_at_both_widths(board)
    board.get_by_role("link", name=re.compile("tekst verbeteren")).click()
    expect(board.get_by_role("heading", level=1)).to_have_text("Formulierversie 1 in het Engels")
    assert_accessible_at_both_widths(board)
    board.get_by_label("Doel: Website van de school").fill("School website")
    board.get_by_label("Titel").fill("")
    board.get_by_role("button", name="Tekst opslaan").click()
    # An empty title is refused in Dutch and the correction typed next to it is kept.
    expect(board.get_by_text("Dit veld is verplicht.")).to_be_visible()
    expect(board.get_by_label("Doel: Website van de school")).to_have_value("School website")

    # Meanwhile an English parent has the page open, with the text before the correction, and ticks.
    mother = GuardianshipFactory(
        pupil=PupilFactory(school=school), guardian=UserFactory(email="mum@example.nl", password="")
    ).guardian
    mum = browser.new_page()
    browser_logged_in(mum, mother)
    mum.goto(f"{live_server.url}/consent/")
    switch_to_english(mum)
    mum.get_by_label("The school's website: Photo").check()

    board.get_by_label("Titel").fill("Consent for photos, video and audio")
    board.get_by_role("button", name="Tekst opslaan").click()
    expect(board.get_by_text("De tekst in het Engels van formulierversie 1 is opgeslagen.")).to_be_visible()

    # Her save finds a changed text: nothing is saved, the new text is shown and her tick is kept.
    mum.get_by_role("button", name="Save choices").click()
    expect(mum.get_by_text("the text of the form changed after you opened the page")).to_be_visible()
    expect(mum.get_by_label("School website: Photo")).to_be_checked()
    assert not ConsentDecision.objects.exists()
    # She reads the corrected text and signs it.
    mum.get_by_role("button", name="Save choices").click()
    expect(mum.get_by_text("Saved for")).to_be_visible()
    assert ConsentDecision.objects.get().text_sha256 == consent_form_text(current_form(), "en").sha256

    # From then on the English text of version 1 no longer changes.
    board.reload()
    expect(board.get_by_text("er is op gekozen; verandert niet meer")).to_be_visible()
    board.get_by_role("link", name=re.compile("tekst bekijken")).click()
    expect(board.get_by_text("Iemand heeft al op deze tekst gekozen.")).to_be_visible()
    expect(board.get_by_role("button", name="Tekst opslaan")).to_have_count(0)
    expect(board.locator("pre")).to_contain_text("- School website:")


def test_a_teacher_enters_a_paper_form_signed_in_english(
    live_server, page, school, teacher, tmp_path, settings, browser_logged_in
):
    settings.PRIVATE_STORAGE_ROOT = str(tmp_path / "private")
    group = GroupFactory(school=school, grade=6, name="6b")
    group.teachers.add(teacher)
    mother = UserFactory(email="mum@example.nl", password="", first_name="Emma", last_name="Brown")
    child = GuardianshipFactory(guardian=mother, pupil=PupilFactory(school=school, group=group)).pupil
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

    browser_logged_in(page, teacher)
    page.goto(f"{live_server.url}/consent/pupil/{child.pk}/paper/")
    assert_accessible_at_both_widths(page)
    page.get_by_label("Ondertekend door").select_option(label=f"{mother} ({mother.email})")
    page.get_by_label("Datum op het formulier").fill("2026-09-01")
    page.get_by_label("Taal van het formulier").select_option(label="Engels")
    page.get_by_label("Website van de school: Foto").check()
    page.get_by_label("Scan van het ondertekende formulier").set_input_files(str(scan))
    page.get_by_role("button", name="Formulier opslaan").click()
    expect(page.get_by_role("heading", name="Bewijs van een toestemmingsbesluit")).to_be_visible()
    expect(page.locator("pre")).to_contain_text("Consent for photos, video and audio (version 1)")
    assert ConsentDecision.objects.get(pupil=child).language == "en"
