"""The yearly overview, the evaluatie and the ernstig-incident task in a real browser."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from policy.tests.factories import version_1
from reports.tests.factories import ReportFactory
from sanctions.constants import InspectieDecision
from sanctions.models import SafetyEvaluation, SeriousIncident
from sanctions.overview import school_year_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_menu(page, group: str, link: str) -> None:
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    menu.get_by_role("button", name=group).click()
    menu.get_by_role("link", name=link).click()


def test_a_leader_downloads_the_own_schools_overview_and_records_the_evaluatie(
    live_server, browser, school, other_school, school_leader, browser_logged_in
):
    version_1()
    year = school_year_of(timezone.localdate())
    for _n in range(3):
        ReportFactory(school=school, category="bullying", description="Jan de Vries wordt gepest in de app.")
    for _n in range(6):
        ReportFactory(school=school, category="threats", description="Bedreiging van Jan de Vries.")

    page = browser.new_page()
    browser_logged_in(page, school_leader)
    page.goto(live_server.url + "/")
    open_menu(page, "Meldingen", "Jaaroverzicht")
    expect(page.get_by_role("heading", name="Jaaroverzicht incidenten")).to_be_visible()
    expect(page.get_by_role("link", name=other_school.name)).to_have_count(0)  # only the own school
    expect(page.get_by_role("link", name="Alle scholen (bestuur)")).to_have_count(0)
    page.get_by_role("link", name=school.name, exact=True).click()
    label = f"{year}-{year + 1}"
    expect(page.get_by_role("heading", name=f"Jaaroverzicht {label}, {school.name}")).to_be_visible()
    categories = page.get_by_test_id("overview-category")
    expect(categories.get_by_role("row", name="Pesten")).to_contain_text("<5")
    expect(categories.get_by_role("row", name="Bedreigen")).to_contain_text("*")
    expect(page.get_by_text("Jan de Vries")).to_have_count(0)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download als PDF").click()
    download = download_info.value
    assert download.suggested_filename == f"jaaroverzicht-{label}-sint-jozefschool.pdf"
    with open(download.path(), "rb") as pdf:
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.read())).pages)
    assert "Meldingen per categorie" in text and "<5" in text and "Jan de Vries" not in text
    assert "Voor dit schooljaar is nog geen evaluatie vastgelegd." in text

    page.get_by_role("link", name="Evaluatie vastleggen").click()
    page.get_by_label("Instrument van de monitor").fill("Vensters Veiligheidsmonitor")
    page.get_by_label("Datum van de monitor").fill("2099-01-01")
    page.get_by_label("Conclusies").fill("Leerlingen voelen zich veilig; online pesten neemt toe in groep 8.")
    page.get_by_role("button", name="Evaluatie vastleggen").click()
    # A date in the future is refused in Dutch; what was typed stays.
    expect(page.get_by_text("Deze datum ligt in de toekomst.")).to_be_visible()
    expect(page.get_by_label("Conclusies")).to_have_value(
        "Leerlingen voelen zich veilig; online pesten neemt toe in groep 8."
    )
    page.get_by_label("Datum van de monitor").fill(timezone.localdate().isoformat())
    page.get_by_label("De resultaten zijn aangeleverd").check()
    page.get_by_label("Genomen maatregelen").fill("Lessen mediawijsheid in groep 7 en 8.")
    page.get_by_label("Protocolversie die het bestuur daarop vaststelde").select_option(label="Versie 1")
    page.get_by_role("button", name="Evaluatie vastleggen").click()
    expect(page.get_by_text("De evaluatie is vastgelegd.")).to_be_visible()
    evaluation = page.get_by_test_id("overview-evaluation")
    expect(evaluation).to_contain_text("Vensters Veiligheidsmonitor")
    expect(evaluation).to_contain_text("Lessen mediawijsheid in groep 7 en 8.")
    expect(evaluation.get_by_role("link", name="versie 1")).to_be_visible()
    saved = SafetyEvaluation.objects.get()
    assert (saved.school, saved.school_year, saved.monitor_delivered) == (school, year, True)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download als CSV").click()
    with open(download_info.value.path(), encoding="utf-8-sig") as csv_file:
        csv_text = csv_file.read()
    assert "Vensters Veiligheidsmonitor" in csv_text and "Jan de Vries" not in csv_text


def test_the_board_sees_and_decides_the_task_for_an_ernstig_incident(
    live_server, browser, settings, school, school_leader, board_member, browser_logged_in
):
    settings.SERIOUS_INCIDENT_TASKS = True
    version_1()
    case = ReportFactory(
        school=school,
        category="threats",
        involved_roles=["pupil", "outsider"],
        description="Noor werd bij de bushalte met een mes bedreigd door een oud-leerling.",
    ).case

    leader = browser.new_page()
    browser_logged_in(leader, school_leader)
    leader.goto(f"{live_server.url}/cases/{case.pk}/")
    leader.get_by_test_id("sanctions-panel").get_by_role("link", name="Escalaties").click()
    leader.get_by_role("link", name="Markeren als ernstig incident").click()
    leader.get_by_role("button", name="Markeren").click()
    expect(leader.get_by_text("Kies wat dit incident ernstig maakt.")).to_be_visible()
    leader.get_by_label("Strafbaar feit").check()
    leader.get_by_label("Ernstige bedreiging").check()
    leader.get_by_role("button", name="Markeren").click()
    expect(leader.get_by_text("Het dossier is gemarkeerd als ernstig incident.")).to_be_visible()
    expect(leader.get_by_test_id("serious-incident")).to_contain_text("Strafbaar feit, Ernstige bedreiging")

    board = browser.new_page()
    browser_logged_in(board, board_member)
    board.goto(live_server.url + "/")
    open_menu(board, "Meldingen", "Ernstige incidenten")
    task = board.get_by_test_id("serious-incident-task")
    expect(task).to_contain_text(school.name)
    expect(task).to_contain_text("Bedreigen")
    expect(task).to_contain_text("Leerling, Iemand van buiten de school")
    expect(board.get_by_text("Noor")).to_have_count(0)
    expect(board.get_by_text(case.number)).to_have_count(0)
    task.get_by_role("link", name="Besluit vastleggen").click()
    board.get_by_role("radio", name="Gemeld bij de Inspectie").check()
    board.get_by_label("Toelichting (zonder namen)").fill("Telefonisch gemeld bij de Inspectie.")
    board.get_by_role("button", name="Besluit vastleggen").click()
    expect(board.get_by_text("Het besluit over een melding bij de Inspectie is vastgelegd.")).to_be_visible()
    expect(board.get_by_text("Er zijn geen open taken.")).to_be_visible()
    incident = SeriousIncident.objects.get()
    assert (incident.decision, incident.decided_by) == (InspectieDecision.REPORTED, board_member)
