"""In a real browser: a leader records a conversation, someone edits it in SQL past the portal, and the
leader, opening the case again, reads a plain warning naming the changed line."""

from __future__ import annotations

import pytest
from django.db import connection
from playwright.sync_api import expect

from reports.constants import TimelineKind
from reports.models import TimelineEntry
from reports.tests.factories import ReportFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_leader_sees_that_a_timeline_line_was_edited_outside_the_portal(
    live_server, page, school, school_leader, browser_logged_in
):
    case = ReportFactory(school=school).case
    browser_logged_in(page, school_leader)
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.get_by_label("Soort").select_option(label="Gesprek gevoerd")
    page.get_by_label("Met wie (bij een gesprek)").fill("Mentor van groep 8")
    page.get_by_label("Samenvatting").fill("De mentor spreekt de klas morgen aan.")
    page.get_by_role("button", name="Vastleggen").click()
    expect(page.get_by_test_id("history-check")).to_contain_text("niets buiten het portaal gewijzigd of verwijderd")

    entry = TimelineEntry.objects.get(case=case, kind=TimelineKind.CONVERSATION)
    with connection.cursor() as cursor:  # a database administrator, past the portal
        cursor.execute("UPDATE reports_timelineentry SET summary = %s WHERE id = %s", ["Niets aan de hand.", entry.pk])

    page.goto(f"{live_server.url}/cases/{case.pk}/")
    warning = page.get_by_role("alert").filter(has_text="buiten het portaal veranderd")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text(f"Dossierregel nummer {entry.pk}")
    expect(warning).to_contain_text("is buiten het portaal gewijzigd")
