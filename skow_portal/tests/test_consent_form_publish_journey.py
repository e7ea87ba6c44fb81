"""Protocol A.5 when the consent form asks something new, in a real browser: the board drafts the next
form version with a new purpose, previews and publishes it; a school leader finds the new round offered
and starts it; a parent is asked again by e-mail."""

from __future__ import annotations

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import current_school_year
from accounts.tests.factories import GroupFactory, GuardianshipFactory, PupilFactory, UserFactory
from consent.constants import Method
from consent.selectors import consent_form_current
from consent.services import consent_decide
from consent.tests.factories import current_form
from policy.tests.factories import version_1
from testing.axe import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_board_publishes_a_form_version_with_a_new_purpose_and_a_school_starts_the_round(
    live_server, browser, school, school_leader, board_member, browser_logged_in
):
    version_1()
    form = current_form()
    group = GroupFactory(school=school, school_year=current_school_year(), grade=8, name="8a")
    parent = UserFactory(email="karin@example.nl", password="", first_name="Karin", last_name="Bakker")
    noor = GuardianshipFactory(guardian=parent, pupil=PupilFactory(school=school, group=group, first_name="Noor")).pupil
    consent_decide(decided_by=parent, form=form, answers={}, method=Method.LOGGED_IN, pupil=noor)

    # The board opens the next version from the menu's form texts, first changing nothing: refused.
    board = browser_logged_in(browser.new_context().new_page(), board_member)
    board.goto(f"{live_server.url}/consent/forms/")
    board.get_by_role("link", name="Nieuwe versie maken").click()
    expect(board.get_by_test_id("current-form")).to_contain_text(form.purposes[0]["label"])
    assert axe_violations(board) == []
    board.get_by_role("button", name="Voorbeeld bekijken").click()
    expect(board.get_by_text("Er is niets veranderd ten opzichte van versie 1")).to_be_visible()

    # A new purpose: the preview says a new round follows; publishing needs the confirmation.
    board.get_by_label("Nieuw doel", exact=True).fill("Jaarboek groep 8")
    board.get_by_label("Uitleg bij het nieuwe doel").fill("Het gedrukte jaarboek dat groep 8 meekrijgt.")
    board.get_by_role("button", name="Voorbeeld bekijken").click()
    preview = board.get_by_test_id("preview")
    expect(preview).to_contain_text("Voorbeeld van versie 2")
    expect(preview).to_contain_text("nieuw doel: Jaarboek groep 8")
    assert axe_violations(board) == []
    board.get_by_role("button", name="Versie 2 publiceren").click()
    expect(board.get_by_text("Vink aan dat u het voorbeeld hebt gelezen")).to_be_visible()
    expect(board.get_by_label("Nieuw doel", exact=True)).to_have_value("Jaarboek groep 8")  # kept
    board.get_by_label("Ik heb het voorbeeld gelezen en wil deze versie publiceren.").check()
    board.get_by_role("button", name="Versie 2 publiceren").click()
    expect(board.get_by_text("krijgt elke school een nieuwe ronde aangeboden")).to_be_visible()
    board.context.close()
    assert consent_form_current().version == 2

    # The school leader finds the round offered and starts it.
    leader = browser_logged_in(browser.new_context().new_page(), school_leader)
    leader.goto(f"{live_server.url}/consent/campaigns/")
    offered = leader.get_by_test_id("rounds-offered")
    offered.get_by_text("Nieuwe tekst lezen").click()
    expect(offered).to_contain_text("Jaarboek groep 8")
    offered.get_by_role("button", name="Nieuwe ronde starten voor Sint-Jozefschool").click()
    expect(leader.get_by_text("De nieuwe ronde is gestart.")).to_be_visible()
    leader.context.close()

    # The parent is asked again.
    again = [m for m in mail.outbox if m.to == [parent.email] and m.subject.startswith("Opnieuw uw keuze gevraagd")]
    assert again and "Uw eerdere antwoord blijft bewaard" in again[-1].body
