"""Scans of paper consent forms: checked by content, stored outside static and media, random names.

Only the view that checks who may see the decision serves them (consent.views.scan).
"""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

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


def scan_store(upload) -> str:
    """Write a checked upload under a random name; returns that name (kept on the decision)."""
    extension = scan_check(upload)
    name = f"{secrets.token_hex(16)}.{extension}"
    root = scan_root()
    root.mkdir(parents=True, exist_ok=True)
    with open(root / name, "xb") as target:
        for chunk in upload.chunks():
            target.write(chunk)
    return name


def scan_delete(name: str) -> None:
    (scan_root() / name).unlink(missing_ok=True)


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
