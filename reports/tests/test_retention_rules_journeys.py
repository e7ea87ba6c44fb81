"""The board sets a retention term in the browser, is refused one under the legal minimum, and reads
next month's forecast and the deletion log."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.factories import PupilFactory
from reports.constants import CaseState, ClosingReason, SubjectKind
from reports.models import Case, CasePerson
from reports.tests.factories import ReportFactory
from retention.models import RetentionRule
from retention.services import retention_purge
from testing.axe import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _closed_case_about_a_pupil_who_left(school, by, *, days_ago: int) -> Case:
    pupil = PupilFactory(school=school, left_on=timezone.localdate() - datetime.timedelta(days=days_ago))
    report = ReportFactory(school=school, description="Beschrijving die niet op de pagina hoort.")
    CasePerson.objects.create(case=report.case, subject_kind=SubjectKind.PUPIL, pupil=pupil, added_by=by)
    Case.objects.filter(pk=report.case_id).update(
        state=CaseState.CLOSED,
        closed_at=timezone.now() - datetime.timedelta(days=days_ago),
        closing_reason=ClosingReason.HANDLED,
    )
    return Case.objects.get(pk=report.case_id)


def test_the_board_sets_a_term_sees_the_forecast_and_is_refused_one_under_the_legal_minimum(
    live_server, page, school, school_leader, board_member, browser_logged_in
):
    _closed_case_about_a_pupil_who_left(school, school_leader, days_ago=3 * 365)
    retention_purge()  # last night's run: one case went, and its pupil; the log says so
    _closed_case_about_a_pupil_who_left(school, school_leader, days_ago=2 * 365 - 10)  # goes in ten days
    _closed_case_about_a_pupil_who_left(school, school_leader, days_ago=500)  # goes in 230 days

    browser_logged_in(page, board_member)
    page.get_by_role("button", name="Beheer").click()
    page.get_by_role("link", name="Bewaartermijnen").click()
    expect(page.get_by_role("heading", name="Bewaartermijnen", level=1)).to_be_visible()
    pupil_cases = page.locator('[data-testid="retention-rule"][data-kind="case_pupil"]')
    expect(pupil_cases).to_contain_text("Kennisnet bewaartermijnenoverzicht (PO-Raad)")
    expect(pupil_cases.get_by_test_id("retention-days")).to_contain_text("730 dagen na vertrek van de leerling")
    expect(pupil_cases.get_by_test_id("retention-minimum")).to_have_text("365 dagen")
    expect(pupil_cases.get_by_test_id("retention-forecast")).to_have_text("1")
    # The staff channel's reports and the complaints have their terms and legal sources too.
    for kind, source, starts in (
        ("misstand_report", "Wet bescherming klokkenluiders", "730 dagen na het afsluiten van de melding"),
        ("complaint", "Klachtenregeling (WPO art. 14)", "730 dagen na het besluit van het bestuur"),
    ):
        row = page.locator(f'[data-testid="retention-rule"][data-kind="{kind}"]')
        expect(row).to_contain_text(source)
        expect(row.get_by_test_id("retention-days")).to_contain_text(starts)
        expect(row.get_by_test_id("retention-minimum")).to_have_text("365 dagen")
    # The case was anonymised; then nothing named its pupil any more, so the pupil went too.
    log = page.get_by_test_id("deletion-log")
    expect(log.get_by_test_id("deletion-log-row")).to_have_count(2)
    expect(log).to_contain_text("Dossiers over een leerling")
    expect(log).to_contain_text("Leerlinggegevens")
    expect(page.get_by_text("Beschrijving die niet op de pagina hoort.")).to_have_count(0)
    assert axe_violations(page) == []

    # Under the legal minimum: refused in Dutch, the typed number stays, nothing changes.
    field = pupil_cases.get_by_label("Bewaartermijn in dagen")
    field.fill("200")
    pupil_cases.get_by_role("button", name="Termijn vaststellen").click()
    pupil_cases = page.locator('[data-testid="retention-rule"][data-kind="case_pupil"]')
    expect(pupil_cases.get_by_test_id("retention-error")).to_have_text(
        "Een bewaartermijn van 200 dagen is korter dan de wet toestaat: minimaal 365 dagen."
    )
    expect(pupil_cases.get_by_label("Bewaartermijn in dagen")).to_have_value("200")
    assert not RetentionRule.objects.exists()
    page.set_viewport_size({"width": 390, "height": 900})
    assert axe_violations(page) == []

    # The legal minimum: a year after leaving; the case that left 500 days ago now goes next month too.
    pupil_cases.get_by_label("Bewaartermijn in dagen").fill("365")
    pupil_cases.get_by_role("button", name="Termijn vaststellen").click()
    expect(page.get_by_text("De bewaartermijn is vastgesteld.")).to_be_visible()
    pupil_cases = page.locator('[data-testid="retention-rule"][data-kind="case_pupil"]')
    expect(pupil_cases.get_by_test_id("retention-days")).to_contain_text("365 dagen na vertrek van de leerling")
    expect(pupil_cases.get_by_test_id("retention-days")).to_contain_text("vastgesteld door")
    expect(pupil_cases.get_by_test_id("retention-forecast")).to_have_text("2")
    assert RetentionRule.objects.get().days == 365
