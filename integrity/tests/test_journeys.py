"""The staff channel in a real browser: an anonymous report, the officer's acknowledgement, the follow-up."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from integrity.constants import State
from integrity.models import MisstandReport
from integrity.tests.factories import officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_staff_member_reports_anonymously_the_officer_acknowledges_and_the_reporter_reads_it(
    live_server, browser, school, teacher, board_member, browser_logged_in
):
    officer(teacher, by=board_member)
    colleague = UserFactory(email="collega@example.nl", roles=[("staff", school)])

    # A colleague, logged in, finds the channel in the menu and reports without a name.
    reporter = browser.new_page()
    browser_logged_in(reporter, colleague)
    reporter.goto(f"{live_server.url}/")
    reporter.get_by_role("navigation", name="Hoofdmenu").get_by_role("button", name="Melden").click()
    reporter.get_by_role("link", name="Vermoeden van een misstand").click()
    expect(reporter.get_by_role("heading", name="Een misstand melden")).to_be_visible()
    reporter.get_by_label("Wat wilt u melden?").fill("Er worden facturen dubbel betaald aan een bevriend bedrijf.")
    reporter.get_by_role("button", name="Melding versturen").click()
    code = reporter.get_by_test_id("receipt-code").inner_text().strip()
    report = MisstandReport.objects.get()
    assert report.is_anonymous and report.state == State.NEW

    # The officer opens it from the list and confirms receipt.
    handler = browser.new_page()
    browser_logged_in(handler, teacher)
    handler.goto(f"{live_server.url}/integrity/cases/")
    handler.get_by_role("link", name=str(report)).click()
    expect(handler.get_by_text("facturen dubbel betaald")).to_be_visible()
    handler.get_by_label("Ontvangstbevestiging aan de melder").fill("Dank u. Wij onderzoeken dit vertrouwelijk.")
    handler.get_by_role("button", name="Ontvangst bevestigen").click()
    expect(handler.get_by_test_id("misstand-state")).to_have_text("Ontvangst bevestigd")

    # The reporter follows it up with the code, reads the acknowledgement and replies.
    reporter.get_by_role("link", name="Naar mijn melding volgen").click()
    reporter.get_by_label("Uw volgcode").fill(code)
    reporter.get_by_role("button", name="Melding bekijken").click()
    expect(reporter.get_by_test_id("misstand-state")).to_have_text("Ontvangst bevestigd")
    expect(reporter.get_by_text("Dank u. Wij onderzoeken dit vertrouwelijk.")).to_be_visible()
    reporter.get_by_label("Uw bericht of aanvulling").fill("Het gaat om de facturen van maart.")
    reporter.get_by_role("button", name="Versturen").click()
    expect(reporter.get_by_text("Uw bericht is verstuurd.")).to_be_visible()
    assert [e.body for e in report.entries.filter(kind="reporter_message")] == ["Het gaat om de facturen van maart."]
    for page in (reporter, handler):
        page.context.close()
