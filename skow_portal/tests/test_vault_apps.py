"""The vault beyond the case file: a question to one's leader, a misstand report and a complaint keep
what a person typed sealed under a data key of their own (common/vault.py), unreadable in a copy of the
database while their pages show it; retention erases a thread, a misstand report or a complaint by
destroying its key.

The copies are the ones of ``test_vault.py``: ``pg_dump`` on PostgreSQL (CI=true: a missing pg_dump
fails instead of skipping), the database file itself on SQLite.
"""

from __future__ import annotations

import datetime
import secrets
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from common import vault
from complaints.constants import Step
from complaints.models import Complaint, ComplaintEntry
from complaints.services import complaint_decide, complaint_record_advice, complaint_step
from consultations.models import Consultation, ConsultationMessage
from consultations.services import consultation_reply, consultation_retention_purge, consultation_start
from integrity import services as integrity
from integrity.models import MisstandReport
from integrity.tests.factories import officer
from reports.tests.factories import ReportFactory
from sanctions.constants import InspectieDecision, SeriousIncidentKind
from sanctions.models import SeriousIncident

from .test_vault import database_copy


def _markers(*names: str) -> dict[str, str]:
    tag = secrets.token_hex(4)
    return {name: f"mk{name.replace('_', '')}{tag}" for name in names}


@pytest.mark.django_db(transaction=True)  # committed, so pg_dump sees it
def test_what_people_typed_in_a_consultation_a_misstand_report_and_a_complaint_is_absent_from_a_database_copy(
    client, school, teacher, school_leader, board_member, parent, logged_in, settings, tmp_path
):
    settings.SERIOUS_INCIDENT_TASKS = True
    marker = _markers(
        "question",
        "answer",
        "misstand_description",
        "people_involved",
        "reporter_name",
        "reporter_contact",
        "reporter_message",
        "acknowledgement",
        "conversation",
        "feedback",
        "closing",
        "subject",
        "complaint_description",
        "step_note",
        "decision",
        "incident_note",
    )

    # A question to one's leader, and the leader's answer.
    logged_in(teacher)
    client.post(reverse("consultations:new"), {"school": school.pk, "topic": "post", "body": marker["question"]})
    consultation = Consultation.objects.get()
    consultation_reply(consultation=consultation, by=school_leader, body=marker["answer"])

    # A misstand report by a named staff member, through the form; the officer's file on it.
    adviser = UserFactory(email="extern@example.nl")
    officer(adviser, by=board_member, is_external=True)
    reporter = UserFactory(roles=[("staff", school)])
    logged_in(reporter)
    form = client.get(reverse("integrity:new")).context["form"]
    answer = client.post(
        reverse("integrity:new"),
        {
            "description": marker["misstand_description"],
            "people_involved": marker["people_involved"],
            "intake": "meeting",
            "reporter_name": marker["reporter_name"],
            "reporter_contact": marker["reporter_contact"],
            "submission_key": form.initial["submission_key"],
        },
    )
    code = answer.context["code"]
    report = MisstandReport.objects.get()
    integrity.misstand_reply_by_reporter(report=report, body=marker["reporter_message"])
    integrity.misstand_acknowledge(report=report, by=adviser, body=marker["acknowledgement"])
    integrity.misstand_conversation_log(
        report=report, by=adviser, held_on=timezone.localdate(), body=marker["conversation"]
    )
    integrity.misstand_message(report=report, by=adviser, body=marker["feedback"], is_feedback=True)

    # A complaint by a parent, through the form; a step with a note, the advice, the board's decision.
    logged_in(parent)
    client.post(
        reverse("complaints:new"),
        {
            "school": school.pk,
            "subject": marker["subject"],
            "description": marker["complaint_description"],
            "event_on": (timezone.localdate() - datetime.timedelta(days=10)).isoformat(),
        },
    )
    complaint = Complaint.objects.get()
    complaint_step(complaint=complaint, by=school_leader, to_step=Step.DIRECTION, note=marker["step_note"])
    complaint_step(complaint=complaint, by=school_leader, to_step=Step.COMMITTEE, on=timezone.localdate())
    complaint_record_advice(complaint=complaint, by=board_member, advice_on=timezone.localdate())
    complaint_decide(complaint=complaint, by=board_member, decided_on=timezone.localdate(), decision=marker["decision"])

    # The board's note on an ernstig incident, sealed with its case's key.
    from sanctions.services import serious_incident_decide, serious_incident_flag

    case = ReportFactory(school=school).case
    incident = serious_incident_flag(case=case, by=school_leader, kinds=[SeriousIncidentKind.values[0]])
    serious_incident_decide(
        incident=incident,
        by=board_member,
        decision=InspectieDecision.values[0],
        decided_on=timezone.localdate(),
        note=marker["incident_note"],
    )

    dump = database_copy(tmp_path).read_bytes()
    for name, value in marker.items():
        assert value.encode() not in dump, f"{name} readable in the database copy"
    # Each object seals with a key of its own; the incident's note with its case's key.
    assert ConsultationMessage.objects.values_list("body", flat=True)[0].startswith(f"v1.{consultation.data_key}.")
    assert MisstandReport.objects.values_list("description", flat=True)[0].startswith(f"v1.{report.data_key}.")
    assert (
        ComplaintEntry.objects.exclude(note="")
        .values_list("note", flat=True)[0]
        .startswith(f"v1.{complaint.data_key}.")
    )
    assert SeriousIncident.objects.values_list("decision_note", flat=True)[0].startswith(f"v1.{case.data_key}.")
    assert len({consultation.data_key, report.data_key, complaint.data_key, case.data_key}) == 4

    # Their owners' pages show them all, unchanged.
    logged_in(teacher)
    thread = client.get(reverse("consultations:detail", args=[consultation.pk])).content.decode()
    assert marker["question"] in thread and marker["answer"] in thread
    logged_in(adviser)
    file = client.get(reverse("integrity:case_detail", args=[report.pk])).content.decode()
    for name in (
        "misstand_description",
        "people_involved",
        "reporter_name",
        "reporter_contact",
        "reporter_message",
        "acknowledgement",
        "conversation",
        "feedback",
    ):
        assert marker[name] in file, f"{name} missing from the officer's page"
    client.logout()
    client.post(reverse("integrity:follow"), {"code": code})
    follow = client.get(reverse("integrity:follow")).content.decode()
    for name in ("reporter_message", "acknowledgement", "conversation", "feedback"):
        assert marker[name] in follow, f"{name} missing from the reporter's page"
    logged_in(parent)
    mine = client.get(reverse("complaints:mine")).content.decode()
    assert marker["subject"] in mine
    own = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    for name in ("subject", "complaint_description", "decision"):
        assert marker[name] in own, f"{name} missing from the complainant's page"
    logged_in(school_leader)
    handled = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert marker["step_note"] in handled
    assert SeriousIncident.objects.get().decision_note == marker["incident_note"]


@pytest.mark.django_db(transaction=True)  # the erasure commits, as the retention task's does
def test_an_erased_consultation_stays_unreadable_in_a_database_copy_taken_before(
    school, teacher, school_leader, tmp_path
):
    marker = f"mkshred{secrets.token_hex(4)}"
    erased = consultation_start(asker=teacher, school=school, topic="post", body=f"Mag dit? {marker}")
    kept = consultation_start(asker=teacher, school=school, topic="post", body="Een nieuwere vraag")
    Consultation.objects.filter(pk=erased.pk).update(last_message_at=timezone.now() - datetime.timedelta(days=400))
    message = ConsultationMessage.objects.get(consultation=erased)
    stored = ConsultationMessage.objects.values_list("body", flat=True).get(pk=message.pk)
    context = vault.row_context(ConsultationMessage, "body", message.pk)
    backup = database_copy(tmp_path).read_bytes()
    assert stored.encode() in backup and marker.encode() not in backup  # the copy holds the sealed text
    assert marker in vault.unseal(stored, context=context)  # ... which opens while its key exists

    assert consultation_retention_purge() == 1

    assert not Consultation.objects.filter(pk=erased.pk).exists()
    assert not vault.data_key_exists(erased.data_key)
    with pytest.raises(vault.KeyUnavailable):
        vault.unseal(stored, context=context)  # the copy's text is gone for good
    # The thread still kept opens as before.
    assert vault.data_key_exists(kept.data_key)
    assert ConsultationMessage.objects.get(consultation=kept).body == "Een nieuwere vraag"


@pytest.mark.django_db(transaction=True)  # the nightly run commits, so the keys go after the commit
def test_an_erased_misstand_report_and_complaint_stay_unreadable_in_a_database_copy_taken_before(
    school, parent, tmp_path
):
    """The nightly retention run (kinds "misstand_report" and "complaint") deletes a closed report
    and a finished complaint past their term and destroys their data keys: the text in a copy of
    the database taken before no longer opens; the kept ones still do."""
    from complaints.tests.factories import complaint as complaint_made
    from integrity.constants import State
    from integrity.tests.factories import misstand_report
    from retention.services import retention_purge

    marker = f"mkshred{secrets.token_hex(4)}"
    long_ago = timezone.now() - datetime.timedelta(days=800)
    erased_report = misstand_report(description=f"Fraude {marker}")
    kept_report = misstand_report(description="Een open melding")
    MisstandReport.objects.filter(pk=erased_report.pk).update(state=State.CLOSED, closed_at=long_ago)
    erased_complaint = complaint_made(complainant=parent, school=school, description=f"Klacht {marker}")
    kept_complaint = complaint_made(complainant=parent, school=school, description="Een open klacht")
    Complaint.objects.filter(pk=erased_complaint.pk).update(step=Step.RESOLVED)
    ComplaintEntry.objects.create(complaint=erased_complaint, step=Step.RESOLVED, at=long_ago)

    sealed = {
        "report": (
            MisstandReport.objects.values_list("description", flat=True).get(pk=erased_report.pk),
            vault.row_context(MisstandReport, "description", erased_report.pk),
        ),
        "complaint": (
            Complaint.objects.values_list("description", flat=True).get(pk=erased_complaint.pk),
            vault.row_context(Complaint, "description", erased_complaint.pk),
        ),
    }
    backup = database_copy(tmp_path).read_bytes()
    assert marker.encode() not in backup
    for stored, context in sealed.values():
        assert stored.encode() in backup  # the copy holds the sealed text ...
        assert marker in vault.unseal(stored, context=context)  # ... which opens while its key exists

    logs = {log.kind: log.count for log in retention_purge()}

    assert logs == {"misstand_report": 1, "complaint": 1}
    assert not MisstandReport.objects.filter(pk=erased_report.pk).exists()
    assert not Complaint.objects.filter(pk=erased_complaint.pk).exists()
    assert not vault.data_key_exists(erased_report.data_key)
    assert not vault.data_key_exists(erased_complaint.data_key)
    for stored, context in sealed.values():
        with pytest.raises(vault.KeyUnavailable):
            vault.unseal(stored, context=context)  # the copy's text is gone for good
    assert MisstandReport.objects.get(pk=kept_report.pk).description == "Een open melding"
    assert Complaint.objects.get(pk=kept_complaint.pk).description == "Een open klacht"


@pytest.mark.django_db
def test_the_leaders_list_of_questions_unwraps_no_key_and_a_thread_unwraps_its_own_once(
    client, school, teacher, school_leader, logged_in
):
    for number in range(3):
        consultation = consultation_start(asker=teacher, school=school, topic="post", body=f"Vraag {number}")
    for number in range(5):
        consultation_reply(consultation=consultation, by=school_leader, body=f"Antwoord {number}")
    logged_in(school_leader)
    client.get(reverse("consultations:list"))
    real_unwrap = vault._unwrap
    with mock.patch.object(vault, "_unwrap", side_effect=real_unwrap) as unwrap:
        client.get(reverse("consultations:list"))
        assert unwrap.call_count == 0  # the list shows topics and dates, never a message
        page = client.get(reverse("consultations:detail", args=[consultation.pk])).content.decode()
    assert "Vraag 2" in page and "Antwoord 4" in page
    assert unwrap.call_count == 1  # one thread, one key, however many messages


@pytest.mark.django_db
def test_integrity_and_complaint_lists_open_no_sealed_text(
    client, school, teacher, parent, school_leader, board_member, logged_in
):
    from complaints.services import complaint_file
    from integrity.tests.factories import misstand

    officer(teacher, by=board_member)
    for number in range(3):
        misstand(description=f"Melding {number}", reporter_name=f"Melder {number}")
        complaint_file(
            complainant=parent,
            school=school,
            subject=f"Onderwerp {number}",
            description=f"Klacht {number}",
            event_on=timezone.localdate(),
        )
    real_unwrap = vault._unwrap
    with mock.patch.object(vault, "_unwrap", side_effect=real_unwrap) as unwrap:
        logged_in(teacher)
        assert client.get(reverse("integrity:case_list")).status_code == 200
        logged_in(school_leader)
        assert client.get(reverse("complaints:handle")).status_code == 200
        assert unwrap.call_count == 0  # the handlers' lists show numbers, dates and steps only
        logged_in(parent)
        mine = client.get(reverse("complaints:mine")).content.decode()
    assert all(f"Onderwerp {number}" in mine for number in range(3))
    # A complainant's own list shows each subject: one unwrap per own complaint (a handful).
    assert unwrap.call_count == 3
