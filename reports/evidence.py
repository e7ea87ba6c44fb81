"""Evidence files: an allow-list judged by content, never by name.

Three kinds are taken, each cleaned before it is stored:

- images (PNG, JPEG, GIF, WebP, BMP): the size is read from the header and checked against
  ``EVIDENCE_MAX_IMAGE_PIXELS`` before a pixel is decoded; the first frame is then decoded and
  written anew as PNG (or JPEG for a JPEG), upright, without EXIF, GPS, ICC, XMP or comments;
- PDF: rebuilt page by page with pypdf, without the document information, XMP, scripts, automatic
  actions, form actions, attachments or launch actions; a PDF pypdf cannot read is refused;
- plain text: UTF-8 without control characters other than tab, CR and LF, and neither markup
  (HTML, XML, SVG, RTF) nor a recognisable script.

Everything else is refused — archives, office files, programs — whatever its name says. Files are
stored outside the static and media roots under random names; the reporter's file name is not kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import os
import re
import secrets
import warnings
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from common.vault import file_seal, file_unseal

from .constants import EvidenceKind

logger = logging.getLogger(__name__)

# Formats accepted as images; each is written back in the format named here.
IMAGE_FORMATS = {"PNG": "PNG", "JPEG": "JPEG", "GIF": "PNG", "WEBP": "PNG", "BMP": "PNG"}
CONTENT_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}
EXTENSIONS = {"PNG": ".png", "JPEG": ".jpg"}
BMP_HEADER_SIZES = {12, 40, 52, 56, 64, 108, 124}  # the DIB header sizes Windows and OS/2 define

# A PDF of evidence is a few pages; thousands of pages make a parser work for nothing.
MAX_PDF_PAGES = 500
# Dictionary keys dropped from every object a PDF page brings along: actions (/A: links, launch,
# JavaScript, submit-form; /AA: automatic actions), scripts, attachments and metadata streams.
PDF_DROPPED_KEYS = (
    "/A",
    "/AA",
    "/JS",
    "/JavaScript",
    "/OpenAction",
    "/EF",
    "/EmbeddedFiles",
    "/Metadata",
    "/PieceInfo",
)
PDF_DROPPED_ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToE", "/GoToR", "/Rendition"}
# Annotations that carry files, media or 3D content (with its own scripts); the rest (comments,
# highlights, stamps, links without their action) is part of what the page shows.
PDF_DROPPED_ANNOTATIONS = {"/FileAttachment", "/Sound", "/Movie", "/Screen", "/RichMedia", "/3D"}

TEXT_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Markup a browser, an office program or a mail client would render or run; matched on the
# lower-cased text. Each pattern starts with a literal, so even 10 MB is scanned within a second.
TEXT_MARKUP = tuple(
    re.compile(pattern)
    for pattern in (
        r"<[\s/]*(?:html|head|body|script|style|svg|iframe|frame|frameset|object|embed|applet|meta|link"
        r"|base|form|img|math|template|xml|xsl:[a-z]+|hta:application)\b",
        r"<\s*[?%!]",  # <?xml, <?php, <!doctype, <!--, <![cdata[, <% (asp, jsp)
        r"<[a-z][a-z0-9:-]*\s[^<>=]*=[^<>]*>",  # any tag with an attribute, such as <a onclick=...>
        r"xmlns\s*[:=]",
        r"\A\ufeff?\s*\{\\rtf",
    )
)
# Recognisable scripts: saved under their own extension they run with a double click.
TEXT_SCRIPTS = tuple(
    re.compile(pattern)
    for pattern in (
        r"\A\ufeff?#!",  # a shebang: shell, python, perl, ...
        r"createobject\s*\(",  # vbscript and jscript (windows script host)
        r"getobject\s*\(",
        r"wscript\.",
        r"activexobject",
        r"executeglobal",
        r"shell\.application",
        r"invoke-(?:expression|webrequest|restmethod|command)\b",  # powershell
        r"iex(?<![\w-]iex)\s*\(",  # a boundary before a literal is checked after it (faster)
        r"-encodedcommand\b",
        r"set-executionpolicy\b",
        r"start-process\b",
        r"net\.webclient\b",
        r"frombase64string\s*\(",
        r"powershell(?:\.exe)?\s+-",
        r"@echo\s+off\b",  # batch files
        r"cmd(?<![\w.]cmd)(?:\.exe)?[ \t]+/[ck]\b",
        r"\A\ufeff?(?:windows registry editor version|regedit4)",  # .reg files
        r"\[desktop entry\]",
        r"do shell script",  # applescript
        r'tell application "',
        r"eval(?<![\w.]eval)\s*\(",  # javascript
        r"document\.(?:write|cookie|location)\b",
        r"new function\s*\(",
        r"string\.fromcharcode\s*\(",
        r"os\.system\s*\(",  # python
        r"subprocess\.(?:run|call|popen|check_output)\s*\(",
        r"__import__\s*\(",
        r"\|[ \t]*(?:sudo[ \t]+)?(?:ba|z|k)?sh\b",  # curl ... | sh
    )
)


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed the checks, as it will be stored (already cleaned)."""

    kind: str
    content_type: str
    extension: str
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def _refused(name: str, reason: str) -> ValidationError:
    return ValidationError(_("%(name)s is niet toegevoegd: %(reason)s") % {"name": name, "reason": reason})


def _not_taken() -> str:
    return _(
        "dit soort bestand nemen we niet aan. Stuur een schermafbeelding (PNG of JPEG), een PDF of een tekstbestand."
    )


# What a file is, by its first bytes ----------------------------------------------------------


def _image_format(data: bytes) -> str | None:
    """The Pillow format an accepted image's signature names, or None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data[:2] == b"BM" and len(data) >= 18 and int.from_bytes(data[14:18], "little") in BMP_HEADER_SIZES:
        return "BMP"
    return None


def _refusal_by_signature(data: bytes) -> str | None:
    """A reason to refuse a file whose signature names a kind we never take, or None."""
    archives = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08", b"Rar!\x1a\x07", b"7z\xbc\xaf\x27\x1c", b"\x1f\x8b")
    if (
        data.startswith(archives)
        or data.startswith((b"\xfd7zXZ\x00", b"\x28\xb5\x2f\xfd", b"MSCF", b"!<arch>\n"))
        or (data.startswith(b"BZh") and data[4:10] == b"\x31\x41\x59\x26\x53\x59")
        or data[257:262] == b"ustar"
    ):
        # .docx, .xlsm and .odt are zip archives too; macros travel in them.
        return _(
            "archieven en Office-bestanden (zoals .zip, .docx of .xlsm) nemen we niet aan. "
            "Stuur een PDF of een schermafbeelding."
        )
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") or re.match(rb"\s*\{\\rtf", data[:64]):
        return _(
            "Office-bestanden (zoals .doc, .xls of .rtf) nemen we niet aan. Stuur een PDF of een schermafbeelding."
        )
    executables = (b"\x7fELF", b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe")
    if (
        (data.startswith(b"MZ") and b"\x00" in data[:64])
        or data.startswith(executables)
        or data.startswith((b"\xca\xfe\xba\xbe", b"\x00asm", b"dex\n"))
    ):
        return _("programma's nemen we niet aan.")
    if data.startswith((b"II*\x00", b"MM\x00*", b"8BPS")) or data[4:12] in (
        b"ftypheic",
        b"ftypheix",
        b"ftypmif1",
        b"ftypavif",
    ):
        return _("dit soort afbeelding nemen we niet aan. Stuur een schermafbeelding of een foto als PNG of JPEG.")
    return None


# Images ------------------------------------------------------------------------------------------


def _clean_image(name: str, data: bytes, source_format: str) -> tuple[str, bytes]:
    """The first frame re-encoded without metadata, and its format.

    The size comes from the header and is checked before a single pixel is decoded, so the
    memory a file can cost is bounded by ``EVIDENCE_MAX_IMAGE_PIXELS``, not by how well it packs.
    """
    damaged = _refused(name, _("de afbeelding is beschadigd of geen echte afbeelding."))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # Reads the header only; ``formats`` keeps Pillow from trying any other decoder.
            image = Image.open(io.BytesIO(data), formats=[source_format])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(name) from None
    except (OSError, SyntaxError, ValueError, TypeError, EOFError):
        raise damaged from None
    target = IMAGE_FORMATS[source_format]
    with image:
        width, height = image.size
        if width < 1 or height < 1:
            raise damaged
        if width * height > settings.EVIDENCE_MAX_IMAGE_PIXELS:
            raise _too_many_pixels(name)
        try:
            image.load()  # the first frame only: an animation keeps its first picture
            clean = _pixels_only(image, target)
        except (OSError, SyntaxError, ValueError, TypeError, EOFError, Image.DecompressionBombError):
            raise damaged from None
        out = io.BytesIO()
        clean.save(out, format=target, **({"quality": 90} if target == "JPEG" else {}))
    return target, out.getvalue()


def _pixels_only(image: Image.Image, target: str) -> Image.Image:
    """The picture upright, in a plain mode, with every piece of metadata dropped."""
    ImageOps.exif_transpose(image, in_place=True)  # keep what the reporter saw upright
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    if image.mode in ("L", "RGB"):
        mode = image.mode
    elif has_alpha and target == "PNG":
        mode = "RGBA"
    else:
        mode = "RGB"
    clean = image if image.mode == mode else image.convert(mode)
    # EXIF, GPS, ICC, XMP, comments and text chunks ride along in ``info``; save() writes some of it.
    clean.info = {}
    return clean


def _too_many_pixels(name: str) -> ValidationError:
    # A decompression bomb: a small file that unpacks into more pixels than any screen shows.
    return _refused(
        name,
        _("de afbeelding is te groot (meer dan %(limit)s megapixel). Maak een kleinere schermafbeelding.")
        % {"limit": settings.EVIDENCE_MAX_IMAGE_PIXELS // 1_000_000},
    )


# PDF ---------------------------------------------------------------------------------------------


def _clean_pdf(name: str, data: bytes) -> bytes:
    """The PDF rebuilt from its pages alone: no metadata, scripts, actions or attachments."""
    unreadable = _refused(
        name, _("deze PDF kunnen we niet lezen. Sla het document opnieuw op als PDF of maak een schermafbeelding.")
    )
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise _refused(name, _("deze PDF is met een wachtwoord beveiligd. Stuur hem zonder wachtwoord."))
        if len(reader.pages) > MAX_PDF_PAGES:
            raise _refused(name, _("deze PDF heeft meer dan %(pages)s pagina's.") % {"pages": MAX_PDF_PAGES})
        writer = PdfWriter()
        for page in reader.pages:
            # Only the page and what it draws with: the catalog (document scripts, OpenAction,
            # attachments, forms, XMP) and the information dictionary stay behind.
            copy = writer.add_page(page, excluded_keys=PDF_DROPPED_KEYS)
            annotations = copy.get("/Annots")
            if annotations is not None:
                kept = ArrayObject(
                    ref
                    for ref in annotations.get_object()
                    if isinstance(ref.get_object(), DictionaryObject)
                    and ref.get_object().get("/Subtype") not in PDF_DROPPED_ANNOTATIONS
                )
                copy[NameObject("/Annots")] = kept
        _strip_pdf_tree(writer.root_object)
        writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
        writer.metadata = None
        out = io.BytesIO()
        writer.write(out)
    except ValidationError:
        raise
    except MemoryError:
        raise
    except Exception:  # a hostile or broken file can fail the parser anywhere: refuse it
        logger.info("Evidence PDF refused: pypdf could not rebuild it.", exc_info=True)
        raise unreadable from None
    return out.getvalue()


def _strip_pdf_tree(root) -> None:
    """Walk everything reachable from the new catalog and drop what PDF_DROPPED_KEYS names.

    ``add_page`` already leaves those keys out; this walk also covers what it copies another way
    (an annotation's form-field parents), so the result does not rest on pypdf's internals.
    """
    seen: set[tuple] = set()
    pending = [root]
    while pending:
        node = pending.pop()
        if isinstance(node, IndirectObject):
            key: tuple = ("indirect", node.idnum, node.generation)
            node = node.get_object()
        else:
            key = ("direct", id(node))
        if key in seen:
            continue
        seen.add(key)
        if isinstance(node, DictionaryObject):
            for dropped in PDF_DROPPED_KEYS:
                node.pop(dropped, None)
            if node.get("/S") in PDF_DROPPED_ACTIONS:
                node.clear()  # an action dictionary reached some other way
            pending.extend(node.values())
        elif isinstance(node, ArrayObject):
            pending.extend(node)


# Text --------------------------------------------------------------------------------------------


def _text_refusal(data: bytes) -> str | None:
    """None for plain UTF-8 text; otherwise why it is refused."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return _not_taken()
    if TEXT_CONTROL_CHARACTERS.search(text):
        return _not_taken()
    lowered = text.lower()
    if any(pattern.search(lowered) for pattern in TEXT_MARKUP):
        return _(
            "HTML, XML, SVG en RTF nemen we niet aan, ook niet met een andere naam: zo'n bestand kan code bevatten. "
            "Maak er een schermafbeelding of PDF van."
        )
    if any(pattern.search(lowered) for pattern in TEXT_SCRIPTS):
        return _(
            "dit bestand bevat een script (programmacode) en dat nemen we niet aan. Maak er een schermafbeelding van."
        )
    return None


# The check ---------------------------------------------------------------------------------------


def evidence_check(upload) -> CheckedFile:
    """Check one uploaded file by its content and clean it; ValidationError with a Dutch message if refused.

    The upload's name appears only in that message; it is not part of the result.
    """
    name = os.path.basename(upload.name or "bestand")[:200]
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        limit = settings.EVIDENCE_MAX_BYTES // (1024 * 1024)
        raise _refused(name, _("het bestand is groter dan %(limit)s MB.") % {"limit": limit})
    data = upload.read(settings.EVIDENCE_MAX_BYTES + 1)
    if len(data) > settings.EVIDENCE_MAX_BYTES:
        raise _refused(name, _("het bestand is te groot."))
    if not data:
        raise _refused(name, _("het bestand is leeg."))
    source_format = _image_format(data)
    if source_format is not None:
        image_format, content = _clean_image(name, data, source_format)
        return CheckedFile(EvidenceKind.IMAGE, CONTENT_TYPES[image_format], EXTENSIONS[image_format], content)
    if re.match(rb"\s*%PDF-", data[:1024]):
        return CheckedFile(EvidenceKind.PDF, "application/pdf", ".pdf", _clean_pdf(name, data))
    reason = _refusal_by_signature(data) or _text_refusal(data)
    if reason is not None:
        raise _refused(name, reason)
    return CheckedFile(EvidenceKind.TEXT, "text/plain; charset=utf-8", ".txt", data)


# Storage -----------------------------------------------------------------------------------------


def evidence_file_name(*, case_number: str, sequence: int, extension: str) -> str:
    """The name the portal gives a file: ``melding-2026-00012-3.jpg``, never the reporter's."""
    return f"melding-{case_number}-{sequence}{extension}"


def evidence_root() -> Path:
    return Path(settings.EVIDENCE_ROOT)


def evidence_context(stored_name: str) -> str:
    """What a sealed evidence file is bound to: a file renamed to another's name does not open."""
    return f"reports_evidence.file.{stored_name}"


def evidence_write(checked: CheckedFile, *, key_id: str) -> str:
    """Write the bytes sealed under the case's data key (common/vault.py), under a new random name
    (never the reporter's); returns that name."""
    root = evidence_root()
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    stored_name = secrets.token_hex(24) + checked.extension
    file_seal(root / stored_name, checked.content, key_id=key_id, context=evidence_context(stored_name))
    return stored_name


def evidence_read(stored_name: str) -> bytes:
    """The file's content; FileNotFoundError if it is gone, KeyUnavailable if its data key is."""
    return file_unseal(evidence_path(stored_name), context=evidence_context(stored_name))


def evidence_path(stored_name: str) -> Path:
    path = (evidence_root() / stored_name).resolve()
    if path.parent != evidence_root().resolve():
        raise ValueError("Evidence outside its root.")
    return path


def evidence_remove(stored_names: list[str]) -> None:
    for stored_name in stored_names:
        with contextlib.suppress(FileNotFoundError, ValueError):
            evidence_path(stored_name).unlink()
