"""The staff channel for misstanden: who sees a report, the receipt code, the officers' steps."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from common.refusals import ActionRefused
from integrity import services
from integrity.constants import EntryKind, State
from integrity.models import MisstandReport
from integrity.tests.factories import misstand, misstand_report, officer
from notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def officers(teacher, board_member):
    """The teacher of the school and an external adviser are the board's integrity officers."""
    external = UserFactory(email="extern@example.nl")
    return [officer(teacher, by=board_member), officer(external, by=board_member, is_external=True)]


def _page(client, report):
    return client.get(reverse("integrity:case_detail", args=[report.pk]))


def test_a_school_leader_never_sees_the_channel_nor_a_report(client, logged_in, school_leader, officers):
    report = misstand_report()
    logged_in(school_leader)
    assert client.get(reverse("integrity:case_list")).status_code == 404
    assert _page(client, report).status_code == 404


def test_an_officer_named_in_the_report_gets_404_and_the_other_officer_handles_it(client, logged_in, teacher, officers):
    report = misstand_report(named=[teacher])
    assert not report.routed_to_board
    logged_in(teacher)
    assert _page(client, report).status_code == 404
    assert str(report) not in client.get(reverse("integrity:case_list")).content.decode()
    with pytest.raises(ActionRefused) as refused:
        services.misstand_acknowledge(report=report, by=teacher, body="")
    assert refused.value.status == 404
    # Only the external officer was told of the report.
    told = set(
        Notification.objects.filter(template="integrity/email/new_report", channel="email").values_list(
            "email", flat=True
        )
    )
    assert told == {"extern@example.nl"}


def test_a_report_naming_every_officer_goes_to_the_board(client, logged_in, teacher, board_member, officers):
    report = misstand_report(named=[officer.user for officer in officers])
    assert report.routed_to_board
    logged_in(board_member)
    assert _page(client, report).status_code == 200
    told = set(
        Notification.objects.filter(template="integrity/email/new_report", channel="email").values_list(
            "email", flat=True
        )
    )
    assert told == {board_member.email}


def test_an_officer_found_named_later_loses_the_report(client, logged_in, teacher, officers):
    report = misstand_report()
    external = officers[1].user
    services.misstand_name_officer(report=report, by=external, officer=officers[0])
    logged_in(teacher)
    assert _page(client, report).status_code == 404
    assert not MisstandReport.objects.get(pk=report.pk).routed_to_board


def test_the_board_sees_clocks_but_not_the_content_of_an_officers_report(client, logged_in, board_member, officers):
    report = misstand_report(description="Geheime inhoud over de boekhouding")
    logged_in(board_member)
    assert _page(client, report).status_code == 404
    page = client.get(reverse("integrity:board")).content.decode()
    assert str(report) in page
    assert "Geheime inhoud" not in page


def test_the_code_opens_the_report_once_typed_in_any_grouping_and_no_other_channels_code(client, officers):
    report, code = misstand()
    assert code not in str(MisstandReport.objects.values_list().get(pk=report.pk))
    typed = code.replace("-", "").lower().replace("1", "i")
    response = client.post(reverse("integrity:follow"), {"code": typed})
    assert response.status_code == 302
    page = client.get(reverse("integrity:follow")).content.decode()
    assert "Ontvangen" in page
    # A receipt code of the pupils' and parents' channel opens nothing here.
    from common.receipt_codes import receipt_code_digest

    assert report.receipt_code_digest != receipt_code_digest(code)


def test_an_anonymous_report_keeps_no_link_to_the_account_that_sent_it(client, logged_in, teacher, officers):
    logged_in(teacher)
    form = client.get(reverse("integrity:new")).context["form"]
    response = client.post(
        reverse("integrity:new"),
        {
            "description": "Er verdwijnt geld uit de ouderbijdrage.",
            "intake": "form",
            "submission_key": form.initial["submission_key"],
        },
    )
    assert response.status_code == 200
    assert response.context["code"]
    report = MisstandReport.objects.get()
    assert report.is_anonymous and report.reporter_name == "" and report.reporter_contact == ""


def test_a_request_for_a_call_without_a_way_to_reach_the_reporter_keeps_the_text(client, officers):
    form = client.get(reverse("integrity:new")).context["form"]
    response = client.post(
        reverse("integrity:new"),
        {"description": "Mijn tekst blijft staan.", "intake": "call", "submission_key": form.initial["submission_key"]},
    )
    assert response.status_code == 400
    assert "telefoonnummer of e-mailadres" in response.content.decode()
    assert "Mijn tekst blijft staan." in response.content.decode()
    assert not MisstandReport.objects.exists()


def test_a_form_sent_twice_makes_one_report_and_shows_the_code_once(client, officers):
    form = client.get(reverse("integrity:new")).context["form"]
    data = {"description": "Dubbel verstuurd.", "intake": "form", "submission_key": form.initial["submission_key"]}
    assert client.post(reverse("integrity:new"), data).context["code"]
    assert client.post(reverse("integrity:new"), data).context["code"] is None
    assert MisstandReport.objects.count() == 1


def test_acknowledge_conversation_feedback_and_close_reach_the_reporters_page(client, teacher, officers):
    report, code = misstand(intake="meeting", reporter_contact="06-12345678")
    services.misstand_acknowledge(report=report, by=teacher, body="Ontvangen, ik bel u deze week.")
    import datetime

    services.misstand_conversation_log(
        report=report, by=teacher, held_on=datetime.date.today(), body="Gesprek over de facturen."
    )
    services.misstand_message(report=report, by=teacher, body="Wij hebben de accountant gevraagd.", is_feedback=True)
    services.misstand_close(report=report, by=teacher, body="Afgerond.")
    report.refresh_from_db()
    assert report.state == State.CLOSED and report.acknowledged_at and report.feedback_given_at
    client.post(reverse("integrity:follow"), {"code": code})
    page = client.get(reverse("integrity:follow")).content.decode()
    for text in ("Ontvangen, ik bel u deze week.", "Gesprek over de facturen.", "Wij hebben de accountant gevraagd."):
        assert text in page
    with pytest.raises(ActionRefused):
        services.misstand_reply_by_reporter(report=report, body="Nog iets")


def test_opening_the_file_is_logged_and_not_shown_to_the_reporter(client, logged_in, teacher, officers):
    report, code = misstand()
    logged_in(teacher)
    assert _page(client, report).status_code == 200
    assert report.entries.filter(kind=EntryKind.VIEWED, by=teacher).count() == 1
    client.logout()
    client.post(reverse("integrity:follow"), {"code": code})
    assert "Dossier ingezien" not in client.get(reverse("integrity:follow")).content.decode()


def test_the_board_cannot_designate_a_school_leader(board_member, school_leader):
    with pytest.raises(ActionRefused):
        services.integrity_officer_designate(user=school_leader, by=board_member)


def test_a_teacher_cannot_designate_officers(teacher):
    with pytest.raises(ActionRefused):
        services.integrity_officer_designate(user=teacher, by=teacher)


def _queries_for(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url_name", ["integrity:case_list", "integrity:board"])
def test_the_lists_cost_the_same_queries_for_two_reports_and_for_eight(
    client, logged_in, teacher, board_member, officers, django_assert_num_queries, url_name
):
    user = teacher if url_name == "integrity:case_list" else board_member
    for _ in range(2):
        misstand_report()
    logged_in(user)
    url = reverse(url_name)
    client.get(url)  # warm the session and caches
    small = _queries_for(client, url)
    for _ in range(6):
        misstand_report()
    with django_assert_num_queries(small):
        assert client.get(url).status_code == 200


def test_the_public_page_publishes_the_regeling_in_force_and_links_the_huis(client, board_member, council_secretary):
    import datetime

    from policy import services as policy_services
    from policy.constants import Document

    page = client.get(reverse("integrity:channel")).content.decode()
    assert "De regeling is nog niet vastgesteld" in page
    assert 'href="https://www.huisvoorklokkenluiders.nl"' in page
    draft = policy_services.protocol_draft_create(
        by=board_member, change_note="Eerste regeling", document=Document.WHISTLEBLOWING
    )
    policy_services.protocol_version_submit(version=draft, by=board_member)
    today = datetime.date.today()
    policy_services.protocol_version_council_consent(
        version=draft, by=council_secretary, decided_on=today, minutes_reference="GMR"
    )
    policy_services.protocol_version_adopt(version=draft, by=board_member, adopted_on=today, effective_from=today)
    page = client.get(reverse("integrity:channel")).content.decode()
    assert "Versie 1, vastgesteld door het bestuur" in page
    assert "De integriteitsfunctionaris bevestigt de ontvangst binnen zeven dagen." in page


def test_the_menu_shows_the_officers_list_from_designation_to_its_end(client, logged_in, teacher, board_member):
    def menu_labels():
        return [str(link.label) for group in client.get("/").context["nav_items"] for link in group.links]

    logged_in(teacher)
    assert "Misstanden" not in menu_labels()
    designation = services.integrity_officer_designate(user=teacher, by=board_member)
    assert "Misstanden" in menu_labels()
    services.integrity_officer_end(officer=designation, by=board_member)
    assert "Misstanden" not in menu_labels()
    assert client.get(reverse("integrity:case_list")).status_code == 404
