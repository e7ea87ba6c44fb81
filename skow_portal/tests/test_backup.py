"""Backup and restore, tried: one encrypted archive of the database and the private files comes back
whole on a fresh database (PostgreSQL in CI: pg_dump, drop, create, pg_restore), and tells nothing
without its key."""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection, connections

from reports.constants import TimelineKind
from reports.models import Evidence
from reports.services import case_open, case_timeline_add
from reports.tests.factories import ReportFactory
from skow_portal.backup import BackupError, backup_create, backup_restore
from testing.services import require_service

MARKER = "Backupmarker-7f3a"
FILE_BYTES = b"Bewijs: " + MARKER.encode() + b" screenshot van de groepsapp"


@pytest.fixture
def backup_settings(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = str(tmp_path / "private")
    settings.EVIDENCE_ROOT = str(tmp_path / "private" / "evidence")
    settings.BACKUP_KEY_FILE = ""
    settings.BACKUP_KEY = base64.b64encode(b"k" * 32).decode()
    return tmp_path


def make_case_with_a_file(school, school_leader, root: Path):
    report = ReportFactory(school=school, description=f"Nare berichten {MARKER}")
    case_open(case=report.case, viewer=school_leader)
    case_timeline_add(case=report.case, kind=TimelineKind.NOTE, author=school_leader, summary=f"Gesprek {MARKER}")
    evidence = root / "private" / "evidence"
    evidence.mkdir(parents=True)
    (evidence / "a1b2c3").write_bytes(FILE_BYTES)
    scans = root / "private" / "consent-scans"
    scans.mkdir(parents=True)
    (scans / "scan-1.pdf").write_bytes(b"%PDF-1.4 scan")
    Evidence.objects.create(
        report=report,
        kind="text",
        file_name="melding-1-1.txt",
        stored_name="a1b2c3",
        content_type="text/plain",
        size=len(FILE_BYTES),
        sha256=hashlib.sha256(FILE_BYTES).hexdigest(),
    )
    return report


def every_row() -> dict[str, list[dict]]:
    """Every row of every table the portal has, ordered by key."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def every_file(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_round_trip_on_postgresql_to_a_fresh_database(backup_settings, school, school_leader):
    require_service(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL=postgres://…)")
    tools = [tool for tool in ("pg_dump", "pg_restore", "psql") if shutil.which(tool) is None]
    require_service(not tools, f"the PostgreSQL client tools ({', '.join(tools) or 'pg_dump, pg_restore, psql'})")
    root = backup_settings
    make_case_with_a_file(school, school_leader, root)
    rows, files = every_row(), every_file(root / "private")
    assert rows["reports.Report"] and rows["reports.TimelineEntry"] and len(files) == 2

    archive = root / "archives" / "skow.skowbak"
    call_command("backup", output=str(archive))
    assert MARKER.encode() not in archive.read_bytes()  # neither the dump nor the file, in clear

    # A fresh machine: the database dropped and created empty, the private files gone.
    db = connection.settings_dict
    name = db["NAME"]
    connections.close_all()
    psql = ["psql", "--dbname=postgres", "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1"]
    psql += [f"--host={db['HOST']}"] if db.get("HOST") else []
    psql += [f"--port={db['PORT']}"] if db.get("PORT") else []
    psql += [f"--username={db['USER']}"] if db.get("USER") else []
    environment = {"PGPASSWORD": str(db["PASSWORD"])} if db.get("PASSWORD") else {}
    for statement in (f'DROP DATABASE "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'):
        subprocess.run([*psql, f"--command={statement}"], check=True, env={**os.environ, **environment})
    shutil.rmtree(root / "private")
    assert "reports_report" not in connection.introspection.table_names()

    call_command("restore", str(archive))

    assert every_row() == rows
    assert every_file(root / "private") == files
    call_command("chain_verify")  # the history restored is the history written


@pytest.mark.django_db(transaction=True)
def test_restore_with_replace_brings_back_what_was_lost_since(backup_settings, school, school_leader):
    """On SQLite through its backup API both ways; on PostgreSQL pg_restore --clean over the live database."""
    root = backup_settings
    report = make_case_with_a_file(school, school_leader, root)
    rows, files = every_row(), every_file(root / "private")
    archive = root / "skow.skowbak"
    backup_create(archive)
    assert MARKER.encode() not in archive.read_bytes()

    # Lost since: a report's text, a file; and a restore refuses to overwrite without --replace.
    type(report).objects.filter(pk=report.pk).update(description="")  # sealed: only emptied
    shutil.rmtree(root / "private" / "evidence")
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(archive))

    call_command("restore", str(archive), replace=True)
    assert every_row() == rows
    assert every_file(root / "private") == files


@pytest.mark.django_db(transaction=True)
def test_an_archive_opens_only_with_its_key_and_unchanged(backup_settings, settings, school, school_leader):
    root = backup_settings
    make_case_with_a_file(school, school_leader, root)
    archive = root / "skow.skowbak"
    backup_create(archive)
    sealed = archive.read_bytes()

    settings.BACKUP_KEY = base64.b64encode(b"x" * 32).decode()
    with pytest.raises(BackupError, match="wrong key, or the archive was changed"):
        backup_restore(archive, replace=True)

    settings.BACKUP_KEY = base64.b64encode(b"k" * 32).decode()
    for damaged in (sealed[:-100], sealed[:40] + bytes([sealed[40] ^ 1]) + sealed[41:]):
        archive.write_bytes(damaged)
        with pytest.raises(BackupError, match="wrong key, or the archive was changed"):
            backup_restore(archive, replace=True)


def test_without_a_key_nothing_is_written(settings, tmp_path):
    settings.BACKUP_KEY_FILE = ""
    settings.BACKUP_KEY = ""
    with pytest.raises(CommandError, match="No backup key"):
        call_command("backup", output=str(tmp_path / "x.skowbak"))
    assert not (tmp_path / "x.skowbak").exists()


def test_a_new_key_file_is_private_and_never_overwritten(tmp_path):
    path = tmp_path / "keys" / "backup.key"
    call_command("backup_key_new", output=str(path))
    assert len(base64.b64decode(path.read_text().strip())) == 32
    assert path.stat().st_mode & 0o777 == 0o600
    with pytest.raises(CommandError, match="never overwritten"):
        call_command("backup_key_new", output=str(path))
