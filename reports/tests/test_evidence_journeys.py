"""Evidence in a real browser: a hostile file is refused without losing the report, and the leader
downloads what came in under the portal's name."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from reports.models import Evidence, Report

from .evidence_files import screenshot_png
from .test_journeys import fill_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DISGUISED_PAGE = b"<html><body><script>fetch('/cases/').then(r => r.text()).then(alert)</script></body></html>"


def test_a_reporter_drops_a_refused_file_and_the_leader_downloads_the_screenshot_under_the_portals_name(
    live_server, page, school, school_leader, browser_logged_in
):
    description = "Sem stuurt in de klassenapp een 'foto' rond die de telefoon vreemd laat doen."
    page.goto(f"{live_server.url}/report/")
    fill_report(
        page,
        school="Sint-Jozefschool",
        category="Pesten",
        platform="WhatsApp",
        description=description,
        involved=["Leerling"],
        reporter_role="Leerling",
        anonymous=True,
    )
    evidence = page.get_by_label("Bewijs (niet verplicht)")
    evidence.set_input_files(
        [
            {"name": "foto.jpg", "mimeType": "image/jpeg", "buffer": DISGUISED_PAGE},
            {"name": "schermafbeelding-noor.png", "mimeType": "image/png", "buffer": screenshot_png()},
        ]
    )
    page.get_by_role("button", name="Melding versturen").click()

    expect(page.get_by_text("foto.jpg is niet toegevoegd: HTML, XML, SVG en RTF nemen we niet aan")).to_be_visible()
    expect(page.get_by_text("Kies de bestanden die wel goed waren opnieuw")).to_be_visible()
    expect(page.get_by_label("Beschrijf wat er is gebeurd")).to_have_value(description)
    expect(page.get_by_label("Ik meld anoniem")).to_be_checked()
    assert not Report.objects.exists()

    # The reporter picks only the screenshot again and sends.
    page.get_by_label("Bewijs (niet verplicht)").set_input_files(
        [{"name": "schermafbeelding-noor.png", "mimeType": "image/png", "buffer": screenshot_png()}]
    )
    page.get_by_role("button", name="Melding versturen").click()
    expect(page.get_by_role("heading", name="Dank u wel voor uw melding")).to_be_visible()
    report = Report.objects.get()
    assert report.description == description
    name = f"melding-{report.case.number}-1.png"
    assert list(Evidence.objects.values_list("file_name", flat=True)) == [name]

    # The leader sees the portal's name, never the reporter's, and downloads it after the warning.
    leader = page.context.browser.new_page()
    browser_logged_in(leader, school_leader)
    leader.goto(f"{live_server.url}/cases/{report.case.pk}/")
    expect(leader.get_by_text(description)).to_be_visible()
    expect(leader.get_by_text("schermafbeelding-noor")).to_have_count(0)
    leader.get_by_role("link", name=name).click()
    expect(leader.get_by_role("heading", name="Let op: mogelijk schokkend beeld")).to_be_visible()
    with leader.expect_download() as download:
        leader.get_by_role("link", name="Ik begrijp het, download het bewijsstuk").click()
    assert download.value.suggested_filename == name
    with open(download.value.path(), "rb") as saved:
        assert saved.read(8) == b"\x89PNG\r\n\x1a\n"
