"""Scans of paper consent forms: checked by content, stored outside static and media, random names.

Only the view that checks who may see the decision serves them (consent.views.scan).
"""

from __future__ import annotations

import contextlib
import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from common.vault import KeyUnavailable, data_key_create, data_key_destroy, file_seal, file_unseal, sealed_bytes_key_id

MAX_SCAN_BYTES = 10 * 1024 * 1024

# What a scan may be, recognised by its first bytes (never by its name or the browser's word).
SIGNATURES = {
    b"%PDF-": ("pdf", "application/pdf"),
    b"\xff\xd8\xff": ("jpg", "image/jpeg"),
    b"\x89PNG\r\n\x1a\n": ("png", "image/png"),
}


def scan_root() -> Path:
    return Path(settings.PRIVATE_STORAGE_ROOT) / "consent-scans"


def _kind(head: bytes) -> tuple[str, str] | None:
    for signature, kind in SIGNATURES.items():
        if head.startswith(signature):
            return kind
    return None


def scan_check(upload) -> str:
    """The file extension for this upload; ValidationError (in Dutch) when it is not a usable scan."""
    if upload.size > MAX_SCAN_BYTES:
        raise ValidationError(_("De scan is groter dan 10 MB. Scan met een lagere resolutie of als pdf."))
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = _kind(head)
    if kind is None:
        raise ValidationError(_("Dit bestand is geen pdf, jpg of png. Lever de scan aan als pdf, jpg of png."))
    if kind[0] == "pdf":
        upload.seek(max(upload.size - 2048, 0))
        tail = upload.read()
        upload.seek(0)
        if b"%%EOF" not in tail:
            raise ValidationError(_("Deze pdf is onvolledig of beschadigd. Scan het formulier opnieuw."))
    return kind[0]


def scan_context(name: str) -> str:
    """What a sealed scan is bound to: a scan renamed to another's name does not open."""
    return f"consent-scan.{name}"


def scan_store(upload) -> str:
    """Write a checked upload under a random name, sealed under a data key of its own (common/vault.py);
    returns that name (kept on the decision). The key's id is in the file's header."""
    extension = scan_check(upload)
    name = f"{secrets.token_hex(16)}.{extension}"
    root = scan_root()
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    content = b"".join(upload.chunks())
    file_seal(root / name, content, key_id=data_key_create(), context=scan_context(name))
    return name


def scan_read(name: str) -> bytes | None:
    """The scan as it was handed in, or None if it is not there (or its data key is erased)."""
    path = scan_path(name)
    if path is None:
        return None
    try:
        return file_unseal(path, context=scan_context(name))
    except KeyUnavailable:
        return None


def scan_delete(name: str) -> None:
    """Remove a scan and destroy its data key, so no copy of the file opens any more."""
    path = scan_root() / name
    with contextlib.suppress(FileNotFoundError):
        key_id = sealed_bytes_key_id(path.read_bytes()[:64])
        if key_id:
            data_key_destroy(key_id)
    path.unlink(missing_ok=True)


def scan_path(name: str) -> Path | None:
    """The file of a stored scan, or None; refuses anything that is not one of our own names."""
    stem, _dot, extension = name.partition(".")
    if len(stem) != 32 or not all(c in "0123456789abcdef" for c in stem) or extension not in {"pdf", "jpg", "png"}:
        return None
    path = scan_root() / name
    return path if path.is_file() else None


def scan_content_type(name: str) -> str:
    extension = name.rpartition(".")[2]
    return next(ct for ext, ct in SIGNATURES.values() if ext == extension)
