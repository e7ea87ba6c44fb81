"""An anonymous reporter on a phone: the contact fields go away, and nothing typed in them is kept."""

from __future__ import annotations

import pytest
from django.core import mail
from playwright.sync_api import expect

from reports.models import Report
from testing.axe import axe_violations

from .test_journeys import fill_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_ticking_anonymous_on_a_phone_hides_the_contact_fields_and_sends_none_of_them(
    live_server, browser, phone_context_args, school, school_leader
):
    phone = browser.new_context(**phone_context_args).new_page()
    phone.goto(f"{live_server.url}/report/")
    contact = phone.locator("#reporter-contact")
    # A pupil first starts as a named reporter and types a name, then changes their mind.
    phone.get_by_label("Uw naam").fill("Sanne de Vries")
    phone.get_by_label("Uw e-mailadres").fill("sanne@example.nl")
    phone.get_by_label("Uw telefoonnummer (niet verplicht)").fill("0612345678")
    fill_report(
        phone,
        school="Sint-Jozefschool",
        category="Pesten",
        platform="WhatsApp",
        description="In de klassenapp sturen ze steeds stickers over mijn gewicht.",
        involved=["Leerling"],
        reporter_role="Leerling",
        anonymous=True,
    )
    expect(phone.get_by_label("Uw naam")).to_be_hidden()
    expect(phone.get_by_label("Uw e-mailadres")).to_be_hidden()
    expect(phone.get_by_label("Uw telefoonnummer (niet verplicht)")).to_be_hidden()
    assert axe_violations(phone) == []

    # Unticking brings them back with what was typed; ticking again hides them again.
    phone.get_by_label("Ik meld anoniem").uncheck()
    expect(phone.get_by_label("Uw naam")).to_have_value("Sanne de Vries")
    expect(contact).to_be_visible()
    phone.get_by_label("Ik meld anoniem").check()
    expect(contact).to_be_hidden()

    with phone.expect_request(lambda request: request.method == "POST") as sent:
        phone.get_by_role("button", name="Melding versturen").click()
    body = sent.value.post_data_buffer or b""
    assert b"Sanne" not in body and b"sanne%40example.nl" not in body and b"0612345678" not in body
    expect(phone.get_by_role("heading", name="Dank u wel voor uw melding")).to_be_visible()
    report = Report.objects.get()
    assert report.is_anonymous
    assert (report.reporter_name, report.reporter_email, report.reporter_phone) == ("", "", "")
    assert not [message for message in mail.outbox if "sanne@example.nl" in message.to]


def test_after_an_error_the_anonymous_tick_still_hides_the_fields(live_server, browser, phone_context_args, school):
    phone = browser.new_context(**phone_context_args).new_page()
    phone.goto(f"{live_server.url}/report/")
    phone.get_by_label("Ik meld anoniem").check()
    phone.get_by_role("button", name="Melding versturen").click()  # nothing else filled in
    expect(phone.get_by_text("Niet alles is goed ingevuld")).to_be_visible()
    expect(phone.get_by_label("Ik meld anoniem")).to_be_checked()
    expect(phone.locator("#reporter-contact")).to_be_hidden()
    expect(phone.get_by_text("Vul uw naam in")).to_have_count(0)


def test_without_javascript_the_contact_fields_say_they_are_not_sent_when_anonymous(live_server, browser, school):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server.url}/report/")
    note = page.locator("#reporter-contact-note")
    expect(note).to_be_visible()
    expect(note).to_have_text("Meldt u anoniem? Dan wordt wat u hieronder invult niet verstuurd en niet bewaard.")
    expect(page.get_by_label("Uw naam")).to_be_visible()
    # What the note promises holds: typed and sent anyway, kept nowhere.
    page.get_by_label("Uw naam").fill("Sanne de Vries")
    page.get_by_label("Uw e-mailadres").fill("geen-geldig-adres")  # an anonymous reporter is not stopped by it
    page.get_by_label("Uw telefoonnummer (niet verplicht)").fill("0612345678")
    fill_report(
        page,
        school="Sint-Jozefschool",
        category="Pesten",
        platform="WhatsApp",
        description="Stickers over mijn gewicht.",
        involved=[],
        reporter_role="Leerling",
        anonymous=True,
    )
    page.get_by_role("button", name="Melding versturen").click()
    expect(page.get_by_role("heading", name="Dank u wel voor uw melding")).to_be_visible()
    report = Report.objects.get()
    assert (report.reporter_name, report.reporter_email, report.reporter_phone) == ("", "", "")
    assert report.reporter_user is None
