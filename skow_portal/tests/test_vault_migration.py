"""The vault's data migration: rows and files stored in plain text before it are sealed in place,
and the way back opens them again (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from reports.evidence import evidence_path, evidence_read
from reports.models import Report, TimelineEntry

pytestmark = pytest.mark.django_db(transaction=True)  # schema changes: not inside a test transaction

BEFORE = [("reports", "0008_staff_rule_categories"), ("sanctions", "0004_measure_board_consulted")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.fixture
def before_the_vault():
    apps = migrate(BEFORE)
    yield apps
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_the_migration_seals_what_was_plain_and_the_way_back_opens_it(before_the_vault, school, school_leader):
    apps = before_the_vault
    case = apps.get_model("reports", "Case").objects.create(school_id=school.pk)
    report = apps.get_model("reports", "Report").objects.create(
        case_id=case.pk,
        school_id=school.pk,
        category="bullying",
        platform="whatsapp",
        happened_on=timezone.localdate(),
        description="Oude melding in klare tekst",
        reporter_role="parent",
        reporter_name="Karin Bakker",
        reporter_email="karin@example.nl",
        receipt_code_digest="digest-old",
        submission_digest="key-old",
    )
    apps.get_model("reports", "ReportMessage").objects.create(
        report_id=report.pk, author="reporter", body="Oud bericht"
    )
    entry = apps.get_model("reports", "TimelineEntry").objects.create(
        case_id=case.pk, kind="conversation", summary="Gesprek gevoerd", data={"with_whom": "Moeder"}
    )
    stored = "old-evidence.txt"
    path = evidence_path(stored)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"oud bewijs")
    apps.get_model("reports", "Evidence").objects.create(
        report_id=report.pk,
        kind="text",
        file_name="melding-oud-1.txt",
        stored_name=stored,
        content_type="text/plain",
        size=10,
        sha256="0" * 64,
    )

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT description, reporter_name, reporter_email FROM reports_report WHERE id = %s", [report.pk]
        )
        raw = cursor.fetchone()
    assert all(value.startswith("v1.") for value in raw)
    assert b"oud bewijs" not in path.read_bytes()
    sealed = Report.objects.get(pk=report.pk)
    assert (sealed.description, sealed.reporter_name, sealed.reporter_email) == (
        "Oude melding in klare tekst",
        "Karin Bakker",
        "karin@example.nl",
    )
    assert sealed.messages.get().body == "Oud bericht"
    moved = TimelineEntry.objects.get(pk=entry.pk)
    assert (moved.summary, moved.with_whom, moved.data) == ("Gesprek gevoerd", "Moeder", {})
    assert evidence_read(stored) == b"oud bewijs"

    back = migrate(BEFORE)

    old = back.get_model("reports", "Report").objects.get(pk=report.pk)
    assert (old.description, old.reporter_email) == ("Oude melding in klare tekst", "karin@example.nl")
    assert back.get_model("reports", "TimelineEntry").objects.get(pk=entry.pk).data == {"with_whom": "Moeder"}
    assert path.read_bytes() == b"oud bewijs"
