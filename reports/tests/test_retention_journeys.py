"""The board reads the retention dry run in the portal and puts a case on legal hold from it."""

from __future__ import annotations

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import expect

from reports.constants import CaseState, ClosingReason
from reports.models import Case
from reports.tests.factories import ReportFactory
from testing.axe import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _closed(school, *, days_ago: int) -> Case:
    report = ReportFactory(school=school, description="Beschrijving die niet op de pagina hoort.")
    Case.objects.filter(pk=report.case_id).update(
        state=CaseState.CLOSED,
        closed_at=timezone.now() - datetime.timedelta(days=days_ago),
        closing_reason=ClosingReason.HANDLED,
    )
    return Case.objects.get(pk=report.case_id)


@override_settings(CASE_RETENTION_DAYS=730)
def test_the_board_sees_what_will_be_anonymised_and_keeps_a_case_by_legal_hold(
    live_server, page, school, board_member, browser_logged_in
):
    due = _closed(school, days_ago=800)
    later = _closed(school, days_ago=100)
    browser_logged_in(page, board_member)
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    menu.get_by_role("button", name="Meldingen").click()
    menu.get_by_role("link", name="Bewaartermijn").click()
    expect(page.get_by_role("heading", name="Bewaartermijn van dossiers", level=1)).to_be_visible()
    expect(page.get_by_test_id("retention-due")).to_contain_text("Bij de volgende dagelijkse ronde: 1 dossier.")
    rows = page.get_by_test_id("retention-row")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text(due.number)
    expect(rows.nth(0)).to_contain_text("bij de volgende ronde")
    anonymise_from = (later.closed_at + datetime.timedelta(days=730)).date()
    expect(rows.nth(1)).to_contain_text(f"{anonymise_from.day} ")
    expect(rows.nth(1)).to_contain_text(str(anonymise_from.year))
    expect(page.get_by_text("Er staat geen dossier onder bewaarplicht.")).to_be_visible()
    expect(page.get_by_text("Beschrijving die niet op de pagina hoort.")).to_have_count(0)
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert axe_violations(page) == [], width

    # The police asked to keep the file: the board opens it, sets the hold, and comes back.
    page.set_viewport_size({"width": 1280, "height": 900})
    rows.nth(0).get_by_role("link", name=due.number).click()
    page.get_by_role("button", name="Bewaarplicht instellen").click()
    expect(page.get_by_text("De bewaarplicht is bijgewerkt.")).to_be_visible()
    page.goto(f"{live_server.url}/cases/retention/")
    expect(page.get_by_test_id("retention-due")).to_contain_text("Bij de volgende dagelijkse ronde: 0 dossiers.")
    expect(page.get_by_test_id("retention-row")).to_have_count(1)
    held = page.get_by_test_id("hold-row")
    expect(held).to_have_count(1)
    expect(held).to_contain_text(due.number)
    expect(held).to_contain_text(str(timezone.localdate().year))
