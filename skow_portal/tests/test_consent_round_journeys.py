"""Protocol A.5 after a change, in a real browser: the board adopts a version with a changed A.5, the
school leader starts the new round it offers, a parent answers again from the e-mail, and the proof
shows both answers, each with the text of A.5 it was given under."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import current_school_year
from accounts.tests.factories import GroupFactory, GuardianshipFactory, PupilFactory, UserFactory
from consent.constants import Method
from consent.models import ConsentDecision
from consent.services import consent_decide
from consent.tests.factories import current_form
from policy.tests.factories import ProtocolVersionFactory, version_1
from testing.axe import axe_violations
from testing.mail import mailed_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_A5 = (
    "De onderwijsinstelling vraagt aantoonbaar schriftelijke toestemming aan medewerkers, ouders of aan "
    "leerlingen van 16 jaar en ouder om foto-, film- en geluidsopnamen, ook in de nieuwsbrief."
)


def test_a_changed_a5_offers_a_new_round_a_parent_answers_again_and_the_proof_shows_both_texts(
    live_server, browser, school, school_leader, board_member, browser_logged_in
):
    first = version_1()
    form = current_form()
    group = GroupFactory(school=school, school_year=current_school_year(), grade=5, name="5a")
    parent = UserFactory(email="karin@example.nl", password="", first_name="Karin", last_name="Bakker")
    noor = GuardianshipFactory(guardian=parent, pupil=PupilFactory(school=school, group=group, first_name="Noor")).pupil
    # Before the change the parent said no to everything: that answer stays on record.
    earlier = consent_decide(decided_by=parent, form=form, answers={}, method=Method.LOGGED_IN, pupil=noor)
    start = first.body.index("De onderwijsinstelling vraagt aantoonbaar")
    end = first.body.index("sociale media te zetten.", start) + len("sociale media te zetten.")
    draft = ProtocolVersionFactory(
        consented=True, body=first.body[:start] + NEW_A5 + first.body[end:], based_on=first, change_note="A.5 nieuw."
    )

    # The board adopts the version with the changed A.5.
    today = timezone.localdate().isoformat()
    board = browser_logged_in(browser.new_context().new_page(), board_member)
    board.goto(live_server.url + reverse("policy:draft", args=[draft.pk]))
    board.get_by_label("Vastgesteld op").fill(today)
    board.get_by_label("In werking vanaf").fill(today)
    board.get_by_role("button", name="Vaststellen").click()
    expect(board.get_by_text("is vastgesteld en geldt vanaf vandaag")).to_be_visible()
    board.context.close()

    # The school leader is told and finds the new round offered on the campaigns page.
    leader = browser_logged_in(browser.new_context().new_page(), school_leader)
    leader.goto(f"{live_server.url}/consent/campaigns/")
    offered = leader.get_by_test_id("rounds-offered")
    expect(offered).to_contain_text("Artikel A.5 van het protocol is gewijzigd")
    offered.get_by_text("Nieuwe tekst lezen").click()
    expect(offered).to_contain_text("ook in de nieuwsbrief")
    assert axe_violations(leader) == []
    offered.get_by_role("button", name="Nieuwe ronde starten voor Sint-Jozefschool").click()
    expect(leader.get_by_text("De nieuwe ronde is gestart.")).to_be_visible()
    expect(leader.get_by_text("Een nieuwe ronde: de tekst over toestemming is gewijzigd")).to_be_visible()
    leader.goto(f"{live_server.url}/consent/campaigns/")
    expect(leader.get_by_test_id("rounds-offered")).to_have_count(0)
    leader.context.close()

    # The parent is asked again by e-mail, answers with the personal link, and the new answer counts.
    again = [m for m in mail.outbox if m.to == [parent.email] and m.subject.startswith("Opnieuw uw keuze gevraagd")]
    assert again and "Uw eerdere antwoord blijft bewaard" in again[-1].body
    phone = browser.new_context().new_page()
    phone.goto(live_server.url + mailed_path(parent.email, r"/consent/invitation/\S+/"))
    phone.get_by_role("region", name=noor.full_name, exact=True).get_by_label("Website van de school: Foto").check()
    phone.get_by_role("button", name="Keuzes opslaan").click()
    expect(phone.get_by_text("Opgeslagen voor Noor")).to_be_visible()
    phone.context.close()
    latest = ConsentDecision.objects.exclude(pk=earlier.pk).get(pupil=noor)
    assert ConsentDecision.objects.filter(pupil=noor).count() == 2

    # The proof of the new answer names version 2's A.5; the earlier one is listed and names version 1's.
    proof = browser_logged_in(browser.new_context().new_page(), parent)
    proof.goto(live_server.url + reverse("consent:proof", args=[latest.pk]))
    expect(proof.get_by_test_id("article-text")).to_contain_text("versie 2, artikel A.5")
    expect(proof.get_by_test_id("article-text")).to_contain_text("ook in de nieuwsbrief")
    history = proof.get_by_test_id("decision-history")
    expect(history.locator("tbody tr")).to_have_count(2)
    expect(history).to_contain_text("versie 1, artikel A.5")
    assert axe_violations(proof) == []
    history.locator("tbody tr").nth(1).get_by_role("link").click()
    expect(proof.get_by_test_id("article-text")).to_contain_text("versie 1, artikel A.5")
    expect(proof.get_by_test_id("article-text")).to_contain_text("ouder dan 16 jaar")
    proof.context.close()
