"""The consent receipt as a parent's mail server receives it (a real SMTP server, aiosmtpd).

A receipt is the decider's proof (AVG art. 7(1)): it says exactly what was given and what was not.
"""

from __future__ import annotations

import re

import pytest

from accounts.tests.factories import GuardianshipFactory, PupilFactory, UserFactory
from consent.constants import Method
from consent.services import consent_decide, consent_withdraw
from consent.tests.factories import current_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def mail_server(smtp_server, smtp_settings, settings):
    settings.PORTAL_BASE_URL = "https://portal.skow.nl"
    return smtp_settings(smtp_server())


@pytest.fixture
def mother_and_child(school):
    child = PupilFactory(school=school, first_name="Daan")
    mother = UserFactory(email="moeder@example.nl", password="")
    GuardianshipFactory(guardian=mother, pupil=child)
    return mother, child


def _received(server, address):
    (received,) = [mail for mail in server.received if address in mail.recipients]
    message = received.message()
    text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    return message, text, message.get_body(("html",)).get_content()


def _section(text: str, heading: str) -> str:
    """The lines of ``text`` under ``heading`` up to the next empty line."""
    return text.split(heading, 1)[1].split("\n\n", 1)[0]


def test_the_receipt_lists_what_was_given_and_what_was_not_and_never_a_no_as_consent(
    mail_server, mother_and_child, django_capture_on_commit_callbacks
):
    mother, child = mother_and_child
    with django_capture_on_commit_callbacks(execute=True):
        decision = consent_decide(
            decided_by=mother,
            form=current_form(),
            answers={"website": {"photo": True, "film": True}, "school_guide": {"photo": True}},
            method=Method.LOGGED_IN,
            pupil=child,
        )
    message, text, html = _received(mail_server, mother.email)

    given = _section(text, "U gaf toestemming voor:")
    assert given.strip().splitlines() == ["- Schoolgids en folders: Foto", "- Website van de school: Foto, Film"]
    not_given = _section(text, "U gaf geen toestemming voor:")
    assert not_given.strip().splitlines() == [
        "- Schoolgids en folders: Film, Geluid",
        "- Website van de school: Geluid",
        "- Nieuwsbrief en ouderapp: Foto, Film, Geluid",
        "- Sociale-media-accounts van de school: Foto, Film, Geluid",
        "- Sociale media van medewerkers over schoolactiviteiten: Foto, Film, Geluid",
    ]
    assert "nee" not in text.lower().split("u gaf toestemming voor:")[1].split("u gaf geen")[0]
    given_html = html.split("U gaf toestemming voor:")[1].split("U gaf geen toestemming voor:")[0]
    assert "Nieuwsbrief" not in given_html and "Geluid" not in given_html

    # The check value: whole in the HTML (which may wrap it), in two halves of 32 in the text.
    assert decision.text_sha256 in html
    assert re.search(r"word-break:break-all[^>]*>" + decision.text_sha256 + "<", html)
    assert f"{decision.text_sha256[:32]}\n{decision.text_sha256[32:]}" in text
    # Nothing a phone cannot wrap: no word longer than 40 characters but the link.
    assert [word for word in text.split() if len(word) > 40 and not word.startswith("https://")] == []

    # The shared layout: readable on a phone, an id in the portal's domain, and a sign-off.
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert re.fullmatch(r"<skow\.\d+\.\d{20}@portal\.skow\.nl>", message["Message-ID"])
    assert "localhost" not in message["Message-ID"]
    assert text.rstrip().endswith("antwoorden op deze e-mail worden niet gelezen.")
    assert "Met vriendelijke groet,\nSKOW Portal\nStichting Katholiek Onderwijs Wassenaar" in text


def test_a_receipt_with_nothing_ticked_says_nothing_was_given(
    mail_server, mother_and_child, django_capture_on_commit_callbacks
):
    mother, child = mother_and_child
    with django_capture_on_commit_callbacks(execute=True):
        consent_decide(decided_by=mother, form=current_form(), answers={}, method=Method.LOGGED_IN, pupil=child)
    _message, text, html = _received(mail_server, mother.email)
    assert "U gaf voor niets toestemming." in text and "U gaf voor niets toestemming." in html
    assert "U gaf toestemming voor:" not in text and "U gaf toestemming voor:" not in html
    assert _section(text, "U gaf geen toestemming voor:").count("- ") == 5


def test_a_withdrawal_receipt_says_everything_is_withdrawn_and_lists_no_consent(
    mail_server, mother_and_child, django_capture_on_commit_callbacks
):
    mother, child = mother_and_child
    with django_capture_on_commit_callbacks(execute=True):
        consent_withdraw(decided_by=mother, method=Method.LOGGED_IN, pupil=child)
    _message, text, _html = _received(mail_server, mother.email)
    assert "U heeft alle toestemming ingetrokken." in text
    assert "U gaf toestemming voor:" not in text


def test_each_receipt_gets_its_own_message_id_and_a_resend_keeps_it(mother_and_child, settings):
    from notifications.models import Notification
    from notifications.services import message_id_for

    settings.PORTAL_BASE_URL = "https://portal.skow.nl/"
    mother, child = mother_and_child
    for _ in range(2):
        consent_decide(decided_by=mother, form=current_form(), answers={}, method=Method.LOGGED_IN, pupil=child)
    first, second = Notification.objects.filter(template="consent/email/receipt", channel="email").order_by("pk")
    assert message_id_for(first) != message_id_for(second)
    assert message_id_for(first) == message_id_for(Notification.objects.get(pk=first.pk))
    assert message_id_for(first).endswith("@portal.skow.nl>")
