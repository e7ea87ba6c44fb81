"""A leader's notice of a new report as the school's mail server receives it (aiosmtpd)."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from reports.services import report_submit

pytestmark = pytest.mark.django_db


def test_the_leaders_notice_has_no_content_a_sign_off_in_plain_text_and_the_portals_message_id(
    school, school_leader, smtp_server, smtp_settings, settings, django_capture_on_commit_callbacks
):
    settings.PORTAL_BASE_URL = "https://portal.skow.nl"
    server = smtp_settings(smtp_server())
    with django_capture_on_commit_callbacks(execute=True):
        report_submit(
            school=school,
            category="bullying",
            platform="whatsapp",
            happened_on=timezone.localdate(),
            description="Gemene berichten over Noor in de klassenapp.",
            involved_names="Noor de Vries",
            reporter_role="parent",
            is_anonymous=True,
            submission_key="k" * 32,
        )
    (received,) = [mail for mail in server.received if school_leader.email in mail.recipients]
    message = received.message()
    text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    html = message.get_body(("html",)).get_content()
    assert "Noor" not in text and "Noor" not in html  # no case content in e-mail (DESIGN.md)
    assert "https://portal.skow.nl/cases/" in text
    # The link is not the last thing: the notice closes like a letter, then says it is automatic.
    after_link = text.split("https://portal.skow.nl/cases/", 1)[1]
    assert "Met vriendelijke groet,\nSKOW Portal\nStichting Katholiek Onderwijs Wassenaar" in after_link
    assert text.rstrip().endswith("antwoorden op deze e-mail worden niet gelezen.")
    assert "Met vriendelijke groet," in html and 'name="viewport"' in html
    assert re.fullmatch(r"<skow\.\d+\.\d{20}@portal\.skow\.nl>", message["Message-ID"])
