"""The two-person rule in a real browser: the functional admin asks for a board role for a teacher; neither
the admin nor the teacher can approve it; a board member approves it in the portal, the teacher is board
from then on, and the board has an e-mail of it."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import RoleRequest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_board_role_needs_a_second_person_from_the_board(
    live_server, browser, page, browser_logged_in, functional_admin, board_member, teacher
):
    roles_url = f"{live_server.url}/accounts/roles/"

    # The functional admin asks, from the portal's menu.
    browser_logged_in(page, functional_admin)
    page.get_by_role("button", name="Beheer").click()
    page.get_by_role("link", name="Rollen", exact=True).click()
    expect(page.get_by_role("heading", name="Rollen aanvragen en goedkeuren")).to_be_visible()
    page.get_by_label("E-mailadres van de persoon").fill("onbekend@example.nl")
    page.get_by_label("Toekennen").check()
    page.get_by_label("Rol").select_option(label="Bestuur")
    page.get_by_label("Toelichting voor het bestuur").fill("Nieuw lid van het bestuur per 1 december")
    page.get_by_role("button", name="Aanvraag indienen").click()
    expect(page.get_by_text("Er is geen account met dit e-mailadres.")).to_be_visible()
    expect(page.get_by_label("Toelichting voor het bestuur")).to_have_value("Nieuw lid van het bestuur per 1 december")
    page.get_by_label("E-mailadres van de persoon").fill(teacher.email)
    page.get_by_role("button", name="Aanvraag indienen").click()
    expect(page.get_by_text("De aanvraag is ingediend.")).to_be_visible()
    role_request = RoleRequest.objects.get()
    entry = page.locator(f"#aanvraag-{role_request.pk}")
    expect(entry).to_contain_text(f"Bestuur geven aan {teacher}")
    expect(entry).to_contain_text("Nieuw lid van het bestuur per 1 december")
    # The one who asked cannot approve: no button, and why.
    expect(entry.get_by_role("button", name=re.compile("Goedkeuren"))).to_have_count(0)
    expect(entry).to_contain_text("Alleen een lid van het bestuur keurt een rolwijziging goed.")
    assert {m.to[0] for m in mail.outbox if "wacht op het bestuur" in m.subject} == {board_member.email}
    assert not teacher.role_assignments.filter(role="board").exists()

    # The teacher it is about cannot approve it either: the page is not theirs.
    teacher_page = browser.new_context(base_url=live_server.url).new_page()
    browser_logged_in(teacher_page, teacher)
    response = teacher_page.goto(roles_url)
    assert response.status == 404
    expect(teacher_page.get_by_role("link", name="Rollen", exact=True)).to_have_count(0)

    # A board member approves in the portal.
    board_page = browser.new_context(base_url=live_server.url).new_page()
    browser_logged_in(board_page, board_member)
    board_page.goto(roles_url)
    board_entry = board_page.locator(f"#aanvraag-{role_request.pk}")
    expect(board_entry).to_contain_text(f"Aangevraagd door {functional_admin}")
    mail.outbox.clear()
    board_entry.get_by_role("button", name=re.compile("Goedkeuren")).click()
    expect(board_page.get_by_text("Goedgekeurd: de rol is gewijzigd en het bestuur is gemaild.")).to_be_visible()
    expect(board_page.get_by_text("Er wacht geen aanvraag.")).to_be_visible()
    expect(board_page.locator(f"tr#aanvraag-{role_request.pk}")).to_contain_text(f"Goedgekeurd door {board_member}")

    # The role holds from now on: the teacher's next page is the board's.
    assert teacher.role_assignments.filter(role="board", school=None).exists()
    teacher_page.goto(roles_url)
    expect(teacher_page.get_by_role("heading", name="Rollen aanvragen en goedkeuren")).to_be_visible()
    # And the board has it in writing (the new member too).
    decided = [m for m in mail.outbox if m.subject == "Rolwijziging goedgekeurd"]
    assert {m.to[0] for m in decided} == {board_member.email, teacher.email}
    assert f"goedgekeurd door {board_member}" in decided[0].body
