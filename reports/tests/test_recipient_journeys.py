"""Whom a reporter turns to, in a real browser (WPO art. 4c): the "Bij wie kan ik terecht?" page, the
aanspreekpunt pesten who handles a bullying report, and a vertrouwenspersoon who keeps a parent's
worry from the school leader until handing it on."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.constants import SafetyRole
from accounts.models import SafetyRoleHolder
from accounts.tests.factories import UserFactory
from reports.models import Case

from .test_journeys import fill_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _holder(school, role, user):
    SafetyRoleHolder.objects.create(
        school=school, role=role, user=user, valid_from=timezone.localdate() - datetime.timedelta(days=10)
    )
    return user


def test_a_pupil_finds_the_aanspreekpunt_reports_bullying_to_them_and_they_handle_it(
    live_server, browser, school, school_leader, browser_logged_in
):
    contact = _holder(
        school,
        SafetyRole.ANTI_BULLYING_CONTACT,
        UserFactory(first_name="Fatima", last_name="Yilmaz", email="ap@example.nl", roles=[("staff", school)]),
    )
    SafetyRoleHolder.objects.create(
        school=school,
        role=SafetyRole.ANTI_BULLYING_CONTACT,
        name="Oud Aanspreekpunt",
        valid_from=timezone.localdate() - datetime.timedelta(days=400),
        valid_to=timezone.localdate() - datetime.timedelta(days=1),
    )

    # From any page's footer to the school's contacts: the current aanspreekpunt, not the former one.
    pupil = browser.new_page()
    pupil.goto(f"{live_server.url}/protocol/")
    pupil.get_by_role("contentinfo").get_by_role("link", name="Bij wie kan ik terecht?").click()
    pupil.get_by_role("link", name="Sint-Jozefschool").click()
    contacts = pupil.get_by_test_id("role-anti_bullying_contact")
    expect(contacts).to_contain_text("Fatima Yilmaz")
    expect(contacts).not_to_contain_text("Oud Aanspreekpunt")
    expect(pupil.get_by_test_id("inspector-phone")).to_have_text("0900-1113111")

    # The pupil reports bullying, anonymously, to the aanspreekpunt.
    pupil.get_by_role("link", name="Een melding doen").click()
    fill_report(
        pupil,
        school="Sint-Jozefschool",
        category="Pesten",
        platform="WhatsApp",
        description="In de groepsapp van groep 7 schelden ze me elke avond uit.",
        involved=["Leerling"],
        reporter_role="Leerling",
        anonymous=True,
    )
    pupil.get_by_role("group", name="Wie krijgt uw melding?").get_by_label("Het aanspreekpunt pesten").check()
    pupil.get_by_role("button", name="Melding versturen").click()
    code = pupil.get_by_test_id("receipt-code").inner_text().strip()
    case = Case.objects.get()

    # The aanspreekpunt finds it among the cases, opens it and writes feedback to the pupil.
    handler = browser.new_page()
    browser_logged_in(handler, contact)
    handler.goto(f"{live_server.url}/cases/")
    handler.get_by_role("link", name=case.number).click()
    expect(handler.get_by_test_id("case-recipient")).to_contain_text("Het aanspreekpunt pesten")
    expect(handler.get_by_test_id("sanctions-panel")).to_have_count(0)  # measures are the leadership's
    handler.get_by_label("Bericht aan de melder").fill("Ik ga morgen met groep 7 praten. Laat je weten of het stopt?")
    handler.get_by_label("Terugkoppeling: wat er met uw melding is gedaan").check()
    handler.get_by_role("button", name="Bericht versturen").click()
    expect(handler.get_by_text("Uw terugkoppeling aan de melder is verstuurd.")).to_be_visible()

    # The pupil reads who has it, and the feedback.
    later = browser.new_page()
    later.goto(f"{live_server.url}/report/follow/")
    later.get_by_label("Uw ontvangstcode").fill(code)
    later.get_by_role("button", name="Melding bekijken").click()
    expect(later.get_by_test_id("case-holder")).to_have_text("Het aanspreekpunt pesten en de schoolleiding.")
    expect(later.get_by_text("Ik ga morgen met groep 7 praten.")).to_be_visible()


def test_a_parents_worry_sent_to_the_vertrouwenspersoon_stays_hidden_from_the_leader_until_handed_on(
    live_server, browser, school, school_leader, parent, browser_logged_in
):
    confidant = _holder(
        school,
        SafetyRole.INTERNAL_CONFIDANT,
        UserFactory(first_name="Lotte", last_name="Kramer", email="vp@example.nl", roles=[("staff", school)]),
    )
    # The parent, logged in, sends a worry about a teacher to the vertrouwenspersoon, with her name.
    page = browser.new_page()
    browser_logged_in(page, parent)
    page.goto(f"{live_server.url}/report/")
    fill_report(
        page,
        school="Sint-Jozefschool",
        category="Anderszins beschadigen",
        platform="WhatsApp",
        description="Een leerkracht schrijft in de klassenapp kleinerend over mijn dochter.",
        involved=["Medewerker", "Leerling"],
        reporter_role="Ouder/verzorger",
        anonymous=False,
    )
    page.get_by_label("Uw naam").fill("Karin Bakker")
    page.get_by_role("group", name="Wie krijgt uw melding?").get_by_label("De interne vertrouwenspersoon").check()
    page.get_by_role("button", name="Melding versturen").click()
    code = page.get_by_test_id("receipt-code").inner_text().strip()
    case = Case.objects.get()

    # The school leader does not find it and gets "not found" at its address.
    leader = browser.new_page()
    browser_logged_in(leader, school_leader)
    leader.goto(f"{live_server.url}/cases/")
    expect(leader.get_by_role("link", name=case.number)).to_have_count(0)
    response = leader.goto(f"{live_server.url}/cases/{case.pk}/")
    assert response.status == 404

    # The follow-up page tells the parent who has it.
    page.goto(f"{live_server.url}/report/follow/")
    page.get_by_label("Uw ontvangstcode").fill(code)
    page.get_by_role("button", name="Melding bekijken").click()
    expect(page.get_by_test_id("case-holder")).to_contain_text("De interne vertrouwenspersoon")

    # The vertrouwenspersoon reads it and hands it on, with a reason and the parent's consent.
    vp = browser.new_page()
    browser_logged_in(vp, confidant)
    vp.goto(f"{live_server.url}/cases/")
    vp.get_by_role("link", name=case.number).click()
    vp.get_by_label("Waarom geeft u dit dossier door?").fill("Moeder wil dat de directeur het gesprek voert.")
    vp.get_by_role("button", name="Doorgeven").click()
    expect(vp.get_by_text("alleen door als de melder instemt")).to_be_visible()  # consent first
    expect(vp.get_by_label("Waarom geeft u dit dossier door?")).to_have_value(
        "Moeder wil dat de directeur het gesprek voert."
    )
    vp.get_by_label("De melder stemt ermee in dat de school de melding krijgt").check()
    vp.get_by_role("button", name="Doorgeven").click()
    expect(vp.get_by_text("Het dossier is doorgegeven aan de school.")).to_be_visible()

    # Now the leader has it.
    leader.goto(f"{live_server.url}/cases/{case.pk}/")
    expect(leader.get_by_text("Moeder wil dat de directeur het gesprek voert.")).to_be_visible()
