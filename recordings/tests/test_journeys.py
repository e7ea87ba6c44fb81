"""Recording permissions in a real browser: a teacher records one and the group page shows it; the
leader handling a report about recording in class sees "was there permission?" and links it."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.factories import GroupFactory
from consent.tests.factories import current_form
from policy.tests.factories import version_1
from recordings.models import CaseRecordingPermission, RecordingPermission
from reports.constants import Category
from reports.tests.factories import ReportFactory
from testing.axe import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_teacher_records_a_permission_and_the_group_page_shows_it_in_force(
    live_server, page, school, teacher, browser_logged_in
):
    version_1()
    group = GroupFactory(school=school, name="5b")
    group.teachers.add(teacher)
    browser_logged_in(page, teacher)
    page.get_by_role("button", name="Toestemming").click()  # the menu's drop-down
    page.get_by_role("link", name="Opnames in de klas").click()
    expect(page.get_by_test_id("recording-groups")).to_contain_text("0 toestemmingen van kracht")
    page.get_by_role("link", name="Sint-Jozefschool — Groep 5b").click()
    expect(page.get_by_test_id("permissions-in-force")).to_contain_text("Er is nu geen toestemming van kracht")

    today = timezone.localdate()
    page.get_by_label("Wat mag worden opgenomen").select_option(label="Film (beeld en geluid)")
    page.get_by_label("Les").fill("Spreekbeurten van donderdag")
    page.get_by_label("Door wie").fill("De leerkracht")
    page.get_by_label("Doel").fill("Terugkijken in de klas; niet delen")
    page.get_by_label("Vanaf").fill(today.isoformat())
    # The end before the start: refused in Dutch, what was typed stays.
    page.get_by_label("Tot en met").fill((today - datetime.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Toestemming vastleggen").click()
    expect(page.get_by_text("De einddatum ligt vóór de begindatum.")).to_be_visible()
    expect(page.get_by_label("Doel")).to_have_value("Terugkijken in de klas; niet delen")
    page.get_by_label("Tot en met").fill((today + datetime.timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Toestemming vastleggen").click()

    expect(page.get_by_text("De toestemming is vastgelegd.")).to_be_visible()
    in_force = page.get_by_test_id("permissions-in-force")
    expect(in_force).to_contain_text("Film (beeld en geluid) — Spreekbeurten van donderdag")
    expect(in_force).to_contain_text("Terugkijken in de klas; niet delen")
    expect(in_force).to_contain_text(f"Gegeven door {teacher}")
    assert RecordingPermission.objects.get().granted_by == teacher
    page.get_by_role("link", name="Terug naar mijn groepen").click()
    expect(page.get_by_test_id("recording-groups")).to_contain_text("1 toestemming van kracht")


def test_a_report_about_recording_in_class_shows_the_leader_whether_there_was_permission(
    live_server, page, school, teacher, school_leader, browser_logged_in
):
    version_1()
    group = GroupFactory(school=school, name="7a")
    day = timezone.localdate() - datetime.timedelta(days=2)
    permission = RecordingPermission.objects.create(
        group=group,
        kind="video",
        recorded_by="Leerlingen van de groep",
        purpose="Filmpje over het schoolproject",
        valid_from=day,
        valid_until=day,
        granted_by=teacher,
    )
    case = ReportFactory(school=school, category=Category.RECORDING_LESSONS, happened_on=day).case
    unrelated = ReportFactory(school=school, category=Category.BULLYING).case

    browser_logged_in(page, school_leader)
    page.goto(f"{live_server.url}/cases/{unrelated.pk}/")
    expect(page.get_by_test_id("case-state")).to_be_visible()
    expect(page.get_by_test_id("recordings-panel")).to_have_count(0)  # only a report about recording asks

    page.goto(f"{live_server.url}/cases/{case.pk}/")
    panel = page.get_by_test_id("recordings-panel")
    expect(panel.get_by_role("heading", name="Was er toestemming om op te nemen?")).to_be_visible()
    expect(panel).to_contain_text("Groep 7a")
    expect(panel).to_contain_text("Filmpje over het schoolproject")
    panel.get_by_role("button", name="Koppel de toestemming van Groep 7a").click()

    expect(page.get_by_text("De toestemming is aan het dossier gekoppeld.")).to_be_visible()
    panel = page.get_by_test_id("recordings-panel")
    expect(panel.get_by_test_id("recordings-answer").first).to_have_text("Ja: gekoppeld aan dit dossier")
    expect(page.get_by_text("Opnametoestemming gekoppeld").first).to_be_visible()  # on the timeline
    assert CaseRecordingPermission.objects.get().permission == permission


def test_without_a_permission_on_that_day_the_answer_is_no(live_server, page, school, school_leader, browser_logged_in):
    version_1()
    case = ReportFactory(school=school, category=Category.RECORDING_LESSONS).case
    browser_logged_in(page, school_leader)
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    expect(page.get_by_test_id("recordings-answer")).to_contain_text("Nee: voor die dag is geen toestemming vastgelegd")


def test_a_teacher_withdraws_a_permission_early_from_the_groups_consent_page(
    live_server, page, school, teacher, browser_logged_in
):
    version_1()
    current_form()
    group = GroupFactory(school=school, name="5b")
    group.teachers.add(teacher)
    today = timezone.localdate()
    RecordingPermission.objects.create(
        group=group,
        kind="video",
        lesson="Spreekbeurten",
        recorded_by="De leerkracht",
        purpose="Terugkijken in de klas",
        valid_from=today,
        valid_until=today + datetime.timedelta(days=7),
        granted_by=teacher,
    )
    # From the group's consent overview (who may not be on a picture) to its recording permissions.
    browser_logged_in(page, teacher)
    page.goto(f"{live_server.url}/consent/groups/{group.pk}/")
    page.get_by_role("link", name="Opnametoestemmingen").click()
    expect(page.get_by_test_id("permissions-in-force")).to_contain_text("Spreekbeurten")
    page.get_by_role("link", name="Intrekken Film (beeld en geluid), Spreekbeurten").click()
    assert axe_violations(page) == []
    # Without a reason: refused in Dutch.
    page.get_by_role("button", name="Toestemming intrekken").click()
    expect(page.get_by_text("Vul in waarom u de toestemming intrekt.")).to_be_visible()
    page.get_by_label("Reden van intrekken").fill("De ouders hebben bezwaar; we filmen niet.")
    page.get_by_role("button", name="Toestemming intrekken").click()

    expect(page.get_by_text("De toestemming is ingetrokken.")).to_be_visible()
    expect(page.get_by_test_id("permissions-in-force")).to_contain_text("Er is nu geen toestemming van kracht")
    withdrawn = page.get_by_test_id("permissions-withdrawn")
    expect(withdrawn).to_contain_text("Ingetrokken op")
    expect(withdrawn).to_contain_text("De ouders hebben bezwaar; we filmen niet.")
    assert axe_violations(page) == []
    permission = RecordingPermission.objects.get()
    assert permission.withdrawn_by == teacher and not permission.covers(today + datetime.timedelta(days=1))
