"""The vault (common/vault.py): case content is unreadable at rest, a rotation of the master key
leaves content alone, and an erased case stays erased in a backup taken before the erasure.

The copies are real: ``pg_dump`` of the test database on PostgreSQL (CI=true: a missing pg_dump fails
the test instead of skipping it), the database file itself on SQLite, and the private files.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import sqlite3
import subprocess
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.exceptions import FieldError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from common import vault
from reports.constants import CaseState, ClosingReason, TimelineKind
from reports.evidence import CheckedFile, evidence_path, evidence_read, evidence_root, evidence_write
from reports.models import Case, Evidence, Report, ReportMessage, TimelineEntry
from reports.services import (
    case_anonymise,
    case_entry_add,
    case_merge,
    report_message_to_reporter,
    report_reply_by_reporter,
)
from reports.tests.factories import ReportFactory
from sanctions.constants import MeasureKind, SubjectKind
from sanctions.models import Measure
from sanctions.services import measure_record

ON_POSTGRESQL = connection.vendor == "postgresql"


def _tool(name: str) -> str:
    """A PostgreSQL client program; under CI its absence is a failure, elsewhere a skip."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} is not installed: the vault's dump test cannot run (CI=true).")
        pytest.skip(f"{name} is not installed")
    return path


def _pg_environment() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    arguments = ["-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432), "-U", db["USER"] or "postgres"]
    return arguments, {**os.environ, "PGPASSWORD": db["PASSWORD"] or ""}


def database_copy(target: Path) -> Path:
    """A copy of the test database as a backup holds it: pg_dump's SQL, or the SQLite file."""
    if ON_POSTGRESQL:
        arguments, environment = _pg_environment()
        dump = target / "backup.sql"
        subprocess.run(
            [_tool("pg_dump"), *arguments, "--no-owner", "-f", str(dump), connection.settings_dict["NAME"]],
            env=environment,
            check=True,
            timeout=120,
        )
        return dump
    copy = target / "backup.sqlite3"
    with sqlite3.connect(connection.settings_dict["NAME"]) as source, sqlite3.connect(copy) as backup:
        source.backup(backup)
    return copy


def private_files() -> list[Path]:
    roots = {Path(settings.PRIVATE_STORAGE_ROOT), evidence_root()}
    return [path for root in roots if root.exists() for path in root.rglob("*") if path.is_file()]


# Content unreadable at rest, readable for the leader ------------------------------------------------


@pytest.mark.django_db(transaction=True)  # committed, so pg_dump sees it
def test_every_text_of_a_report_is_absent_from_a_database_dump_and_the_files_but_the_leader_sees_it_all(
    client, school, school_leader, logged_in, tmp_path
):
    tag = secrets.token_hex(4)
    marker = {
        name: f"mk{name.replace('_', '')}{tag}"
        for name in (
            "description",
            "involved_names",
            "reporter_name",
            "reporter_phone",
            "reply",
            "handler_message",
            "note",
            "with_whom",
            "measure",
            "evidence",
        )
    }
    marker["reporter_email"] = f"mkemail{tag}@example.nl"
    response = client.post(
        reverse("reports:new"),
        {
            "school": school.pk,
            "category": "bullying",
            "platform": "whatsapp",
            "happened_on": "2026-11-20",
            "description": f"In de groepsapp: {marker['description']}.",
            "involved_roles": ["pupil"],
            "involved_names": marker["involved_names"],
            "reporter_role": "parent",
            "reporter_name": marker["reporter_name"],
            "reporter_email": marker["reporter_email"],
            "reporter_phone": marker["reporter_phone"],
            "website": "",
            "submission_key": secrets.token_urlsafe(16),
            "evidence": [SimpleUploadedFile("chat.txt", f"Bericht: {marker['evidence']}".encode(), "text/plain")],
        },
        follow=True,
    )
    assert response.status_code == 200
    code = re.search(r'data-testid="receipt-code"[^>]*>([0-9A-Z-]+)<', response.content.decode()).group(1)
    client.post(reverse("reports:follow"), {"code": code}, follow=True)
    client.post(reverse("reports:follow_reply"), {"body": f"Nog iets: {marker['reply']}"})
    report = Report.objects.get()
    assert [message.body for message in report.messages.all()] == [f"Nog iets: {marker['reply']}"]
    report_message_to_reporter(report=report, handler=school_leader, body=f"Wij spreken {marker['handler_message']}")
    case_entry_add(case=report.case, author=school_leader, kind=TimelineKind.NOTE, summary=marker["note"])
    case_entry_add(
        case=report.case,
        author=school_leader,
        kind=TimelineKind.CONVERSATION,
        summary="Gesprek",
        with_whom=marker["with_whom"],
    )
    teacher = UserFactory(roles=[("staff", school)])
    measure_record(
        case=report.case,
        by=school_leader,
        subject_kind=SubjectKind.STAFF,
        kind=MeasureKind.CONVERSATION,
        reason=marker["measure"],
        decided_on=timezone.localdate(),
        staff_member=teacher,
        board_consulted=False,  # a light measure says whether the directeur-bestuurder was consulted
    )

    dump = database_copy(tmp_path).read_bytes()
    files = [path.read_bytes() for path in private_files()]
    assert files, "the evidence file is in the private storage"
    for name, value in marker.items():
        assert value.encode() not in dump, f"{name} readable in the database copy"
        assert not any(value.encode() in content for content in files), f"{name} readable in the private files"
    assert not any(vault.key_store().resolve() in path.resolve().parents for path in private_files())

    logged_in(school_leader)
    page = client.get(reverse("reports:case_detail", args=[report.case.pk])).content.decode()
    for name, value in marker.items():
        if name not in ("evidence", "measure"):
            assert value in page, f"{name} missing from the leader's page"
    measures = client.get(reverse("sanctions:measure_list", args=[report.case.pk])).content.decode()
    assert marker["measure"] in measures
    evidence = Evidence.objects.get()
    download = client.get(reverse("reports:evidence", args=[report.case.pk, evidence.pk]))
    assert marker["evidence"].encode() in b"".join(download.streaming_content)


# Row binding and the guard on plain text -----------------------------------------------------------


@pytest.mark.django_db
def test_a_sealed_value_copied_into_another_row_does_not_open_there(school):
    first = ReportFactory(school=school, description="Eerste melding")
    second = ReportFactory(school=school, description="Tweede melding")
    stolen = Report.objects.values_list("description", flat=True).get(pk=first.pk)
    assert "Eerste" not in stolen and stolen.startswith("v1.")
    Report.objects.filter(pk=second.pk).update(description=stolen)  # a database administrator's swap
    assert Report.objects.get(pk=second.pk).description == ""  # refused, not shown as the other row's text
    assert Report.objects.get(pk=first.pk).description == "Eerste melding"


@pytest.mark.django_db
def test_plain_text_is_never_written_into_a_sealed_column_nor_searched_in_it(school):
    report = ReportFactory(school=school)
    with pytest.raises(ValueError, match="sealed column"), transaction.atomic():
        Report.objects.filter(pk=report.pk).update(description="in klare tekst")
    with pytest.raises(FieldError, match="Unsupported lookup"):
        list(Report.objects.filter(description__icontains="app"))
    twice = {vault.seal("zelfde tekst", key_id=report.case.data_key, context="t.c.1") for _ in range(2)}
    assert len(twice) == 2  # a fresh 96-bit nonce each time


@pytest.mark.django_db
def test_the_case_page_unwraps_the_case_key_once_and_its_queries_do_not_grow_with_its_content(
    client, school, school_leader, logged_in
):
    report = ReportFactory(school=school)
    logged_in(school_leader)
    url = reverse("reports:case_detail", args=[report.case.pk])
    client.get(url)  # the first opening asks a question; the page after it is what is measured
    real_unwrap = vault._unwrap
    counts = []
    for _round in range(2):
        for number in range(10):
            report_message_to_reporter(report=report, handler=school_leader, body=f"Bericht {number}")
            case_entry_add(case=report.case, author=school_leader, kind=TimelineKind.NOTE, summary=f"Notitie {number}")
        with (
            mock.patch.object(vault, "_unwrap", side_effect=real_unwrap) as unwrap,
            CaptureQueriesContext(connection) as queries,
        ):
            page = client.get(url).content.decode()
        assert "Bericht 9" in page and "Notitie 9" in page
        assert unwrap.call_count == 1  # one case, one key, however many texts
        counts.append(len(queries))
    assert counts[0] == counts[1]


# Rotation of the master key ---------------------------------------------------------------------


@pytest.mark.django_db
def test_rotating_the_master_key_rewraps_every_data_key_and_leaves_the_content_alone(
    school, school_leader, settings, tmp_path
):
    old_line = settings.VAULT_MASTER_KEY.split(",")[0]
    key_file = tmp_path / "master.key"
    key_file.write_text(old_line + "\n")
    settings.VAULT_MASTER_KEY = ""
    settings.VAULT_MASTER_KEY_FILE = str(key_file)
    settings.VAULT_KEY_STORE = str(tmp_path / "keystore")
    settings.EVIDENCE_ROOT = str(tmp_path / "evidence")
    reports = [ReportFactory(school=school, description=f"Melding {n}", reporter_name=f"Melder {n}") for n in range(3)]
    for report in reports:
        report_reply_by_reporter(report=report, body=f"Antwoord op {report.pk}")
    stored = evidence_write(CheckedFile("text", "text/plain", ".txt", b"bewijs"), key_id=reports[0].case.data_key)
    sealed_before = sorted(Report.objects.values_list("description", "reporter_name"))
    messages_before = sorted(ReportMessage.objects.values_list("body", flat=True))
    file_before = evidence_path(stored).read_bytes()

    call_command("vault_rotate_master_key", "--new-key")

    lines = [line for line in key_file.read_text().splitlines() if line and not line.startswith("#")]
    assert len(lines) == 2 and lines[1] == old_line
    new_id = lines[0].partition(":")[0]
    key_files = list(vault.key_store().glob("*/*.key"))
    assert len(key_files) == 3 and all(path.read_text().startswith(f"{new_id}:") for path in key_files)
    assert sorted(Report.objects.values_list("description", "reporter_name")) == sealed_before  # untouched
    assert sorted(ReportMessage.objects.values_list("body", flat=True)) == messages_before
    assert evidence_path(stored).read_bytes() == file_before

    call_command("vault_rotate_master_key", "--retire-old")
    assert [line.partition(":")[0] for line in key_file.read_text().splitlines() if line] == [new_id]
    assert [Report.objects.get(pk=r.pk).description for r in reports] == ["Melding 0", "Melding 1", "Melding 2"]
    assert Report.objects.get(pk=reports[1].pk).messages.get().body == f"Antwoord op {reports[1].pk}"
    assert evidence_read(stored) == b"bewijs"
    # The old master key alone opens nothing any more: it may leave the building.
    settings.VAULT_MASTER_KEY = old_line
    with pytest.raises(Exception, match="not loaded"):
        vault.unseal(sealed_before[0][0], context=f"reports_report.description.{reports[0].pk}")


def test_production_settings_refuse_to_start_without_a_master_key():
    from .test_deploy import PRODUCTION_ENV, _manage

    result = _manage("check", env={**PRODUCTION_ENV, "SKOW_MASTER_KEY": "", "SKOW_MASTER_KEY_FILE": ""})
    assert result.returncode != 0
    assert "SKOW_MASTER_KEY or SKOW_MASTER_KEY_FILE" in result.stderr


# Crypto-shredding: a backup from before the erasure stays unreadable ---------------------------------


def _restored_description(backup: Path, report_pk: int, tmp_path: Path) -> str:
    """Restore the backup into a database of its own and read the report's stored description."""
    if not ON_POSTGRESQL:
        with sqlite3.connect(backup) as restored:
            return restored.execute("SELECT description FROM reports_report WHERE id = ?", [report_pk]).fetchone()[0]
    arguments, environment = _pg_environment()
    name = f"{connection.settings_dict['NAME']}_restored_{secrets.token_hex(3)}"
    subprocess.run([_tool("createdb"), *arguments, name], env=environment, check=True, timeout=60)
    try:
        subprocess.run(
            [_tool("psql"), *arguments, "-q", "-v", "ON_ERROR_STOP=1", "-d", name, "-f", str(backup)],
            env=environment,
            check=True,
            timeout=120,
            capture_output=True,
        )
        done = subprocess.run(
            [
                _tool("psql"),
                *arguments,
                "-At",
                "-d",
                name,
                "-c",
                f"SELECT description FROM reports_report WHERE id = {report_pk}",
            ],
            env=environment,
            check=True,
            timeout=60,
            capture_output=True,
            text=True,
        )
        return done.stdout.strip()
    finally:
        subprocess.run([_tool("dropdb"), *arguments, "--if-exists", name], env=environment, timeout=60)


@pytest.mark.django_db(transaction=True)  # the erasure commits, as it does in production
def test_an_erased_case_stays_unreadable_in_a_backup_taken_before_the_erasure(school, school_leader, tmp_path):
    marker = f"mkshred{secrets.token_hex(4)}"
    report = ReportFactory(school=school, description=f"Wat er gebeurde: {marker}")
    other = ReportFactory(school=school, description="Een ander dossier")
    stored = evidence_write(CheckedFile("text", "text/plain", ".txt", marker.encode()), key_id=report.case.data_key)
    Evidence.objects.create(
        report=report,
        kind="text",
        file_name="melding-shred-1.txt",
        stored_name=stored,
        content_type="text/plain",
        size=len(marker),
        sha256="0" * 64,
    )
    Case.objects.filter(pk=report.case.pk).update(
        state=CaseState.CLOSED, closed_at=timezone.now(), closing_reason=ClosingReason.HANDLED
    )
    backup = database_copy(tmp_path)
    file_copy = tmp_path / "evidence-copy"
    file_copy.write_bytes(evidence_path(stored).read_bytes())
    before = _restored_description(backup, report.pk, tmp_path)
    assert marker in vault.unseal(before, context=f"reports_report.description.{report.pk}")  # the backup works

    case_anonymise(case=report.case)

    assert not vault.data_key_exists(report.case.data_key)
    restored = _restored_description(backup, report.pk, tmp_path)
    assert restored == before and marker.encode() not in backup.read_bytes()
    with pytest.raises(vault.KeyUnavailable):
        vault.unseal(restored, context=f"reports_report.description.{report.pk}")
    with pytest.raises(vault.KeyUnavailable):
        vault.unseal_bytes(file_copy.read_bytes(), context=f"reports_evidence.file.{stored}")
    # What the backup's rows show through the portal: nothing; the other case is untouched.
    Report.objects.filter(pk=report.pk).update(description=vault.Ciphertext(restored))
    assert Report.objects.get(pk=report.pk).description == ""
    assert Report.objects.get(pk=other.pk).description == "Een ander dossier"
    # Statistics keep their columns: category, platform, dates, state, closing reason.
    kept = Report.objects.select_related("case").get(pk=report.pk)
    assert kept.category == report.category and kept.platform == report.platform
    assert kept.case.closing_reason == ClosingReason.HANDLED and kept.case.anonymised_at is not None
    assert TimelineEntry.objects.filter(case=report.case, kind=TimelineKind.RETENTION).exists()
    assert Measure.objects.filter(case=report.case).count() == 0


@pytest.mark.django_db
def test_a_merged_case_keeps_its_key_until_the_case_it_went_into_is_erased(
    school, school_leader, django_capture_on_commit_callbacks
):
    source = ReportFactory(school=school, description="Eerst apart gemeld")
    target = ReportFactory(school=school, description="Het dossier dat blijft")
    case_merge(source=source.case, target=target.case, by=school_leader)
    merged = Case.objects.get(pk=source.case.pk)
    with django_capture_on_commit_callbacks(execute=True):
        case_anonymise(case=merged)  # closed by the merge: its retention may come first
    assert vault.data_key_exists(merged.data_key)
    assert Report.objects.get(pk=source.pk).description == "Eerst apart gemeld"  # now in the living case

    with django_capture_on_commit_callbacks(execute=True):
        case_anonymise(case=Case.objects.get(pk=target.case.pk))
    assert not vault.data_key_exists(merged.data_key) and not vault.data_key_exists(target.case.data_key)
