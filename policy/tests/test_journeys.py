"""Protocol journeys in a real browser (Playwright driving Debian's Chromium)."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_board_adopts_after_council_consent_teacher_acknowledges_leader_sees_it(
    live_server, browser, school, board_member, council_secretary, teacher, school_leader, browser_logged_in
):
    today = timezone.localdate().isoformat()

    # The board writes a draft from the version in force, changes A.6 and submits it to the (G)MR.
    board = browser_logged_in(browser.new_context().new_page(), board_member)
    board.get_by_role("navigation", name="Hoofdmenu").get_by_role("button", name="Protocol").click()
    board.get_by_role("link", name="Concepten protocol").click()
    board.get_by_label("Wat wil je veranderen?").fill("Ook via een zakelijk account geen vrienden met leerlingen.")
    board.get_by_role("button", name="Concept aanmaken").click()
    text = board.get_by_label("Tekst van het protocol")
    text.fill(
        text.input_value().replace("met een privéaccount ‘vrienden’", "met een privé- of zakelijk account ‘vrienden’")
    )
    board.get_by_role("button", name="Voorbeeld").click()
    expect(board.get_by_role("heading", name="Voorbeeld (nog niet opgeslagen)")).to_be_visible()
    board.get_by_role("button", name="Opslaan").click()
    board.get_by_role("button", name="Voorleggen aan de (G)MR").click()
    expect(board.get_by_test_id("status")).to_have_text("Voorgelegd aan de (G)MR")
    expect(board.get_by_role("button", name="Vaststellen")).to_have_count(0)
    draft_url = board.url

    # The (G)MR secretary records the council's consent.
    secretary = browser_logged_in(browser.new_context().new_page(), council_secretary)
    secretary.goto(draft_url)
    secretary.get_by_label("De (G)MR stemt in").check()
    secretary.get_by_label("Datum van het besluit").fill(today)
    secretary.get_by_label("Verwijzing naar de notulen").fill("Notulen GMR, punt 5")
    secretary.get_by_role("button", name="Besluit vastleggen").click()
    expect(secretary.get_by_test_id("status")).to_have_text("Instemming (G)MR")

    # The board adopts it, in force from today; the public page shows version 2.
    board.reload()
    board.get_by_label("Vastgesteld op").fill(today)
    board.get_by_label("In werking vanaf").fill(today)
    board.get_by_role("button", name="Vaststellen").click()
    visitor = browser.new_context().new_page()
    visitor.goto(f"{live_server.url}/protocol/#a-6")
    expect(visitor.get_by_test_id("version-label")).to_have_text(re.compile(r"Geldende versie\s+Versie 2"))
    expect(visitor.locator("#a-6")).to_contain_text("privé- of zakelijk account")
    expect(visitor.get_by_test_id("adoption-record")).to_contain_text("Notulen GMR, punt 5")
    visitor.goto(f"{live_server.url}/protocol/1/")
    expect(visitor.get_by_test_id("not-in-force")).to_be_visible()

    # A teacher reads what changed and acknowledges with one click after the text.
    reader = browser_logged_in(browser.new_context().new_page(), teacher)
    reader.get_by_role("navigation", name="Hoofdmenu").get_by_role("button", name="Protocol").click()
    reader.get_by_role("link", name="Protocol bevestigen").click()
    expect(reader.get_by_role("heading", name="Wat is er veranderd")).to_be_visible()
    expect(reader.get_by_text("Ook via een zakelijk account geen vrienden met leerlingen.")).to_be_visible()
    reader.get_by_role("button", name="Ik heb het protocol gelezen").click()
    expect(reader.get_by_test_id("acknowledged")).to_be_visible()

    # The leader sees who has and has not read version 2.
    leader = browser_logged_in(browser.new_context().new_page(), school_leader)
    leader.get_by_role("navigation", name="Hoofdmenu").get_by_role("button", name="Protocol").click()
    leader.get_by_role("link", name="Leesbevestigingen").click()
    expect(leader.get_by_test_id("ack-summary")).to_contain_text("1 van de 2 medewerkers heeft Versie 2 gelezen")
    row = leader.get_by_test_id("ack-row").filter(has_text=str(teacher))
    expect(row).to_contain_text("gelezen")
    expect(leader.get_by_test_id("ack-row").filter(has_text=str(school_leader))).to_contain_text("niet gelezen")
    assert re.search(r"/protocol/acknowledgements/\d+/$", leader.url)


def test_a_visitor_switches_the_cached_protocol_page_to_english_and_back_without_javascript(live_server, browser):
    page = browser.new_context(java_script_enabled=False).new_page()
    page.goto(f"{live_server.url}/protocol/")
    page.goto(f"{live_server.url}/protocol/")  # the stored copy, which holds no visitor's secret
    expect(page.get_by_text("Geldende versie")).to_be_visible()
    page.get_by_label("Taal").select_option(label="Engels")
    page.get_by_role("button", name="Kies").click()
    expect(page).to_have_url(re.compile(r"/protocol/$"))
    expect(page.get_by_text("Current version")).to_be_visible()
    page.get_by_label("Language").select_option(label="Dutch")
    page.get_by_role("button", name="Choose").click()
    expect(page.get_by_text("Geldende versie")).to_be_visible()
