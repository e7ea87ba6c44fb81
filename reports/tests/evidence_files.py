"""Files a reporter might send, good and hostile, built here so no binary sits in the repository."""

from __future__ import annotations

import gzip
import io
import struct
import zipfile
import zlib

from PIL import Image

EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200 + b"This program cannot be run"


def png_with_exif(width: int = 40, height: int = 30) -> bytes:
    image = Image.new("RGB", (width, height), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0131] = "GeheimeApp 1.0"  # Software
    out = io.BytesIO()
    image.save(out, format="PNG", exif=exif.tobytes())
    return out.getvalue()


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (32, 32), (10, 120, 10))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (52.0, 8.0, 0.0)}  # GPSInfo
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def screenshot_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 240), (240, 240, 240)).save(out, format="PNG")
    return out.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_of_black(width: int, height: int) -> bytes:
    """A valid RGB PNG of one colour, compressed row by row: 7000 x 7000 packs into about 143 KB."""
    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + 3 * width)  # filter byte, then black pixels
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", idat) + _png_chunk(b"IEND", b"")


def jpeg_claiming(width: int, height: int) -> bytes:
    """A small JPEG whose frame header claims another size (a pixel flood)."""
    out = io.BytesIO()
    Image.new("RGB", (16, 16), (1, 2, 3)).save(out, format="JPEG")
    data = bytearray(out.getvalue())
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def gif_js_polyglot() -> bytes:
    """A real GIF whose width bytes open a JavaScript comment and whose tail is a script.

    Loaded as a script (``<script src=...>``) it runs ``alert``; opened as an image it is a GIF.
    """
    out = io.BytesIO()
    Image.new("P", (0x2A2F, 1), 0).save(out, format="GIF")  # width 0x2a2f is "/*" in little endian
    gif = out.getvalue()
    assert gif[6:8] == b"/*"
    return gif + b"*/=1;alert('gif-polyglot');"


def zip_bomb(*, members: dict[str, bytes] | None = None, zeros_mb: int = 100) -> bytes:
    """A zip archive that unpacks to ``zeros_mb`` megabytes of zeros (plus ``members``)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in (members or {}).items():
            archive.writestr(name, content)
        if zeros_mb:
            with archive.open("nullen.bin", "w") as member:
                block = b"\x00" * (1024 * 1024)
                for _ in range(zeros_mb):
                    member.write(block)
    return out.getvalue()


def gzip_bomb(zeros_mb: int = 100) -> bytes:
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9) as packed:
        block = b"\x00" * (1024 * 1024)
        for _ in range(zeros_mb):
            packed.write(block)
    return out.getvalue()


def office_with_macros(kind: str) -> bytes:
    """A .docm or .xlsm: an Office Open XML zip with a VBA project inside."""
    folder = {"docm": "word", "xlsm": "xl"}[kind]
    return zip_bomb(
        members={
            "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
            f"{folder}/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"Attribute VB_Name AutoOpen Shell",
        },
        zeros_mb=0,
    )


def pdf(objects: list[bytes], *, trailer: bytes = b"") -> bytes:
    """A PDF from numbered objects (1 is the catalog), with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref)
    return bytes(out)


def _stream(content: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(content), extra) + content + b"\nendstream"


XMP = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
    b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about=""'
    b' xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>XmpAuteur Noor</dc:creator>'
    b'</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
)


def pdf_with_metadata_and_scripts() -> bytes:
    """One readable page, wrapped in everything a PDF can carry besides it.

    Author and creator in the information dictionary and in XMP; JavaScript at opening (OpenAction
    and the document's JavaScript name tree); an automatic action on the page; a link that launches
    ``cmd.exe``; an attached ``virus.exe`` (name tree and a file-attachment annotation).
    """
    page_text = b"BT /F1 18 Tf 72 720 Td (Schermafdruk van de chat) Tj ET"
    return pdf(
        [
            # 1 catalog
            b"<< /Type /Catalog /Pages 2 0 R /Metadata 6 0 R /OpenAction 7 0 R"
            b" /Names << /JavaScript << /Names [(init) 8 0 R] >> /EmbeddedFiles << /Names [(virus.exe) 10 0 R] >> >>"
            b" /AcroForm << /Fields [] /XFA 8 0 R >> >>",
            # 2 pages
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            # 3 page
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> /Metadata 6 0 R"
            b" /AA << /O << /S /JavaScript /JS (app.alert('page-open-script')) >> >>"
            b" /Annots [12 0 R 13 0 R] >>",
            # 4 content
            _stream(page_text),
            # 5 font
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            # 6 XMP
            _stream(XMP, b"/Type /Metadata /Subtype /XML"),
            # 7 OpenAction
            b"<< /S /JavaScript /JS (app.alert('open-action-script')) >>",
            # 8 document JavaScript
            b"<< /S /JavaScript /JS (app.launchURL('https://example.invalid/stolen')) >>",
            # 9 the attached program
            _stream(EXECUTABLE, b"/Type /EmbeddedFile"),
            # 10 its file specification
            b"<< /Type /Filespec /F (virus.exe) /EF << /F 9 0 R >> >>",
            # 11 information dictionary
            b"<< /Author (Karin Bakker) /Creator (Word op de laptop van Noor) /Title (bewijs) >>",
            # 12 a link that launches a program
            b"<< /Type /Annot /Subtype /Link /Rect [72 700 300 730]"
            b" /A << /S /Launch /F (cmd.exe) /Win << /F (cmd.exe) /P (/c calc) >> >> >>",
            # 13 the attachment again, as an annotation on the page
            b"<< /Type /Annot /Subtype /FileAttachment /Rect [10 10 30 30] /FS 10 0 R >>",
        ],
        trailer=b"/Info 11 0 R",
    )


PDF_HOSTILE_MARKERS = (
    b"Karin Bakker",
    b"laptop van Noor",
    b"XmpAuteur",
    b"page-open-script",
    b"open-action-script",
    b"stolen",
    b"cmd.exe",
    b"virus.exe",
    b"This program cannot be run",
    b"/JavaScript",
    b"/OpenAction",
    b"/Launch",
    b"/EmbeddedFile",
    b"/AA",
    b"/Metadata",
)


def pdf_with_password() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_with_metadata_and_scripts())))
    writer.encrypt(user_password="geheim", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
