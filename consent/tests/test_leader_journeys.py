"""The school leader's consent pages in a real browser (Playwright driving Debian's Chromium): reminding
a group that has not answered, publications and takedowns, printing a proof, the photo check of more
groups and the group overview on a phone."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import current_school_year
from accounts.tests.factories import GroupFactory, GuardianshipFactory, PupilFactory, UserFactory
from consent.constants import Method
from consent.models import ConsentInvitation, Publication, TakedownTask
from consent.services import consent_decide, consent_withdraw, publication_record
from consent.tests.factories import all_yes, current_form
from notifications.models import Notification
from testing.axe import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _menu(page, group: str, link: str) -> None:
    """Open a page through the main menu, as a person would (the hamburger first on a phone)."""
    toggler = page.get_by_role("button", name="Menu openen")
    if toggler.is_visible():
        toggler.click()
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    menu.get_by_role("button", name=group).click()
    menu.get_by_role("link", name=link).click()


def _fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_leader_reminds_a_group_now_once_even_from_two_tabs_and_sees_when_it_went(
    live_server, browser, school, school_leader, browser_logged_in
):
    from consent.campaigns import consent_campaign_start

    year = current_school_year()
    group_5a = GroupFactory(school=school, school_year=year, grade=5, name="5a")
    group_6b = GroupFactory(school=school, school_year=year, grade=6, name="6b")
    answering = UserFactory(email="antwoordt@example.nl", password="")
    silent = UserFactory(email="zwijgt@example.nl", password="", first_name="Sanne", last_name="Stil")
    noor = GuardianshipFactory(guardian=answering, pupil=PupilFactory(school=school, group=group_5a)).pupil
    sem = GuardianshipFactory(guardian=silent, pupil=PupilFactory(school=school, group=group_5a)).pupil
    GuardianshipFactory(pupil=PupilFactory(school=school, group=group_6b))
    consent_campaign_start(school=school, school_year=year, started_by=school_leader)
    consent_decide(decided_by=answering, form=current_form(), answers={}, method=Method.LOGGED_IN, pupil=noor)
    ConsentInvitation.objects.update(sent_at=timezone.now() - timedelta(days=3))

    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    browser_logged_in(page, school_leader)
    _menu(page, "Toestemming", "Campagnes")
    page.get_by_role("link", name=f"{school.name} — {year}").click()
    expect(page.get_by_test_id("reminders")).to_contain_text("Er zijn nog geen herinneringen verstuurd.")
    section = page.get_by_test_id("unanswered-group").filter(has_text="Groep 5a")
    expect(section).to_contain_text("1 leerling zonder antwoord")
    expect(section).to_contain_text(sem.full_name)
    expect(section).to_contain_text(f"{silent} — uitgenodigd op")
    expect(section).not_to_contain_text(noor.full_name)
    assert axe_violations(page) == []

    # A second tab with the same dashboard, opened before the first click.
    second_tab = context.new_page()
    second_tab.goto(page.url)

    section.get_by_role("button", name="Herinner nu Groep 5a").click()
    expect(page.get_by_text("Herinnering voor Groep 5a verstuurd aan 1 persoon.")).to_be_visible()
    section = page.get_by_test_id("unanswered-group").filter(has_text="Groep 5a")
    expect(section.get_by_test_id("last-reminder")).to_contain_text(f"door {school_leader}, aan 1 persoon")
    expect(section.get_by_role("button", name="Herinner nu Groep 5a")).to_have_count(0)
    expect(page.get_by_test_id("reminders").get_by_role("row", name=re.compile("Groep 5a"))).to_contain_text(
        "1 persoon"
    )

    second_tab.get_by_role("button", name="Herinner nu Groep 5a").click()
    expect(second_tab.get_by_text(re.compile("kregen op .* al een herinnering"))).to_be_visible()
    assert Notification.objects.filter(template="consent/email/reminder", email=silent.email).count() == 1

    page.set_viewport_size(PHONE)  # the same leader on a phone-sized screen
    page.reload()
    expect(page.get_by_test_id("unanswered-group").filter(has_text="Groep 6b")).to_be_visible()
    assert _fits_the_screen(page)
    response_table = page.get_by_role("table", name="Respons per groep")
    assert page.evaluate(
        "(table) => table.parentElement.scrollWidth <= table.parentElement.clientWidth", response_table.element_handle()
    )
    assert axe_violations(page) == []


def test_leader_finds_publications_and_confirms_an_overdue_takedown_of_a_teacher(
    live_server, browser, phone_context_args, school, other_school, teacher, school_leader, browser_logged_in
):
    group = GroupFactory(school=school, grade=5, name="5a")
    trip_group = GroupFactory(school=school, grade=6, name="6b")

    def consenting(group, first_name):
        pupil = GuardianshipFactory(pupil=PupilFactory(school=group.school, group=group, first_name=first_name)).pupil
        consent_decide(
            decided_by=pupil.guardianships.get().guardian,
            form=current_form(),
            answers=all_yes(current_form()),
            method=Method.LOGGED_IN,
            pupil=pupil,
        )
        return pupil

    anna, bram = consenting(group, "Anna"), consenting(trip_group, "Bram")
    publication_record(
        created_by=teacher,
        group=group,
        pupils=[anna, bram],
        purpose="website",
        medium="photo",
        description="Schoolreis",
    )
    publication_record(
        created_by=teacher, group=group, pupils=[anna], purpose="newsletter", medium="film", description="Gymles"
    )
    far_group = GroupFactory(school=other_school, grade=5, name="5z")
    publication_record(
        created_by=UserFactory(roles=[("staff", other_school)]),
        group=far_group,
        pupils=[consenting(far_group, "Cas")],
        purpose="website",
        medium="photo",
        description="Kerstviering elders",
    )
    consent_withdraw(decided_by=bram.guardianships.get().guardian, method=Method.LOGGED_IN, pupil=bram)
    TakedownTask.objects.update(due_at=timezone.now() - timedelta(hours=3))

    page = browser.new_context(**phone_context_args).new_page()
    browser_logged_in(page, school_leader)
    _menu(page, "Toestemming", "Publicaties")
    listing = page.get_by_test_id("publications")
    expect(listing).to_contain_text("Schoolreis")
    expect(listing).to_contain_text("Gymles")
    expect(listing).not_to_contain_text("Kerstviering elders")  # another school's
    expect(listing.get_by_role("listitem").filter(has_text="Schoolreis")).to_contain_text(
        f"{bram.full_name} (Groep 6b)"
    )
    assert _fits_the_screen(page)
    assert axe_violations(page) == []

    page.get_by_label("Wie staat erop?").fill(bram.full_name)
    page.get_by_role("button", name="Zoeken", exact=True).click()
    expect(page.get_by_test_id("publication-count")).to_have_text("1 publicatie")
    expect(page.get_by_label("Wie staat erop?")).to_have_value(bram.full_name)
    page.get_by_role("link", name="Alles tonen").click()
    page.get_by_label("Waar").select_option(label="Nieuwsbrief en ouderapp")
    page.get_by_role("button", name="Zoeken", exact=True).click()
    expect(page.get_by_test_id("publications")).to_contain_text("Gymles")
    expect(page.get_by_test_id("publications")).not_to_contain_text("Schoolreis")
    page.get_by_role("link", name="Alles tonen").click()
    page.get_by_label("Alleen met een openstaande verwijdertaak").check()
    page.get_by_role("button", name="Zoeken", exact=True).click()
    expect(page.get_by_test_id("publication-count")).to_have_text("1 publicatie")
    expect(page.get_by_test_id("publications")).to_contain_text("1 verwijdertaak open")

    # The teacher posted it; the leader sees the overdue task and confirms it for the absent teacher.
    page.get_by_role("main").get_by_role("link", name="Verwijdertaken").click()
    expect(page.get_by_role("status").filter(has_text="te laat")).to_contain_text("1 verwijdertaak is te laat.")
    task = page.get_by_test_id("open-takedowns").get_by_role("listitem").first
    expect(task).to_contain_text(f"Schoolreis — {bram.full_name}")
    expect(task).to_contain_text(f"door {teacher}")
    assert axe_violations(page) == []
    task.get_by_role("button", name=re.compile("^Verwijderd")).click()
    expect(page.get_by_text("Bevestigd: de publicatie is verwijderd.")).to_be_visible()
    expect(page.get_by_test_id("done-takedowns")).to_contain_text(f"bevestigd door {school_leader}")
    assert TakedownTask.objects.get().done_by == school_leader


def test_leader_prints_the_proof_of_a_decision_without_menu_and_footer(
    live_server, browser, school, school_leader, browser_logged_in
):
    group = GroupFactory(school=school, grade=5, name="5a")
    mother = UserFactory(email="moeder@example.nl", password="", first_name="Ans", last_name="Visser")
    jesse = GuardianshipFactory(guardian=mother, pupil=PupilFactory(school=school, group=group)).pupil
    decision = consent_decide(
        decided_by=mother,
        form=current_form(),
        answers={"website": {"photo": True}},
        method=Method.LOGGED_IN,
        pupil=jesse,
    )

    page = browser.new_context(viewport=DESKTOP).new_page()
    browser_logged_in(page, school_leader)
    page.goto(f"{live_server.url}/consent/groups/{group.pk}/")
    page.get_by_role("link", name=f"bewijs {jesse.full_name}, {mother}").click()
    expect(page.get_by_role("heading", name="Bewijs van een toestemmingsbesluit")).to_be_visible()
    expect(page.get_by_text("Waarom deze persoon besliste")).to_be_visible()
    expect(page.get_by_test_id("basis")).to_contain_text("Ouder/verzorger van een leerling jonger dan 16")
    expect(page.get_by_test_id("check-value")).to_contain_text(decision.text_sha256)
    expect(page.get_by_role("main")).not_to_contain_text("Hash")
    assert axe_violations(page) == []

    page.evaluate("window.printed = false; window.print = () => { window.printed = true; }")
    page.get_by_role("button", name="Afdrukken of bewaren als pdf").click()
    assert page.evaluate("window.printed") is True
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Hoofdmenu")).to_be_hidden()
    expect(page.locator("body > footer")).to_be_hidden()
    expect(page.get_by_role("button", name="Afdrukken of bewaren als pdf")).to_be_hidden()
    expect(page.get_by_test_id("check-value")).to_be_visible()
    expect(page.get_by_text("De tekst zoals getoond")).to_be_visible()

    page.emulate_media(media="screen")
    page.set_viewport_size(PHONE)
    page.reload()
    assert _fits_the_screen(page)  # the 64-character check value wraps
    assert axe_violations(page) == []


def test_photo_check_of_a_school_trip_with_two_groups_and_the_group_overview_on_a_phone(
    live_server, browser, phone_context_args, school, school_leader, browser_logged_in
):
    year = current_school_year()
    group_5a = GroupFactory(school=school, school_year=year, grade=5, name="5a")
    group_6b = GroupFactory(school=school, school_year=year, grade=6, name="6b")
    anna = GuardianshipFactory(pupil=PupilFactory(school=school, group=group_5a, first_name="Anna")).pupil
    bram = GuardianshipFactory(pupil=PupilFactory(school=school, group=group_6b, first_name="Bram")).pupil
    for pupil in (anna, bram):
        consent_decide(
            decided_by=pupil.guardianships.get().guardian,
            form=current_form(),
            answers={"website": {"photo": pupil == anna}},
            method=Method.LOGGED_IN,
            pupil=pupil,
        )

    phone = browser.new_context(**phone_context_args).new_page()
    browser_logged_in(phone, school_leader)
    phone.goto(f"{live_server.url}/consent/groups/{group_5a.pk}/")
    assert _fits_the_screen(phone)
    row = phone.get_by_role("row", name=re.compile(anna.full_name))
    for purpose in current_form().purposes:
        cell = row.locator(f'td[data-label="{purpose["label"]}"]')
        expect(cell).to_be_in_viewport()
        box = cell.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, purpose["label"]
    expect(row.locator('td[data-label="Website van de school"]')).to_have_text("niet: Film, Geluid")
    assert axe_violations(phone) == []

    phone.get_by_role("main").get_by_role("link", name="Fotocheck").click()
    phone.get_by_text("Staan er leerlingen uit andere groepen op?").click()
    phone.get_by_label("Groep 6b").check()
    phone.get_by_role("button", name="Leerlingen van deze groepen tonen").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(f"Fotocheck {school.name}, meer groepen")
    expect(phone.get_by_role("group", name="Groep 6b").get_by_label(bram.full_name)).to_be_visible()
    phone.get_by_label(anna.full_name).check()
    phone.get_by_label(bram.full_name).check()
    phone.get_by_label("Waar komt het?").select_option(label="Website van de school")
    phone.get_by_label("Wat is het?").select_option(label="Foto")
    phone.get_by_role("button", name="Controleren").click()
    expect(phone.get_by_test_id("photo-check-result")).to_contain_text("Nee, dit mag niet.")
    expect(phone.get_by_test_id("photo-check-result")).to_contain_text(bram.full_name)
    expect(phone.get_by_label(bram.full_name)).to_be_checked()  # the choice is kept
    assert _fits_the_screen(phone)
    assert axe_violations(phone) == []

    phone.get_by_label(bram.full_name).uncheck()
    phone.get_by_role("button", name="Controleren").click()
    expect(phone.get_by_test_id("photo-check-result")).to_contain_text("Ja, dit mag.")
    phone.get_by_label("Korte omschrijving").fill("Schoolreis 5a en 6b")
    phone.get_by_role("button", name="Vastleggen als publicatie").click()
    expect(phone.get_by_text("De publicatie is vastgelegd")).to_be_visible()
    expect(phone.get_by_role("group", name="Groep 6b")).to_be_visible()  # still the two groups
    assert list(Publication.objects.get().pupils.all()) == [anna]
