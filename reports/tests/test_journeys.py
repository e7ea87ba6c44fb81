"""Reporting journeys in a real browser (Playwright driving Debian's Chromium)."""

from __future__ import annotations

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from notifications.constants import Channel
from notifications.models import Notification
from reports.models import Report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_report(
    page,
    *,
    school: str,
    category: str,
    platform: str,
    description: str,
    involved: list[str],
    reporter_role: str,
    anonymous: bool,
    day: str = "2026-11-20",
) -> None:
    """Fill the intake form the way a person would, by the visible labels."""
    page.get_by_label("Over welke school gaat het?").select_option(label=school)
    page.get_by_label("Wat is er gebeurd?").select_option(label=category)
    page.get_by_label("Waar gebeurde het?").select_option(label=platform)
    page.get_by_label("Wanneer gebeurde het?").fill(day)
    page.get_by_label("Beschrijf wat er is gebeurd").fill(description)
    involved_group = page.get_by_role("group", name="Betrokken zijn")
    for role in involved:
        involved_group.get_by_label(role, exact=True).check()
    page.get_by_role("group", name="Ik ben").get_by_label(reporter_role, exact=True).check()
    if anonymous:
        page.get_by_label("Ik meld anoniem").check()


def test_an_anonymous_pupil_reports_bullying_on_a_phone_and_reads_the_reply_with_the_code(
    live_server, browser, phone_context_args, school, school_leader, browser_logged_in
):
    phone = browser.new_context(**phone_context_args).new_page()
    phone.goto(live_server.url)
    phone.get_by_role("button", name="Menu openen").click()
    phone.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Melden").click()
    expect(phone.get_by_role("heading", name="Iets melden")).to_be_visible()
    expect(phone.get_by_text("Upload of stuur nooit seksuele beelden van minderjarigen door")).to_be_visible()
    fill_report(
        phone,
        school="Sint-Jozefschool",
        category="Pesten",
        platform="Snapchat",
        description="In de Snapchat-groep van groep 8 zetten ze elke dag gemene foto's van mij.",
        involved=["Leerling"],
        reporter_role="Leerling",
        anonymous=True,
    )
    phone.get_by_role("button", name="Melding versturen").click()
    expect(phone.get_by_role("heading", name="Dank u wel voor uw melding")).to_be_visible()
    code = phone.get_by_test_id("receipt-code").inner_text().strip()
    assert len(code) == 24
    report = Report.objects.get()
    assert report.is_anonymous and report.reporter_user is None

    # The leader is told in the inbox, opens the case and replies to the pupil.
    leader = browser.new_page()
    browser_logged_in(leader, school_leader)
    leader.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Berichten").click()
    leader.get_by_role("button", name="Openen").first.click()
    expect(leader.get_by_role("heading", name="Melding: Pesten")).to_be_visible()
    expect(leader.get_by_text("gemene foto's van mij")).to_be_visible()
    leader.get_by_label("Bericht aan de melder").fill("Dank je dat je het meldt. Wil je morgen na school langskomen?")
    leader.get_by_role("button", name="Bericht versturen").click()
    expect(leader.get_by_text("Uw bericht aan de melder is verstuurd.")).to_be_visible()

    # Later, on the phone, the pupil reads the reply with the code and answers.
    later = browser.new_context(**phone_context_args).new_page()
    later.goto(f"{live_server.url}/report/follow/")
    later.get_by_label("Uw ontvangstcode").fill(code.lower())
    later.get_by_role("button", name="Melding bekijken").click()
    expect(later.get_by_role("heading", name="Uw melding")).to_be_visible()
    expect(later.get_by_text("Wil je morgen na school langskomen?")).to_be_visible()
    expect(later.get_by_test_id("case-state")).to_have_text("In behandeling")  # opened by the leader
    later.get_by_label("Uw bericht of aanvulling").fill("Ja, ik kom om half 4.")
    later.get_by_role("button", name="Versturen").click()
    expect(later.get_by_text("Uw bericht is verstuurd.")).to_be_visible()
    expect(later.get_by_text("Ja, ik kom om half 4.")).to_be_visible()
    assert report.messages.filter(author="reporter").get().body == "Ja, ik kom om half 4."

    leader.reload()
    expect(leader.get_by_text("Ja, ik kom om half 4.")).to_be_visible()


def test_a_parent_reports_a_teacher_and_the_board_is_told(
    live_server, page, school, school_leader, board_member, parent, browser_logged_in
):
    second_board_member = UserFactory(email="bestuur2@example.nl", roles=[("board", None)])
    browser_logged_in(page, parent)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Melden").click()
    expect(page.get_by_label("Uw e-mailadres")).to_have_value(parent.email)
    page.get_by_label("Uw naam").fill("Karin Bakker")
    fill_report(
        page,
        school="Sint-Jozefschool",
        category="Medewerker in discussie met leerling of ouder op sociale media (B.5)",
        platform="Facebook",
        description="Meester Tim reageert in de ouder-Facebookgroep op ouders en scheldt daarbij.",
        involved=["Medewerker", "Ouder/verzorger"],
        reporter_role="Ouder/verzorger",
        anonymous=False,
    )
    page.get_by_role("button", name="Melding versturen").click()
    expect(page.get_by_role("heading", name="Dank u wel voor uw melding")).to_be_visible()
    report = Report.objects.get()
    assert report.reporter_user == parent and report.reporter_email == parent.email

    # Board and the school's leadership are told; nobody else; no content in the e-mails.
    told = set(Notification.objects.filter(channel=Channel.IN_APP).values_list("recipient__email", flat=True))
    assert told == {board_member.email, second_board_member.email, school_leader.email, parent.email}
    board_mail = [m for m in mail.outbox if m.to == [board_member.email]]
    assert board_mail and "Meester Tim" not in board_mail[-1].body
    assert [m for m in mail.outbox if m.to == [parent.email] and "ontvangen" in m.subject]

    board = page.context.browser.new_page()
    browser_logged_in(board, board_member)
    menu = board.get_by_role("navigation", name="Hoofdmenu")
    menu.get_by_role("button", name="Meldingen").click()
    menu.get_by_role("link", name="Meldingen").click()
    expect(board.get_by_role("heading", name="Meldingen")).to_be_visible()
    board.get_by_role("link", name=report.case.number).click()
    expect(board.get_by_text("Meester Tim reageert")).to_be_visible()
    expect(board.get_by_text("Karin Bakker")).to_be_visible()
