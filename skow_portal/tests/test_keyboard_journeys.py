"""The four main journeys, with the keyboard only (WCAG 2.1.1, 2.4.3, 2.4.7, 4.1.3).

No click and no ``fill``: each test moves with Tab (and Shift+Tab), ticks with the space bar, picks
from a list by typing, and sends with Enter, as someone who cannot use a mouse does. Every element
the focus lands on must show it (an outline or a ring), and after a save or a refusal the focus is
on the message that says so, so a screen reader reads it. Logging in is the login tests' journey;
here it is done by the fixture.
"""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import GroupFactory, GuardianshipFactory, PupilFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAX_TABS = 120

# The focused element and whether one can see it: an outline of 2 px or more, or a box-shadow ring of
# 2 px or more in a colour one can see. The focus styles fade in and out (Bootstrap's 0.15 s transition
# of the box-shadow): they are read as they are once the transition has run, as a person sees them, and
# not halfway, when the ring of the element just left is still fading on an element that has none.
FOCUS_SCRIPT = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return {visible: true, tag: 'body'};
  element.getAnimations().forEach((animation) => animation.finish());
  const style = getComputedStyle(element);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  // Each shadow: "rgb(r, g, b) x y blur spread" or "rgba(r, g, b, a) x y blur spread" (Chromium's order).
  const ring = (style.boxShadow.match(/rgba?\\([^)]*\\)[^,]*/g) || []).some((shadow) => {
    const alpha = /rgba\\([^)]*,\\s*([\\d.]+)\\)/.exec(shadow);
    const lengths = shadow.replace(/rgba?\\([^)]*\\)/, '').trim().split(/\\s+/).map(parseFloat);
    return (!alpha || parseFloat(alpha[1]) > 0) && lengths.length >= 4 && lengths[3] >= 2;
  });
  return {visible: outline || ring, tag: element.tagName, text: (element.innerText || element.name || '').slice(0, 40)};
}"""


def _focus_is_on(locator) -> bool:
    return locator.evaluate("(element) => element === document.activeElement", timeout=5000)


def tab_to(page, locator, *, backwards: bool = False) -> None:
    """Press Tab until ``locator`` has the focus; every stop on the way shows its focus."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        focus = page.evaluate(FOCUS_SCRIPT)
        assert focus["visible"], f"Keyboard focus is invisible on <{focus['tag']}> {focus.get('text', '')!r}"
        if _focus_is_on(locator):
            return
    raise AssertionError(f"{MAX_TABS} presses of {key} never reached {locator}")


def press_enter_to_open(page) -> None:
    """Enter on a link or a submit button, and wait for the page it opens."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def choose(page, locator, text: str) -> None:
    """Pick an option of a drop-down list by typing its first letters, as a keyboard user does."""
    tab_to(page, locator)
    page.keyboard.type(text, delay=30)


def expect_announced(page, text: str) -> None:
    """The message is on the page and has the focus (or holds it), so a screen reader reads it."""
    expect(page.get_by_text(text)).to_be_visible()
    focused = page.evaluate("() => document.activeElement.innerText || ''")
    assert text in focused, f"Focus is not on the message {text!r} but on {focused[:80]!r}"


def test_a_parent_reports_bullying_with_the_keyboard_only(live_server, browser, school, school_leader):
    from reports.models import Case

    page = browser.new_page()
    page.goto(f"{live_server.url}/")
    # The first Tab shows the skip link; Enter jumps over the menu.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Naar de inhoud")).to_be_focused()
    tab_to(page, page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Melden"))
    press_enter_to_open(page)
    expect(page.get_by_role("heading", name="Iets melden")).to_be_visible()

    choose(page, page.get_by_label("Over welke school gaat het?"), "Sint")
    choose(page, page.get_by_label("Wat is er gebeurd?"), "Pesten")
    choose(page, page.get_by_label("Waar gebeurde het?"), "WhatsApp")
    day = page.get_by_label("Wanneer gebeurde het?")
    tab_to(page, day)
    page.keyboard.type("11202026")  # Chromium's date field, segment by segment, in its own order (mm dd yyyy)
    expect(day).to_have_value("2026-11-20")
    tab_to(page, page.get_by_label("Beschrijf wat er is gebeurd"))
    page.keyboard.type("Mijn dochter wordt in de klassenapp uitgescholden.")
    tab_to(page, page.get_by_role("group", name="Betrokken zijn").get_by_label("Leerling", exact=True))
    page.keyboard.press("Space")
    # A group of radio buttons is one stop; the arrow keys choose within it.
    who = page.get_by_role("group", name="Ik ben")
    tab_to(page, who.get_by_role("radio").first)
    for _ in range(6):
        if who.get_by_label("Ouder/verzorger", exact=True).is_checked():
            break
        page.keyboard.press("ArrowDown")
    expect(who.get_by_label("Ouder/verzorger", exact=True)).to_be_checked()
    tab_to(page, page.get_by_label("Ik meld anoniem"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Melding versturen"))
    press_enter_to_open(page)

    expect(page.get_by_test_id("receipt-code")).to_be_visible()
    case = Case.objects.get()
    report = case.reports.get()
    assert report.category == "bullying" and report.platform == "whatsapp"
    assert report.happened_on == datetime.date(2026, 11, 20)
    assert report.is_anonymous and report.reporter_role == "parent"


def test_a_report_refused_for_a_missing_field_puts_the_focus_on_the_error(live_server, page, school):
    page.goto(f"{live_server.url}/report/")
    tab_to(page, page.get_by_label("Beschrijf wat er is gebeurd"))
    page.keyboard.type("Er wordt gescholden.")
    tab_to(page, page.get_by_role("button", name="Melding versturen"))
    press_enter_to_open(page)
    expect_announced(page, "Niet alles is goed ingevuld")
    expect(page.get_by_label("Beschrijf wat er is gebeurd")).to_have_value("Er wordt gescholden.")
    # The field in error says so to a screen reader, and names its message.
    school_field = page.get_by_label("Over welke school gaat het?")
    expect(school_field).to_have_attribute("aria-invalid", "true")
    message_id = school_field.get_attribute("aria-describedby").split()[-1]
    expect(page.locator(f"#{message_id}")).to_contain_text("verplicht")


def test_a_parent_gives_consent_for_one_child_with_the_keyboard_only(live_server, browser, school, browser_logged_in):
    from consent.constants import Method
    from consent.selectors import current_consent_for_pupil
    from consent.services import consent_decide
    from consent.tests.factories import current_form

    form = current_form()  # the published form (a transactional test before this one flushed the migration's)
    group = GroupFactory(school=school, grade=5, name="5a")
    parent = UserFactory(email="ouder@example.nl", password="")
    noor = GuardianshipFactory(
        guardian=parent, pupil=PupilFactory(school=school, group=group, first_name="Noor", last_name="van der Leek")
    ).pupil
    sem = GuardianshipFactory(guardian=parent, pupil=PupilFactory(school=school, group=group, first_name="Sem")).pupil
    # Sem's choice was made last month; this evening the parent changes only Noor's.
    consent_decide(
        decided_by=parent, form=form, pupil=sem, method=Method.LOGGED_IN, answers={"school_guide": {"film": True}}
    )

    page = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    browser_logged_in(page, parent)
    page.goto(f"{live_server.url}/consent/")
    noor_card = page.get_by_role("region", name=noor.full_name)
    expect(noor_card.get_by_label("Website van de school: Foto")).not_to_be_checked()
    # The page is one form for both children, with one save button after the last card.
    save = page.get_by_role("button", name="Keuzes opslaan")
    expect(save).to_have_count(1)
    tab_to(page, noor_card.get_by_label("Website van de school: Foto"))
    page.keyboard.press("Space")
    tab_to(page, noor_card.get_by_label("Schoolgids en folders: Film"))
    page.keyboard.press("Space")
    expect(noor_card.get_by_text("Nog niet opgeslagen")).to_be_visible()
    tab_to(page, save)
    press_enter_to_open(page)

    expect_announced(page, f"Opgeslagen voor {noor.first_name}. U ontvangt een bevestiging per e-mail.")
    expect(page.get_by_text(f"Niets veranderd voor {sem.first_name}; daar geldt uw eerdere keuze nog.")).to_be_visible()
    noor_card = page.get_by_role("region", name=noor.full_name)
    expect(noor_card.get_by_label("Website van de school: Foto")).to_be_checked()
    expect(noor_card.get_by_label("Schoolgids en folders: Film")).to_be_checked()
    expect(noor_card.get_by_label("Website van de school: Film")).not_to_be_checked()
    consent = current_consent_for_pupil(noor)
    assert consent.allows("website", "photo") and consent.allows("school_guide", "film")
    assert not consent.allows("website", "film")
    sems = current_consent_for_pupil(sem)
    assert sems.allows("school_guide", "film") and not sems.allows("website", "photo")
    assert sem.consent_decisions.count() == 1  # nothing recorded for Sem this evening


def test_a_teacher_confirms_reading_the_protocol_with_the_keyboard_only(live_server, page, school, browser_logged_in):
    from policy.models import Acknowledgement
    from policy.tests.factories import version_1

    version_1()
    teacher = UserFactory(email="juf@example.nl", roles=[("staff", school)])
    browser_logged_in(page, teacher)
    page.goto(f"{live_server.url}/")
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    tab_to(page, menu.get_by_role("button", name="Protocol"))
    page.keyboard.press("Enter")
    tab_to(page, menu.get_by_role("link", name="Protocol bevestigen"))
    press_enter_to_open(page)
    tab_to(page, page.get_by_role("button", name="Ik heb het protocol gelezen"))
    press_enter_to_open(page)

    expect_announced(page, "Dank u wel. U hebt bevestigd")
    expect(page.get_by_test_id("acknowledged")).to_be_visible()
    assert Acknowledgement.objects.filter(staff_member=teacher).count() == 1


def test_a_leader_opens_a_case_and_records_a_measure_with_the_keyboard_only(
    live_server, page, school, school_leader, browser_logged_in
):
    from reports.constants import CaseState
    from reports.tests.factories import ReportFactory
    from sanctions.models import Measure

    UserFactory(email="tim@example.nl", first_name="Tim", last_name="Visser", roles=[("staff", school)])
    case = ReportFactory(
        school=school, category="arguing_online", involved_roles=["staff"], description="Meester Tim scheldt online."
    ).case
    browser_logged_in(page, school_leader)
    page.goto(f"{live_server.url}/cases/")
    tab_to(page, page.get_by_role("link", name=case.number))
    press_enter_to_open(page)
    expect(page.get_by_test_id("case-state")).to_have_text("In behandeling genomen")
    case.refresh_from_db()
    assert case.state == CaseState.ACKNOWLEDGED and case.acknowledged_by == school_leader

    tab_to(page, page.get_by_test_id("sanctions-panel").get_by_role("link", name="Maatregelen"))
    press_enter_to_open(page)
    tab_to(page, page.get_by_role("link", name="Maatregel vastleggen"))
    press_enter_to_open(page)
    staff_radio = page.get_by_role("radio", name="Medewerker")
    tab_to(page, page.get_by_role("radio").first)
    for _ in range(4):
        if staff_radio.is_checked():
            break
        page.keyboard.press("ArrowDown")
    expect(staff_radio).to_be_checked()
    choose(page, page.get_by_label("Welke medewerker"), "Tim")
    choose(page, page.get_by_role("combobox", name="Maatregel", exact=False).first, "Gesprek")
    tab_to(page, page.get_by_label("Reden"))
    page.keyboard.type("Gesprek over reageren in de oudergroep (B.5).")
    # Toelichting: was the directeur-bestuurder consulted? No radio is checked yet: Tab stops on "Ja".
    consultation = page.get_by_role("group", name="Is de directeur-bestuurder over deze maatregel geraadpleegd?")
    tab_to(page, consultation.get_by_role("radio", name="Ja"))
    page.keyboard.press("ArrowDown")
    expect(consultation.get_by_role("radio", name="Nee")).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Maatregel vastleggen"))
    press_enter_to_open(page)

    expect_announced(page, "De maatregel is vastgelegd.")
    measure = Measure.objects.get()
    assert measure.kind == "conversation" and measure.staff_member.email == "tim@example.nl"
