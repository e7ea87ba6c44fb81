"""The vault: envelope encryption of what a case file says (docs/architecture.md, "The vault").

Three layers, each with one job:

- the **master key** (or keys, during a rotation) lives outside the database and outside its backups:
  the environment variable ``SKOW_MASTER_KEY`` or the file ``SKOW_MASTER_KEY_FILE``, one key a line
  as ``<id>:<base64 of 32 bytes>``; the first line is the one new data keys are wrapped with;
- **data keys** (AES-256, one per case, consent scan, consultation, misstand report or complaint) live
  in the **key store**, a directory (``SKOW_KEY_STORE``) apart from the database and the private
  files, each wrapped by a master key.
  Destroying a data key (its file) erases whatever it sealed from every copy of the database and
  the files, backups included: crypto-shredding;
- **values** (a text column, a file) are sealed with AES-GCM under a data key, with a random 96-bit
  nonce each and associated data naming the table, column and row (or the file), so a value copied
  into another row or another file does not open. A sealed value names its data key, so reading a
  list needs no query for keys: one unwrap per data key per request (``key_ring``).

Only the ``cryptography`` package's AES-GCM; nothing home-made.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import contextvars
import os
import re
import secrets
from collections.abc import Iterator
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.db.models.query_utils import DeferredAttribute

NONCE_BYTES = 12  # 96 bits, as NIST SP 800-38D recommends for GCM
KEY_BYTES = 32  # AES-256
TEXT_PREFIX = "v1."
PENDING = "v0.sealing"  # a sealed column's value between a row's insert and its sealing (SealedModel)
FILE_MAGIC = b"SKOWSEALED1\n"
KEY_ID = re.compile(r"\A[0-9a-f]{32}\Z")
MASTER_KEY_ID = re.compile(r"\A[A-Za-z0-9_-]{1,40}\Z")


class KeyUnavailable(Exception):
    """The data key of a sealed value is gone (erased by retention) or not in this key store."""


# Master keys ----------------------------------------------------------------------------------------


def master_key_line() -> str:
    """A new master key as a key-file line: ``<id>:<base64>``; the id says when it was made."""
    from django.utils import timezone

    key_id = f"{timezone.now():%Y%m%d}-{secrets.token_hex(3)}"
    return f"{key_id}:{base64.b64encode(AESGCM.generate_key(bit_length=256)).decode()}"


def master_keys_parse(text: str) -> list[tuple[str, bytes]]:
    """The keys a key file (or the variable, lines or commas apart) names, the current one first."""
    keys: list[tuple[str, bytes]] = []
    for raw in re.split(r"[\n,]", text):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key_id, _colon, encoded = line.partition(":")
        try:
            key = base64.b64decode(encoded.strip(), validate=True)
        except binascii.Error:
            key = b""
        if not MASTER_KEY_ID.match(key_id.strip()) or len(key) != KEY_BYTES:
            raise ImproperlyConfigured(
                "A master key line reads '<id>:<base64 of 32 bytes>' (manage.py vault_rotate_master_key --print-new)."
            )
        keys.append((key_id.strip(), key))
    return keys


def master_key_file() -> Path | None:
    name = settings.VAULT_MASTER_KEY_FILE
    return Path(name) if name else None


def master_keys() -> list[tuple[str, bytes]]:
    """The master keys, current first. Read on every key unwrap, so a rotation needs no restart.

    With DEBUG on and no key anywhere, a development key is written to the default file (var/).
    """
    if settings.VAULT_MASTER_KEY:
        return master_keys_parse(settings.VAULT_MASTER_KEY)
    path = master_key_file()
    if path is None:
        raise ImproperlyConfigured("No master key: set SKOW_MASTER_KEY or SKOW_MASTER_KEY_FILE (README, 'Keys').")
    if not path.exists() and settings.DEBUG:
        path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w") as handle:
                handle.write("# Development master key (make run). Never use it for real data.\n")
                handle.write(master_key_line() + "\n")
    try:
        keys = master_keys_parse(path.read_text())
    except FileNotFoundError:
        raise ImproperlyConfigured(f"The master key file {path} does not exist (README, 'Keys').") from None
    if not keys:
        raise ImproperlyConfigured(f"The master key file {path} holds no key.")
    return keys


# The key store --------------------------------------------------------------------------------------


def key_store() -> Path:
    return Path(settings.VAULT_KEY_STORE)


def _key_path(key_id: str) -> Path:
    if not KEY_ID.match(key_id or ""):
        raise KeyUnavailable(key_id)
    return key_store() / key_id[:2] / f"{key_id}.key"


def _wrap(key_id: str, data_key: bytes, master_id: str, master: bytes) -> str:
    nonce = os.urandom(NONCE_BYTES)
    wrapped = AESGCM(master).encrypt(nonce, data_key, f"skow-data-key:{key_id}".encode())
    return f"{master_id}:{base64.b64encode(nonce + wrapped).decode()}\n"


def _unwrap(key_id: str, text: str, masters: dict[str, bytes]) -> bytes:
    master_id, _colon, encoded = text.strip().partition(":")
    if master_id not in masters:
        raise ImproperlyConfigured(f"Data key {key_id} is wrapped by master key {master_id!r}, which is not loaded.")
    blob = base64.b64decode(encoded)
    try:
        return AESGCM(masters[master_id]).decrypt(
            blob[:NONCE_BYTES], blob[NONCE_BYTES:], f"skow-data-key:{key_id}".encode()
        )
    except InvalidTag:
        raise KeyUnavailable(key_id) from None


def _write_atomically(path: Path, text: str, *, replace: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not replace:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        return
    temporary = path.with_suffix(f".{secrets.token_hex(4)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def data_key_create() -> str:
    """A new data key in the key store, wrapped by the current master key; returns its id."""
    master_id, master = master_keys()[0]
    key_id = secrets.token_hex(16)
    _write_atomically(
        _key_path(key_id), _wrap(key_id, AESGCM.generate_key(bit_length=256), master_id, master), replace=False
    )
    return key_id


def data_key_destroy(key_id: str) -> bool:
    """Erase a data key: whatever it sealed, in any copy anywhere, no longer opens. True if it existed.

    The file is overwritten before it is unlinked; a journaling or copy-on-write file system may keep
    old blocks, which is why the key store's own backups are kept short (README, 'Keys').
    """
    try:
        path = _key_path(key_id)
    except KeyUnavailable:
        return False
    ring = _ring.get()
    if ring is not None:
        ring.pop(key_id, None)
    try:
        size = path.stat().st_size
        with open(path, "r+b") as handle:
            handle.write(os.urandom(size))
            handle.flush()
            os.fsync(handle.fileno())
        path.unlink()
    except FileNotFoundError:
        return False
    return True


def data_key_exists(key_id: str) -> bool:
    try:
        return _key_path(key_id).is_file()
    except KeyUnavailable:
        return False


def data_keys_rewrap() -> tuple[int, int]:
    """Wrap every data key with the current master key (the first); the sealed values stay as they are.

    Returns (re-wrapped, already under the current key). Every key an older master key wrapped must
    still be loaded (the old line stays in the key file until this has run).
    """
    keys = master_keys()
    current_id, current = keys[0]
    masters = dict(keys)
    rewrapped = unchanged = 0
    for path in sorted(key_store().glob("*/*.key")):
        key_id = path.stem
        text = path.read_text()
        if text.partition(":")[0] == current_id:
            unchanged += 1
            continue
        data_key = _unwrap(key_id, text, masters)
        _write_atomically(path, _wrap(key_id, data_key, current_id, current), replace=True)
        rewrapped += 1
    return rewrapped, unchanged


# One unwrap per data key per request ---------------------------------------------------------------

_ring: contextvars.ContextVar[dict[str, AESGCM] | None] = contextvars.ContextVar("skow_key_ring", default=None)


@contextlib.contextmanager
def key_ring() -> Iterator[None]:
    """Keep the data keys unwrapped inside this block (a request, a command) and forget them after."""
    token = _ring.set({})
    try:
        yield
    finally:
        _ring.reset(token)


class KeyRingMiddleware:
    """Each request unwraps a data key once, however many sealed values it reads; none outlive it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with key_ring():
            return self.get_response(request)


def _cipher(key_id: str) -> AESGCM:
    ring = _ring.get()
    if ring is not None and key_id in ring:
        return ring[key_id]
    try:
        text = _key_path(key_id).read_text()
    except FileNotFoundError:
        raise KeyUnavailable(key_id) from None
    cipher = AESGCM(_unwrap(key_id, text, dict(master_keys())))
    if ring is not None:
        ring[key_id] = cipher
    return cipher


# Sealing values ------------------------------------------------------------------------------------


def seal(plaintext: str, *, key_id: str, context: str) -> str:
    """``plaintext`` sealed under data key ``key_id``, bound to ``context`` (table.column.row)."""
    nonce = os.urandom(NONCE_BYTES)
    sealed = _cipher(key_id).encrypt(nonce, plaintext.encode(), context.encode())
    return f"{TEXT_PREFIX}{key_id}.{base64.urlsafe_b64encode(nonce + sealed).decode()}"


def sealed_key_id(token: str) -> str | None:
    """The id of the data key a sealed text names, or None for text that is not sealed."""
    if not token.startswith(TEXT_PREFIX):
        return None
    key_id = token[len(TEXT_PREFIX) : len(TEXT_PREFIX) + 32]
    return key_id if KEY_ID.match(key_id) else None


def unseal(token: str, *, context: str) -> str:
    """The text ``seal`` sealed; KeyUnavailable if its data key is erased, or it was sealed elsewhere."""
    key_id = sealed_key_id(token)
    if key_id is None:
        raise KeyUnavailable("not a sealed value")
    blob = base64.urlsafe_b64decode(token[len(TEXT_PREFIX) + 33 :])
    try:
        return _cipher(key_id).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], context.encode()).decode()
    except InvalidTag:
        raise KeyUnavailable(key_id) from None


def seal_bytes(data: bytes, *, key_id: str, context: str) -> bytes:
    """A file's content sealed: magic, the data key's id, nonce, ciphertext and tag."""
    nonce = os.urandom(NONCE_BYTES)
    return FILE_MAGIC + key_id.encode() + nonce + _cipher(key_id).encrypt(nonce, data, context.encode())


def is_sealed_bytes(blob: bytes) -> bool:
    return blob.startswith(FILE_MAGIC)


def sealed_bytes_key_id(blob: bytes) -> str | None:
    if not is_sealed_bytes(blob):
        return None
    key_id = blob[len(FILE_MAGIC) : len(FILE_MAGIC) + 32].decode(errors="replace")
    return key_id if KEY_ID.match(key_id) else None


def unseal_bytes(blob: bytes, *, context: str) -> bytes:
    key_id = sealed_bytes_key_id(blob)
    if key_id is None:
        raise KeyUnavailable("not a sealed file")
    body = blob[len(FILE_MAGIC) + 32 :]
    try:
        return _cipher(key_id).decrypt(body[:NONCE_BYTES], body[NONCE_BYTES:], context.encode())
    except InvalidTag:
        raise KeyUnavailable(key_id) from None


def file_seal(path: Path, data: bytes, *, key_id: str, context: str) -> None:
    """Write ``data`` sealed to a new file ``path`` (never overwrites), readable by its owner only."""
    sealed = seal_bytes(data, key_id=key_id, context=context)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(sealed)


def file_unseal(path: Path, *, context: str) -> bytes:
    return unseal_bytes(path.read_bytes(), context=context)


# The model field -------------------------------------------------------------------------------------


class Ciphertext(str):
    """A sealed value as stored: the only non-empty text a sealed column accepts."""


def row_context(model: type[models.Model], column: str, pk) -> str:
    """The associated data of a sealed column value: table, column and row."""
    return f"{model._meta.db_table}.{column}.{pk}"


class _SealedAttribute(DeferredAttribute):
    """Opens the stored value on first read (then keeps the text on the instance); plain text in."""

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        if isinstance(value, Ciphertext) and not (self.field.plain_without_key and sealed_key_id(value) is None):
            try:
                value = unseal(value, context=row_context(type(instance), self.field.column, instance.pk))
            except KeyUnavailable:
                value = ""  # erased by retention (or not in this key store): nothing to show
            instance.__dict__[self.field.attname] = value
        return value

    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = "" if value is None else value


class SealedTextField(models.TextField):
    """Text sealed under the row's data key (``instance.sealing_key_id()``); "" stays "" (not secret).

    The model inherits ``SealedModel``, which gives a new row its id before sealing, so the
    associated data can bind the row. Queries on the content cannot work: only ``= ""`` is allowed,
    and ``.update()`` takes ``""`` or a ``Ciphertext`` (plain text raises instead of being stored).
    """

    descriptor_class = _SealedAttribute

    def __init__(self, *args, plain_without_key: bool = False, **kwargs):
        # ``plain_without_key``: a row whose ``sealing_key_id()`` is "" keeps its value in plain text
        # (a notification to a portal user: its address is the account's own, not case content).
        self.plain_without_key = plain_without_key
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.plain_without_key:
            kwargs["plain_without_key"] = True
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        return Ciphertext(value) if value else ""

    def to_python(self, value):
        return value if value is not None else ""

    def sealed_value(self, instance) -> str:
        value = getattr(instance, self.attname)
        if not value:
            return ""
        key_id = instance.sealing_key_id()
        if not key_id and self.plain_without_key:
            return Ciphertext(value)  # stored as it is: this row has nothing to seal with, by design
        if instance.pk is None:
            raise ValueError(f"{type(instance).__name__}.{self.name} is sealed: save rows one by one (SealedModel).")
        return Ciphertext(seal(value, key_id=key_id, context=row_context(type(instance), self.column, instance.pk)))

    def pre_save(self, model_instance, add):
        if getattr(model_instance, "_sealing_deferred", False) and (
            model_instance.sealing_key_id() or not self.plain_without_key
        ):
            # SealedModel.save seals right after the insert, once the row has its id, in the same
            # transaction; meanwhile a non-empty value holds a placeholder (constraints see "not empty").
            return Ciphertext(PENDING) if getattr(model_instance, self.attname) else ""
        return self.sealed_value(model_instance)

    def get_lookup(self, lookup_name):
        # Only "is it empty": any other lookup would compare ciphertext (and leak through a LIKE).
        return super().get_lookup(lookup_name) if lookup_name in ("exact", "isnull") else None

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in ("", None) or isinstance(value, Ciphertext) or self.plain_without_key:
            return value
        raise ValueError("A sealed column stores no plain text and cannot be searched (common/vault.py).")


class SealedModel(models.Model):
    """A model with ``SealedTextField``s: names its data key and seals a new row once it has an id.

    Subclasses define ``sealing_key_id()``: the data key new values are sealed with (the case's).
    A value keeps the key it was sealed with (its own header names it), so a report moved into another
    case by a merge still opens.
    """

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            super().save(*args, **kwargs)
            return
        # Inserted with a placeholder in each non-empty sealed column, then sealed in the same
        # transaction: the associated data binds the row's id, which exists only after the insert.
        with transaction.atomic(using=kwargs.get("using")):
            self._sealing_deferred = True
            try:
                super().save(*args, **kwargs)
            finally:
                del self._sealing_deferred
            sealed = {
                field.attname: field.sealed_value(self)
                for field in self.sealed_fields()
                if self.sealing_key_id() or not field.plain_without_key  # else stored as it is already
            }
            sealed = {name: value for name, value in sealed.items() if value}
            if sealed:
                type(self)._base_manager.using(self._state.db).filter(pk=self.pk).update(**sealed)

    def sealing_key_id(self) -> str:
        raise NotImplementedError

    @classmethod
    def sealed_fields(cls) -> list[SealedTextField]:
        return [field for field in cls._meta.concrete_fields if isinstance(field, SealedTextField)]


# Data migrations: seal what was stored in plain text ------------------------------------------------


def table_seal(connection, *, table: str, columns: list[str], keys_sql: str) -> int:
    """Seal the plain text in ``columns`` of every row of ``table``; returns how many values.

    ``keys_sql`` selects ``(row id, data key id)`` for the rows. Raw SQL, so a data migration needs
    no model code; a value already sealed is left alone (the migration may run again).
    """
    with connection.cursor() as cursor:
        cursor.execute(keys_sql)
        keys = dict(cursor.fetchall())
        cursor.execute(f"SELECT id, {', '.join(columns)} FROM {table}")  # noqa: S608 — names from migrations
        rows = cursor.fetchall()
        count = 0
        for pk, *values in rows:
            for column, value in zip(columns, values, strict=True):
                if not value or sealed_key_id(value) or not keys.get(pk):
                    continue
                token = seal(value, key_id=keys[pk], context=f"{table}.{column}.{pk}")
                cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [token, pk])  # noqa: S608
                count += 1
    return count


def table_unseal(connection, *, table: str, columns: list[str]) -> None:
    """The reverse of ``table_seal``: plain text back (a value whose key is gone becomes empty)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {', '.join(columns)} FROM {table}")  # noqa: S608
        for pk, *values in cursor.fetchall():
            for column, value in zip(columns, values, strict=True):
                if not value or not sealed_key_id(value):
                    continue
                try:
                    plain = unseal(value, context=f"{table}.{column}.{pk}")
                except KeyUnavailable:
                    plain = ""
                cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [plain, pk])  # noqa: S608


def file_seal_in_place(path: Path, *, key_id: str, context: str) -> bool:
    """Seal a file stored in plain before the vault; False if it is missing or already sealed."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return False
    if is_sealed_bytes(data):
        return False
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    file_seal(temporary, data, key_id=key_id, context=context)
    os.replace(temporary, path)
    return True


def file_unseal_in_place(path: Path, *, context: str) -> None:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return
    if not is_sealed_bytes(data):
        return
    plain = unseal_bytes(data, context=context)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(plain)
    os.replace(temporary, path)
