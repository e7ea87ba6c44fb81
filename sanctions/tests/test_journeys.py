"""Measures in a real browser (Playwright driving Debian's Chromium)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from reports.tests.factories import ReportFactory
from sanctions.constants import MeasureKind, MeasureStatus
from sanctions.models import Measure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def record_measure(
    page, *, staff: str, kind: str, reason: str, starts: str = "", ends: str = "", consulted_on: str | None = None
) -> None:
    page.get_by_role("link", name="Maatregel vastleggen").click()
    page.get_by_role("radio", name="Medewerker").check()
    page.get_by_label("Welke medewerker").select_option(label=staff)
    page.get_by_role("combobox", name=re.compile(r"^Maatregel")).select_option(label=kind)
    page.get_by_label("Reden").fill(reason)
    consultation = page.get_by_role("group", name="Is de directeur-bestuurder over deze maatregel geraadpleegd?")
    if consulted_on:
        consultation.get_by_role("radio", name="Ja").check()
        page.get_by_label("Datum van het overleg").fill(consulted_on)
    elif consulted_on is not None:
        consultation.get_by_role("radio", name="Nee").check()
    if starts:
        page.get_by_label("Van", exact=True).fill(starts)
        page.get_by_label("Tot en met").fill(ends)
    page.get_by_role("button", name="Maatregel vastleggen").click()


def test_a_leader_records_a_conversation_sees_measures_decided_proposes_a_suspension_and_the_board_approves(
    live_server, browser, school, school_leader, board_member, browser_logged_in
):
    UserFactory(email="tim@example.nl", first_name="Tim", last_name="Visser", roles=[("staff", school)])
    case = ReportFactory(
        school=school, category="arguing_online", involved_roles=["staff"], description="Meester Tim scheldt online."
    ).case

    leader = browser.new_page()
    browser_logged_in(leader, school_leader)
    leader.goto(f"{live_server.url}/cases/{case.pk}/")
    leader.get_by_test_id("sanctions-panel").get_by_role("link", name="Maatregelen").click()
    expect(leader.get_by_role("heading", name=f"Maatregelen, dossier {case.number}")).to_be_visible()

    expect(leader.get_by_test_id("case-state")).to_have_text("In behandeling genomen")
    record_measure(
        leader,
        staff="Tim Visser",
        kind="Gesprek",
        reason="Gesprek over reageren in de oudergroep (B.5).",
        consulted_on="",
    )
    expect(leader.get_by_text("De maatregel is vastgelegd.")).to_be_visible()
    # A measure in effect: the case has measures decided (reports' state table), said on the page.
    expect(leader.get_by_test_id("case-state")).to_have_text("Maatregelen besloten")
    record_measure(
        leader, staff="Tim Visser", kind="Waarschuwing", reason="Officiële waarschuwing na herhaling.", consulted_on=""
    )
    expect(leader.get_by_text("De maatregel is vastgelegd.")).to_be_visible()

    # A suspension without its period is refused in Dutch; what was typed stays.
    record_measure(leader, staff="Tim Visser", kind="Schorsing", reason="Opnieuw gescholden na de waarschuwing.")
    expect(leader.get_by_text("Geef de periode van de schorsing")).to_be_visible()
    expect(leader.get_by_label("Reden")).to_have_value("Opnieuw gescholden na de waarschuwing.")
    leader.get_by_label("Van", exact=True).fill("2026-11-23")
    leader.get_by_label("Tot en met").fill("2026-11-27")
    leader.get_by_role("button", name="Maatregel vastleggen").click()
    expect(leader.get_by_text("Hij gaat pas in zodra een lid van het bestuur hem goedkeurt.")).to_be_visible()
    expect(leader.get_by_test_id("measure-status").filter(has_text="Wacht op goedkeuring bestuur")).to_have_count(1)
    suspension = Measure.objects.get(kind=MeasureKind.SUSPENSION)
    assert suspension.status == MeasureStatus.PROPOSED

    # The board member approves; from then on the suspension is in effect.
    board = browser.new_page()
    browser_logged_in(board, board_member)
    menu = board.get_by_role("navigation", name="Hoofdmenu")
    menu.get_by_role("button", name="Meldingen").click()
    menu.get_by_role("link", name="Goedkeuringen").click()
    expect(board.get_by_role("heading", name="Goedkeuren van maatregelen")).to_be_visible()
    board.get_by_role("link", name="Schorsing").click()
    expect(board.get_by_text("Opnieuw gescholden na de waarschuwing.")).to_be_visible()
    board.get_by_role("button", name="Goedkeuren").click()
    expect(board.get_by_text("U hebt de maatregel goedgekeurd; hij is nu van kracht.")).to_be_visible()
    expect(board.get_by_text("Er wachten geen maatregelen op goedkeuring.")).to_be_visible()
    suspension.refresh_from_db()
    assert suspension.status == MeasureStatus.IN_EFFECT and suspension.decided_by == board_member

    leader.reload()
    expect(leader.get_by_test_id("measure-status").filter(has_text="Van kracht")).to_have_count(3)
    leader.goto(f"{live_server.url}/cases/{case.pk}/")
    expect(leader.get_by_text("Bestuur keurt maatregel goed")).to_be_visible()
    expect(leader.get_by_test_id("case-state")).to_have_text("Maatregelen besloten")
    expect(leader.get_by_text("In behandeling genomen → Maatregelen besloten")).to_be_visible()


def test_a_leader_records_a_warning_after_consulting_the_directeur_bestuurder_and_the_timeline_and_dossier_say_so(
    live_server, browser, school, school_leader, board_member, browser_logged_in
):
    tim = UserFactory(email="tim@example.nl", first_name="Tim", last_name="Visser", roles=[("staff", school)])
    case = ReportFactory(
        school=school, category="arguing_online", involved_roles=["staff"], description="Meester Tim scheldt online."
    ).case
    leader = browser.new_page()
    browser_logged_in(leader, school_leader)
    leader.goto(f"{live_server.url}/cases/{case.pk}/measures/")

    # Toelichting: "in overleg met de directeur-bestuurder". Saying yes without a day is refused.
    record_measure(leader, staff="Tim Visser", kind="Waarschuwing", reason="Gescholden in de oudergroep.")
    expect(
        leader.get_by_text("Geef aan of de directeur-bestuurder over deze maatregel is geraadpleegd.")
    ).to_be_visible()
    consultation = leader.get_by_role("group", name="Is de directeur-bestuurder over deze maatregel geraadpleegd?")
    consultation.get_by_role("radio", name="Ja").check()
    leader.get_by_role("button", name="Maatregel vastleggen").click()
    expect(leader.get_by_text("Geef de datum van het overleg met de directeur-bestuurder.")).to_be_visible()
    expect(leader.get_by_label("Reden")).to_have_value("Gescholden in de oudergroep.")
    leader.get_by_label("Datum van het overleg").fill("2026-11-18")
    leader.get_by_role("button", name="Maatregel vastleggen").click()
    expect(leader.get_by_text("De maatregel is vastgelegd.")).to_be_visible()
    expect(leader.get_by_test_id("board-consultation")).to_have_text(
        "Directeur-bestuurder geraadpleegd op 18 november 2026"
    )
    measure = Measure.objects.get()
    assert measure.board_consulted is True and str(measure.board_consulted_on) == "2026-11-18"

    leader.goto(f"{live_server.url}/cases/{case.pk}/")
    expect(leader.get_by_text("Overleg met de directeur-bestuurder op 18 november 2026")).to_be_visible()

    # The person's dossier (persoonsdossier), as the board reads it.
    board = browser.new_page()
    browser_logged_in(board, board_member)
    board.goto(f"{live_server.url}/person-files/staff/{tim.pk}/")
    expect(board.get_by_test_id("board-consultation")).to_have_text(
        "Directeur-bestuurder geraadpleegd op 18 november 2026"
    )
    board.close()
    leader.close()
