from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.test import TestCase

from accounts.tests.factories import UserFactory
from notifications.constants import Channel
from notifications.models import Notification
from reports import services
from reports.constants import Category, MessageAuthor, Platform, ReporterRole
from reports.evidence import CheckedFile, evidence_path, evidence_read
from reports.models import Case, CaseView, Evidence, Report, ReportMessage
from reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def submit(school, **overrides):
    values = {
        "school": school,
        "category": Category.BULLYING,
        "platform": Platform.WHATSAPP,
        "happened_on": datetime.date(2026, 11, 20),
        "description": "Geheim: Noor wordt in de groepsapp uitgescholden.",
        "involved_roles": ["pupil"],
        "reporter_role": ReporterRole.PARENT,
        "is_anonymous": False,
        "reporter_name": "Karin Bakker",
        "reporter_email": "karin@example.nl",
        "submission_key": "key-1",
    }
    values.update(overrides)
    with TestCase.captureOnCommitCallbacks(execute=True):  # deliver the outbox as after a commit
        return services.report_submit(**values)


def test_a_report_opens_a_case_and_tells_the_leadership_without_content(school, school_leader):
    report, _code = submit(school)
    assert report.case.school == school and report.case.state == "new"
    rows = Notification.objects.filter(recipient=school_leader)
    assert {row.channel for row in rows} == {Channel.EMAIL, Channel.IN_APP}
    # The in-app message links to the case; a sent e-mail keeps no link (it may have held a token).
    assert rows.get(channel=Channel.IN_APP).link == f"/cases/{report.case.pk}/"
    (leader_mail,) = [m for m in mail.outbox if m.to == [school_leader.email]]
    assert "Noor" not in leader_mail.body and "Geheim" not in leader_mail.body
    assert f"/cases/{report.case.pk}/" in leader_mail.body


def test_a_named_reporter_gets_a_confirmation_without_content_or_code(school, school_leader):
    _report, code = submit(school)
    (confirmation,) = [m for m in mail.outbox if m.to == ["karin@example.nl"]]
    assert "ontvangen" in confirmation.subject
    assert "Noor" not in confirmation.body
    assert code not in confirmation.body
    assert "/report/follow/" in confirmation.body


def test_the_receipt_code_is_high_entropy_grouped_and_stored_only_as_a_keyed_hash(school, school_leader):
    report, code = submit(school)
    groups = code.split("-")
    assert len(groups) == 5 and all(len(g) == 4 for g in groups)
    stored = Report.objects.filter(pk=report.pk).values()[0]
    assert not any(code in str(value) or code.replace("-", "") in str(value) for value in stored.values())
    assert report.receipt_code_digest != services.receipt_code_normalise(code)
    assert services.report_for_code(code) == report
    assert services.report_for_code(code.lower().replace("-", " ")) == report
    assert services.report_for_code(code[:-1] + ("0" if code[-1] != "0" else "1")) is None


def test_codes_do_not_repeat():
    assert len({services.receipt_code_new() for _ in range(1000)}) == 1000


def test_an_anonymous_report_keeps_no_identity_even_when_sent_logged_in(school, school_leader, parent):
    report, _code = submit(
        school, is_anonymous=True, reporter_user=parent, reporter_name="X", reporter_email="x@example.nl"
    )
    report.refresh_from_db()
    assert report.reporter_user is None
    assert (report.reporter_name, report.reporter_email, report.reporter_phone) == ("", "", "")
    assert not [m for m in mail.outbox if m.to == ["x@example.nl"]]


def test_the_same_form_sent_twice_makes_one_report(school, school_leader):
    submit(school, submission_key="dubbel")
    with pytest.raises(services.DuplicateSubmission):
        submit(school, submission_key="dubbel")
    assert Report.objects.count() == 1 and Case.objects.count() == 1
    assert Notification.objects.filter(recipient=school_leader, channel=Channel.EMAIL).count() == 1


def test_evidence_is_stored_under_a_random_name_and_removed_when_the_report_fails(school, school_leader):
    file = CheckedFile("text", "text/plain; charset=utf-8", ".txt", b"bericht")
    report, _code = submit(school, evidence=[file], submission_key="first-try")
    (evidence,) = Evidence.objects.filter(report=report)
    assert evidence.stored_name.endswith(".txt") and len(evidence.stored_name) == 52  # 24 random bytes in hex
    assert evidence.file_name == f"melding-{report.case.number}-1.txt"
    assert evidence_read(evidence.stored_name) == b"bericht"
    assert b"bericht" not in evidence_path(evidence.stored_name).read_bytes()  # sealed on disk
    before = set(evidence_path(evidence.stored_name).parent.iterdir())
    with pytest.raises(services.DuplicateSubmission):
        submit(school, evidence=[file], submission_key="first-try")
    assert set(evidence_path(evidence.stored_name).parent.iterdir()) == before


def test_handler_and_reporter_write_in_one_thread_and_each_side_is_told(school, school_leader):
    report, _code = submit(school)
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.report_message_to_reporter(report=report, handler=school_leader, body="Wij bellen u morgen.")
    (to_reporter,) = mail.outbox
    assert to_reporter.to == ["karin@example.nl"] and "Wij bellen" not in to_reporter.body
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.report_reply_by_reporter(report=report, body="Prima, na 15 uur graag.")
    assert [m.author for m in report.messages.all()] == [MessageAuthor.HANDLER, MessageAuthor.REPORTER]
    assert mail.outbox[-1].to == [school_leader.email] and "15 uur" not in mail.outbox[-1].body


def test_a_reply_to_an_anonymous_reporter_sends_no_mail(school, school_leader):
    report = ReportFactory(school=school, anonymous=True)
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.report_message_to_reporter(report=report, handler=school_leader, body="Dank voor uw melding.")
    assert mail.outbox == []
    assert ReportMessage.objects.get().handler == school_leader


def test_messages_and_views_are_append_only(school, school_leader):
    report = ReportFactory(school=school)
    message = services.report_message_to_reporter(report=report, handler=school_leader, body="Eerste")
    view = services.case_view_record(case=report.case, viewer=school_leader)
    for row in (message, view):
        with pytest.raises(ValueError):
            row.save()
        with pytest.raises(ValueError):
            row.delete()
    assert CaseView.objects.count() == 1


def test_a_logged_in_named_reporter_also_gets_the_confirmation_in_the_inbox(school, school_leader):
    reporter = UserFactory(email="ouder@example.nl", password="")
    submit(school, reporter_user=reporter, reporter_email=reporter.email)
    assert Notification.objects.filter(recipient=reporter, channel=Channel.IN_APP).exists()


def test_the_report_records_the_protocol_version_in_force_on_the_day_of_the_incident(school, school_leader):
    from policy.tests.factories import version_1

    version = version_1()
    report, _code = submit(school, happened_on=version.effective_from)
    assert report.protocol_version == version
    before, _code = submit(
        school, happened_on=version.effective_from - datetime.timedelta(days=1), submission_key="key-2"
    )
    assert before.protocol_version is None  # no protocol was in force yet


def test_the_demo_seeder_makes_three_reports_once_with_printed_codes():
    from accounts.demo import seed as seed_accounts
    from reports.demo import seed

    seed_accounts()
    with TestCase.captureOnCommitCallbacks(execute=True):
        logins = seed()
    seed()
    assert Report.objects.count() == 3  # one of them sent to the vertrouwenspersoon
    for login in logins:
        assert services.report_for_code(login.password) is not None
