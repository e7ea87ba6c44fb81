"""The conversion migrations of consultations, integrity, complaints (0002/0003) and sanctions
(0007/0008): rows stored in plain text before them get a data key of their own (an ernstig incident's
note: its case's) and are sealed in place; the way back opens them again (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from common import vault
from complaints.models import Complaint
from consultations.models import Consultation
from integrity.models import MisstandReport
from sanctions.models import SeriousIncident

pytestmark = pytest.mark.django_db(transaction=True)  # schema changes: not inside a test transaction

BEFORE = [
    ("consultations", "0001_initial"),
    ("integrity", "0001_initial"),
    ("complaints", "0001_initial"),
    ("sanctions", "0007_wpo_4a_records"),
    # Today's case table, which the old state must know in full to write a case row.
    ("reports", "0016_seal_handover_reason"),
]
SEALED = [
    ("consultations_consultationmessage", "body"),
    ("integrity_misstandreport", "description"),
    ("integrity_misstandreport", "reporter_name"),
    ("integrity_misstandreport", "reporter_contact"),
    ("integrity_misstandentry", "body"),
    ("complaints_complaint", "subject"),
    ("complaints_complaint", "description"),
    ("complaints_complaint", "decision"),
    ("complaints_complaintentry", "note"),
    ("sanctions_seriousincident", "decision_note"),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def before_sealing():
    apps = migrate(BEFORE)
    yield apps
    migrate(latest())


def test_the_conversion_seals_what_was_plain_under_a_key_per_object_and_the_way_back_opens_it(
    before_sealing, school, teacher, parent, board_member
):
    apps = before_sealing
    now = timezone.now()
    consultation = apps.get_model("consultations", "Consultation").objects.create(
        asker_id=teacher.pk, school_id=school.pk, topic="post"
    )
    apps.get_model("consultations", "ConsultationMessage").objects.create(
        consultation_id=consultation.pk, author_id=teacher.pk, body="Oude vraag"
    )
    report = apps.get_model("integrity", "MisstandReport").objects.create(
        received_at=now,
        description="Oude misstand",
        reporter_name="Piet Pieters",
        reporter_contact="06-11111111",
        receipt_code_digest="digest-old",
        submission_digest="key-old",
        acknowledge_due_at=now,
        feedback_due_at=now,
    )
    apps.get_model("integrity", "MisstandEntry").objects.create(
        report_id=report.pk, kind="reporter_message", body="Oud bericht", at=now
    )
    complaint = apps.get_model("complaints", "Complaint").objects.create(
        school_id=school.pk,
        complainant_id=parent.pk,
        subject="Oud onderwerp",
        description="Oude klacht",
        event_on=timezone.localdate(),
        filed_at=now,
        decision="Oud besluit",
    )
    apps.get_model("complaints", "ComplaintEntry").objects.create(
        complaint_id=complaint.pk, step="direction", note="Oude toelichting", at=now
    )
    case = apps.get_model("reports", "Case").objects.create(school_id=school.pk, data_key=vault.data_key_create())
    incident = apps.get_model("sanctions", "SeriousIncident").objects.create(
        case_id=case.pk,
        kinds=["criminal_offence"],
        flagged_by_id=board_member.pk,
        due_on=timezone.localdate(),
        decision="reported",
        decided_on=timezone.localdate(),
        decided_by_id=board_member.pk,
        decision_note="Oude notitie",
    )

    migrate(latest())

    with connection.cursor() as cursor:
        for table, column in SEALED:
            cursor.execute(f"SELECT {column} FROM {table}")  # the names come from the list above
            assert cursor.fetchone()[0].startswith("v1."), f"{table}.{column} still plain"
    keys = {
        Consultation.objects.get().data_key,
        MisstandReport.objects.get().data_key,
        Complaint.objects.get().data_key,
        case.data_key,
    }
    assert len(keys) == 4 and all(vault.data_key_exists(key) for key in keys)
    assert Consultation.objects.get().messages.get().body == "Oude vraag"
    sealed_report = MisstandReport.objects.get()
    assert (sealed_report.description, sealed_report.reporter_name, sealed_report.reporter_contact) == (
        "Oude misstand",
        "Piet Pieters",
        "06-11111111",
    )
    assert sealed_report.entries.get().body == "Oud bericht"
    sealed_complaint = Complaint.objects.get()
    assert (sealed_complaint.subject, sealed_complaint.description, sealed_complaint.decision) == (
        "Oud onderwerp",
        "Oude klacht",
        "Oud besluit",
    )
    assert sealed_complaint.entries.get().note == "Oude toelichting"
    assert SeriousIncident.objects.get(pk=incident.pk).decision_note == "Oude notitie"

    back = migrate(BEFORE)

    assert back.get_model("consultations", "ConsultationMessage").objects.get().body == "Oude vraag"
    assert back.get_model("integrity", "MisstandReport").objects.get().reporter_name == "Piet Pieters"
    assert back.get_model("complaints", "ComplaintEntry").objects.get().note == "Oude toelichting"
    assert back.get_model("sanctions", "SeriousIncident").objects.get().decision_note == "Oude notitie"
