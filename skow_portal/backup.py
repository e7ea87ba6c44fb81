"""One encrypted archive of the database and the private files, and bringing it back (README, "Backup
and restore").

The archive is a tar of ``manifest.json``, the database (``pg_dump --format=custom`` on PostgreSQL,
SQLite's online backup API on SQLite) and the private files, encrypted with AES-256-GCM from the
``cryptography`` package in chunks of 4 MiB, as the STREAM construction of Hoang, Reyhanitabar,
Rogaway and Vizár ("Online authenticated-encryption and its nonce-reuse misuse-resistance", 2015)
and Tink's streaming AEAD do it: one random nonce prefix per archive, then a chunk counter and a
last-chunk flag in each nonce, so chunks cannot be reordered, dropped or cut off unnoticed. The key
is read from ``BACKUP_KEY_FILE`` or ``BACKUP_KEY`` (base64 of 32 bytes), never from the database,
and is not inside the archive.

Consistent: files are written before the row that names them commits and removed after the row's
removal commits, and a stored file never changes. So the files are copied once before the dump and
the new ones once after it: every file a row in the dump names is in the archive.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import os
import secrets
import shutil
import sqlite3
import struct
import subprocess
import tarfile
import tempfile
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import connection

MAGIC = b"SKOWBAK1"
CHUNK = 4 * 1024 * 1024
PREFIX_BYTES = 7  # + 4 bytes of counter + 1 byte last flag = the 12-byte GCM nonce
HEADER = struct.Struct(f">8s{PREFIX_BYTES}s")


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


# The key ---------------------------------------------------------------------------------------------


def backup_key_new() -> str:
    """A new random key, base64, for BACKUP_KEY_FILE or BACKUP_KEY."""
    return base64.b64encode(AESGCM.generate_key(bit_length=256)).decode()


def backup_key() -> bytes:
    """The key from BACKUP_KEY_FILE (a file holding the base64 key) or else BACKUP_KEY."""
    text = ""
    if settings.BACKUP_KEY_FILE:
        path = Path(settings.BACKUP_KEY_FILE)
        if not path.is_file():
            raise BackupError(f"BACKUP_KEY_FILE {path} does not exist; create one with `manage.py backup_key_new`.")
        text = path.read_text(encoding="ascii").strip()
    elif settings.BACKUP_KEY:
        text = settings.BACKUP_KEY.strip()
    else:
        raise BackupError("No backup key: set BACKUP_KEY_FILE (or BACKUP_KEY); `manage.py backup_key_new` makes one.")
    try:
        key = base64.b64decode(text, validate=True)
    except ValueError as error:
        raise BackupError("The backup key is not valid base64.") from error
    if len(key) != 32:
        raise BackupError("The backup key must be 32 bytes (base64 of 44 characters).")
    return key


# Encryption (STREAM over AES-GCM) --------------------------------------------------------------------


def _nonce(prefix: bytes, counter: int, is_last: bool) -> bytes:
    return prefix + struct.pack(">I", counter) + (b"\x01" if is_last else b"\x00")


def encrypt_file(source: Path, target: Path, key: bytes) -> None:
    aead = AESGCM(key)
    prefix = secrets.token_bytes(PREFIX_BYTES)
    header = HEADER.pack(MAGIC, prefix)
    with source.open("rb") as plain, target.open("wb") as sealed:
        sealed.write(header)
        counter, chunk = 0, plain.read(CHUNK)
        while True:
            following = plain.read(CHUNK)
            is_last = not following
            sealed.write(aead.encrypt(_nonce(prefix, counter, is_last), chunk, header))
            if is_last:
                return
            counter, chunk = counter + 1, following


def decrypt_file(source: Path, target: Path, key: bytes) -> None:
    aead = AESGCM(key)
    with source.open("rb") as sealed, target.open("wb") as plain:
        header = sealed.read(HEADER.size)
        if len(header) != HEADER.size or not header.startswith(MAGIC):
            raise BackupError(f"{source} is not a SKOW backup archive.")
        _magic, prefix = HEADER.unpack(header)
        counter, chunk = 0, sealed.read(CHUNK + 16)
        while True:
            following = sealed.read(CHUNK + 16)
            is_last = not following
            try:
                plain.write(aead.decrypt(_nonce(prefix, counter, is_last), chunk, header))
            except InvalidTag as error:
                raise BackupError(
                    "The archive cannot be decrypted: a wrong key, or the archive was changed."
                ) from error
            if is_last:
                return
            counter, chunk = counter + 1, following


# What is backed up -----------------------------------------------------------------------------------


def file_roots() -> dict[str, Path]:
    """The private file roots by their name in the archive: PRIVATE_STORAGE_ROOT (consent scans, and
    evidence by default) and EVIDENCE_ROOT when it lies elsewhere."""
    private = Path(settings.PRIVATE_STORAGE_ROOT).resolve()
    roots = {"private": private}
    evidence = Path(settings.EVIDENCE_ROOT).resolve()
    if not evidence.is_relative_to(private):
        roots["evidence"] = evidence
    return roots


def _copy_new_files(staging: Path) -> None:
    for name, root in file_roots().items():
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            copy = staging / name / path.relative_to(root)
            if path.is_file() and not copy.exists():
                copy.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, copy)


def _pg_environment() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    arguments = [f"--dbname={db['NAME']}"]
    if db.get("HOST"):
        arguments.append(f"--host={db['HOST']}")
    if db.get("PORT"):
        arguments.append(f"--port={db['PORT']}")
    if db.get("USER"):
        arguments.append(f"--username={db['USER']}")
    environment = {**os.environ}
    if db.get("PASSWORD"):
        environment["PGPASSWORD"] = str(db["PASSWORD"])
    return arguments, environment


def _run(command: list[str], environment: dict[str, str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (apt-get install postgresql-client).")
    done = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()}")


def _dump_database(target: Path) -> str:
    if connection.vendor == "postgresql":
        arguments, environment = _pg_environment()
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}", *arguments], environment
        )
        return "postgresql"
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
        return "sqlite"
    raise BackupError(f"Backing up a {connection.vendor} database is not supported.")


def _digests(directory: Path) -> dict[str, str]:
    return {
        str(path.relative_to(directory)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


def backup_create(target: Path) -> dict:
    """Write one encrypted archive of the database and the private files to ``target``; return its manifest."""
    key = backup_key()
    if connection.in_atomic_block:
        raise BackupError("A backup runs outside a transaction: it must see what others have committed.")
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="skow-backup-") as work:
        staging = Path(work) / "archive"
        (staging / "files").mkdir(parents=True)
        _copy_new_files(staging / "files")  # before the dump ...
        engine = _dump_database(staging / "database")
        _copy_new_files(staging / "files")  # ... and what came in meanwhile
        manifest = {
            "format": 1,
            "engine": engine,
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
            "database_sha256": hashlib.sha256((staging / "database").read_bytes()).hexdigest(),
            "files": _digests(staging / "files"),
        }
        (staging / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        plain = Path(work) / "archive.tar"
        with tarfile.open(plain, "w") as tar:
            tar.add(staging, arcname=".")
        partial = target.with_name(target.name + ".partial")
        encrypt_file(plain, partial, key)
        partial.replace(target)
    return manifest


# Restore ---------------------------------------------------------------------------------------------


def _database_is_empty() -> bool:
    return "django_migrations" not in connection.introspection.table_names()


def _restore_database(source: Path, engine: str) -> None:
    if engine != connection.vendor:
        raise BackupError(f"The archive holds a {engine} database; this installation uses {connection.vendor}.")
    if engine == "postgresql":
        connection.close()
        arguments, environment = _pg_environment()
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                *arguments,
                str(source),
            ],
            environment,
        )
        return
    connection.ensure_connection()
    archived = sqlite3.connect(source)
    try:
        archived.backup(connection.connection)
    finally:
        archived.close()


def backup_restore(source: Path, *, replace: bool = False) -> dict:
    """Bring back an archive of backup_create: the database and the private files. Refuses a database
    or a file root that is not empty unless ``replace`` (then what is there is replaced)."""
    key = backup_key()
    roots = file_roots()
    if not replace:
        if not _database_is_empty():
            raise BackupError("The database is not empty. Restore into a fresh database, or pass --replace.")
        for root in roots.values():
            if root.is_dir() and any(path.is_file() for path in root.rglob("*")):
                raise BackupError(f"{root} holds files. Restore into an empty directory, or pass --replace.")
    with tempfile.TemporaryDirectory(prefix="skow-restore-") as work:
        plain = Path(work) / "archive.tar"
        decrypt_file(Path(source), plain, key)
        unpacked = Path(work) / "archive"
        with tarfile.open(plain) as tar:
            tar.extractall(unpacked, filter="data")
        manifest = json.loads((unpacked / "manifest.json").read_text(encoding="utf-8"))
        if hashlib.sha256((unpacked / "database").read_bytes()).hexdigest() != manifest["database_sha256"]:
            raise BackupError("The database in the archive does not match its manifest.")
        if _digests(unpacked / "files") != manifest["files"]:
            raise BackupError("The files in the archive do not match its manifest.")
        _restore_database(unpacked / "database", manifest["engine"])
        for name, root in roots.items():
            if root.is_dir():
                shutil.rmtree(root)
            archived = unpacked / "files" / name
            if archived.is_dir():
                shutil.copytree(archived, root)
            else:
                root.mkdir(parents=True, exist_ok=True)
    return manifest
