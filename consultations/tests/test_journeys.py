"""A question to one's leader in a real browser (protocol B.3, B.4): a teacher asks, the leader reads
it from the e-mail (which holds no content) and answers, the teacher reads the answer; the leader
turns a question into a case, the teacher is told, and the case says where it came from."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from consultations import services
from consultations.models import Consultation
from policy.tests.factories import version_1
from reports.models import Case
from testing.mail import mailed_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = "Een ouder reageert steeds feller op mijn bericht in de klassenapp. Hoe pak ik dit aan?"


def test_a_teacher_asks_the_leader_answers_and_the_teacher_reads_the_answer(
    live_server, page, browser, school, other_school, teacher, school_leader, browser_logged_in
):
    version_1()
    browser_logged_in(page, teacher)
    page.get_by_role("link", name="Overleggen").click()
    page.get_by_role("link", name="Ik wil iets overleggen").click()
    page.get_by_role("radio", name="Een online gesprek dreigt te ontsporen (B.3)").check()
    page.get_by_role("button", name="Vraag versturen").click()
    # Nothing typed: refused in Dutch, the choice kept.
    expect(page.get_by_text("Dit veld is verplicht.")).to_be_visible()
    expect(page.get_by_role("radio", name="Een online gesprek dreigt te ontsporen (B.3)")).to_be_checked()
    page.get_by_label("Uw vraag").fill(QUESTION)
    page.get_by_role("button", name="Vraag versturen").click()
    expect(page.get_by_text("Uw vraag is verstuurd.")).to_be_visible()
    expect(page.get_by_test_id("consultation-thread")).to_contain_text(QUESTION)
    consultation = Consultation.objects.get()

    # The leader's e-mail says there is a question, never what it is.
    to_leader = [m for m in mail.outbox if m.to == [school_leader.email]]
    assert len(to_leader) == 1 and "ouder" not in to_leader[0].body and "klassenapp" not in to_leader[0].body
    leader = browser.new_page()
    browser_logged_in(leader, school_leader)
    leader.goto(live_server.url + mailed_path(school_leader.email, r"/consultations/\d+/"))
    expect(leader.get_by_test_id("consultation-thread")).to_contain_text(QUESTION)
    leader.get_by_label("Uw antwoord").fill("Reageer niet meer online en bel de ouder morgen; ik ben erbij.")
    leader.get_by_role("button", name="Antwoord versturen").click()
    expect(leader.get_by_text("Uw antwoord is verstuurd.")).to_be_visible()

    # The teacher hears there is an answer (without it) and reads it in the thread.
    to_teacher = [m for m in mail.outbox if m.to == [teacher.email]]
    assert to_teacher and "bel de ouder" not in to_teacher[-1].body
    page.goto(live_server.url + mailed_path(teacher.email, r"/consultations/\d+/"))
    expect(page.get_by_test_id("consultation-thread")).to_contain_text(f"{school_leader} (leidinggevende)")
    expect(page.get_by_test_id("consultation-thread")).to_contain_text("bel de ouder morgen")
    page.get_by_label("Uw antwoord").fill("Dank u, dat doe ik.")
    page.get_by_role("button", name="Antwoord versturen").click()
    expect(page.get_by_test_id("consultation-thread")).to_contain_text("Dank u, dat doe ik.")

    # Another school's leader does not find it.
    stranger = browser.new_page()
    browser_logged_in(stranger, UserFactory(email="directeur-b@example.nl", roles=[("school_leader", other_school)]))
    response = stranger.goto(f"{live_server.url}/consultations/{consultation.pk}/")
    assert response.status == 404
    assert not Case.objects.exists()  # a question is not a case


def test_the_leader_turns_a_question_into_a_case_with_the_teachers_knowledge(
    live_server, page, browser, school, teacher, school_leader, browser_logged_in
):
    version_1()
    consultation = services.consultation_start(asker=teacher, school=school, topic="conversation", body=QUESTION)
    leader = browser.new_page()
    browser_logged_in(leader, school_leader)
    leader.get_by_role("link", name="Overleggen").click()
    leader.get_by_test_id("consultations-for-me").get_by_role("link").click()
    leader.get_by_role("link", name="Maak er een melding van").click()
    expect(leader.get_by_label("Beschrijving voor het dossier")).to_have_value(QUESTION)
    leader.get_by_label("Wat is er gebeurd?").select_option(
        label="Medewerker in discussie met leerling of ouder op sociale media (B.5)"
    )
    leader.get_by_label("Waar gebeurde het?").select_option(label="WhatsApp")
    leader.get_by_label("Wanneer gebeurde het?").fill(timezone.localdate().isoformat())
    leader.get_by_role("button", name="Melding maken").click()

    expect(leader.get_by_text("Van de vraag is een melding gemaakt.")).to_be_visible()
    case = Case.objects.get()
    expect(leader).to_have_url(re.compile(rf"/cases/{case.pk}/$"))
    expect(leader.get_by_text(f"Ontstaan uit een vraag om overleg van {teacher}")).to_be_visible()

    # The teacher is told, and the thread says so and takes no more replies.
    assert any("melding gemaakt" in m.subject for m in mail.outbox if m.to == [teacher.email])
    browser_logged_in(page, teacher)
    page.goto(f"{live_server.url}/consultations/{consultation.pk}/")
    expect(page.get_by_test_id("consultation-case")).to_contain_text(f"{school_leader} heeft van deze vraag")
    expect(page.get_by_label("Uw antwoord")).to_have_count(0)
