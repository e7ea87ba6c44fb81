"""WPO art. 4a in a real browser: a teacher's report about the director reaches the board only, and
the case refuses to close until the inspector call, the informing and the aangifte are on record."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from reports.models import Case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _close(page):
    page.get_by_label("Nieuwe status").select_option(label="Gesloten")
    page.get_by_label("Reden van sluiten").select_option(label="Doorverwezen naar de autoriteiten")
    page.get_by_role("button", name="Status wijzigen").click()


def test_a_wpo_4a_report_about_the_director_reaches_the_board_and_closes_only_with_everything_on_record(
    live_server, browser, school, teacher, board_member, browser_logged_in
):
    director = UserFactory(
        first_name="Anna", last_name="de Vries", roles=[("school_leader", school), ("staff", school)]
    )
    page = browser.new_page()
    browser_logged_in(page, teacher)
    page.goto(f"{live_server.url}/report/")
    page.get_by_label("Over welke school gaat het?").select_option(label="Sint-Jozefschool")
    page.get_by_label("Wat is er gebeurd?").select_option(
        label="Seksueel getint gedrag van een medewerker tegenover een leerling (WPO art. 4a)"
    )
    page.get_by_label("Waar gebeurde het?").select_option(label="Instagram")
    page.get_by_label("Wanneer gebeurde het?").fill("2026-11-20")
    page.get_by_label("Beschrijf wat er is gebeurd").fill(
        "Directeur Anna de Vries stuurt een leerling van groep 8 berichten met seksuele toespelingen."
    )
    page.get_by_role("group", name="Ik ben").get_by_label("Medewerker", exact=True).check()
    # Sent to the school, yet the law puts the board in the path, not the head.
    page.get_by_label("Uw naam").fill(teacher.get_full_name() or "Leerkracht")
    page.get_by_role("button", name="Melding versturen").click()
    expect(page.get_by_test_id("receipt-code")).to_be_visible()
    case = Case.objects.get()

    leader = browser.new_page()
    browser_logged_in(leader, director)
    assert leader.goto(f"{live_server.url}/cases/{case.pk}/").status == 404

    board = browser.new_page()
    browser_logged_in(board, board_member)
    board.goto(f"{live_server.url}/cases/{case.pk}/")
    _close(board)
    expect(board.get_by_text("overlegt het bestuur met de vertrouwensinspecteur")).to_be_visible()

    # The call: the inspector's name and the conclusion "redelijk vermoeden: ja".
    board.goto(f"{live_server.url}/cases/{case.pk}/escalations/")
    expect(board.get_by_test_id("wpo-4a")).to_be_visible()
    board.get_by_role("link", name="Gesprek met de Vertrouwensinspecteur vastleggen").click()
    board.get_by_label("Datum van het gesprek").fill("2026-11-21")
    board.get_by_label("Tijd").fill("10:15")
    board.get_by_label("Advies van de Vertrouwensinspecteur").fill("Redelijk vermoeden; aangifte doen.")
    board.get_by_role("button", name="Vastleggen").click()
    expect(board.get_by_text("vul de naam van de vertrouwensinspecteur en de conclusie in")).to_be_visible()
    board.get_by_label("Naam van de vertrouwensinspecteur").fill("mw. J. de Boer")
    board.get_by_label("Conclusie: redelijk vermoeden van een strafbaar feit?").select_option(label="Ja")
    board.get_by_role("button", name="Vastleggen").click()
    expect(board.get_by_test_id("reasonable-suspicion")).to_have_text("ja")

    board.goto(f"{live_server.url}/cases/{case.pk}/")
    _close(board)
    expect(board.get_by_text("dat de ouders zijn geïnformeerd, dat de beschuldigde is geïnformeerd")).to_be_visible()

    for who in ("Ouders geïnformeerd (WPO art. 4a)", "Beschuldigde geïnformeerd (WPO art. 4a)"):
        board.goto(f"{live_server.url}/cases/{case.pk}/escalations/informed/")
        board.get_by_label(who).check()
        board.get_by_label("Datum").fill("2026-11-22")
        board.get_by_role("button", name="Vastleggen").click()
        expect(board.get_by_text("Vastgelegd wie is geïnformeerd.")).to_be_visible()

    board.goto(f"{live_server.url}/cases/{case.pk}/escalations/police/")
    board.get_by_label("Datum van de aangifte").fill("2026-11-23")
    board.get_by_label("Wie deed aangifte").fill("Marieke van den Berg")
    board.get_by_label("Politie-eenheid").fill("Eenheid Den Haag")
    board.get_by_label("Kenmerk of proces-verbaalnummer").fill("PL1500-2026123456")
    board.get_by_role("button", name="Vastleggen").click()
    expect(board.get_by_text("De aangifte is vastgelegd.")).to_be_visible()

    board.goto(f"{live_server.url}/cases/{case.pk}/")
    _close(board)
    expect(board.get_by_test_id("case-state")).to_contain_text("Gesloten")
