"""Two people behind one school network, in a real browser: one floods, the other still gets through.

The flood comes from the same address as the browser (the live server sees 127.0.0.1 for both). The
check the second reporter's browser passes is the real one, at the difficulty the flood has earned.
"""

from __future__ import annotations

import re
import secrets

import pytest
from django.test import Client
from playwright.sync_api import expect

from reports.models import Report
from reports.tests.test_journeys import fill_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _flood(school, reports: int, codes: int) -> None:
    """What one pupil's script does from the school's network: junk reports and guessed codes."""
    flooder = Client(REMOTE_ADDR="127.0.0.1")
    for _ in range(reports):
        flooder.post(
            "/report/",
            {
                "school": school.pk,
                "category": "bullying",
                "platform": "whatsapp",
                "happened_on": "2026-11-20",
                "description": "onzin " + secrets.token_hex(4),
                "reporter_role": "pupil",
                "is_anonymous": "on",
                "submission_key": secrets.token_urlsafe(24),
            },
        )
    for _ in range(codes):
        flooder.post("/report/follow/", {"code": "0000-0000-0000-0000-0000"})


def test_a_flood_from_the_school_network_does_not_stop_a_second_pupil_reporting_and_following_up(
    live_server, page, school, school_leader
):
    _flood(school, reports=30, codes=30)
    flooded = Report.objects.count()
    assert flooded == 5  # the free allowance went in; the rest waits for a check the script never passes

    page.goto(f"{live_server.url}/report/")
    expect(page.get_by_role("group", name="Korte controle")).to_be_visible()
    fill_report(
        page,
        school="Sint-Jozefschool",
        category="Pesten",
        platform="Instagram",
        description="Op Instagram is een nepaccount van mij gemaakt met gemene foto's.",
        involved=["Leerling"],
        reporter_role="Leerling",
        anonymous=True,
    )
    # The browser solves the check by itself; the question is only for a browser without JavaScript.
    expect(page.get_by_label(re.compile("Hoeveel is"))).to_be_hidden()
    page.get_by_role("button", name="Melding versturen").click()
    code = page.get_by_test_id("receipt-code")
    expect(code).to_be_visible(timeout=60_000)
    receipt = code.inner_text()
    assert Report.objects.count() == flooded + 1

    page.goto(f"{live_server.url}/report/follow/")
    page.get_by_label("Uw ontvangstcode").fill(receipt)
    page.get_by_role("button", name="Melding bekijken").click()
    expect(page.get_by_test_id("case-state")).to_have_text("Ontvangen", timeout=60_000)


def test_without_javascript_the_question_opens_the_way(live_server, browser, school, school_leader):
    _flood(school, reports=8, codes=0)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/report/")
    question = page.get_by_label(re.compile("Hoeveel is"))
    expect(question).to_be_visible()
    fill_report(
        page,
        school="Sint-Jozefschool",
        category="Bedreigen",
        platform="WhatsApp",
        description="Ik word in een privébericht bedreigd door iemand van school.",
        involved=["Leerling"],
        reporter_role="Leerling",
        anonymous=True,
    )
    words = re.search(r"Hoeveel is (\w+) plus (\w+)\?", question.evaluate("e => e.labels[0].textContent")).groups()
    numbers = ["nul", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien"]
    question.fill(str(sum(numbers.index(word) for word in words)))
    page.get_by_role("button", name="Melding versturen").click()
    expect(page.get_by_test_id("receipt-code")).to_be_visible()
    context.close()
