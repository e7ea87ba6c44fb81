"""Intake, thank-you page, follow-up by receipt code, and the case pages, through HTTP."""

from __future__ import annotations

import re
import secrets

import pytest
from django.urls import reverse
from django.utils.html import escape

from accounts.tests.factories import UserFactory
from notifications.constants import Channel
from notifications.models import Notification
from reports.constants import CaseState, Category
from reports.models import Case, CaseView, Report, ReportMessage
from reports.services import report_message_to_reporter
from reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def form_data(school, **overrides) -> dict:
    data = {
        "school": school.pk,
        "category": Category.BULLYING.value,
        "platform": "whatsapp",
        "happened_on": "2026-11-20",
        "description": "Noor wordt uitgescholden in de groepsapp van groep 7.",
        "involved_roles": ["pupil"],
        "involved_names": "",
        "reporter_role": "parent",
        "reporter_name": "Karin Bakker",
        "reporter_email": "karin@example.nl",
        "reporter_phone": "",
        "website": "",
        "submission_key": secrets.token_urlsafe(16),
    }
    data.update(overrides)
    return data


def code_from(response) -> str:
    return re.search(r'data-testid="receipt-code"[^>]*>([0-9A-Z-]+)<', response.content.decode()).group(1)


def submit(client, school, remote_addr: str = "127.0.0.1", **overrides):
    response = client.post(reverse("reports:new"), form_data(school, **overrides), follow=True, REMOTE_ADDR=remote_addr)
    assert response.status_code == 200, response.content.decode()[:3000]
    return response


# Intake --------------------------------------------------------------------------------------------


def test_the_form_is_open_to_visitors_and_shows_the_safety_information(client, school):
    response = client.get(reverse("reports:new"))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<h1") == 1
    for text in ("112", "0900-8844", "Meldpunt Kinderporno", "Helpwanted.nl", "Upload of stuur nooit seksuele"):
        assert text in page
    assert 'href="/report/"' in page  # "Melden" in the navigation for visitors


def test_an_anonymous_visitor_reports_and_sees_the_code_once(client, school, school_leader):
    response = submit(client, school, is_anonymous="on", reporter_name="", reporter_email="")
    code = code_from(response)
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){4}", code)
    again = client.get(response.redirect_chain[-1][0])
    assert code not in again.content.decode()
    report = Report.objects.get()
    assert report.is_anonymous and report.reporter_user is None and report.reporter_email == ""


def test_anonymous_reports_store_no_address_or_user(client, school, school_leader, parent):
    client.force_login(parent)
    submit(client, school, is_anonymous="on", reporter_name="", remote_addr="203.0.113.77")
    report = Report.objects.get()
    assert report.reporter_user is None
    rows = [Report.objects.filter(pk=report.pk).values()[0], *Notification.objects.values()]
    assert not any("203.0.113.77" in str(row) or parent.email in str(row.get("email", "")) for row in rows)
    assert not Notification.objects.filter(recipient=parent).exists()


def test_a_named_report_needs_a_name_and_a_way_to_reach_the_reporter(client, school):
    response = client.post(reverse("reports:new"), form_data(school, reporter_name="", reporter_email=""))
    assert response.status_code == 400
    assert "Vul uw naam in" in response.content.decode()


def test_a_double_click_makes_one_report_and_still_shows_the_code(client, school, school_leader):
    data = form_data(school)
    first = client.post(reverse("reports:new"), data)
    second = client.post(reverse("reports:new"), data)
    assert first.status_code == second.status_code == 302
    assert Report.objects.count() == 1
    shown = client.get(second["Location"])
    assert code_from(shown)


def test_the_honeypot_answers_like_success_and_stores_nothing(client, school, school_leader):
    response = client.post(reverse("reports:new"), form_data(school, website="http://spam.example"))
    assert response.status_code == 200 and "Dank u wel" in response.content.decode()
    assert Report.objects.count() == 0


def test_a_future_date_is_refused(client, school):
    response = client.post(reverse("reports:new"), form_data(school, happened_on="2999-01-01"))
    assert "Deze datum ligt in de toekomst." in response.content.decode()


# Follow-up by code --------------------------------------------------------------------------------


def test_the_right_code_shows_status_and_handler_messages_and_takes_a_reply(client, school, school_leader):
    report = ReportFactory(school=school, anonymous=True, code="ABCD-EFGH-JKMN-PQRS-TVWX")
    report_message_to_reporter(report=report, handler=school_leader, body="Wij gaan met de klas in gesprek.")
    response = client.post(reverse("reports:follow"), {"code": "abcd efgh jkmn pqrs tvwx"}, follow=True)
    page = response.content.decode()
    assert "Wij gaan met de klas in gesprek." in page and 'data-testid="case-state">Ontvangen<' in page
    assert escape(school_leader.last_name) not in page  # the reporter does not learn the handler's name
    client.post(reverse("reports:follow_reply"), {"body": "Het gebeurt nog steeds."})
    replies = ReportMessage.objects.filter(report=report, author="reporter")
    assert [reply.body for reply in replies] == ["Het gebeurt nog steeds."]
    client.post(reverse("reports:follow_stop"))
    assert "Wij gaan" not in client.get(reverse("reports:follow")).content.decode()


def test_a_wrong_code_says_nothing_about_existence(client, school):
    ReportFactory(school=school, code="ABCD-EFGH-JKMN-PQRS-TVWX")
    answers = set()
    for code in ("ABCD-EFGH-JKMN-PQRS-TVW0", "nonsense", "0000-0000-0000-0000-0000"):
        response = client.post(reverse("reports:follow"), {"code": code}, REMOTE_ADDR="192.0.2.9")
        assert response.status_code == 400
        answers.add(re.search(r'role="alert">(.*?)</div>', response.content.decode(), re.S).group(1))
    assert len(answers) == 1


def test_a_reply_without_an_unlocked_report_goes_back_to_the_code(client):
    response = client.post(reverse("reports:follow_reply"), {"body": "x"})
    assert response.status_code == 302 and response["Location"] == reverse("reports:follow")


# Case pages ---------------------------------------------------------------------------------------


def test_leaders_see_their_schools_cases_but_not_those_about_leadership(
    client, school, other_school, school_leader, logged_in
):
    own = ReportFactory(school=school)
    about_them = ReportFactory(school=school, about_leadership=True)
    elsewhere = ReportFactory(school=other_school)
    logged_in(school_leader)
    page = client.get(reverse("reports:case_list")).content.decode()
    assert own.case.number in page
    assert about_them.case.number not in page and elsewhere.case.number not in page
    for hidden in (about_them, elsewhere):
        assert client.get(reverse("reports:case_detail", args=[hidden.case.pk])).status_code == 404
    detail = client.get(reverse("reports:case_detail", args=[own.case.pk]))
    assert detail.status_code == 200 and own.description in detail.content.decode()
    assert detail["Cache-Control"].startswith("max-age=0") or "no-cache" in detail["Cache-Control"]


def test_the_board_sees_every_case(client, school, other_school, board_member, logged_in):
    reports = [ReportFactory(school=school, about_leadership=True), ReportFactory(school=other_school)]
    logged_in(board_member)
    page = client.get(reverse("reports:case_list")).content.decode()
    assert all(report.case.number in page for report in reports)


def test_every_opening_of_the_case_is_logged(client, school, school_leader, board_member, logged_in):
    report = ReportFactory(school=school)
    logged_in(school_leader).get(reverse("reports:case_detail", args=[report.case.pk]))
    client.get(reverse("reports:case_detail", args=[report.case.pk]))
    logged_in(board_member).get(reverse("reports:case_detail", args=[report.case.pk]))
    views = list(CaseView.objects.filter(case=report.case).order_by("pk").values_list("viewer", flat=True))
    assert views == [school_leader.pk, school_leader.pk, board_member.pk]
    page = client.get(reverse("reports:case_detail", args=[report.case.pk])).content.decode()
    assert "Inzage in dit dossier" in page and escape(str(school_leader)) in page


def test_the_handler_writes_to_the_reporter_from_the_case_page(client, school, school_leader, logged_in):
    report = ReportFactory(school=school, reporter_email="melder@example.nl")
    logged_in(school_leader)
    response = client.post(
        reverse("reports:case_message", args=[report.case.pk, report.pk]), {"body": "Kunt u ons bellen?"}
    )
    assert response.status_code == 302
    assert report.messages.get().body == "Kunt u ons bellen?"
    # The reporter's address is sealed under the case's key (common/vault.py), and opens with it.
    (mail,) = Notification.objects.filter(data_key=report.case.data_key, channel=Channel.EMAIL)
    assert mail.email == "melder@example.nl"
    assert not Notification.objects.filter(email="melder@example.nl").exists()


def test_a_handler_cannot_write_in_a_case_they_do_not_see(client, school, other_school, logged_in):
    leader = UserFactory(roles=[("school_leader", other_school)])
    report = ReportFactory(school=school)
    logged_in(leader)
    response = client.post(reverse("reports:case_message", args=[report.case.pk, report.pk]), {"body": "x"})
    assert response.status_code == 404
    assert not ReportMessage.objects.exists()


def test_evidence_is_served_privately_only_to_who_may_see_the_case(
    client, school, other_school, school_leader, logged_in
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .evidence_files import png_with_exif

    files = [
        SimpleUploadedFile("shot.png", png_with_exif(), content_type="image/png"),
        SimpleUploadedFile("chat.txt", "Jij bent een loser 😡".encode(), content_type="text/html"),
    ]
    client.post(reverse("reports:new"), {**form_data(school), "evidence": files})
    report = Report.objects.get()
    image, text = report.evidence.order_by("pk")
    logged_in(school_leader)
    warning = client.get(reverse("reports:evidence", args=[report.case.pk, image.pk])).content.decode()
    assert "mogelijk schokkend" in warning and "?shown=1" in warning  # the click-through comes first
    shown = client.get(reverse("reports:evidence", args=[report.case.pk, image.pk]) + "?shown=1")
    assert shown.status_code == 200 and shown["Content-Type"] == "image/png"
    assert shown["Cache-Control"] == "private, no-store" and shown["X-Content-Type-Options"] == "nosniff"
    assert shown["Content-Disposition"] == f'attachment; filename="melding-{report.case.number}-1.png"'
    download = client.get(reverse("reports:evidence", args=[report.case.pk, text.pk]))
    assert download["Content-Disposition"] == f'attachment; filename="melding-{report.case.number}-2.txt"'
    assert download["Content-Type"] == "text/plain; charset=utf-8"
    stranger = UserFactory(roles=[("school_leader", other_school)])
    logged_in(stranger)
    assert client.get(reverse("reports:evidence", args=[report.case.pk, image.pk])).status_code == 404


def test_the_reporter_adds_a_file_later_and_a_refused_file_keeps_the_message(client, school, school_leader, logged_in):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .evidence_files import EXECUTABLE, png_with_exif

    report = ReportFactory(school=school, anonymous=True, code="ABCD-EFGH-JKMN-PQRS-TVWX")
    client.post(reverse("reports:follow"), {"code": "ABCD-EFGH-JKMN-PQRS-TVWX"})
    refused = client.post(
        reverse("reports:follow_reply"),
        {"body": "Hier is nog een screenshot.", "evidence": [SimpleUploadedFile("a.png", EXECUTABLE)]},
    )
    assert refused.status_code == 400
    assert "a.png is niet toegevoegd" in refused.content.decode()
    assert "Hier is nog een screenshot." in refused.content.decode()
    accepted = client.post(
        reverse("reports:follow_reply"),
        {"body": "Hier is nog een screenshot.", "evidence": [SimpleUploadedFile("b.png", png_with_exif())]},
    )
    assert accepted.status_code == 302
    message = report.messages.get()
    assert message.evidence.get().report == report
    logged_in(school_leader)
    page = client.get(reverse("reports:case_detail", args=[report.case.pk])).content.decode()
    assert f"melding-{report.case.number}-1.png" in page and "Hier is nog een screenshot." in page
    assert "b.png" not in page


def test_the_case_page_names_the_protocol_version_of_the_incident_day(client, school, school_leader, logged_in):
    from policy.tests.factories import version_1

    version = version_1()
    report = ReportFactory(school=school, protocol_version=version)
    logged_in(school_leader)
    page = client.get(reverse("reports:case_detail", args=[report.case.pk])).content.decode()
    assert f'href="/protocol/{version.number}/"' in page


def test_following_an_anonymous_report_while_logged_in_leaves_no_link_on_the_server(client, school, parent):
    from django.contrib.sessions.models import Session

    report = ReportFactory(school=school, anonymous=True, code="ABCD-EFGH-JKMN-PQRS-TVWX")
    client.force_login(parent)
    client.post(reverse("reports:follow"), {"code": "ABCD-EFGH-JKMN-PQRS-TVWX"})
    assert client.get(reverse("reports:follow")).context["report"] == report
    client.post(reverse("reports:follow_reply"), {"body": "Nog iets."})
    for session in Session.objects.all():
        assert str(report.pk) not in str(session.get_decoded().get("reports_follow", ""))
        assert not any("follow" in key for key in session.get_decoded())
    assert report.messages.get().handler is None


def test_a_tampered_follow_cookie_opens_nothing(client, school):
    ReportFactory(school=school)
    client.cookies["skow_report_follow"] = "1"
    assert "Uw ontvangstcode" in client.get(reverse("reports:follow")).content.decode()


def test_every_case_state_has_a_label_for_the_reporter():
    from reports.constants import REPORTER_STATE_LABELS

    assert set(REPORTER_STATE_LABELS) == set(CaseState)


@pytest.mark.parametrize(
    ("state", "label"),
    [
        (CaseState.NEW, "Ontvangen"),
        (CaseState.INVESTIGATING, "In behandeling"),
        (CaseState.WAITING_FOR_REPORTER, "Wacht op uw reactie"),
        (CaseState.MEASURES_DECIDED, "In behandeling"),
        (CaseState.CLOSED, "Afgehandeld"),
    ],
)
def test_the_reporter_reads_whether_the_report_is_dealt_with_never_how(client, school, state, label):
    report = ReportFactory(school=school, anonymous=True, code="ABCD-EFGH-JKMN-PQRS-TVWX")
    extra = {"closed_at": report.case.created_at, "closing_reason": "handled"} if state == CaseState.CLOSED else {}
    Case.objects.filter(pk=report.case.pk).update(state=state, **extra)
    page = client.post(reverse("reports:follow"), {"code": "ABCD-EFGH-JKMN-PQRS-TVWX"}, follow=True).content.decode()
    assert f'data-testid="case-state">{label}<' in page
    assert "Maatregel" not in page and "Onderzoek" not in page
