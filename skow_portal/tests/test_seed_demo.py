"""`seed_demo` creates accounts with published passwords: never by accident on a production database."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import User
from consent.campaigns import consent_rounds_offered
from consent.models import ConsentTextChange
from consent.selectors import consent_form_current
from consent.tests.factories import current_form

pytestmark = pytest.mark.django_db


def test_with_debug_off_it_refuses_and_names_the_risk(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError) as refused:
        call_command("seed_demo", stdout=io.StringIO())
    assert "passwords are published" in str(refused.value) and "--force" in str(refused.value)
    assert not User.objects.exists()


def test_with_debug_on_it_loads_the_demo_as_make_run_does(settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "bestuur@demo.skow.nl" in out.getvalue()
    assert User.objects.filter(email="bestuur@demo.skow.nl").exists()


def test_a_school_leader_finds_a_new_consent_round_waiting_and_seeding_twice_adds_nothing(settings):
    # consent/demo.py: form version 2 asks one medium more, so `make run` shows "Nieuwe ronde".
    settings.DEBUG = True
    current_form()  # version 1 as the migrations install it (a transactional test before may have flushed it)
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    current = consent_form_current()
    assert current.version == 2 and "Podcast van de school" in [m["label"] for m in current.media]
    change = ConsentTextChange.objects.get()
    leader = User.objects.get(email="directeur.jozef@demo.skow.nl")
    assert [(school.name, offered) for school, offered in consent_rounds_offered(user=leader)] == [
        ("Sint-Jozefschool", change)
    ]


def test_with_debug_off_force_loads_it_anyway(settings):
    settings.DEBUG = False
    call_command("seed_demo", "--force", stdout=io.StringIO())
    assert User.objects.filter(email="bestuur@demo.skow.nl").exists()


@pytest.mark.django_db(transaction=True)
def test_the_logins_come_last_after_the_e_mails_of_the_seeding_and_name_both_guardians(settings, capsys):
    # As `make run` has it: DEBUG, tasks in-process, e-mails printed on the terminal.
    settings.DEBUG = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    call_command("seed_demo")
    out = capsys.readouterr().out
    lines = out.splitlines()
    header = lines.index("ROLE EMAIL PASSWORD TOTP_SECRET")
    mails = [number for number, line in enumerate(lines) if line.startswith("Subject: ")]
    assert mails, "the seeding sends e-mails (new reports to the leaders)"
    assert max(mails) < header
    logins = lines[header + 1 :]
    assert logins and all(len(line.split()) == 4 for line in logins)  # nothing after the logins
    emails = {line.split()[1] for line in logins}
    assert {"bestuur@demo.skow.nl", "ouder@demo.skow.nl", "ouder2@demo.skow.nl"} <= emails
    assert "parent ouder2@demo.skow.nl - -" in logins


def test_the_board_sees_a_misstand_report_and_a_complaint_going_within_the_month_and_seeding_twice_adds_nothing(
    settings,
):
    """integrity/demo.py and complaints/demo.py: one closed report and one resolved complaint near the end
    of their term, so Beheer › Bewaartermijnen forecasts them; the open ones are not counted."""
    from complaints.models import Complaint
    from integrity.models import MisstandReport
    from retention.services import retention_overview

    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    assert MisstandReport.objects.count() == 2 and Complaint.objects.count() == 2
    forecast = {row["kind"].key: row["forecast"] for row in retention_overview()}
    assert forecast["misstand_report"] == 1 and forecast["complaint"] == 1
