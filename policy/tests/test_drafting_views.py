"""Drafting pages: writing with a preview, the (G)MR's decision and adoption by form."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from policy.constants import VersionStatus
from policy.models import ProtocolVersion
from policy.tests.factories import ProtocolVersionFactory

pytestmark = pytest.mark.django_db


def test_board_writes_a_draft_with_preview_and_bad_input_keeps_what_was_typed(client, board_member, logged_in):
    logged_in(board_member)
    response = client.post("/protocol/drafts/new/", {"change_note": ""})
    assert response.status_code == 400 and "Beschrijf kort wat er verandert" in response.content.decode()
    response = client.post("/protocol/drafts/new/", {"change_note": "A.6 strenger."})
    draft = ProtocolVersion.objects.get(status=VersionStatus.DRAFT)
    assert response.url == f"/protocol/drafts/{draft.pk}/edit/"
    body = draft.body.replace("niet toegestaan om met een privéaccount", "nooit toegestaan om met een privéaccount")
    form = {
        "title": draft.title,
        "change_note": "A.6 strenger.",
        "body": body,
        "explanation": "",
        "summary_for_parents": "",
    }
    preview = client.post(f"/protocol/drafts/{draft.pk}/edit/", {**form, "preview": "1"}).content.decode()
    assert "Voorbeeld (nog niet opgeslagen)" in preview and "nooit toegestaan" in preview
    draft.refresh_from_db()
    assert "nooit toegestaan" not in draft.body
    bad = client.post(f"/protocol/drafts/{draft.pk}/edit/", {**form, "change_note": "", "save": "1"})
    assert bad.status_code == 400 and "nooit toegestaan" in bad.content.decode()
    assert client.post(f"/protocol/drafts/{draft.pk}/edit/", {**form, "save": "1"}).status_code == 302
    draft.refresh_from_db()
    assert "nooit toegestaan" in draft.body
    page = client.get(f"/protocol/drafts/{draft.pk}/").content.decode()
    assert "<ins>nooit</ins>" in page


def test_raw_html_in_a_draft_is_escaped(client, board_member, logged_in):
    logged_in(board_member)
    draft = ProtocolVersionFactory(body="## X {#x}\n\n1. <script>alert(1)</script> [a](javascript:alert(1))\n")
    page = client.get(f"/protocol/drafts/{draft.pk}/").content.decode()
    assert "<script>alert(1)" not in page and "javascript:" not in page


def test_council_secretary_records_consent_and_a_refusal_shows_the_dispute_term(client, council_secretary, logged_in):
    logged_in(council_secretary)
    draft = ProtocolVersionFactory(submitted=True, submitted_at=timezone.now() - datetime.timedelta(days=5))
    bad = client.post(f"/protocol/drafts/{draft.pk}/council/", {"decision": "refuse", "decided_on": "gisteren"})
    assert bad.status_code == 400
    assert "Vul een geldige datum in" in bad.content.decode()
    assert "Een weigering vermeldt de redenen" in bad.content.decode()
    today = timezone.localdate()
    client.post(
        f"/protocol/drafts/{draft.pk}/council/",
        {
            "decision": "refuse",
            "decided_on": today.isoformat(),
            "minutes_reference": "Notulen 3",
            "reasons": "Te vaag.",
        },
    )
    draft.refresh_from_db()
    assert draft.status == VersionStatus.COUNCIL_REFUSED
    page = client.get(f"/protocol/drafts/{draft.pk}/").content.decode()
    assert "WMS art. 32" in page and "Te vaag." in page


@pytest.mark.parametrize(
    ("refused_on", "deadline"),
    [
        (datetime.date(2026, 9, 1), "1 december 2026"),
        (datetime.date(2026, 8, 31), "30 november 2026"),  # no 31 November: the month's last day
        (datetime.date(2026, 11, 30), "28 februari 2027"),  # across the new year, into February
        (datetime.date(2027, 11, 30), "29 februari 2028"),  # a leap year
    ],
)
def test_a_refusal_shows_the_last_day_to_go_to_the_dispute_committee(
    client, board_member, logged_in, refused_on, deadline
):
    logged_in(board_member)
    draft = ProtocolVersionFactory(refused=True, council_decided_on=refused_on)
    page = client.get(f"/protocol/drafts/{draft.pk}/").content.decode()
    assert f"uiterlijk {deadline}" in page


def test_board_cannot_adopt_through_the_page_without_consent(client, board_member, logged_in):
    logged_in(board_member)
    draft = ProtocolVersionFactory(submitted=True)
    today = timezone.localdate().isoformat()
    response = client.post(f"/protocol/drafts/{draft.pk}/adopt/", {"adopted_on": today, "effective_from": today})
    assert response.status_code == 400 and "instemming van de (G)MR" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == VersionStatus.SUBMITTED


def test_teacher_cannot_post_to_drafting_actions(client, teacher, logged_in):
    logged_in(teacher)
    draft = ProtocolVersionFactory(consented=True)
    today = timezone.localdate().isoformat()
    assert (
        client.post(f"/protocol/drafts/{draft.pk}/adopt/", {"adopted_on": today, "effective_from": today}).status_code
        == 404
    )
    assert client.post(f"/protocol/drafts/{draft.pk}/submit/").status_code == 404


@pytest.mark.parametrize("based_on", ["²", "①", "٣", "-1", "x"])
def test_a_based_on_that_is_no_number_answers_404(client, board_member, based_on, logged_in):
    # Found by fuzzing: "²".isdigit() is true, but int("²") raised and the page answered 500.
    logged_in(board_member)
    response = client.post("/protocol/drafts/new/", {"change_note": "Nieuw", "based_on": based_on})
    assert response.status_code == 404
    assert ProtocolVersion.objects.filter(status=VersionStatus.DRAFT).count() == 0
