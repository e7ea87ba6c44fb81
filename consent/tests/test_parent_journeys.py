"""A parent with several children, on a phone and with or without JavaScript: no tick is ever lost,
and "Wat nu geldt" shows what applies (protocol A.5)."""

from __future__ import annotations

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.tests.factories import GuardianshipFactory, PupilFactory, UserFactory
from consent.constants import Method
from consent.selectors import current_consent_for_pupil
from consent.services import consent_decide
from consent.tests.factories import current_form
from testing.axe import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"viewport": {"width": 1280, "height": 900}}


def family(school, names):
    parent = UserFactory(email="ouder@example.nl", password="", first_name="Fien", last_name="Kallen")
    kids = [GuardianshipFactory(guardian=parent, pupil=PupilFactory(school=school, first_name=n)).pupil for n in names]
    return parent, kids


def card(page, pupil):
    return page.locator("section", has=page.get_by_role("heading", name=pupil.full_name))


def test_parent_of_three_on_a_phone_saves_once_and_withdraws_one_child_without_losing_a_tick(
    live_server, browser, phone_context_args, school, browser_logged_in
):
    parent, (anna, bram, cas) = family(school, ("Anna", "Bram", "Cas"))
    page = browser.new_context(**phone_context_args).new_page()
    browser_logged_in(page, parent)
    page.goto(f"{live_server.url}/consent/")

    card(page, anna).get_by_label("Website van de school: Foto").check()
    expect(card(page, anna).get_by_text("Nog niet opgeslagen")).to_be_visible()
    expect(card(page, bram).get_by_text("Nog niet opgeslagen")).to_be_hidden()
    card(page, bram).get_by_label("Nieuwsbrief en ouderapp: Film").check()
    card(page, cas).get_by_label("Website van de school: Foto").check()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Keuzes opslaan").click()
    expect(page.get_by_text("Opgeslagen voor Anna, Bram en Cas")).to_be_visible()
    assert current_consent_for_pupil(anna).allows("website", "photo")
    assert current_consent_for_pupil(bram).allows("newsletter", "film")
    assert current_consent_for_pupil(cas).allows("website", "photo")
    expect(card(page, cas).get_by_text("Nog niet opgeslagen")).to_be_hidden()

    # A new tick for Cas, then Anna's consent is withdrawn before saving: Cas's tick stays, with a warning.
    card(page, cas).get_by_label("Website van de school: Film").check()
    card(page, anna).get_by_role("button", name="Alle toestemming voor Anna intrekken").click()
    expect(page.get_by_text("De toestemming voor Anna is ingetrokken")).to_be_visible()
    expect(page.get_by_text("uw wijzigingen voor Cas zijn nog niet opgeslagen")).to_be_visible()
    expect(card(page, cas).get_by_label("Website van de school: Film")).to_be_checked()
    expect(card(page, cas).get_by_text("Nog niet opgeslagen")).to_be_visible()
    expect(card(page, bram).get_by_label("Nieuwsbrief en ouderapp: Film")).to_be_checked()
    assert not current_consent_for_pupil(anna).allows("website", "photo")
    assert not current_consent_for_pupil(cas).allows("website", "film")
    assert axe_violations(page) == []

    # By keyboard: Enter in a checkbox saves, never the "intrekken" button that comes first in the form.
    card(page, cas).get_by_label("Website van de school: Film").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Opgeslagen voor Cas")).to_be_visible()
    assert current_consent_for_pupil(cas).allows("website", "film")
    assert current_consent_for_pupil(bram).allows("newsletter", "film")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing scrolls sideways


@pytest.mark.parametrize("names", [("Anna", "Bram"), ("Anna", "Bram", "Cas")])
def test_without_javascript_a_withdrawal_keeps_the_other_childrens_ticks(
    live_server, browser, school, browser_logged_in, names
):
    parent, kids = family(school, names)
    first, *others = kids
    consent_decide(
        decided_by=parent,
        form=current_form(),
        answers={"website": {"photo": True}},
        method=Method.LOGGED_IN,
        pupil=first,
    )
    page = browser.new_context(java_script_enabled=False, **DESKTOP).new_page()
    browser_logged_in(page, parent)
    page.goto(f"{live_server.url}/consent/")
    for kid in others:
        card(page, kid).get_by_label("Schoolgids en folders: Foto").check()
    card(page, first).get_by_role("button", name=f"Alle toestemming voor {first.first_name} intrekken").click()
    expect(page.get_by_text(f"De toestemming voor {first.first_name} is ingetrokken")).to_be_visible()
    for kid in others:
        expect(card(page, kid).get_by_label("Schoolgids en folders: Foto")).to_be_checked()
        expect(card(page, kid).get_by_text("Nog niet opgeslagen")).to_be_visible()
        assert not current_consent_for_pupil(kid).allows("school_guide", "photo")
    page.get_by_role("button", name="Keuzes opslaan").click()
    expect(page.get_by_text("Opgeslagen voor")).to_be_visible()
    for kid in others:
        assert current_consent_for_pupil(kid).allows("school_guide", "photo")
    assert not current_consent_for_pupil(first).allows("website", "photo")


@pytest.mark.parametrize("width", [390, 1280])
def test_parent_sees_what_applies_when_the_other_parent_said_no(live_server, browser, school, browser_logged_in, width):
    father, (anna,) = family(school, ("Anna",))
    mother = UserFactory(email="moeder@example.nl", password="", first_name="Ans", last_name="Visser")
    GuardianshipFactory(guardian=mother, pupil=anna)
    both = {"school_guide": {"photo": True}}
    consent_decide(
        decided_by=father,
        form=current_form(),
        answers={**both, "website": {"photo": True}},
        method=Method.LOGGED_IN,
        pupil=anna,
    )
    consent_decide(decided_by=mother, form=current_form(), answers=both, method=Method.LOGGED_IN, pupil=anna)
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    browser_logged_in(page, father)
    page.goto(f"{live_server.url}/consent/")
    anna_card = card(page, anna)
    expect(anna_card.get_by_label("Website van de school: Foto")).to_be_checked()  # his own answer, marked:
    expect(anna_card.get_by_text("telt niet", exact=True)).to_be_visible()
    applies = anna_card.get_by_test_id(f"applies-p{anna.pk}")
    expect(applies.get_by_role("row", name="Website van de school")).to_contain_text("nee")
    expect(applies.get_by_role("row", name="Website van de school")).not_to_contain_text("ja")
    expect(applies.get_by_role("row", name="Schoolgids")).to_contain_text("ja")
    expect(anna_card.get_by_test_id(f"disagreements-p{anna.pk}")).to_contain_text(
        "Website van de school, Foto: Ans Visser koos nee, dus dit mag niet."
    )
    assert axe_violations(page) == []


def test_campaign_link_changes_and_withdraws_later_in_the_year_without_a_login_link(
    live_server, browser, phone_context_args, school, school_leader, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from accounts.models import current_school_year
    from consent.campaigns import consent_campaign_remind, consent_campaign_start
    from consent.models import ConsentInvitation
    from testing.mail import mailed_path

    parent, (noor, sem) = family(school, ("Noor", "Sem"))
    with django_capture_on_commit_callbacks(execute=True):
        consent_campaign_start(school=school, school_year=current_school_year(), started_by=school_leader)
    link = live_server.url + mailed_path(parent.email, r"/consent/invitation/\S+/")
    # A week later a reminder comes; the parent still taps the link in the first e-mail.
    sent = ConsentInvitation.objects.get(recipient=parent).sent_at
    with django_capture_on_commit_callbacks(execute=True):
        assert consent_campaign_remind(now=sent + timedelta(days=7, minutes=1)) >= 1
    to_parent = [message for message in mail.outbox if message.to == [parent.email]]
    assert len(to_parent) == 2 and to_parent[-1].subject.startswith("Herinnering:")
    assert live_server.url + mailed_path(parent.email, r"/consent/invitation/\S+/") == link  # the same link

    phone = browser.new_context(**phone_context_args).new_page()
    phone.goto(link)
    expect(phone.get_by_test_id("link-valid")).to_contain_text("1 augustus")
    card(phone, noor).get_by_label("Website van de school: Foto").check()
    card(phone, sem).get_by_label("Website van de school: Foto").check()
    phone.get_by_role("button", name="Keuzes opslaan").click()
    expect(phone.get_by_text("Opgeslagen voor Noor en Sem")).to_be_visible()
    assert current_consent_for_pupil(sem).allows("website", "photo")

    # Months later, on another phone (no cookie): the same e-mailed link, no login link needed.
    later = browser.new_context(**phone_context_args).new_page()
    later.goto(link)
    expect(card(later, sem).get_by_label("Website van de school: Foto")).to_be_checked()
    card(later, noor).get_by_label("Schoolgids en folders: Film").check()
    card(later, sem).get_by_role("button", name="Alle toestemming voor Sem intrekken").click()
    expect(later.get_by_text("De toestemming voor Sem is ingetrokken")).to_be_visible()
    expect(later.get_by_text("uw wijzigingen voor Noor zijn nog niet opgeslagen")).to_be_visible()
    expect(card(later, noor).get_by_label("Schoolgids en folders: Film")).to_be_checked()
    assert not current_consent_for_pupil(sem).allows("website", "photo")
    later.get_by_role("button", name="Keuzes opslaan").click()
    expect(later.get_by_text("Opgeslagen voor Noor")).to_be_visible()
    assert current_consent_for_pupil(noor).allows("school_guide", "film")
    assert current_consent_for_pupil(noor).allows("website", "photo")
    assert axe_violations(later) == []


def test_a_fourth_login_link_in_an_hour_is_refused_in_plain_dutch(live_server, browser, phone_context_args, school):
    from django.core import mail

    parent, _kids = family(school, ("Noor",))
    page = browser.new_context(**phone_context_args).new_page()
    for _ in range(3):
        page.goto(f"{live_server.url}/accounts/login/link/")
        page.get_by_label("E-mailadres").fill(parent.email)
        page.get_by_role("button", name="Stuur mij een inloglink").click()
        expect(page.get_by_role("heading", name="Kijk in uw e-mail")).to_be_visible()
    page.goto(f"{live_server.url}/accounts/login/link/")
    page.get_by_label("E-mailadres").fill(parent.email)
    page.get_by_role("button", name="Stuur mij een inloglink").click()
    expect(page.get_by_text("Er is nu geen e-mail verstuurd")).to_be_visible()
    expect(page.get_by_text("Probeer het om")).to_be_visible()
    expect(page.get_by_role("heading", name="Kijk in uw e-mail")).to_have_count(0)
    expect(page.get_by_label("E-mailadres")).to_have_value(parent.email)
    assert len([m for m in mail.outbox if m.to == [parent.email]]) == 3
    assert axe_violations(page) == []


@pytest.mark.parametrize("width", [390, 1280])
def test_after_logging_in_the_home_page_shows_each_childs_consent_and_the_campaign(
    live_server, browser, school, school_leader, browser_logged_in, width, django_capture_on_commit_callbacks
):
    from accounts.models import current_school_year
    from consent.campaigns import consent_campaign_start

    parent, (anna, bram) = family(school, ("Anna", "Bram"))
    consent_decide(
        decided_by=parent,
        form=current_form(),
        answers={"website": {"photo": True}},
        method=Method.LOGGED_IN,
        pupil=anna,
    )
    with django_capture_on_commit_callbacks(execute=True):
        consent_campaign_start(school=school, school_year=current_school_year(), started_by=school_leader)
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    browser_logged_in(page, parent)
    expect(page).to_have_url(f"{live_server.url}/")
    block = page.get_by_test_id("home-consent")
    expect(block).to_be_in_viewport()
    expect(block).to_contain_text(anna.full_name)
    expect(block).to_contain_text("Toestemming voor Website van de school: foto.")
    expect(block).to_contain_text(bram.full_name)
    expect(block).to_contain_text("Nog geen keuze gemaakt")
    expect(block).to_contain_text(f"{school.name} vraagt uw keuze voor schooljaar {current_school_year()}")
    assert axe_violations(page) == []
    block.get_by_role("link", name="Toestemming bekijken of wijzigen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Toestemming voor foto's, film en geluid")


def test_school_invites_a_pupil_of_sixteen_who_decides_and_the_parent_sees_it(
    live_server,
    browser,
    phone_context_args,
    school,
    school_leader,
    browser_logged_in,
    django_capture_on_commit_callbacks,
):
    from accounts.models import current_school_year
    from consent.campaigns import consent_campaign_start
    from testing.mail import mailed_path

    mother, (lotte,) = family(school, ("Lotte",))
    consent_decide(
        decided_by=mother,
        form=current_form(),
        answers={"website": {"photo": True}},
        method=Method.LOGGED_IN,
        pupil=lotte,
    )
    lotte.date_of_birth = PupilFactory.build(sixteen_plus=True).date_of_birth
    lotte.save(update_fields=["date_of_birth"])
    with django_capture_on_commit_callbacks(execute=True):
        consent_campaign_start(school=school, school_year=current_school_year(), started_by=school_leader)

    # The leader, on a phone, finds Lotte without a login and invites her on her own address.
    leader = browser.new_context(**phone_context_args).new_page()
    browser_logged_in(leader, school_leader)
    leader.goto(f"{live_server.url}/consent/sixteen/")
    entry = leader.get_by_test_id(f"pupil-{lotte.pk}")
    expect(entry).to_contain_text("geen login")
    entry.get_by_label("E-mailadres van de leerling zelf").fill(mother.email)
    entry.get_by_role("button", name="Lotte uitnodigen").click()
    entry = leader.get_by_test_id(f"pupil-{lotte.pk}")
    expect(entry).to_contain_text("hoort al bij een ander account")
    assert axe_violations(leader) == []
    entry.get_by_label("E-mailadres van de leerling zelf").fill("lotte@example.nl")
    entry.get_by_role("button", name="Lotte uitnodigen").click()
    expect(leader.get_by_text("is uitgenodigd om zelf te kiezen")).to_be_visible()
    expect(leader.get_by_test_id(f"pupil-{lotte.pk}")).to_contain_text("uitgenodigd")
    assert axe_violations(leader) == []

    # The mother sees that Lotte decides now; her answer counts until Lotte chooses.
    parent_page = browser.new_context(**phone_context_args).new_page()
    browser_logged_in(parent_page, mother)
    expect(parent_page.get_by_test_id("home-consent")).to_contain_text("beslist zelf")
    parent_page.goto(f"{live_server.url}/consent/")
    expect(parent_page.get_by_test_id("pupil-decides")).to_contain_text("De school heeft Lotte op")
    expect(parent_page.get_by_role("button", name="Keuzes opslaan")).to_have_count(0)

    # Lotte opens her link on her phone and decides herself.
    phone = browser.new_context(**phone_context_args).new_page()
    phone.goto(live_server.url + mailed_path("lotte@example.nl", r"/consent/invitation/\S+/"))
    card(phone, lotte).get_by_label("Schoolgids en folders: Foto").check()
    phone.get_by_role("button", name="Keuzes opslaan").click()
    expect(phone.get_by_text("Opgeslagen voor Lotte")).to_be_visible()
    assert current_consent_for_pupil(lotte).allows("school_guide", "photo")
    assert not current_consent_for_pupil(lotte).allows("website", "photo")

    parent_page.reload()
    expect(parent_page.get_by_test_id("pupil-decides")).to_contain_text("geldt de keuze van Lotte")
    expect(card(parent_page, lotte).get_by_test_id(f"applies-p{lotte.pk}")).to_contain_text("ja")
    assert axe_violations(parent_page) == []


def test_invitation_page_and_pupils_of_sixteen_pass_axe_at_desktop_width(
    live_server, browser, school, school_leader, browser_logged_in, django_capture_on_commit_callbacks
):
    from accounts.models import current_school_year
    from consent.campaigns import consent_campaign_start
    from testing.mail import mailed_path

    parent, (noor,) = family(school, ("Noor",))
    PupilFactory(school=school, first_name="Lotte", sixteen_plus=True)
    with django_capture_on_commit_callbacks(execute=True):
        consent_campaign_start(school=school, school_year=current_school_year(), started_by=school_leader)
    page = browser.new_context(**DESKTOP).new_page()
    page.goto(live_server.url + mailed_path(parent.email, r"/consent/invitation/\S+/"))
    expect(card(page, noor)).to_be_visible()
    assert axe_violations(page) == []
    leader = browser.new_context(**DESKTOP).new_page()
    browser_logged_in(leader, school_leader)
    leader.goto(f"{live_server.url}/consent/sixteen/")
    leader.get_by_role("button", name="Lotte uitnodigen").click()
    expect(leader.get_by_text("Vul het eigen e-mailadres van de leerling in")).to_be_visible()
    expect(leader.get_by_label("E-mailadres van de leerling zelf")).to_have_attribute("aria-invalid", "true")
    assert axe_violations(leader) == []
