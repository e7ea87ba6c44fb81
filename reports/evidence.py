"""Evidence files: the type is judged by content, images are re-encoded without metadata, and
files are stored outside the static and media roots under random names (issue 5, "Evidence")."""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .constants import EvidenceKind

# Formats accepted as images; each is written back in the format named here.
IMAGE_FORMATS = {"PNG": "PNG", "JPEG": "JPEG", "GIF": "PNG", "WEBP": "PNG", "BMP": "PNG"}
CONTENT_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}
EXTENSIONS = {"PNG": ".png", "JPEG": ".jpg"}
# A screenshot is a few megapixels; more than this is a decompression bomb, not evidence.
MAX_IMAGE_PIXELS = 50_000_000


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed the checks, as it will be stored (images already re-encoded)."""

    original_name: str
    kind: str
    content_type: str
    extension: str
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def _refused(name: str, reason: str) -> ValidationError:
    return ValidationError(_("%(name)s is niet toegevoegd: %(reason)s") % {"name": name, "reason": reason})


def _clean_image(data: bytes) -> tuple[str, bytes] | None:
    """Re-encoded image bytes and their format, or None when ``data`` is no image we take."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            source_format = probe.format
            width, height = probe.size
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    if source_format not in IMAGE_FORMATS or width * height > MAX_IMAGE_PIXELS:
        return None
    target = IMAGE_FORMATS[source_format]
    try:
        with Image.open(io.BytesIO(data)) as image:
            image = ImageOps.exif_transpose(image)  # keep what the reporter saw upright
            mode = "RGB" if target == "JPEG" else ("RGBA" if image.mode not in ("RGB", "L") else image.mode)
            image = image.convert(mode)
            # A fresh image from the pixels alone: EXIF, GPS, comments and text chunks stay behind.
            clean = Image.frombytes(image.mode, image.size, image.tobytes())
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
    out = io.BytesIO()
    clean.save(out, format=target, **({"quality": 90} if target == "JPEG" else {"optimize": False}))
    return target, out.getvalue()


def _is_pdf(data: bytes) -> bool:
    return data.startswith(b"%PDF-") and b"%%EOF" in data[-2048:]


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def evidence_check(upload) -> CheckedFile:
    """Check one uploaded file by its content; ValidationError with a Dutch message if refused."""
    name = os.path.basename(upload.name or "bestand")[:200]
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        limit = settings.EVIDENCE_MAX_BYTES // (1024 * 1024)
        raise _refused(name, _("het bestand is groter dan %(limit)s MB.") % {"limit": limit})
    data = upload.read()
    if len(data) > settings.EVIDENCE_MAX_BYTES:
        raise _refused(name, _("het bestand is te groot."))
    if not data:
        raise _refused(name, _("het bestand is leeg."))
    image = _clean_image(data)
    if image is not None:
        image_format, content = image
        return CheckedFile(name, EvidenceKind.IMAGE, CONTENT_TYPES[image_format], EXTENSIONS[image_format], content)
    if _is_pdf(data):
        return CheckedFile(name, EvidenceKind.PDF, "application/pdf", ".pdf", data)
    if _is_text(data):
        return CheckedFile(name, EvidenceKind.TEXT, "text/plain; charset=utf-8", ".txt", data)
    raise _refused(
        name,
        _(
            "dit soort bestand nemen we niet aan. "
            "Stuur een schermafbeelding (PNG of JPEG), een PDF of een tekstbestand."
        ),
    )


def evidence_root() -> Path:
    return Path(settings.EVIDENCE_ROOT)


def evidence_write(checked: CheckedFile) -> str:
    """Write the bytes under a new random name (never the reporter's); returns that name."""
    root = evidence_root()
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    stored_name = secrets.token_hex(24) + checked.extension
    descriptor = os.open(root / stored_name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(checked.content)
    return stored_name


def evidence_path(stored_name: str) -> Path:
    path = (evidence_root() / stored_name).resolve()
    if path.parent != evidence_root().resolve():
        raise ValueError("Evidence outside its root.")
    return path


def evidence_remove(stored_names: list[str]) -> None:
    for stored_name in stored_names:
        with contextlib.suppress(FileNotFoundError, ValueError):
            evidence_path(stored_name).unlink()
