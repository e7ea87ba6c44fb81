"""Back-office journeys in a real browser: importing the administration's CSV, and a new colleague's first login."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import Pupil, User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = "leerlingnummer;voornaam;tussenvoegsel;achternaam;geboortedatum;groep;e-mail ouder 1;e-mail ouder 2\n"


def test_admin_imports_pupils_fixes_a_bad_line_and_imports_again(
    live_server, page, school, tmp_path, browser_logged_in, functional_admin
):
    browser_logged_in(page, functional_admin)
    page.goto(f"{live_server.url}/admin/accounts/school/")
    page.get_by_role("checkbox", name=re.compile(school.name)).check()
    page.locator("select[name=action]").select_option(label="Leerlingen en ouders importeren (CSV)")
    page.get_by_role("button", name="Uitvoeren").click()
    expect(page.get_by_role("heading", name=f"Leerlingen en ouders importeren voor {school.name}")).to_be_visible()

    bad = tmp_path / "leerlingen.csv"
    bad.write_text(
        HEADER + "4001;Mila;;Jansen;12-06-2018;3a;jansen@example.nl;\n4002;Luuk;van;Dam;1-13-2017;4b;dam@example.nl;\n",
        encoding="utf-8",
    )
    page.get_by_label("CSV-bestand").set_input_files(str(bad))
    page.get_by_role("button", name="Importeren").click()
    expect(page.get_by_role("alert")).to_contain_text("Niets geïmporteerd: 1 fout in het bestand.")
    expect(page.locator("#import-errors")).to_contain_text("Geboortedatum ‘1-13-2017’ is geen datum")
    assert not Pupil.objects.exists()

    bad.write_text(bad.read_text(encoding="utf-8").replace("1-13-2017", "13-01-2017"), encoding="utf-8")
    page.get_by_label("CSV-bestand").set_input_files(str(bad))
    page.get_by_role("button", name="Importeren").click()
    expect(page.get_by_text("Import gelukt: 2 regels gelezen, 2 leerlingen toegevoegd")).to_be_visible()
    assert set(Pupil.objects.values_list("first_name", "group__name")) == {("Mila", "3a"), ("Luuk", "4b")}


def test_imported_teacher_chooses_a_password_from_the_welcome_mail_and_links_an_authenticator(
    live_server, page, school, tmp_path, browser_logged_in, functional_admin
):
    browser_logged_in(page, functional_admin)
    page.goto(f"{live_server.url}/admin/accounts/school/")
    page.get_by_role("link", name="Medewerkers importeren (CSV)").click()
    staff = tmp_path / "medewerkers.csv"
    staff.write_text(f"naam;e-mail;functie;school\nEva de Boer;eva@example.nl;leerkracht groep 6;{school.brin}\n")
    page.get_by_label("CSV-bestand").set_input_files(str(staff))
    page.get_by_role("button", name="Importeren").click()
    expect(page.get_by_text("1 medewerker toegevoegd")).to_be_visible()
    page.context.clear_cookies()

    (welcome,) = [m for m in mail.outbox if m.to == ["eva@example.nl"]]
    link = re.search(r"https?://[^/\s]+(/accounts/password/set/\S+/)", welcome.body).group(1)
    page.goto(live_server.url + link)
    page.get_by_label("Nieuw wachtwoord").first.fill("Zomer-in-Wassenaar-2026")
    page.get_by_label("Nieuw wachtwoord bevestigen").fill("Zomer-in-Wassenaar-2026")
    page.get_by_role("button", name="Wachtwoord opslaan").click()
    expect(page.get_by_role("heading", name="Uw wachtwoord is opgeslagen")).to_be_visible()

    page.get_by_role("link", name="Inloggen", exact=True).last.click()
    page.get_by_label("E-mailadres").fill("eva@example.nl")
    page.get_by_label("Wachtwoord").fill("Zomer-in-Wassenaar-2026")
    page.get_by_role("button", name="Inloggen").click()
    expect(page).to_have_url(re.compile(r"/(accounts/two-factor/setup/|$)"))
    assert User.objects.get(email="eva@example.nl").has_role("staff", school)
