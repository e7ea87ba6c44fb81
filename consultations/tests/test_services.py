"""A staff member's question to their leader (protocol B.3, B.4): who reads it, the thread, the
e-mails without content, turning it into a case, and its own retention term."""

from __future__ import annotations

import datetime

import pytest
from celery.schedules import crontab
from django.utils import timezone

from accounts.tests.factories import UserFactory
from common.refusals import ActionRefused
from consultations import access, services
from consultations.models import Consultation, ConsultationMessage
from notifications.models import Notification
from reports.access import cases_visible_to
from reports.constants import Category, TimelineKind
from retention.tasks import retention_purge_task

pytestmark = pytest.mark.django_db

QUESTION = "Een ouder reageert steeds feller onder mijn bericht in de klassengroep. Wat nu?"


def _ask(teacher, school):
    return services.consultation_start(asker=teacher, school=school, topic="conversation", body=QUESTION)


def test_only_the_staff_member_and_their_schools_leaders_read_the_thread(
    school, other_school, teacher, school_leader, board_member, parent
):
    consultation = _ask(teacher, school)
    other_leader = UserFactory(roles=[("school_leader", other_school)])
    colleague = UserFactory(roles=[("staff", school)])
    readers = {
        teacher: True,
        school_leader: True,
        board_member: False,
        other_leader: False,
        colleague: False,
        parent: False,
    }
    for user, sees in readers.items():
        assert access.consultations_visible_to(user=user).filter(pk=consultation.pk).exists() is sees, user
    with pytest.raises(ActionRefused) as refused:
        services.consultation_reply(consultation=consultation, by=other_leader, body="Hallo")
    assert refused.value.status == 404


def test_a_school_leaders_own_question_goes_to_the_board_not_to_the_leadership(school, school_leader, board_member):
    co_leader = UserFactory(roles=[("school_leader", school)])
    consultation = services.consultation_start(asker=school_leader, school=school, topic="post", body="Mag dit?")
    assert consultation.for_board
    assert access.consultations_visible_to(user=board_member).filter(pk=consultation.pk).exists()
    assert not access.consultations_visible_to(user=co_leader).filter(pk=consultation.pk).exists()
    assert set(Notification.objects.filter(channel="email").values_list("recipient", flat=True)) == {board_member.pk}


def test_both_sides_reply_and_each_is_told_without_the_content(school, teacher, school_leader):
    consultation = _ask(teacher, school)
    told = Notification.objects.filter(recipient=school_leader, template="consultations/email/question")
    assert told.exists()
    services.consultation_reply(consultation=consultation, by=school_leader, body="Reageer niet meer; bel de ouder.")
    services.consultation_reply(consultation=consultation, by=teacher, body="Dank u, dat doe ik.")
    assert Notification.objects.filter(recipient=teacher, template="consultations/email/reply_to_asker").exists()
    assert Notification.objects.filter(recipient=school_leader, template="consultations/email/reply_to_leader").exists()
    for row in Notification.objects.all():  # only the school's name and a link, never what was written
        assert row.context in ({}, {"school_name": school.name})  # in-app rows keep no context
        assert "ouder" not in row.subject.lower() and row.link == f"/consultations/{consultation.pk}/"
    assert list(consultation.messages.values_list("author", flat=True)) == [teacher.pk, school_leader.pk, teacher.pk]


def test_the_leader_turns_it_into_a_case_the_staff_member_is_told_and_the_case_says_where_it_came_from(
    school, teacher, school_leader
):
    consultation = _ask(teacher, school)
    with pytest.raises(ActionRefused):  # not the asker
        services.consultation_to_case(
            consultation=consultation,
            by=teacher,
            category=Category.ARGUING_ONLINE,
            platform="whatsapp",
            happened_on=timezone.localdate(),
            description=QUESTION,
        )
    case = services.consultation_to_case(
        consultation=consultation,
        by=school_leader,
        category=Category.ARGUING_ONLINE,
        platform="whatsapp",
        happened_on=timezone.localdate(),
        description=QUESTION,
    )
    report = case.reports.get()
    assert report.reporter_name == teacher.get_full_name() and not report.is_anonymous
    origin = case.timeline.get(kind=TimelineKind.NOTE)
    assert origin.data == {"consultation_id": consultation.pk} and "vraag om overleg" in origin.summary
    assert Notification.objects.filter(recipient=teacher, template="consultations/email/made_case").exists()
    consultation.refresh_from_db()
    assert consultation.case == case and consultation.converted_by == school_leader
    with pytest.raises(ActionRefused):  # the thread is closed: it goes on in the case file
        services.consultation_reply(consultation=consultation, by=teacher, body="Nog iets")
    with pytest.raises(ActionRefused):  # once
        services.consultation_to_case(
            consultation=consultation,
            by=school_leader,
            category=Category.ARGUING_ONLINE,
            platform="whatsapp",
            happened_on=timezone.localdate(),
            description=QUESTION,
        )


def test_the_nightly_task_erases_threads_past_their_term_and_keeps_the_rest(school, teacher, settings):
    settings.CONSULTATION_RETENTION_DAYS = 30
    old = _ask(teacher, school)
    recent = _ask(teacher, school)
    Consultation.objects.filter(pk=old.pk).update(last_message_at=timezone.now() - datetime.timedelta(days=31))
    Consultation.objects.filter(pk=recent.pk).update(last_message_at=timezone.now() - datetime.timedelta(days=29))
    assert retention_purge_task.apply().get() == {"consultation": 1}
    assert list(Consultation.objects.all()) == [recent]
    assert not ConsultationMessage.objects.filter(consultation_id=old.pk).exists()


def test_a_reply_keeps_the_thread_longer(school, teacher, school_leader, settings):
    settings.CONSULTATION_RETENTION_DAYS = 30
    consultation = _ask(teacher, school)
    Consultation.objects.filter(pk=consultation.pk).update(last_message_at=timezone.now() - datetime.timedelta(days=29))
    consultation.refresh_from_db()
    services.consultation_reply(consultation=consultation, by=school_leader, body="Nog even over uw vraag.")
    assert services.consultation_retention_purge(now=timezone.now() + datetime.timedelta(days=2)) == 0
    assert consultation.erase_on == timezone.localdate() + datetime.timedelta(days=30)


def test_the_retention_task_runs_every_night():
    from django.conf import settings

    schedule = settings.CELERY_BEAT_SCHEDULE["retention-purge"]
    assert schedule["task"] == "retention.tasks.retention_purge_task"
    assert schedule["schedule"] == crontab(hour=2, minute=30)


def test_a_leaders_own_question_becomes_a_case_for_the_board_only(school, school_leader, board_member):
    consultation = services.consultation_start(asker=school_leader, school=school, topic="conversation", body="Help")
    case = services.consultation_to_case(
        consultation=consultation,
        by=board_member,
        category=Category.ARGUING_ONLINE,
        platform="facebook",
        happened_on=timezone.localdate(),
        description="Een discussie met een ouder op Facebook.",
    )
    assert case.is_about_leadership
    assert not cases_visible_to(user=UserFactory(roles=[("school_leader", school)])).filter(pk=case.pk).exists()
    assert cases_visible_to(user=board_member).filter(pk=case.pk).exists()
