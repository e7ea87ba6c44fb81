"""The complaints track in a real browser: a parent files, the school and the committee, the board decides."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from complaints import services
from complaints.constants import Step
from complaints.models import Complaint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_parent_files_a_complaint_and_the_board_decides_after_the_committees_advice(
    live_server, browser, school, school_leader, board_member, parent, browser_logged_in
):
    # The parent files a complaint from the menu.
    home = browser.new_page()
    browser_logged_in(home, parent)
    home.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Klachten").click()
    home.get_by_role("link", name="Een klacht indienen").click()
    home.get_by_label("Over welke school gaat het?").select_option(label=school.name)
    home.get_by_label("Onderwerp").fill("Niet ingelicht over de groepswissel")
    home.get_by_label("Uw klacht").fill("Onze zoon is zonder overleg naar een andere groep gegaan.")
    home.get_by_label("Wanneer gebeurde het?").fill((timezone.localdate() - datetime.timedelta(days=20)).isoformat())
    home.get_by_role("button", name="Klacht indienen").click()
    expect(home.get_by_text("Uw klacht is ingediend.")).to_be_visible()
    expect(home.get_by_test_id("complaint-step")).to_have_text("Ontvangen")
    complaint = Complaint.objects.get()

    # The leader talks with the parents, then it goes to the Landelijke Klachtencommissie.
    leader = browser.new_page()
    browser_logged_in(leader, school_leader)
    leader.goto(f"{live_server.url}/complaints/handle/")
    leader.get_by_role("link", name=str(complaint)).click()
    leader.get_by_label("Volgende stap").select_option(label="Bij de directie")
    leader.get_by_label("Toelichting").fill("Gesprek met de ouders gevoerd.")
    leader.get_by_role("button", name="Stap vastleggen").click()
    expect(leader.get_by_test_id("complaint-step")).to_have_text("Bij de directie")
    services.complaint_step(
        complaint=complaint,
        by=school_leader,
        to_step=Step.COMMITTEE,
        on=timezone.localdate() - datetime.timedelta(days=5),
    )

    # The board records the committee's advice (four weeks start) and its decision.
    board = browser.new_page()
    browser_logged_in(board, board_member)
    board.goto(f"{live_server.url}/complaints/{complaint.pk}/")
    advice_on = timezone.localdate() - datetime.timedelta(days=2)
    board.get_by_label("Advies van de commissie ontvangen op").fill(advice_on.isoformat())
    board.get_by_role("button", name="Advies vastleggen").click()
    due = advice_on + datetime.timedelta(days=28)
    expect(board.get_by_test_id("decision-due")).to_have_text(f"{due.day} {_month(due)} {due.year}")
    board.get_by_label("Besluit van het bestuur").fill(
        "De klacht is gegrond; de school licht ouders voortaan vooraf in."
    )
    board.get_by_role("button", name="Besluit vastleggen").click()
    expect(board.get_by_test_id("complaint-step")).to_have_text("Besluit van het bestuur")

    # The parent reads the decision.
    home.reload()
    expect(home.get_by_test_id("decision")).to_contain_text("De klacht is gegrond")
    complaint.refresh_from_db()
    assert complaint.step == Step.DECIDED and complaint.decided_on == timezone.localdate()


def _month(day: datetime.date) -> str:
    from django.utils import formats, translation

    with translation.override("nl"):
        return formats.date_format(day, "F")
