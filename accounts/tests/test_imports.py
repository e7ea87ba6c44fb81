"""CSV import of pupils with guardians and of staff: all or nothing, re-import updates, bad rows named."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from accounts.imports import ImportRejected, pupils_import, staff_import
from accounts.models import Group, Guardianship, Pupil, RoleAssignment, RoleRequest, User
from accounts.tests.factories import SchoolFactory
from notifications.models import Notification

pytestmark = pytest.mark.django_db

YEAR = "2026-2027"

GOOD_PUPILS = (
    "leerlingnummer;voornaam;tussenvoegsel;achternaam;geboortedatum;groep;e-mail ouder 1;e-mail ouder 2\n"
    "1001;Sanne;de;Vries;14-03-2017;Groep 3a;Ouder.Vries@example.nl;tweede.vries@example.nl\n"
    "1002;Daan;;Bakker;02-11-2015;5b;bakker@example.nl;\n"
    "1003;Fleur;de;Vries;01-09-2019;1/2;ouder.vries@example.nl;\n"
)


def run_pupils(text: str, school, *, encoding: str = "utf-8", dry_run: bool = False):
    return pupils_import(data=text.encode(encoding), school=school, school_year=YEAR, dry_run=dry_run)


def rejected_lines(text: str, school) -> dict[int, str]:
    with pytest.raises(ImportRejected) as caught:
        run_pupils(text, school)
    return {error.line: error.message for error in caught.value.errors}


def test_good_file_creates_pupils_groups_and_links_guardians(school):
    result = run_pupils(GOOD_PUPILS, school)

    assert result.counts["pupils_created"] == 3 and result.counts["guardians_created"] == 3
    sanne = Pupil.objects.get(school=school, student_number="1001")
    assert (sanne.full_name, sanne.date_of_birth) == ("Sanne de Vries", datetime.date(2017, 3, 14))
    assert (sanne.group.name, sanne.group.grade, sanne.group.school_year) == ("3a", 3, YEAR)
    assert set(sanne.guardians.values_list("email", flat=True)) == {"ouder.vries@example.nl", "tweede.vries@example.nl"}
    # One parent of two children is one login, linked to both.
    parent = User.objects.get(email="ouder.vries@example.nl")
    assert set(parent.children.values_list("first_name", flat=True)) == {"Sanne", "Fleur"}
    assert not parent.has_usable_password()  # parents log in by e-mailed link
    assert sorted(Group.objects.filter(school=school).values_list("name", "grade")) == [
        ("1/2", 1),
        ("3a", 3),
        ("5b", 5),
    ]


def test_reimport_updates_and_never_duplicates(school):
    run_pupils(GOOD_PUPILS, school)
    changed = (
        "leerlingnummer,voornaam,tussenvoegsel,achternaam,geboortedatum,groep,e-mail ouder 1,e-mail ouder 2\n"
        "1001,Sanne,de,Vries-Jansen,14-03-2017,4a,ouder.vries@example.nl,\n"
        "1002,Daan,,Bakker,02-11-2015,5b,bakker@example.nl,\n"
        "1003,Fleur,de,Vries,01-09-2019,1/2,ouder.vries@example.nl,\n"
    )
    result = run_pupils(changed, school)

    assert Pupil.objects.filter(school=school).count() == 3
    assert User.objects.filter(email="ouder.vries@example.nl").count() == 1
    sanne = Pupil.objects.get(student_number="1001")
    assert (sanne.last_name, sanne.group.name) == ("Vries-Jansen", "4a")
    # The second parent is no longer in the administration for Sanne: unlinked, login kept.
    assert list(sanne.guardians.values_list("email", flat=True)) == ["ouder.vries@example.nl"]
    assert User.objects.filter(email="tweede.vries@example.nl").exists()
    assert result.counts == {
        "rows": 3,
        "groups_created": 1,
        "pupils_updated": 1,
        "pupils_unchanged": 2,
        "guardianships_removed": 1,
    }
    assert run_pupils(changed, school).counts == {"rows": 3, "pupils_unchanged": 3}


def test_file_with_bad_rows_imports_nothing_and_names_each_row(school):
    bad = (
        "leerlingnummer;voornaam;tussenvoegsel;achternaam;geboortedatum;groep;e-mail ouder 1;e-mail ouder 2\n"
        "2001;Noor;;Smit;05-05-2016;4b;smit@example.nl;\n"  # good, but must not be imported
        "2002;;;Visser;05-05-2016;4b;;\n"
        "2003;Sem;;Mulder;31-02-2016;4b;;\n"
        "\n"
        "2004;Lot;;Bos;05-05-2016;groep 9;geen-adres;\n"
        "2001;Noor;;Smit;05-05-2016;4b;;\n"
    )
    errors = rejected_lines(bad, school)

    assert sorted(errors) == [3, 4, 6, 7]
    assert "Voornaam ontbreekt" in errors[3]
    assert "geboortedatum ‘31-02-2016’ is geen datum" in errors[4].lower()
    assert "groep ‘groep 9’ is onbekend" in errors[6].lower() and "‘geen-adres’ is geen geldig e-mailadres" in errors[6]
    assert "leerlingnummer 2001 staat ook op regel 2" in errors[7].lower()
    assert not Pupil.objects.exists() and not User.objects.filter(email="smit@example.nl").exists()
    assert not Group.objects.exists()


def test_missing_columns_and_binary_files_are_refused_with_a_reason(school):
    assert "achternaam" in rejected_lines("leerlingnummer;voornaam;geboortedatum;groep\n1;A;01-01-2016;3\n", school)[1]
    with pytest.raises(ImportRejected) as caught:
        pupils_import(data=b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", school=school, school_year=YEAR)
    assert "geen CSV-bestand" in caught.value.errors[0].message


def test_excel_exports_in_windows_1252_and_with_bom_are_read(school):
    text = "Leerlingnummer;Voornaam;Tussenvoegsel;Achternaam;Geboortedatum;Groep\n3001;Zoë;;Çelik;07-07-2016;4\n"
    run_pupils(text, school, encoding="cp1252")
    run_pupils("\ufeff" + text.replace("Zoë", "Zoë Anna"), school)
    assert Pupil.objects.get(student_number="3001").first_name == "Zoë Anna"
    assert Pupil.objects.get(student_number="3001").last_name == "Çelik"


def test_dry_run_counts_but_writes_nothing(school):
    result = run_pupils(GOOD_PUPILS, school, dry_run=True)
    assert result.counts["pupils_created"] == 3
    assert not Pupil.objects.exists() and not User.objects.exists()


def test_pupils_of_other_schools_with_the_same_number_are_left_alone(school, other_school):
    run_pupils(GOOD_PUPILS, other_school)
    run_pupils(GOOD_PUPILS.replace("Sanne", "Sara"), school)
    assert Pupil.objects.get(school=other_school, student_number="1001").first_name == "Sanne"
    assert Pupil.objects.get(school=school, student_number="1001").first_name == "Sara"


# Staff --------------------------------------------------------------------------------------------------------


def test_staff_import_gives_staff_roles_and_asks_the_board_for_leadership(school, board_member):
    other = SchoolFactory(name="De Kievietschool", brin="07KV")
    text = (
        "naam;e-mail;functie;school\n"
        f"Piet de Vries;piet@example.nl;leerkracht groep 5;{school.name}\n"
        "Jansen, Anna;anna@example.nl;Directeur;07kv\n"
        "Piet de Vries;piet@example.nl;intern begeleider;07KV\n"
    )
    result = staff_import(data=text.encode())

    piet = User.objects.get(email="piet@example.nl")
    assert (piet.first_name, piet.last_name) == ("Piet", "de Vries")
    assert set(piet.role_assignments.values_list("role", "school", "function")) == {
        ("staff", school.pk, "leerkracht groep 5"),
        ("staff", other.pk, "intern begeleider"),
    }
    anna = User.objects.get(email="anna@example.nl")
    assert (anna.first_name, anna.last_name) == ("Anna", "Jansen")
    # Leadership opens case files: the import asks, a board member decides in the portal.
    assert list(anna.role_assignments.values_list("role", "school")) == [("staff", other.pk)]
    assert list(RoleRequest.objects.values_list("user", "role", "school", "change", "state", "requested_by")) == [
        (anna.pk, "school_leader", other.pk, "grant", "pending", None)
    ]
    assert result.counts["roles_requested"] == 1
    assert Notification.objects.filter(
        recipient=board_member, channel="email", template="accounts/email/role_requested"
    ).exists()
    assert not anna.has_usable_password()

    promoted = text.replace("leerkracht groep 5", "adjunct-directeur").replace("Directeur", "leerkracht")
    result = staff_import(data=promoted.encode())
    assert result.counts == {"rows": 3, "roles_requested": 1}  # Piet's; Anna's request waits, unchanged
    assert set(RoleRequest.objects.values_list("user", "change")) == {(anna.pk, "grant"), (piet.pk, "grant")}
    assert not piet.role_assignments.filter(role="school_leader").exists()


def test_staff_file_with_unknown_school_or_bad_address_imports_nobody(school):
    text = (
        "naam,e-mail,functie,school\n"
        f"Goede Regel,goed@example.nl,leerkracht,{school.brin}\n"
        "Onbekende School,x@example.nl,leerkracht,De Verzonnen School\n"
        f"Zonder Adres,,leerkracht,{school.brin}\n"
    )
    with pytest.raises(ImportRejected) as caught:
        staff_import(data=text.encode())
    errors = {e.line: e.message for e in caught.value.errors}
    assert sorted(errors) == [3, 4]
    assert "‘De Verzonnen School’ is onbekend" in errors[3]
    assert "E-mailadres ontbreekt" in errors[4]
    assert not User.objects.filter(email="goed@example.nl").exists()


# Command and admin ----------------------------------------------------------------------------------------------


def test_import_command_reports_counts_and_every_bad_line(school, tmp_path, capsys):
    good = tmp_path / "leerlingen.csv"
    good.write_text(GOOD_PUPILS, encoding="utf-8")
    call_command("import_pupils", str(good), "--school", school.brin, "--school-year", YEAR)
    assert "3 leerlingen toegevoegd" in capsys.readouterr().out

    bad = tmp_path / "fout.csv"
    bad.write_text(GOOD_PUPILS.replace("02-11-2015", "morgen").replace("Fleur", ""), encoding="utf-8")
    with pytest.raises(CommandError, match="2 fout"):
        call_command("import_pupils", str(bad), "--school", school.brin, "--school-year", YEAR)
    err = capsys.readouterr().err
    assert "regel 3:" in err and "regel 4:" in err
    assert Pupil.objects.get(student_number="1002").date_of_birth == datetime.date(2015, 11, 2)


def test_admin_action_leads_to_an_upload_that_shows_bad_lines_and_then_imports(
    client, school, logged_in, functional_admin
):
    logged_in(functional_admin)
    changelist = reverse("admin:accounts_school_changelist")
    response = client.post(changelist, {"action": "import_pupils_action", "_selected_action": [school.pk]})
    upload_url = reverse("admin:accounts_school_import_pupils", args=[school.pk])
    assert response.status_code == 302 and response["Location"] == upload_url

    bad = SimpleUploadedFile("leerlingen.csv", GOOD_PUPILS.replace("5b", "12").encode(), content_type="text/csv")
    page = client.post(upload_url, {"file": bad, "school_year": YEAR}).content.decode()
    assert "Niets geïmporteerd: 1 fout in het bestand." in page
    assert "<td>3</td>" in page and "groep ‘12’ is onbekend" in page.lower()
    assert not Pupil.objects.exists()

    checked = client.post(
        upload_url,
        {"file": SimpleUploadedFile("l.csv", GOOD_PUPILS.encode()), "school_year": YEAR, "dry_run": "on"},
    ).content.decode()
    assert "Controle geslaagd" in checked and "3 leerlingen toegevoegd" in checked and not Pupil.objects.exists()

    done = client.post(
        upload_url, {"file": SimpleUploadedFile("l.csv", GOOD_PUPILS.encode()), "school_year": YEAR}, follow=True
    )
    assert "Import gelukt: 3 regels gelezen, 3 leerlingen toegevoegd" in done.content.decode()
    assert Pupil.objects.filter(school=school).count() == 3


def test_admin_staff_upload_refuses_a_file_that_is_not_text(client, school, logged_in, functional_admin):
    logged_in(functional_admin)
    url = reverse("admin:accounts_school_import_staff")
    assert "Medewerkers importeren (CSV)" in client.get(reverse("admin:accounts_school_changelist")).content.decode()
    upload = SimpleUploadedFile("medewerkers.csv", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", content_type="text/csv")
    page = client.post(url, {"file": upload}).content.decode()
    assert "geen CSV-bestand" in page and not RoleAssignment.objects.filter(school=school).exists()


def test_import_pages_are_for_back_office_users_only(school_leader, school, logged_in):
    assert logged_in(school_leader).get(reverse("admin:accounts_school_import_staff")).status_code in (302, 403)
    assert not Guardianship.objects.exists()


def test_new_staff_are_invited_to_choose_a_password_and_can_then_log_in(
    client, school, mailoutbox, django_capture_on_commit_callbacks
):
    text = f"naam;e-mail;functie;school\nNieuwe Collega;nieuw@example.nl;leerkracht;{school.brin}\n"
    with django_capture_on_commit_callbacks(execute=True):
        staff_import(data=text.encode(), dry_run=True)
    assert mailoutbox == []  # a check writes nothing and sends nothing

    with django_capture_on_commit_callbacks(execute=True):
        staff_import(data=text.encode())
        staff_import(data=text.encode())  # a re-import welcomes nobody twice
    assert [m.to for m in mailoutbox] == [["nieuw@example.nl"]]
    assert "Welkom bij de SKOW Portal" in mailoutbox[0].subject
    link = re.search(r"https?://[^/\s]+(/accounts/password/set/\S+/)", mailoutbox[0].body).group(1)

    form_page = client.get(link, follow=True)
    assert "Kies een wachtwoord" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    weak = client.post(set_url, {"new_password1": "kort", "new_password2": "kort"})
    assert "te kort" in weak.content.decode()
    done = client.post(set_url, {"new_password1": "Lange-zin-voor-2026!", "new_password2": "Lange-zin-voor-2026!"})
    assert done.status_code == 302
    assert User.objects.get(email="nieuw@example.nl").check_password("Lange-zin-voor-2026!")
    assert "Deze link werkt niet meer" in client.get(link, follow=True).content.decode()


def test_password_forgotten_answers_the_same_for_everyone_and_mails_only_staff(
    client, teacher, parent, mailoutbox, django_capture_on_commit_callbacks
):
    for email in (teacher.email, parent.email, "onbekend@example.nl"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("accounts:password_forgotten"), {"email": email})
        assert response.status_code == 302 and response["Location"] == reverse("accounts:password_reset_sent")
    assert [m.to for m in mailoutbox] == [[teacher.email]]
    assert "Kies een nieuw wachtwoord" in mailoutbox[0].subject


def test_the_summary_says_1_groep_and_2_groepen():
    from accounts.imports import ImportResult

    result = ImportResult()
    result.add("rows")
    result.add("groups_created")
    result.add("pupils_created", 2)
    result.add("roles_removed")
    assert result.summary() == ["1 regel gelezen", "2 leerlingen toegevoegd", "1 groep aangemaakt", "1 rol ingetrokken"]


def test_a_leader_imported_in_the_admin_is_requested_by_the_admin_and_a_removal_too(
    school, logged_in, functional_admin, school_leader
):
    text = (
        "naam;e-mail;functie;school\n"
        f"Nieuwe Directeur;nieuw@example.nl;directeur;{school.brin}\n"
        f"Oude Directeur;{school_leader.email};leerkracht groep 8;{school.brin}\n"
    )
    upload = SimpleUploadedFile("medewerkers.csv", text.encode(), content_type="text/csv")
    response = logged_in(functional_admin).post(reverse("admin:accounts_school_import_staff"), {"file": upload})
    assert response.status_code == 302
    assert set(RoleRequest.objects.values_list("user__email", "change", "requested_by", "state")) == {
        ("nieuw@example.nl", "grant", functional_admin.pk, "pending"),
        (school_leader.email, "remove", functional_admin.pk, "pending"),
    }
    # Nothing changed yet: the board decides.
    assert school_leader.role_assignments.filter(role="school_leader", school=school).exists()
    assert not RoleAssignment.objects.filter(user__email="nieuw@example.nl", role="school_leader").exists()


def test_a_pupil_missing_from_the_file_or_given_a_leaving_date_is_recorded_as_left(school, other_school):
    """The leaving date starts the retention term of the pupil's case records (retention kind "case_pupil")."""
    run_pupils(GOOD_PUPILS, school)
    elsewhere = Pupil.objects.create(
        school=other_school, student_number="1002", first_name="A", last_name="B", date_of_birth="2016-01-01"
    )
    without_fleur = (
        "leerlingnummer;voornaam;achternaam;geboortedatum;groep;e-mail ouder 1;datum uitschrijving\n"
        "1001;Sanne;Vries;14-03-2017;3a;ouder.vries@example.nl;\n"
        "1002;Daan;Bakker;02-11-2015;5b;bakker@example.nl;31-07-2026\n"
    )
    result = run_pupils(without_fleur, school)
    left = dict(Pupil.objects.filter(school=school).values_list("student_number", "left_on"))
    assert left == {"1001": None, "1002": datetime.date(2026, 7, 31), "1003": timezone.localdate()}
    assert result.counts["pupils_left"] == 1
    assert "1 leerling niet meer in het bestand: als vertrokken vastgelegd" in result.summary()
    elsewhere.refresh_from_db()
    assert elsewhere.left_on is None  # another school's file says nothing about this pupil
    # A later import keeps the first leaving date of a pupil still missing.
    Pupil.objects.filter(student_number="1003").update(left_on=datetime.date(2026, 1, 5))
    assert "pupils_left" not in run_pupils(without_fleur, school).counts
    assert Pupil.objects.get(school=school, student_number="1003").left_on == datetime.date(2026, 1, 5)


def test_a_leaving_date_that_is_no_date_is_named_and_nothing_is_imported(school):
    bad = (
        "leerlingnummer;voornaam;achternaam;geboortedatum;groep;datum uitschrijving\n"
        "1001;Sanne;Vries;14-03-2017;3a;zomer\n"
    )
    assert rejected_lines(bad, school) == {2: "Datum uitschrijving ‘zomer’ is geen datum (gebruik dd-mm-jjjj)."}
    assert not Pupil.objects.exists()
