"""The case file in a real browser: a leader takes a new anonymous report in hand (issue 6).

The measure, the warning and the board's approval are the sanctions app's part of this journey.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from consent.tests.test_journeys import log_in_with_password
from reports.constants import CaseState, TimelineKind
from reports.models import Case, TimelineEntry

from .test_journeys import fill_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_leader_acknowledges_records_a_conversation_replies_and_the_reporter_reads_it(
    live_server, browser, school, school_leader
):
    # An anonymous pupil reports.
    pupil = browser.new_page()
    pupil.goto(f"{live_server.url}/report/")
    fill_report(
        pupil,
        school="Sint-Jozefschool",
        category="Pesten",
        platform="WhatsApp",
        description="In de klassenapp sturen ze steeds nare berichten over mij.",
        involved=["Leerling"],
        reporter_role="Leerling",
        anonymous=True,
    )
    pupil.get_by_role("button", name="Melding versturen").click()
    code = pupil.get_by_test_id("receipt-code").inner_text().strip()
    case = Case.objects.get()
    assert case.state == CaseState.NEW

    # The leader finds it in the case list, new and with nobody handling it, and opens it.
    leader = browser.new_page()
    log_in_with_password(leader, live_server, school_leader)
    leader.goto(f"{live_server.url}/cases/?handler=none&state=new")
    leader.get_by_role("link", name=case.number).click()
    expect(leader.get_by_test_id("case-state")).to_have_text("In behandeling genomen")
    expect(leader.get_by_test_id("case-handler")).to_contain_text(str(school_leader))
    case.refresh_from_db()
    assert case.acknowledged_by == school_leader and case.acknowledged_at is not None

    # The leader starts the investigation and records a conversation held.
    leader.get_by_label("Nieuwe status").select_option(label="Onderzoek")
    leader.get_by_role("button", name="Status wijzigen").click()
    expect(leader.get_by_text("De status is gewijzigd.")).to_be_visible()
    leader.get_by_label("Soort").select_option(label="Gesprek gevoerd")
    leader.get_by_label("Met wie (bij een gesprek)").fill("Mentor van groep 8")
    leader.get_by_label("Samenvatting").fill("De mentor kent de groepsapp en spreekt de klas morgen aan.")
    leader.get_by_role("button", name="Vastleggen").click()
    expect(leader.get_by_text("Gesprek met Mentor van groep 8")).to_be_visible()

    # The leader writes to the anonymous reporter.
    leader.get_by_label("Bericht aan de melder").fill(
        "Dank je. De mentor praat morgen met de klas. Laat je weten hoe het gaat?"
    )
    leader.get_by_role("button", name="Bericht versturen").click()
    expect(leader.get_by_text("Uw bericht aan de melder is verstuurd.")).to_be_visible()

    # The pupil reads the reply with the receipt code.
    later = browser.new_page()
    later.goto(f"{live_server.url}/report/follow/")
    later.get_by_label("Uw ontvangstcode").fill(code)
    later.get_by_role("button", name="Melding bekijken").click()
    expect(later.get_by_text("De mentor praat morgen met de klas.")).to_be_visible()
    expect(later.get_by_test_id("case-state")).to_have_text("In behandeling")  # not how: "Onderzoek"

    kinds = list(TimelineEntry.objects.filter(case=case).values_list("kind", flat=True))
    for kind in (TimelineKind.VIEW, TimelineKind.STATUS_CHANGE, TimelineKind.CONVERSATION, TimelineKind.MESSAGE):
        assert kind in kinds
    case.refresh_from_db()
    assert case.state == CaseState.INVESTIGATING and case.feedback_given_at is not None
