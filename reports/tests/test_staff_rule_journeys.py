"""The staff rules B.2 and C.1–C.4 are categories of their own: a reporter picks one by its article,
the case file and the board's statistics name it with that article."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from reports.constants import Category
from reports.models import Report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

C2 = "Medewerker draagt standpunten of overtuigingen uit in strijd met de missie en visie van de SKOW (C.2)"


def test_a_parent_reports_a_teacher_under_c2_and_the_board_sees_the_article(
    live_server, page, school, school_leader, board_member, parent, browser_logged_in
):
    browser_logged_in(page, parent)
    page.goto(f"{live_server.url}/report/")
    category = page.get_by_label("Wat is er gebeurd?")
    rules = category.locator("optgroup[label='Regels van het protocol overtreden'] option")
    for article in ("(B.2)", "(C.1)", "(C.2)", "(C.3)", "(C.4)"):
        expect(rules.filter(has_text=article)).to_have_count(1)
    category.select_option(label=C2)
    expect(category.locator("option:checked")).to_have_text(C2)
    expect(page.get_by_text("Bij een regel van het protocol staat het artikel")).to_be_visible()
    page.get_by_label("Over welke school gaat het?").select_option(label="Sint-Jozefschool")
    page.get_by_label("Waar gebeurde het?").select_option(label="Facebook")
    page.get_by_label("Wanneer gebeurde het?").fill("2026-11-20")
    page.get_by_label("Beschrijf wat er is gebeurd").fill(
        "Een leerkracht deelt op zijn openbare profiel berichten tegen de school."
    )
    page.get_by_role("group", name="Ik ben").get_by_label("Ouder/verzorger", exact=True).check()
    page.get_by_role("button", name="Melding versturen").click()
    expect(page.get_by_role("heading", name="Dank u wel voor uw melding")).to_be_visible()
    report = Report.objects.get()
    assert report.category == Category.OFF_DUTY_CONTRARY_VIEWS
    # Only staff can break C.2: the board is told too, and the case page names the article.
    assert report.concerns_staff

    board = page.context.browser.new_page()
    browser_logged_in(board, board_member)
    board.goto(f"{live_server.url}/cases/{report.case.pk}/")
    expect(board.get_by_role("heading", name=f"Melding: {C2}")).to_be_visible()
    board.goto(f"{live_server.url}/cases/statistics/")
    expect(board.get_by_text(C2)).to_be_visible()
    board.close()
