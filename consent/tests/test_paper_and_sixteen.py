"""Paper forms entered by staff with their scan, and the invitation of pupils who turn 16."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import GroupFactory, GuardianshipFactory, PupilFactory, UserFactory
from consent.campaigns import consent_age_of_consent_notify
from consent.constants import Basis, Method
from consent.models import AgeOfConsentNotice, ConsentDecision
from consent.scans import scan_read, scan_root
from consent.selectors import current_consent_for_pupil
from consent.services import consent_decide
from consent.tests.factories import current_form
from notifications.models import Notification

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = str(tmp_path / "private")


@pytest.fixture
def pupil_with_parent(school, teacher):
    group = GroupFactory(school=school, name="6a", grade=6)
    group.teachers.add(teacher)
    child = PupilFactory(school=school, group=group, first_name="Jesse")
    mother = UserFactory(email="moeder@example.nl", password="", first_name="Ans", last_name="Visser")
    GuardianshipFactory(guardian=mother, pupil=child)
    return child, mother


def paper_post(client, child, signer, scan, **extra):
    data = {"signed_by": signer.pk, "signed_on": "2026-09-01", "website__photo": "on", "scan": scan, **extra}
    return client.post(reverse("consent:paper_pupil", args=[child.pk]), data)


def test_teacher_enters_a_paper_form_with_its_scan_and_the_parent_gets_the_receipt(
    client, teacher, pupil_with_parent, mailoutbox, django_capture_on_commit_callbacks, logged_in
):
    child, mother = pupil_with_parent
    logged_in(teacher)
    with django_capture_on_commit_callbacks(execute=True):
        response = paper_post(client, child, mother, SimpleUploadedFile("formulier.pdf", PDF))

    decision = ConsentDecision.objects.get(pupil=child)
    assert response.status_code == 302 and response["Location"] == reverse("consent:proof", args=[decision.pk])
    assert (decision.method, decision.basis, decision.decided_by, decision.recorded_by) == (
        Method.PAPER,
        Basis.GUARDIAN,
        mother,
        teacher,
    )
    assert decision.paper_signed_on == datetime.date(2026, 9, 1)
    assert current_consent_for_pupil(child).allows("website", "photo")
    assert not current_consent_for_pupil(child).allows("website", "film")
    assert [m.to for m in mailoutbox] == [[mother.email]]

    proof = client.get(reverse("consent:proof", args=[decision.pk])).content.decode()
    assert "1 september 2026" in proof and "Scan van het ondertekende formulier downloaden" in proof
    download = client.get(reverse("consent:scan", args=[decision.pk]))
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf" and "attachment" in download["Content-Disposition"]
    assert download["Cache-Control"] == "private, no-store"
    # Stored outside static and media, under a random name, not the uploaded one, and sealed
    # under a data key of its own (common/vault.py): the file on disk is not the PDF.
    stored = (scan_root() / decision.scan_name).read_bytes()
    assert PDF not in stored and stored.startswith(b"SKOWSEALED1") and "formulier" not in decision.scan_name
    assert scan_read(decision.scan_name) == PDF


def test_a_file_that_is_no_scan_is_refused_and_the_answers_are_kept(client, teacher, pupil_with_parent, logged_in):
    child, mother = pupil_with_parent
    logged_in(teacher)
    fake = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 this is a program", content_type="application/pdf")
    page = paper_post(client, child, mother, fake).content.decode()
    assert "Dit bestand is geen pdf, jpg of png" in page
    assert 'name="website__photo" id="id_website__photo" checked' in page
    assert 'value="2026-09-01"' in page
    assert not ConsentDecision.objects.exists()
    assert not scan_root().exists() or not any(scan_root().iterdir())


def test_a_paper_form_for_a_sixteen_year_old_signed_by_a_parent_is_refused_without_storing_the_scan(
    client, school_leader, school, logged_in
):
    group = GroupFactory(school=school)
    pupil_user = UserFactory(email="leerling@example.nl", password="")
    older = PupilFactory(school=school, group=group, sixteen_plus=True, user=pupil_user)
    father = UserFactory(email="vader@example.nl", password="")
    GuardianshipFactory(guardian=father, pupil=older)
    logged_in(school_leader)
    page = paper_post(client, older, father, SimpleUploadedFile("s.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20))
    assert "Selecteer een geldige keuze" in page.content.decode()  # only the pupil can have signed
    assert not ConsentDecision.objects.exists()
    ok = paper_post(client, older, pupil_user, SimpleUploadedFile("s.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20))
    assert ok.status_code == 302
    assert ConsentDecision.objects.get().basis == Basis.PUPIL_SELF


def test_paper_entry_and_scans_are_only_for_staff_of_that_pupil(
    client, teacher, pupil_with_parent, other_school, logged_in
):
    child, mother = pupil_with_parent
    logged_in(teacher)
    paper_post(client, child, mother, SimpleUploadedFile("f.pdf", PDF))
    decision = ConsentDecision.objects.get()
    stranger = UserFactory(roles=[("staff", other_school)])
    logged_in(stranger)
    assert client.get(reverse("consent:paper_pupil", args=[child.pk])).status_code == 404
    assert client.get(reverse("consent:scan", args=[decision.pk])).status_code == 404
    logged_in(mother)
    assert client.get(reverse("consent:scan", args=[decision.pk])).status_code == 200  # her own signature


# Turning 16 ----------------------------------------------------------------------------------------------------


def sixteen_today() -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year - 16)


def test_pupil_who_turns_sixteen_is_invited_once_and_the_parents_are_told(school, mailoutbox):
    pupil_user = UserFactory(email="sem@example.nl", password="")
    yesterday_fifteen = sixteen_today() + datetime.timedelta(days=1)
    sem = PupilFactory(school=school, first_name="Sem", date_of_birth=yesterday_fifteen, user=pupil_user)
    mother = UserFactory(email="moeder@example.nl", password="")
    GuardianshipFactory(guardian=mother, pupil=sem)
    consent_decide(
        decided_by=mother, form=current_form(), answers={"website": {"photo": True}}, method="link", pupil=sem
    )
    sem.date_of_birth = sixteen_today()  # the decision was made while Sem was 15; today Sem turns 16
    sem.save()
    younger = PupilFactory(school=school, date_of_birth=sixteen_today() + datetime.timedelta(days=1))

    assert consent_age_of_consent_notify() == 1
    assert consent_age_of_consent_notify() == 0  # once per pupil
    rows = Notification.objects.filter(template__startswith="consent/email/age_of_consent", channel="email")
    assert sorted(rows.values_list("email", "template")) == [
        ("moeder@example.nl", "consent/email/age_of_consent_guardian"),
        ("sem@example.nl", "consent/email/age_of_consent_pupil"),
    ]
    assert AgeOfConsentNotice.objects.get(pupil=sem).pupil_invited
    assert not AgeOfConsentNotice.objects.filter(pupil=younger).exists()
    # The guardian's answer stays in force until Sem decides.
    assert current_consent_for_pupil(sem).allows("website", "photo")


def test_a_sixteen_year_old_without_login_is_reported_to_the_school_leadership(school, school_leader, teacher):
    PupilFactory(
        school=school, group=GroupFactory(school=school), date_of_birth=sixteen_today() - datetime.timedelta(days=40)
    )
    consent_age_of_consent_notify()
    told = Notification.objects.filter(template="consent/email/age_of_consent_school")
    assert set(told.values_list("recipient", flat=True)) == {school_leader.pk}


def test_a_pupil_who_already_decided_is_not_invited(school):
    pupil_user = UserFactory(email="lotte@example.nl", password="")
    lotte = PupilFactory(school=school, date_of_birth=sixteen_today(), user=pupil_user)
    consent_decide(decided_by=pupil_user, form=current_form(), answers={}, method="logged_in", pupil=lotte)
    assert consent_age_of_consent_notify() == 0
