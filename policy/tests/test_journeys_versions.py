"""Browser journeys: two drafts on one base, version 1's dates, the diff chooser, "herinner nu", 16+."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from policy import services
from policy.models import AcknowledgementReminder, ProtocolVersion
from policy.tests.factories import ProtocolVersionFactory
from testing.axe import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

A4_OLD = "4. De gebruikers van sociale media dienen rekening te houden"
A4_NEW = "4. Alle gebruikers van sociale media dienen rekening te houden"
A6_OLD = "6. Het is medewerkers niet toegestaan om met een privéaccount"
A6_NEW = "6. Het is medewerkers nooit toegestaan om met een privéaccount"
WIDTHS = (390, 1280)


def accessible_at_both_widths(page) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert axe_violations(page) == [], f"at {width} px"


def consented_draft(board, secretary, old: str, new: str, note: str) -> ProtocolVersion:
    draft = services.protocol_draft_create(by=board, change_note=note)
    services.protocol_draft_update(
        version=draft,
        by=board,
        title=draft.title,
        body=draft.body.replace(old, new),
        explanation=draft.explanation,
        summary_for_parents=draft.summary_for_parents,
        change_note=note,
    )
    services.protocol_version_submit(version=draft, by=board)
    return services.protocol_version_council_consent(
        version=draft, by=secretary, decided_on=timezone.localdate(), minutes_reference="GMR, punt 2"
    )


def test_the_board_cannot_undo_one_draft_with_another_and_carries_it_over_with_both_changes(
    live_server, browser, board_member, council_secretary, browser_logged_in
):
    first = consented_draft(board_member, council_secretary, A4_OLD, A4_NEW, "A.4: alle gebruikers.")
    second = consented_draft(board_member, council_secretary, A6_OLD, A6_NEW, "A.6: nooit vrienden.")
    today = timezone.localdate().isoformat()
    board = browser_logged_in(browser.new_context().new_page(), board_member)

    # The board adopts the first draft as version 2.
    board.goto(f"{live_server.url}/protocol/drafts/{first.pk}/")
    board.get_by_label("Vastgesteld op").fill(today)
    board.get_by_label("In werking vanaf").fill(today)
    board.get_by_role("button", name="Vaststellen").click()
    expect(board.get_by_test_id("version-label")).to_have_text(re.compile(r"Versie 2"))

    # The second draft, made from version 1, is no longer offered for adoption: it says why and
    # shows both changes side by side.
    board.goto(f"{live_server.url}/protocol/drafts/{second.pk}/")
    expect(board.get_by_test_id("outdated")).to_contain_text("Inmiddels is Versie 2 vastgesteld")
    expect(board.get_by_role("button", name="Vaststellen")).to_have_count(0)
    three_way = board.get_by_test_id("three-way")
    expect(three_way.locator('[data-anchor="uitgangspunten-4"]')).to_contain_text("Gewijzigd in Versie 2")
    expect(three_way.locator('[data-anchor="uitgangspunten-4"] ins')).to_have_text("Alle")
    expect(three_way.locator('[data-anchor="a-6"] ins')).to_have_text("nooit")
    accessible_at_both_widths(board)

    # A stale tab that still shows the adoption form gets the refusal, not a silent version 3.
    stale = board.context.new_page()
    stale.goto(f"{live_server.url}/protocol/drafts/{first.pk}/")  # any page; post the form by hand
    response = stale.request.post(
        f"{live_server.url}/protocol/drafts/{second.pk}/adopt/",
        form={"adopted_on": today, "effective_from": today, "csrfmiddlewaretoken": csrf_of(stale)},
        headers={"Referer": stale.url},
    )
    assert response.status == 400 and "inmiddels is Versie 2 vastgesteld" in response.text()
    assert not ProtocolVersion.objects.filter(number=3).exists()

    # Carrying over: a new draft on version 2 with both changes, to go to the (G)MR again.
    board.get_by_role("button", name="Overzetten naar Versie 2").click()
    expect(board.get_by_role("alert").or_(board.get_by_role("status")).first).to_contain_text(
        "De wijzigingen staan nu in"
    )
    expect(board.get_by_test_id("status")).to_have_text("Concept")
    expect(board.get_by_test_id("carried-from")).to_be_visible()
    expect(board.get_by_text("gebaseerd op Versie 2")).to_be_visible()
    text = board.locator("section", has=board.get_by_role("heading", name="Tekst", exact=True))
    expect(text.locator("#uitgangspunten-4")).to_contain_text("Alle gebruikers van sociale media")
    expect(text.locator("#a-6")).to_contain_text("nooit toegestaan")
    expect(board.get_by_role("button", name="Voorleggen aan de (G)MR")).to_be_visible()
    accessible_at_both_widths(board)
    board.get_by_role("link", name=re.compile(r"^Naar Concept")).click()
    expect(board.get_by_test_id("status")).to_have_text("Overgezet naar een nieuw concept")
    expect(board.get_by_test_id("carried-into")).to_be_visible()


def csrf_of(page) -> str:
    return next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")


def test_version_1_shows_no_invented_dates_until_the_board_records_the_real_ones(
    live_server, browser, board_member, browser_logged_in
):
    visitor = browser.new_context().new_page()
    visitor.goto(f"{live_server.url}/protocol/")
    record = visitor.get_by_test_id("adoption-record")
    expect(record).to_contain_text("nog niet vastgelegd")
    expect(record).not_to_contain_text("(demo)")
    expect(visitor.get_by_test_id("dates-not-recorded")).to_contain_text("nog niet in de portal vastgelegd")
    expect(visitor.get_by_text("na instemming van de (G)MR op ……………… door het bestuur")).to_be_visible()

    # The first-run step: the board finds it on the drafts page.
    board = browser_logged_in(browser.new_context().new_page(), board_member)
    board.get_by_role("navigation", name="Hoofdmenu").get_by_role("button", name="Protocol").click()
    board.get_by_role("link", name="Concepten protocol").click()
    board.get_by_role("link", name="Datums van versie 1 vastleggen").click()
    accessible_at_both_widths(board)
    board.get_by_label("Datum van de instemming van de (G)MR").fill("2020-06-30")
    board.get_by_label("Verwijzing naar de notulen").fill("Notulen GMR 30 juni 2020, punt 3")
    board.get_by_label("Datum van vaststelling door het bestuur").fill("2020-06-01")  # a slip: before the (G)MR
    board.get_by_label("In werking vanaf").fill("2020-08-01")
    board.get_by_role("button", name="Datums vastleggen").click()
    expect(board.get_by_text("Vaststellen kan niet vóór de instemming van de (G)MR")).to_be_visible()
    expect(board.get_by_label("Verwijzing naar de notulen")).to_have_value("Notulen GMR 30 juni 2020, punt 3")
    accessible_at_both_widths(board)
    board.get_by_label("Datum van vaststelling door het bestuur").fill("2020-07-06")
    board.get_by_role("button", name="Datums vastleggen").click()
    expect(board.get_by_test_id("adoption-record")).to_contain_text("30 juni 2020 (Notulen GMR 30 juni 2020, punt 3)")
    expect(
        board.get_by_text("na instemming van de (G)MR op 30 juni 2020 door het bestuur vastgesteld op 6 juli 2020")
    ).to_be_visible()
    expect(board.get_by_test_id("dates-not-recorded")).to_have_count(0)

    # Who recorded it and when is on the version's history.
    board.get_by_role("link", name="Datums corrigeren").click()
    expect(board.get_by_test_id("events")).to_contain_text(f"Datums vastgelegd — {board_member}")

    # The visitor's history page says it too, without "(demo)".
    visitor.goto(f"{live_server.url}/protocol/history/")
    expect(visitor.get_by_role("row", name=re.compile("Versie 1"))).to_contain_text("30 juni 2020")
    expect(visitor.get_by_role("main")).not_to_contain_text("(demo)")


def test_a_visitor_opens_the_diff_page_without_a_choice_and_compares_by_keyboard(live_server, browser):
    v1 = ProtocolVersion.objects.get(number=1)
    ProtocolVersion.objects.filter(pk=v1.pk).update(status="superseded")
    ProtocolVersionFactory(
        adopted=True,
        number=2,
        status="in_force",
        body=v1.body.replace(A6_OLD, A6_NEW),
        explanation=v1.explanation,
        summary_for_parents=v1.summary_for_parents,
        change_note="A.6 aangescherpt.",
    )
    page = browser.new_context().new_page()
    page.goto(f"{live_server.url}/protocol/diff/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Twee versies van het protocol vergelijken")
    expect(page.get_by_role("alert")).to_have_count(0)
    accessible_at_both_widths(page)
    page.get_by_label("Van versie").focus()
    page.get_by_label("Van versie").select_option(label="Versie 1")
    page.keyboard.press("Tab")
    page.get_by_label("Naar versie").select_option(label="Versie 2 (geldt nu)")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/protocol/diff/1/2/$"))
    expect(page.locator('[data-anchor="a-6"] ins')).to_have_text("nooit")
    headings = page.get_by_role("heading", level=2)
    expect(headings).to_have_text(["Protocol"])  # no empty "Toelichting" or "Samenvatting"
    accessible_at_both_widths(page)

    # The same version twice: the chooser says what is wrong and keeps the choice.
    page.goto(f"{live_server.url}/protocol/diff/?a=2&b=2")
    expect(page.get_by_role("alert")).to_have_text("Kies twee verschillende versies om te vergelijken.")
    expect(page.get_by_label("Van versie")).to_have_value("2")


def test_a_leader_sees_who_was_reminded_when_and_reminds_now_once_from_two_tabs(
    live_server, browser, school, school_leader, teacher, browser_logged_in
):
    other = UserFactory(email="gymdocent@example.nl", first_name="Gerrit", last_name="Gym", roles=[("staff", school)])
    AcknowledgementReminder.objects.create(
        version=ProtocolVersion.objects.get(number=1),
        staff_member=other,
        after_days=7,
        sent_at=timezone.now() - datetime.timedelta(hours=3),
    )
    leader = browser_logged_in(browser.new_context().new_page(), school_leader)
    leader.get_by_role("navigation", name="Hoofdmenu").get_by_role("button", name="Protocol").click()
    leader.get_by_role("link", name="Leesbevestigingen").click()
    expect(leader.get_by_test_id("ack-row").filter(has_text="Gerrit Gym").get_by_test_id("reminders")).to_contain_text(
        "(automatisch)"
    )
    accessible_at_both_widths(leader)
    second_tab = leader.context.new_page()
    second_tab.goto(leader.url)

    leader.get_by_role("button", name="Herinner nu 1 medewerker").click()
    expect(leader.get_by_text("1 medewerker heeft een herinnering gekregen.")).to_be_visible()
    expect(leader.get_by_test_id("ack-row").filter(has_text=str(teacher)).get_by_test_id("reminders")).to_contain_text(
        f"(door {school_leader})"
    )
    expect(leader.get_by_test_id("nobody-to-remind")).to_be_visible()

    # The other tab still shows the button; clicking it sends nothing twice.
    second_tab.get_by_role("button", name="Herinner nu 1 medewerker").click()
    expect(second_tab.get_by_text("Niemand kreeg een herinnering")).to_be_visible()
    assert AcknowledgementReminder.objects.filter(staff_member=teacher).count() == 1

    # The teacher finds the reminder in the portal's inbox.
    reader = browser_logged_in(browser.new_context().new_page(), teacher)
    reader.goto(f"{live_server.url}/inbox/")
    expect(reader.get_by_role("main")).to_contain_text("Herinnering: Protocol Sociale Media lezen")


def test_parents_and_visitors_read_that_pupils_of_16_decide_themselves(live_server, browser, parent, browser_logged_in):
    page = browser_logged_in(browser.new_context().new_page(), parent)
    page.goto(f"{live_server.url}/consent/")
    note = page.get_by_test_id("age-of-consent")
    expect(note).to_contain_text("Leerlingen van 16 jaar en ouder beslissen zelf")
    expect(note).to_contain_text("“ouder dan 16 jaar”")
    note.get_by_role("link", name="Lees artikel A.5 van het protocol").click()
    expect(page).to_have_url(re.compile(r"/protocol/#a-5$"))
    expect(page.locator("#a-5")).to_contain_text("leerlingen ouder dan 16 jaar")  # the seed, word for word
    aside = page.get_by_role("complementary", name="Toelichting van de portal: leerlingen van 16 jaar")
    expect(aside).to_contain_text("vanaf de dag dat een leerling 16 wordt beslist de leerling zelf")
    page.goto(f"{live_server.url}/protocol/")  # axe on the page itself, not the highlighted :target
    accessible_at_both_widths(page)
