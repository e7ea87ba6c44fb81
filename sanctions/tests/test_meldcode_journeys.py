"""The meldcode in a real browser: a teacher signals and reads no later step; the aandachtsfunctionaris
records steps 2-5, and with the afwegingskader saying structural unsafety can only choose melden."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from accounts.constants import SafetyRole
from accounts.models import SafetyRoleHolder
from accounts.tests.factories import PupilFactory, UserFactory
from sanctions.models import Escalation
from testing.axe import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WEIGH_UNSAFETY = "Afwegingskader: is er sprake van acute of structurele onveiligheid?"


def accessible_at_both_widths(page) -> None:
    """The step pages with the afwegingskader's radio groups are checked here; the crawl of every page
    (skow_portal/tests/test_every_page_accessible.py) sees only the meldcode's next step, 2."""
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert axe_violations(page) == [], f"at {width} px"
    page.set_viewport_size({"width": 1280, "height": 900})


WEIGH_HELP = "Afwegingskader: is hulp mogelijk, wordt die geaccepteerd en leidt die tot veiligheid?"


def _step(page, notes, *, unsafety=None, help_feasible=None):
    page.get_by_role("link", name="Volgende stap vastleggen").click()
    page.get_by_label("Aantekeningen").fill(notes)
    if unsafety:
        page.get_by_role("group", name=WEIGH_UNSAFETY).get_by_label(unsafety, exact=True).check()
        page.get_by_role("group", name=WEIGH_HELP).get_by_label(help_feasible, exact=True).check()


def test_a_teacher_signals_gets_404_on_step_3_and_the_officer_can_only_choose_melden(
    live_server, browser, school, teacher, browser_logged_in
):
    pupil = PupilFactory(school=school, first_name="Sem", last_name="Jansen")
    officer = UserFactory(email="aandacht@example.nl", first_name="Iris", last_name="Smit", roles=[("staff", school)])
    SafetyRoleHolder.objects.create(
        school=school,
        role=SafetyRole.MELDCODE_OFFICER,
        user=officer,
        valid_from=datetime.date.today() - datetime.timedelta(days=10),
    )

    page = browser.new_page()
    browser_logged_in(page, teacher)
    page.goto(f"{live_server.url}/meldcode/")
    page.get_by_role("link", name="Signaal vastleggen").click()
    page.get_by_label("Welke signalen ziet u?").fill("Sem heeft steeds blauwe plekken en wil niet naar huis.")
    page.get_by_role("button", name="Signaal vastleggen").click()
    # The pupil was not chosen: the message says so and the text stays.
    expect(page.get_by_text("Dit veld is verplicht.")).to_be_visible()
    expect(page.get_by_label("Welke signalen ziet u?")).to_have_value(
        "Sem heeft steeds blauwe plekken en wil niet naar huis."
    )
    page.get_by_label("Leerling").select_option(label=str(pupil))
    page.get_by_role("button", name="Signaal vastleggen").click()
    expect(page.get_by_test_id("my-signal")).to_contain_text("nog niet opgepakt")
    meldcode = Escalation.objects.get()
    assert page.goto(f"{live_server.url}/meldcode/{meldcode.pk}/").status == 404
    assert page.goto(f"{live_server.url}/meldcode/{meldcode.pk}/step/").status == 404

    officer_page = browser.new_page()
    browser_logged_in(officer_page, officer)
    officer_page.goto(f"{live_server.url}/meldcode/")
    officer_page.get_by_role("link", name="Sem Jansen").click()
    expect(officer_page.get_by_test_id("meldcode-step")).to_contain_text("blauwe plekken")
    _step(officer_page, "Overlegd met de intern begeleider; Veilig Thuis geraadpleegd.")
    officer_page.get_by_role("button", name="Vastleggen").click()
    _step(officer_page, "Gesprek met Sem en met moeder.")
    officer_page.get_by_role("button", name="Vastleggen").click()
    _step(officer_page, "Structureel onveilig thuis.", unsafety="Ja", help_feasible="Nee")
    officer_page.get_by_role("button", name="Vastleggen").click()
    expect(officer_page.get_by_test_id("melding-required")).to_contain_text(
        "melden bij Veilig Thuis (0800-2000) is verplicht"
    )

    _step(officer_page, "Melding gedaan.", unsafety="Ja", help_feasible="Nee")
    melden = officer_page.get_by_label("Melden bij Veilig Thuis (0800-2000)")
    accessible_at_both_widths(officer_page)
    expect(melden).to_be_checked()
    expect(melden).to_be_disabled()
    officer_page.get_by_role("button", name="Vastleggen").click()
    expect(officer_page.get_by_test_id("meldcode-decision")).to_contain_text("Gemeld bij Veilig Thuis.")
    expect(officer_page.get_by_test_id("meldcode-step")).to_have_count(5)
    expect(officer_page.get_by_test_id("meldcode-step").nth(4)).to_contain_text("Iris Smit")
    expect(officer_page.get_by_text("vijf werkdagen na de melding")).to_be_visible()
    accessible_at_both_widths(officer_page)

    page.goto(f"{live_server.url}/meldcode/")
    expect(page.get_by_test_id("my-signal")).to_contain_text("opgepakt door de aandachtsfunctionaris")
    expect(page.get_by_text("Melding gedaan.")).to_have_count(0)
    assert page.goto(f"{live_server.url}/meldcode/{meldcode.pk}/step/").status == 404


def test_the_officer_closes_a_meldcode_with_a_reason_and_reopens_it(
    live_server, browser, school, teacher, browser_logged_in
):
    from sanctions.services import meldcode_signal

    pupil = PupilFactory(school=school)
    leader = UserFactory(roles=[("school_leader", school), ("staff", school)])
    meldcode = meldcode_signal(by=teacher, pupil=pupil, done_on=datetime.date.today(), notes="Signalen.")
    page = browser.new_page()
    browser_logged_in(page, leader)
    page.goto(f"{live_server.url}/meldcode/{meldcode.pk}/")
    page.get_by_role("link", name="Sluiten").click()
    page.get_by_role("button", name="Sluiten").click()
    expect(page.get_by_text("Dit veld is verplicht.")).to_be_visible()
    page.get_by_label("Reden").fill("Het bleek een sportblessure.")
    page.get_by_role("button", name="Sluiten").click()
    expect(page.get_by_test_id("meldcode-status")).to_have_text("Gesloten.")
    expect(page.get_by_role("link", name="Volgende stap vastleggen")).to_have_count(0)
    page.get_by_role("link", name="Heropenen").click()
    page.get_by_label("Reden").fill("Nieuwe signalen.")
    page.get_by_role("button", name="Heropenen").click()
    expect(page.get_by_test_id("meldcode-status")).to_contain_text("Volgende stap")
    expect(page.get_by_text("Het bleek een sportblessure.")).to_be_visible()
