"""The leader's consent pages: reminding a group now, publications, takedowns, the proof, the photo check
of more groups (services, selectors and views; the browser walks are in test_leader_journeys.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.models import current_school_year
from accounts.tests.factories import GroupFactory, GuardianshipFactory, PupilFactory, UserFactory
from common.refusals import ActionRefused
from consent.campaigns import (
    REMIND_AGAIN_AFTER,
    consent_campaign_remind,
    consent_campaign_remind_group,
    consent_campaign_start,
)
from consent.constants import Method
from consent.models import CampaignReminder, ConsentInvitation, Publication, TakedownTask
from consent.selectors import publications_for, takedown_tasks_for
from consent.services import consent_decide, consent_withdraw, publication_record, takedown_confirm
from consent.tests.factories import all_yes, current_form
from notifications.models import Notification

pytestmark = pytest.mark.django_db


# 10. The campaign dashboard: who has not answered, and "herinner nu" -----------------------------------


@pytest.fixture
def campaign_world(school, school_leader, django_capture_on_commit_callbacks):
    """Two groups; in 5a one family answers and one does not, in 6b nobody answers."""
    year = current_school_year()
    group_5a = GroupFactory(school=school, school_year=year, grade=5, name="5a")
    group_6b = GroupFactory(school=school, school_year=year, grade=6, name="6b")
    answering = UserFactory(email="antwoordt@example.nl", password="")
    silent = UserFactory(email="zwijgt@example.nl", password="", first_name="Sanne", last_name="Stil")
    other_group_parent = UserFactory(email="zesb@example.nl", password="")
    noor = GuardianshipFactory(guardian=answering, pupil=PupilFactory(school=school, group=group_5a)).pupil
    sem = GuardianshipFactory(guardian=silent, pupil=PupilFactory(school=school, group=group_5a)).pupil
    GuardianshipFactory(guardian=other_group_parent, pupil=PupilFactory(school=school, group=group_6b))
    with django_capture_on_commit_callbacks(execute=True):
        campaign = consent_campaign_start(school=school, school_year=year, started_by=school_leader)
    consent_decide(decided_by=answering, form=current_form(), answers={}, method=Method.LOGGED_IN, pupil=noor)
    # Invited a few days ago: a reminder now is no flood.
    ConsentInvitation.objects.update(sent_at=timezone.now() - timedelta(days=3))
    return campaign, group_5a, group_6b, silent, sem, other_group_parent


def reminder_mails() -> list[str]:
    return list(Notification.objects.filter(template="consent/email/reminder").values_list("email", flat=True))


def test_remind_now_reaches_only_the_families_of_that_group_without_an_answer(
    campaign_world, school_leader, django_capture_on_commit_callbacks
):
    campaign, group_5a, _group_6b, silent, _sem, _other = campaign_world
    with django_capture_on_commit_callbacks(execute=True):
        assert consent_campaign_remind_group(campaign=campaign, group=group_5a, by=school_leader) == 1
    assert reminder_mails() == [silent.email]
    invitation = ConsentInvitation.objects.get(recipient=silent)
    assert invitation.reminders_sent == 1 and invitation.last_reminded_at is not None
    reminder = CampaignReminder.objects.get()
    assert (reminder.group, reminder.sent_by, reminder.recipient_count) == (group_5a, school_leader, 1)


def test_a_double_click_or_a_second_tab_sends_nothing_twice_and_says_when_the_last_went(campaign_world, school_leader):
    campaign, group_5a, *_rest = campaign_world
    consent_campaign_remind_group(campaign=campaign, group=group_5a, by=school_leader)
    with pytest.raises(ActionRefused, match=r"kregen op .* al een herinnering\. Een nieuwe kan vanaf"):
        consent_campaign_remind_group(campaign=campaign, group=group_5a, by=school_leader)
    assert len(reminder_mails()) == 1
    assert CampaignReminder.objects.count() == 1


def test_a_day_later_the_group_can_be_reminded_again(campaign_world, school_leader):
    campaign, group_5a, *_rest = campaign_world
    consent_campaign_remind_group(campaign=campaign, group=group_5a, by=school_leader)
    ConsentInvitation.objects.update(last_reminded_at=timezone.now() - REMIND_AGAIN_AFTER - timedelta(minutes=1))
    assert consent_campaign_remind_group(campaign=campaign, group=group_5a, by=school_leader) == 1
    assert len(reminder_mails()) == 2


def test_a_guardian_added_after_the_start_gets_the_invitation_itself(campaign_world, school_leader):
    campaign, group_5a, _group_6b, _silent, sem, _other = campaign_world
    late = UserFactory(email="nieuw@example.nl", password="")
    GuardianshipFactory(guardian=late, pupil=sem)
    assert consent_campaign_remind_group(campaign=campaign, group=group_5a, by=school_leader) == 2
    assert Notification.objects.filter(template="consent/email/invitation", email=late.email).exists()
    assert ConsentInvitation.objects.get(recipient=late).sent_at is not None


def test_remind_now_is_refused_for_a_closed_campaign_and_for_another_schools_leader(campaign_world, other_school):
    campaign, group_5a, *_rest = campaign_world
    other_leader = UserFactory(roles=[("school_leader", other_school)])
    with pytest.raises(ActionRefused):
        consent_campaign_remind_group(campaign=campaign, group=group_5a, by=other_leader)
    campaign.closes_at = timezone.now() - timedelta(minutes=1)
    campaign.save()
    with pytest.raises(ActionRefused, match="gesloten"):
        consent_campaign_remind_group(campaign=campaign, group=group_5a, by=campaign.started_by)
    assert not reminder_mails()


def test_the_hourly_reminder_skips_who_a_leader_just_reminded_and_is_logged(campaign_world, school_leader):
    campaign, group_5a, _group_6b, silent, _sem, other = campaign_world
    consent_campaign_remind_group(campaign=campaign, group=group_5a, by=school_leader)
    ConsentInvitation.objects.update(sent_at=timezone.now() - timedelta(days=8))
    reminded = consent_campaign_remind()
    assert reminded >= 1
    assert reminder_mails().count(silent.email) == 1  # not twice within a day
    assert other.email in reminder_mails()
    automatic = CampaignReminder.objects.get(sent_by=None)
    assert automatic.group is None and automatic.recipient_count == reminded


def test_dashboard_lists_unanswered_families_per_group_and_the_reminders_sent(campaign_world, school_leader, logged_in):
    campaign, group_5a, _group_6b, silent, sem, _other = campaign_world
    client = logged_in(school_leader)
    url = reverse("consent:campaign", args=[campaign.pk])
    response = client.post(reverse("consent:campaign_remind", args=[campaign.pk, group_5a.pk]), follow=True)
    page = response.content.decode()
    assert "Herinnering voor Groep 5a verstuurd aan 1 persoon." in page
    assert escape(sem.full_name) in page and escape(str(silent)) in page
    assert "Laatste herinnering voor deze groep" in page
    assert "Herinner nu" in page  # group 6b can still be reminded
    again = client.post(reverse("consent:campaign_remind", args=[campaign.pk, group_5a.pk]), follow=True)
    assert "al een herinnering" in again.content.decode()
    assert response.redirect_chain[-1][0].startswith(url)


def test_remind_now_of_another_schools_campaign_or_group_is_not_found(
    campaign_world, other_school, logged_in, school_leader
):
    campaign, group_5a, *_rest = campaign_world
    other_leader = UserFactory(roles=[("school_leader", other_school)])
    url = reverse("consent:campaign_remind", args=[campaign.pk, group_5a.pk])
    assert logged_in(other_leader).post(url).status_code == 404
    foreign_group = GroupFactory(school=other_school, school_year=current_school_year(), name="1x", grade=1)
    response = logged_in(school_leader).post(reverse("consent:campaign_remind", args=[campaign.pk, foreign_group.pk]))
    assert response.status_code == 404
    assert not reminder_mails()


# 11. Publications and takedowns for leaders ---------------------------------------------------------


def _consenting_pupil(group, first_name="Anna"):
    pupil = GuardianshipFactory(pupil=PupilFactory(school=group.school, group=group, first_name=first_name)).pupil
    consent_decide(
        decided_by=pupil.guardianships.get().guardian,
        form=current_form(),
        answers=all_yes(current_form()),
        method=Method.LOGGED_IN,
        pupil=pupil,
    )
    return pupil


@pytest.fixture
def publications_world(school, other_school, teacher):
    group = GroupFactory(school=school, grade=5, name="5a")
    group.teachers.add(teacher)
    other_group = GroupFactory(school=school, grade=6, name="6b")
    anna = _consenting_pupil(group, "Anna")
    bram = _consenting_pupil(other_group, "Bram")
    trip = publication_record(
        created_by=teacher,
        group=group,
        pupils=[anna, bram],
        purpose="website",
        medium="photo",
        description="Schoolreis naar Duinrell",
    )
    gym = publication_record(
        created_by=teacher, group=group, pupils=[anna], purpose="newsletter", medium="film", description="Gymles"
    )
    far_group = GroupFactory(school=other_school, grade=5, name="5z")
    far_teacher = UserFactory(roles=[("staff", other_school)])
    elsewhere = publication_record(
        created_by=far_teacher,
        group=far_group,
        pupils=[_consenting_pupil(far_group, "Cas")],
        purpose="website",
        medium="photo",
        description="Kerstviering elders",
    )
    return trip, gym, elsewhere, anna, bram, other_group


def test_leaders_see_the_publications_of_their_own_school_only(
    publications_world, school_leader, board_member, other_school
):
    trip, gym, elsewhere, *_rest = publications_world
    assert list(publications_for(user=school_leader)) == [gym, trip]
    assert set(publications_for(user=board_member)) == {trip, gym, elsewhere}
    other_leader = UserFactory(roles=[("school_leader", other_school)])
    assert list(publications_for(user=other_leader)) == [elsewhere]


def test_publications_are_filtered_by_channel_group_person_date_and_open_takedown(publications_world, school_leader):
    trip, gym, _elsewhere, anna, bram, other_group = publications_world
    assert list(publications_for(user=school_leader, purpose="newsletter")) == [gym]
    assert list(publications_for(user=school_leader, medium="photo")) == [trip]
    # The school trip has a pupil of 6b: it is found under 6b as well.
    assert list(publications_for(user=school_leader, group=other_group)) == [trip]
    assert list(publications_for(user=school_leader, person=bram.first_name)) == [trip]
    assert list(publications_for(user=school_leader, person=f"{anna.first_name} {anna.last_name}")) == [gym, trip]
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert list(publications_for(user=school_leader, published_from=tomorrow)) == []
    assert list(publications_for(user=school_leader, published_until=tomorrow)) == [gym, trip]
    consent_withdraw(decided_by=bram.guardianships.get().guardian, method=Method.LOGGED_IN, pupil=bram)
    assert list(publications_for(user=school_leader, open_takedown=True)) == [trip]


def test_publications_page_shows_where_when_and_who_and_keeps_a_bad_filter_with_a_message(
    publications_world, school_leader, logged_in
):
    _trip, _gym, _elsewhere, anna, bram, _other_group = publications_world
    client = logged_in(school_leader)
    page = client.get(reverse("consent:publications")).content.decode()
    assert "Schoolreis naar Duinrell" in page and "Kerstviering elders" not in page
    assert escape(bram.full_name) in page and "Groep 6b" in page and "Website van de school" in page
    response = client.get(
        reverse("consent:publications"),
        {"published_from": "2026-12-01", "published_until": "2026-01-01", "person": anna.first_name},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Deze datum ligt vóór de datum ‘vanaf’." in page
    assert f'value="{anna.first_name}"' in page  # what was typed stays
    assert client.get(reverse("consent:publications"), {"published_from": "gisteren"}).status_code == 200


def test_a_teacher_has_no_publications_page(publications_world, teacher, logged_in):
    assert logged_in(teacher).get(reverse("consent:publications")).status_code == 404


@pytest.fixture
def takedown_world(publications_world, teacher):
    _trip, gym, elsewhere, anna, bram, _other_group = publications_world
    consent_withdraw(decided_by=bram.guardianships.get().guardian, method=Method.LOGGED_IN, pupil=bram)
    consent_withdraw(decided_by=anna.guardianships.get().guardian, method=Method.LOGGED_IN, pupil=anna)
    cas = elsewhere.pupils.get()
    consent_withdraw(decided_by=cas.guardianships.get().guardian, method=Method.LOGGED_IN, pupil=cas)
    overdue = TakedownTask.objects.get(publication=gym)
    overdue.due_at = timezone.now() - timedelta(hours=1)
    overdue.save()
    return overdue


def test_leaders_see_every_takedown_of_their_school_overdue_first_not_only_the_publisher(
    takedown_world, school_leader, teacher
):
    tasks = list(takedown_tasks_for(user=school_leader))
    assert tasks[0] == takedown_world
    assert {task.publication.description for task in tasks} == {"Schoolreis naar Duinrell", "Gymles"}
    assert all(task.assigned_to == teacher for task in tasks)
    assert "Kerstviering elders" not in {task.publication.description for task in tasks}


def test_a_leader_confirms_a_takedown_for_an_absent_publisher_and_is_recorded_as_such(
    takedown_world, school_leader, other_school
):
    takedown_confirm(task=takedown_world, by=school_leader)
    takedown_world.refresh_from_db()
    assert takedown_world.done_at is not None and takedown_world.done_by == school_leader
    other_leader = UserFactory(roles=[("school_leader", other_school)])
    with pytest.raises(ActionRefused):
        takedown_confirm(task=TakedownTask.objects.filter(done_at__isnull=True).first(), by=other_leader)


def test_takedowns_page_marks_the_overdue_and_lets_the_leader_confirm(takedown_world, school_leader, logged_in):
    client = logged_in(school_leader)
    page = client.get(reverse("consent:takedowns")).content.decode()
    assert "1 verwijdertaak is te laat." in page
    assert page.index("Gymles") < page.index("Schoolreis naar Duinrell")
    response = client.post(reverse("consent:takedown_done", args=[takedown_world.pk]), follow=True)
    assert "Bevestigd" in response.content.decode()
    assert "bevestigd door" in response.content.decode()


def _bulk_publications(school, teacher, size: int) -> None:
    group = GroupFactory(school=school, grade=3, name=f"3-{size}")
    pupils = [_consenting_pupil(group, f"P{i}") for i in range(3)]
    for i in range(size):
        publication = Publication.objects.create(
            created_by=teacher,
            group=group,
            purpose="website",
            medium="photo",
            description=f"Foto {i}",
            published_at=timezone.now() - timedelta(minutes=i),
        )
        publication.pupils.set(pupils)
        publication.staff_members.set([teacher])
        TakedownTask.objects.create(
            publication=publication,
            pupil=pupils[0],
            assigned_to=teacher,
            created_at=timezone.now(),
            due_at=timezone.now() + timedelta(days=i - size // 2),
        )


@pytest.mark.parametrize("size", [3, 60])
def test_publications_and_takedowns_pages_query_counts_do_not_grow(
    school, teacher, school_leader, size, django_assert_num_queries, logged_in
):
    _bulk_publications(school, teacher, size)
    client = logged_in(school_leader)
    with django_assert_num_queries(15):
        assert client.get(reverse("consent:publications"), {"person": "P1"}).status_code == 200
    with django_assert_num_queries(10):
        assert client.get(reverse("consent:takedowns")).status_code == 200


# 14. The printable proof -------------------------------------------------------------------------------


def test_proof_page_says_in_plain_words_why_and_how_to_check_and_keeps_the_technical_values(parent, logged_in):
    pupil = parent.children.get()
    decision = consent_decide(decided_by=parent, form=current_form(), answers={}, method=Method.LOGGED_IN, pupil=pupil)
    page = logged_in(parent).get(reverse("consent:proof", args=[decision.pk])).content.decode()
    assert "Waarom deze persoon besliste" in page and "Controlegetal van de getoonde tekst" in page
    assert ">Grondslag<" not in page and "Hash" not in page
    assert decision.text_sha256 in page and "<code>guardian</code>" in page
    assert "Afdrukken of bewaren als pdf" in page and "consent/print.css" in page


# 15. The photo check of more groups ---------------------------------------------------------------------


def test_photo_check_takes_pupils_of_more_groups_of_the_school_and_records_them(
    publications_world, teacher, logged_in, other_school
):
    _trip, _gym, elsewhere, anna, bram, other_group = publications_world
    group = anna.group
    far_group = elsewhere.group
    client = logged_in(teacher)
    url = reverse("consent:photo_check", args=[group.pk])
    page = client.get(url).content.decode()
    assert escape(bram.full_name) not in page and "Hele school" in page
    query = f"?groups={other_group.pk}&groups={far_group.pk}"
    page = client.get(url + query).content.decode()
    assert escape(bram.full_name) in page and escape(anna.full_name) in page
    assert "Groep 5z" not in page  # another school's group cannot be added
    response = client.post(
        url + query,
        {
            "pupils": [anna.pk, bram.pk],
            "purpose": "website",
            "medium": "photo",
            "description": "Schoolfoto",
            "publish": "",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith(query)
    publication = Publication.objects.get(description="Schoolfoto")
    assert set(publication.pupils.all()) == {anna, bram}
    assert escape(bram.full_name) in client.get(url + "?groups=all").content.decode()


def test_a_pupil_of_a_group_not_chosen_cannot_be_posted_into_the_check(publications_world, teacher, logged_in):
    _trip, _gym, _elsewhere, anna, bram, _other_group = publications_world
    response = logged_in(teacher).post(
        reverse("consent:photo_check", args=[anna.group.pk]),
        {"pupils": [bram.pk], "purpose": "website", "medium": "photo", "check": ""},
    )
    assert response.status_code == 200
    assert (
        "geen geldige keuze" in response.content.decode() or "Selecteer een geldige keuze" in response.content.decode()
    )


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_remind_now_pressed_in_two_tabs_at_the_same_moment_sends_once(school, school_leader):
    """Two requests at once (PostgreSQL: the campaign row is locked while deciding): one reminds, the
    other is told the reminder just went."""
    import threading

    from django.db import connection

    from testing.services import require_service

    require_service(connection.vendor == "postgresql", "PostgreSQL")
    current_form()
    year = current_school_year()
    group = GroupFactory(school=school, school_year=year, grade=5, name="5a")
    for _ in range(3):
        GuardianshipFactory(pupil=PupilFactory(school=school, group=group), guardian=UserFactory(password=""))
    campaign = consent_campaign_start(school=school, school_year=year, started_by=school_leader)
    ConsentInvitation.objects.update(sent_at=timezone.now() - timedelta(days=3))
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def press() -> None:
        start.wait()
        try:
            outcomes.append(str(consent_campaign_remind_group(campaign=campaign, group=group, by=school_leader)))
        except ActionRefused as refused:
            outcomes.append(refused.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=press) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert "3" in outcomes and any("al een herinnering" in outcome for outcome in outcomes)
    assert Notification.objects.filter(template="consent/email/reminder").count() == 3
    assert CampaignReminder.objects.count() == 1
