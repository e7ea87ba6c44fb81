"""The case file in a real browser: a leader takes a new anonymous report in hand.

The measure, the warning and the board's approval are the sanctions app's part of this journey.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from reports.constants import CaseState, TimelineKind
from reports.models import Case, TimelineEntry
from reports.tests.factories import ReportFactory

from .test_journeys import fill_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_leader_acknowledges_records_a_conversation_replies_and_the_reporter_reads_it(
    live_server, browser, school, school_leader, browser_logged_in
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
    browser_logged_in(leader, school_leader)
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

    # The leader writes to the anonymous reporter: a question, which the form sends as one by default.
    expect(leader.get_by_label("Een vraag of ander bericht")).to_be_checked()
    leader.get_by_label("Bericht aan de melder").fill("Dank je. Sinds wanneer gebeurt dit?")
    leader.get_by_role("button", name="Bericht versturen").click()
    expect(leader.get_by_text("Uw bericht aan de melder is verstuurd.")).to_be_visible()
    expect(leader.get_by_test_id("case-feedback")).to_contain_text("nog niet")  # a question is not feedback

    # Then the feedback: what was done with the report.
    leader.get_by_label("Bericht aan de melder").fill("De mentor heeft met de klas gepraat; de berichten zijn weg.")
    leader.get_by_label("Terugkoppeling: wat er met uw melding is gedaan").check()
    leader.get_by_role("button", name="Bericht versturen").click()
    expect(leader.get_by_text("Uw terugkoppeling aan de melder is verstuurd.")).to_be_visible()
    expect(leader.get_by_test_id("case-feedback")).not_to_contain_text("nog niet")
    expect(leader.get_by_test_id("timeline-feedback")).to_have_text("Terugkoppeling aan de melder")

    # The pupil reads both with the receipt code; the feedback is marked as such.
    later = browser.new_page()
    later.goto(f"{live_server.url}/report/follow/")
    later.get_by_label("Uw ontvangstcode").fill(code)
    later.get_by_role("button", name="Melding bekijken").click()
    expect(later.get_by_text("Sinds wanneer gebeurt dit?")).to_be_visible()
    feedback = later.get_by_role("listitem").filter(has_text="De mentor heeft met de klas gepraat")
    expect(feedback.get_by_test_id("feedback-badge")).to_have_text("Terugkoppeling")
    expect(later.get_by_test_id("feedback-badge")).to_have_count(1)
    expect(later.get_by_test_id("case-state")).to_have_text("In behandeling")  # not how: "Onderzoek"

    kinds = list(TimelineEntry.objects.filter(case=case).values_list("kind", flat=True))
    for kind in (TimelineKind.VIEW, TimelineKind.STATUS_CHANGE, TimelineKind.CONVERSATION, TimelineKind.MESSAGE):
        assert kind in kinds
    case.refresh_from_db()
    assert case.state == CaseState.INVESTIGATING and case.feedback_given_at is not None


def test_a_teacher_names_the_director_without_the_tick_and_the_board_gets_the_case_not_she(
    live_server, browser, school, board_member, browser_logged_in
):
    director = UserFactory(
        first_name="Anna",
        last_name="de Vries",
        email="a.devries@skow.nl",
        roles=[("school_leader", school), ("staff", school)],
    )
    teacher = browser.new_page()
    teacher.goto(f"{live_server.url}/report/")
    fill_report(
        teacher,
        school="Sint-Jozefschool",
        category="Anderszins beschadigen",
        platform="Facebook",
        description="Anna de Vries maakte in een Facebookgroep van ouders een collega belachelijk.",
        involved=["Medewerker"],
        reporter_role="Medewerker",
        anonymous=True,
    )
    expect(teacher.get_by_label("De melding gaat over de schoolleiding (directie) van deze school")).not_to_be_checked()
    teacher.get_by_role("button", name="Melding versturen").click()
    expect(teacher.get_by_test_id("receipt-code")).to_be_visible()
    case = Case.objects.get()

    # The director does not find it, not in the list and not by its address.
    her = browser.new_page()
    browser_logged_in(her, director)
    her.goto(f"{live_server.url}/cases/")
    expect(her.get_by_role("heading", name="Meldingen")).to_be_visible()
    expect(her.get_by_test_id("case-row")).to_have_count(0)
    assert her.goto(f"{live_server.url}/cases/{case.pk}/").status == 404

    # The board does, marked as about the leadership, with the reason on the timeline.
    board = browser.new_page()
    browser_logged_in(board, board_member)
    board.goto(f"{live_server.url}/cases/")
    row = board.get_by_test_id("case-row").filter(has_text=case.number)
    expect(row).to_contain_text("over schoolleiding")
    row.get_by_role("link", name=case.number).click()
    expect(board.get_by_test_id("timeline-subject_named")).to_contain_text("Anna de Vries")
    expect(board.get_by_test_id("timeline-subject_named")).to_contain_text("naam herkend in de melding")


def test_a_leader_opens_a_case_says_it_is_about_her_and_loses_access(
    live_server, browser, school, school_leader, board_member, browser_logged_in
):
    case = ReportFactory(school=school, description="Een ouder klaagt over een bericht in de ouderapp.").case

    # On first opening the page asks whether the case is about her; she says it is, and confirms.
    leader = browser.new_page()
    browser_logged_in(leader, school_leader)
    leader.goto(f"{live_server.url}/cases/")
    leader.get_by_role("link", name=case.number).click()
    prompt = leader.get_by_test_id("about-me-prompt")
    expect(prompt.get_by_role("heading", name="Gaat deze melding over u?")).to_be_visible()
    prompt.get_by_role("link", name="Deze melding gaat over mij").click()
    expect(leader.get_by_role("heading", name="Deze melding gaat over mij")).to_be_visible()
    expect(leader.get_by_text("behandelt het bestuur het dossier, niet de schoolleiding;")).to_be_visible()
    leader.get_by_role("button", name="Ja, deze melding gaat over mij").click()

    # At once: back on the list, without the case, and its page is gone for her.
    expect(leader.get_by_text(f"Dossier {case.number} is aan het bestuur overgedragen.")).to_be_visible()
    expect(leader.get_by_test_id("case-row")).to_have_count(0)
    assert leader.goto(f"{live_server.url}/cases/{case.pk}/").status == 404

    # The board is told in its inbox, without content, and finds her declaration on the timeline.
    board = browser.new_page()
    browser_logged_in(board, board_member)
    board.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Berichten").click()
    expect(board.get_by_text(f"Dossier {case.number} is aan het bestuur overgedragen")).to_be_visible()
    expect(board.get_by_text("ouderapp")).to_have_count(0)
    board.get_by_role("button", name="Openen").first.click()
    declared = board.get_by_test_id("timeline-subject_declared")
    expect(declared).to_contain_text("Gaat over de behandelaar: zelf aangegeven")
    expect(declared).to_contain_text(str(school_leader))
    expect(board.get_by_test_id("case-handler")).to_have_text("—")
