"""Evidence by content: metadata gone, disguised and oversized files refused, the form kept.

Hostile files (markup, scripts, archives, bombs, PDFs with scripts) are in test_hostile_evidence.py.
"""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from reports.evidence import evidence_check, evidence_read
from reports.models import Evidence, Report

from .evidence_files import EXECUTABLE, jpeg_with_gps, pdf_with_metadata_and_scripts, png_with_exif
from .test_views import form_data

pytestmark = pytest.mark.django_db


def upload(name: str, content: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_a_png_with_exif_comes_back_without_it():
    original = png_with_exif()
    assert Image.open(io.BytesIO(original)).getexif()
    checked = evidence_check(upload("screenshot.png", original))
    assert checked.kind == "image" and checked.content_type == "image/png"
    cleaned = Image.open(io.BytesIO(checked.content))
    assert not cleaned.getexif() and "exif" not in cleaned.info
    assert b"PhoneMaker" not in checked.content and b"GeheimeApp" not in checked.content
    assert cleaned.size == (40, 30)


def test_a_jpeg_loses_its_location():
    checked = evidence_check(upload("foto.jpg", jpeg_with_gps(), "image/jpeg"))
    assert checked.content_type == "image/jpeg"
    assert not Image.open(io.BytesIO(checked.content)).getexif()
    assert b"PhoneMaker" not in checked.content


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("verslag.pdf", pdf_with_metadata_and_scripts(), "pdf"),
        ("chat.txt", "Jij bent een loser, zeg het niet tegen de juf 😡".encode(), "text"),
        ("chat.png", b"tekst met een verkeerde naam", "text"),  # the name says nothing
    ],
)
def test_pdf_and_text_are_recognised_by_content(name, content, kind):
    assert evidence_check(upload(name, content, "application/octet-stream")).kind == kind


@pytest.mark.parametrize(
    "content",
    [
        EXECUTABLE,
        b"\x7fELF\x02\x01\x01" + b"\x00" * 100,
        b"PK\x03\x04" + b"\x00\x01" * 50,
        b"%PDF-1.4 but never ends\x00",
    ],
)
def test_executables_and_archives_are_refused_whatever_their_name(content):
    with pytest.raises(Exception) as refused:
        evidence_check(upload("screenshot.png", content))
    assert "screenshot.png is niet toegevoegd" in str(refused.value)


def test_a_refused_executable_keeps_the_rest_of_the_form(client, school, school_leader):
    data = form_data(school, description="Mijn uitgebreide verhaal over wat er gebeurde.")
    response = client.post(reverse("reports:new"), {**data, "evidence": [upload("screenshot.png", EXECUTABLE)]})
    assert response.status_code == 400
    page = response.content.decode()
    assert "screenshot.png is niet toegevoegd: programma&#x27;s nemen we niet aan." in page
    assert "Mijn uitgebreide verhaal over wat er gebeurde." in page
    assert 'value="Karin Bakker"' in page
    assert f'value="{data["submission_key"]}"' in page
    assert Report.objects.count() == 0


@override_settings(EVIDENCE_MAX_BYTES=10 * 1024 * 1024)
def test_an_eleven_megabyte_file_is_refused_with_a_clear_message(client, school, school_leader):
    big = b"a" * (11 * 1024 * 1024)
    response = client.post(reverse("reports:new"), {**form_data(school), "evidence": [upload("chat.txt", big)]})
    assert response.status_code == 400
    assert "chat.txt is niet toegevoegd: het bestand is groter dan 10 MB." in response.content.decode()
    assert "Noor wordt uitgescholden" in response.content.decode()
    assert Report.objects.count() == 0


def test_a_sixth_file_is_refused_and_the_form_kept(client, school, school_leader):
    files = [upload(f"chat{i}.txt", f"bericht {i}".encode(), "text/plain") for i in range(6)]
    response = client.post(reverse("reports:new"), {**form_data(school), "evidence": files})
    assert response.status_code == 400
    page = response.content.decode()
    assert "U kunt hoogstens 5 bestanden meesturen; u koos er 6." in page
    assert "Noor wordt uitgescholden" in page
    assert Report.objects.count() == 0


def test_five_good_files_are_stored_cleaned_under_random_names_and_named_by_the_portal(client, school, school_leader):
    files = [upload(f"schermafbeelding{i}.png", png_with_exif()) for i in range(4)]
    files.append(upload("chat van Noor.txt", b"hoi", "text/plain"))
    response = client.post(reverse("reports:new"), {**form_data(school), "evidence": files})
    assert response.status_code == 302
    stored = list(Evidence.objects.order_by("pk"))
    assert len(stored) == 5
    number = stored[0].report.case.number
    assert [item.file_name for item in stored] == [
        *(f"melding-{number}-{n}.png" for n in range(1, 5)),
        f"melding-{number}-5.txt",
    ]
    for item in stored:
        assert "schermafbeelding" not in item.stored_name
        content = evidence_read(item.stored_name)
        assert b"PhoneMaker" not in content


def test_sexting_reports_take_no_files(client, school, school_leader):
    response = client.post(
        reverse("reports:new"),
        {**form_data(school, category="sexting"), "evidence": [upload("x.png", png_with_exif())]},
    )
    assert response.status_code == 400
    assert "Bij sexting nemen we geen bestanden aan" in response.content.decode()
    assert Report.objects.count() == 0
