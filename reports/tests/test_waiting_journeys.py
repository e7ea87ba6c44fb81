"""A leader asks the reporter something and the case waits for the answer, in one step."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from reports.constants import CaseState, TimelineKind
from reports.models import Case
from reports.tests.factories import ReportFactory
from testing.axe import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_leader_asks_the_reporter_the_case_waits_and_the_answer_brings_it_back(
    live_server, browser, school, school_leader, browser_logged_in
):
    report = ReportFactory(school=school, anonymous=True, code="ABCD-EFGH-JKMN-PQRS-TVWX")
    case = report.case

    # Opening the new case takes it in hand ("In behandeling genomen"); the leader asks right away.
    leader = browser.new_page()
    browser_logged_in(leader, school_leader)
    leader.goto(f"{live_server.url}/cases/{case.pk}/")
    expect(leader.get_by_test_id("case-state")).to_have_text("In behandeling genomen")
    expect(leader.get_by_label("Nieuwe status").locator("option", has_text="Wacht op de melder")).to_have_count(1)
    leader.get_by_label("Bericht aan de melder").fill("Dank je. In welke groep zit je?")
    leader.get_by_label("Ik wacht op antwoord: zet het dossier op “Wacht op de melder”").check()
    leader.get_by_role("button", name="Bericht versturen").click()
    expect(
        leader.get_by_text("Uw bericht aan de melder is verstuurd. Het dossier wacht nu op de melder.")
    ).to_be_visible()
    expect(leader.get_by_test_id("case-state")).to_have_text("Wacht op de melder")
    expect(leader.get_by_test_id("case-feedback")).to_contain_text("nog niet")  # the question is no feedback
    # Waiting already: the box is no longer offered.
    expect(leader.get_by_label("Ik wacht op antwoord", exact=False)).to_have_count(0)
    assert axe_violations(leader) == []
    case.refresh_from_db()
    assert case.state == CaseState.WAITING_FOR_REPORTER
    moves = [(e.data["from"], e.data["to"]) for e in case.timeline.filter(kind=TimelineKind.STATUS_CHANGE)]
    assert moves == [(CaseState.NEW, CaseState.ACKNOWLEDGED), (CaseState.ACKNOWLEDGED, CaseState.WAITING_FOR_REPORTER)]

    # The pupil sees the question and that the school waits for an answer, and answers.
    pupil = browser.new_page(viewport={"width": 390, "height": 844})
    pupil.goto(f"{live_server.url}/report/follow/")
    pupil.get_by_label("Uw ontvangstcode").fill("ABCD-EFGH-JKMN-PQRS-TVWX")
    pupil.get_by_role("button", name="Melding bekijken").click()
    expect(pupil.get_by_test_id("case-state")).to_have_text("Wacht op uw reactie")
    expect(pupil.get_by_text("In welke groep zit je?")).to_be_visible()
    pupil.get_by_label("Uw bericht of aanvulling").fill("Groep 7b.")
    pupil.get_by_role("button", name="Versturen").click()
    expect(pupil.get_by_text("Uw bericht is verstuurd.")).to_be_visible()
    expect(pupil.get_by_test_id("case-state")).to_have_text("In behandeling")

    # The leader finds the case back under investigation, with the answer.
    leader.reload()
    expect(leader.get_by_test_id("case-state")).to_have_text("Onderzoek")
    expect(leader.get_by_text("Groep 7b.")).to_be_visible()
    assert Case.objects.get().state == CaseState.INVESTIGATING


def test_the_box_is_offered_from_investigating_and_not_once_measures_are_decided(
    live_server, page, school, school_leader, browser_logged_in
):
    investigating = ReportFactory(school=school).case
    Case.objects.filter(pk=investigating.pk).update(state=CaseState.INVESTIGATING)
    decided = ReportFactory(school=school).case
    Case.objects.filter(pk=decided.pk).update(state=CaseState.MEASURES_DECIDED)
    browser_logged_in(page, school_leader)
    page.goto(f"{live_server.url}/cases/{investigating.pk}/")
    page.get_by_label("Bericht aan de melder").fill("Wie waren er nog meer bij?")
    page.get_by_label("Ik wacht op antwoord", exact=False).check()
    page.get_by_role("button", name="Bericht versturen").click()
    expect(page.get_by_test_id("case-state")).to_have_text("Wacht op de melder")
    page.goto(f"{live_server.url}/cases/{decided.pk}/")
    expect(page.get_by_label("Bericht aan de melder")).to_be_visible()
    expect(page.get_by_label("Ik wacht op antwoord", exact=False)).to_have_count(0)
