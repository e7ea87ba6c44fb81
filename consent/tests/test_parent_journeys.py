"""A parent with several children, on a phone and with or without JavaScript: no tick is ever lost,
and "Wat nu geldt" shows what applies (protocol A.5)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import GuardianshipFactory, PupilFactory, UserFactory
from consent.constants import Method
from consent.selectors import current_consent_for_pupil
from consent.services import consent_decide
from consent.tests.factories import current_form
from testing.axe import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"viewport": {"width": 1280, "height": 900}}


def family(school, names):
    parent = UserFactory(email="ouder@example.nl", password="", first_name="Fien", last_name="Kallen")
    kids = [GuardianshipFactory(guardian=parent, pupil=PupilFactory(school=school, first_name=n)).pupil for n in names]
    return parent, kids


def card(page, pupil):
    return page.locator("section", has=page.get_by_role("heading", name=pupil.full_name))


def test_parent_of_three_on_a_phone_saves_once_and_withdraws_one_child_without_losing_a_tick(
    live_server, browser, phone_context_args, school, browser_logged_in
):
    parent, (anna, bram, cas) = family(school, ("Anna", "Bram", "Cas"))
    page = browser.new_context(**phone_context_args).new_page()
    browser_logged_in(page, parent)
    page.goto(f"{live_server.url}/consent/")

    card(page, anna).get_by_label("Website van de school: Foto").check()
    expect(card(page, anna).get_by_text("Nog niet opgeslagen")).to_be_visible()
    expect(card(page, bram).get_by_text("Nog niet opgeslagen")).to_be_hidden()
    card(page, bram).get_by_label("Nieuwsbrief en ouderapp: Film").check()
    card(page, cas).get_by_label("Website van de school: Foto").check()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Keuzes opslaan").click()
    expect(page.get_by_text("Opgeslagen voor Anna, Bram en Cas")).to_be_visible()
    assert current_consent_for_pupil(anna).allows("website", "photo")
    assert current_consent_for_pupil(bram).allows("newsletter", "film")
    assert current_consent_for_pupil(cas).allows("website", "photo")
    expect(card(page, cas).get_by_text("Nog niet opgeslagen")).to_be_hidden()

    # A new tick for Cas, then Anna's consent is withdrawn before saving: Cas's tick stays, with a warning.
    card(page, cas).get_by_label("Website van de school: Film").check()
    card(page, anna).get_by_role("button", name="Alle toestemming voor Anna intrekken").click()
    expect(page.get_by_text("De toestemming voor Anna is ingetrokken")).to_be_visible()
    expect(page.get_by_text("uw wijzigingen voor Cas zijn nog niet opgeslagen")).to_be_visible()
    expect(card(page, cas).get_by_label("Website van de school: Film")).to_be_checked()
    expect(card(page, cas).get_by_text("Nog niet opgeslagen")).to_be_visible()
    expect(card(page, bram).get_by_label("Nieuwsbrief en ouderapp: Film")).to_be_checked()
    assert not current_consent_for_pupil(anna).allows("website", "photo")
    assert not current_consent_for_pupil(cas).allows("website", "film")
    assert axe_violations(page) == []

    page.get_by_role("button", name="Keuzes opslaan").click()
    expect(page.get_by_text("Opgeslagen voor Cas")).to_be_visible()
    assert current_consent_for_pupil(cas).allows("website", "film")
    assert current_consent_for_pupil(bram).allows("newsletter", "film")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing scrolls sideways


@pytest.mark.parametrize("names", [("Anna", "Bram"), ("Anna", "Bram", "Cas")])
def test_without_javascript_a_withdrawal_keeps_the_other_childrens_ticks(
    live_server, browser, school, browser_logged_in, names
):
    parent, kids = family(school, names)
    first, *others = kids
    consent_decide(
        decided_by=parent,
        form=current_form(),
        answers={"website": {"photo": True}},
        method=Method.LOGGED_IN,
        pupil=first,
    )
    page = browser.new_context(java_script_enabled=False, **DESKTOP).new_page()
    browser_logged_in(page, parent)
    page.goto(f"{live_server.url}/consent/")
    for kid in others:
        card(page, kid).get_by_label("Schoolgids en folders: Foto").check()
    card(page, first).get_by_role("button", name=f"Alle toestemming voor {first.first_name} intrekken").click()
    expect(page.get_by_text(f"De toestemming voor {first.first_name} is ingetrokken")).to_be_visible()
    for kid in others:
        expect(card(page, kid).get_by_label("Schoolgids en folders: Foto")).to_be_checked()
        expect(card(page, kid).get_by_text("Nog niet opgeslagen")).to_be_visible()
        assert not current_consent_for_pupil(kid).allows("school_guide", "photo")
    page.get_by_role("button", name="Keuzes opslaan").click()
    expect(page.get_by_text("Opgeslagen voor")).to_be_visible()
    for kid in others:
        assert current_consent_for_pupil(kid).allows("school_guide", "photo")
    assert not current_consent_for_pupil(first).allows("website", "photo")


@pytest.mark.parametrize("width", [390, 1280])
def test_parent_sees_what_applies_when_the_other_parent_said_no(live_server, browser, school, browser_logged_in, width):
    father, (anna,) = family(school, ("Anna",))
    mother = UserFactory(email="moeder@example.nl", password="", first_name="Ans", last_name="Visser")
    GuardianshipFactory(guardian=mother, pupil=anna)
    both = {"school_guide": {"photo": True}}
    consent_decide(
        decided_by=father,
        form=current_form(),
        answers={**both, "website": {"photo": True}},
        method=Method.LOGGED_IN,
        pupil=anna,
    )
    consent_decide(decided_by=mother, form=current_form(), answers=both, method=Method.LOGGED_IN, pupil=anna)
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    browser_logged_in(page, father)
    page.goto(f"{live_server.url}/consent/")
    anna_card = card(page, anna)
    expect(anna_card.get_by_label("Website van de school: Foto")).to_be_checked()  # his own answer, marked:
    expect(anna_card.get_by_text("telt niet", exact=True)).to_be_visible()
    applies = anna_card.get_by_test_id(f"applies-p{anna.pk}")
    expect(applies.get_by_role("row", name="Website van de school")).to_contain_text("nee")
    expect(applies.get_by_role("row", name="Website van de school")).not_to_contain_text("ja")
    expect(applies.get_by_role("row", name="Schoolgids")).to_contain_text("ja")
    expect(anna_card.get_by_test_id(f"disagreements-p{anna.pk}")).to_contain_text(
        "Website van de school, Foto: Ans Visser koos nee, dus dit mag niet."
    )
    assert axe_violations(page) == []
