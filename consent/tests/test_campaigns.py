"""The yearly campaign: who is invited, the link that works all school year, reminders and the response rate."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.models import current_school_year
from accounts.tests.factories import GroupFactory, GuardianshipFactory, PupilFactory, UserFactory
from common.refusals import ActionRefused
from consent.campaigns import (
    consent_campaign_remind,
    consent_campaign_remind_group,
    consent_campaign_start,
    invitation_token,
)
from consent.constants import Method
from consent.models import ConsentDecision, ConsentInvitation
from consent.selectors import current_consent_for_pupil

pytestmark = pytest.mark.django_db

INVITATION = "/consent/invitation/"  # the page an e-mailed link leads to, its secret in a cookie


def seen(*subjects) -> dict[str, str]:
    """The hidden fields of a consent page that showed these cards and nothing saved for them yet."""
    return {f"p{subject.pk}-seen": "0" for subject in subjects}


def links_for(email: str) -> list[str]:
    found = []
    for message in mail.outbox:
        if message.to == [email]:
            found += re.findall(r"/consent/invitation/[^/\s]+/", message.body)
    return found


@pytest.fixture
def families(school, other_school):
    group = GroupFactory(school=school, grade=5, name="5a")
    parent = UserFactory(email="ouder@example.nl", password="")
    children = [
        GuardianshipFactory(guardian=parent, pupil=PupilFactory(school=school, group=group, first_name=name)).pupil
        for name in ("Noor", "Sem")
    ]
    elsewhere = UserFactory(email="elders@example.nl", password="")
    GuardianshipFactory(guardian=elsewhere, pupil=PupilFactory(school=other_school))
    return parent, children, elsewhere, group


@pytest.fixture
def started(families, school, school_leader, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        campaign = consent_campaign_start(school=school, school_year=current_school_year(), started_by=school_leader)
    return campaign


def test_campaign_invites_guardians_staff_and_pupils_of_sixteen_of_that_school_only(
    families, school, school_leader, teacher, django_capture_on_commit_callbacks
):
    parent, _children, elsewhere, _group = families
    pupil_user = UserFactory(password="")
    sixteen = PupilFactory(school=school, user=pupil_user, sixteen_plus=True)
    GuardianshipFactory(pupil=sixteen, guardian=UserFactory(email="ouder-van-16@example.nl", password=""))
    with django_capture_on_commit_callbacks(execute=True):
        consent_campaign_start(school=school, school_year=current_school_year(), started_by=school_leader)
    invited = set(ConsentInvitation.objects.values_list("recipient__email", flat=True))
    assert invited == {parent.email, school_leader.email, teacher.email, pupil_user.email}
    assert elsewhere.email not in invited
    assert len(links_for(parent.email)) == 1  # one e-mail per person, however many children


def test_a_second_campaign_in_the_same_year_is_refused_with_a_clear_message(started, school, school_leader):
    with pytest.raises(ActionRefused, match=r"loopt .* al een campagne"):
        consent_campaign_start(school=school, school_year=current_school_year(), started_by=school_leader)


def test_the_link_shows_only_the_guardians_own_children_and_records_their_answers(client, started, families):
    parent, (noor, sem), _elsewhere, _group = families
    stranger = PupilFactory(school=noor.school, first_name="Vreemd")
    (link,) = links_for(parent.email)
    page = client.get(link, follow=True).content.decode()
    # Escaped as the page writes them: Faker's Dutch names include "van 't Riet".
    assert escape(noor.full_name) in page and escape(sem.full_name) in page
    assert escape(stranger.full_name) not in page
    response = client.post(
        INVITATION, {f"p{noor.pk}-website__photo": "on", f"p{sem.pk}-newsletter__film": "on", **seen(noor, sem)}
    )
    assert response.status_code == 302
    assert "Opgeslagen voor Noor en Sem" in client.get(INVITATION).content.decode()
    assert current_consent_for_pupil(noor).allows("website", "photo")
    assert not current_consent_for_pupil(noor).allows("newsletter", "film")
    assert current_consent_for_pupil(sem).allows("newsletter", "film")
    assert set(ConsentDecision.objects.values_list("method", flat=True)) == {Method.LINK}
    assert ConsentInvitation.objects.get(recipient=parent).responded_at is not None


def test_the_link_changes_and_withdraws_all_school_year_without_logging_in(client, started, families):
    parent, (noor, sem), _elsewhere, _group = families
    (link,) = links_for(parent.email)
    client.get(link)
    client.post(INVITATION, {f"p{noor.pk}-website__photo": "on", f"p{sem.pk}-website__photo": "on", **seen(noor, sem)})
    assert started.closes_at.month == 8 and started.closes_at.day == 1  # the end of the school year

    # Months later, the same e-mailed link: the page shows what was saved, and changes it.
    client.cookies.clear()
    page = client.get(link, follow=True)
    assert page.status_code == 200
    noor_seen = ConsentDecision.objects.filter(pupil=noor).latest("decided_at").pk
    sem_seen = ConsentDecision.objects.filter(pupil=sem).latest("decided_at").pk
    assert f'name="p{noor.pk}-seen" value="{noor_seen}"' in page.content.decode()
    client.post(
        INVITATION, {f"p{noor.pk}-seen": noor_seen, f"p{sem.pk}-seen": sem_seen, f"p{sem.pk}-website__photo": "on"}
    )
    assert not current_consent_for_pupil(noor).allows("website", "photo")
    assert current_consent_for_pupil(sem).allows("website", "photo")

    # Withdrawing one child through the link keeps the other child's consent.
    sem_seen = ConsentDecision.objects.filter(pupil=sem).latest("decided_at").pk
    noor_seen = ConsentDecision.objects.filter(pupil=noor).latest("decided_at").pk
    response = client.post(
        INVITATION,
        {
            "withdraw": f"p{sem.pk}",
            f"p{noor.pk}-seen": noor_seen,
            f"p{sem.pk}-seen": sem_seen,
            f"p{sem.pk}-website__photo": "on",
        },
    )
    assert response.status_code == 302
    assert not current_consent_for_pupil(sem).allows("website", "photo")
    assert ConsentDecision.objects.filter(pupil=sem).latest("decided_at").is_withdrawal


def test_a_tampered_link_is_refused(client, started, families):
    parent, _children, _elsewhere, _group = families
    (link,) = links_for(parent.email)
    response = client.get(link[:-5] + "xxxx/", follow=True)
    assert response.status_code == 410
    assert "klopt niet" in response.content.decode()


def test_an_expired_link_is_refused(client, started, families):
    parent, _children, _elsewhere, _group = families
    (link,) = links_for(parent.email)
    started.closes_at = timezone.now() - timedelta(minutes=1)
    started.save()
    response = client.get(link, follow=True)
    assert response.status_code == 410
    assert "verlopen" in response.content.decode()


def test_reminders_go_after_7_and_14_days_to_those_who_have_not_answered(
    client, started, families, school_leader, django_capture_on_commit_callbacks
):
    parent, _children, _elsewhere, _group = families
    ConsentInvitation.objects.filter(recipient=school_leader).update(responded_at=timezone.now())
    sent = ConsentInvitation.objects.get(recipient=parent).sent_at
    (first_link,) = links_for(parent.email)
    with django_capture_on_commit_callbacks(execute=True):
        assert consent_campaign_remind(now=sent + timedelta(days=6)) == 0
        reminded = consent_campaign_remind(now=sent + timedelta(days=7, minutes=1))
    assert reminded >= 1
    assert not links_for(school_leader.email)[1:]  # answered: no reminder
    second_link = links_for(parent.email)[-1]
    assert second_link == first_link  # the reminder carries the invitation's own link
    assert client.get(first_link, follow=True).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert consent_campaign_remind(now=sent + timedelta(days=8)) == 0
        consent_campaign_remind(now=sent + timedelta(days=14, minutes=1))
        consent_campaign_remind(now=sent + timedelta(days=30))
    assert ConsentInvitation.objects.get(recipient=parent).reminders_sent == 2


def test_leader_sees_the_response_rate_per_group(client, started, families, school_leader, logged_in):
    parent, children, _elsewhere, _group = families
    (link,) = links_for(parent.email)
    client.get(link)
    client.post(INVITATION, seen(*children))  # nothing ticked is an answer too: no
    page = logged_in(school_leader).get(reverse("consent:campaign", args=[started.pk])).content.decode()
    assert "Voor 2 van de 2 leerlingen is geantwoord (100%)" in page


def test_another_schools_leader_cannot_open_the_campaign(started, other_school, logged_in):
    leader = UserFactory(roles=[("school_leader", other_school)])
    assert logged_in(leader).get(reverse("consent:campaign", args=[started.pk])).status_code == 404


@pytest.mark.parametrize("pupils_per_group", [3, 30])
def test_dashboard_query_count_does_not_grow_with_pupils(
    client,
    school,
    school_leader,
    pupils_per_group,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
    logged_in,
):
    for name in ("3a", "5b", "8c"):
        group = GroupFactory(school=school, name=name, grade=int(name[0]))
        for _ in range(pupils_per_group):
            GuardianshipFactory(pupil=PupilFactory(school=school, group=group), guardian=UserFactory(password=""))
    with django_capture_on_commit_callbacks(execute=True):
        campaign = consent_campaign_start(school=school, school_year=current_school_year(), started_by=school_leader)
    logged_in(school_leader)
    with django_assert_num_queries(13):
        assert client.get(reverse("consent:campaign", args=[campaign.pk])).status_code == 200


def test_a_campaign_started_with_the_broker_down_is_sent_once_it_is_back(
    families, school, school_leader, django_capture_on_commit_callbacks
):
    from consent.campaigns import consent_campaign_resume
    from consent.models import ConsentInvitation
    from testing.celery_worker import CeleryPublishing

    parent, _children, _elsewhere, _group = families
    publishing = CeleryPublishing()
    publishing.point_at("redis://127.0.0.1:1/0", "nobody-listens")  # a broker that is down
    try:
        with django_capture_on_commit_callbacks(execute=True):
            campaign = consent_campaign_start(
                school=school, school_year=current_school_year(), started_by=school_leader
            )
    finally:
        publishing.restore()
    invitations = ConsentInvitation.objects.filter(campaign=campaign)
    assert invitations.exists() and not invitations.filter(sent_at__isnull=False).exists()
    assert consent_campaign_resume(now=campaign.started_at + timedelta(minutes=1)) == 0  # still young

    with django_capture_on_commit_callbacks(execute=True):
        assert consent_campaign_resume(now=campaign.started_at + timedelta(minutes=6)) == 1
    assert not invitations.filter(sent_at__isnull=True).exists()
    assert links_for(parent.email)
    assert consent_campaign_resume(now=campaign.started_at + timedelta(minutes=12)) == 0  # nothing twice


# One link for the campaign's life (issue 15 item 7) ------------------------------------------------


def test_the_first_emails_link_still_saves_and_withdraws_after_two_reminders(
    client, started, families, school_leader, django_capture_on_commit_callbacks
):
    parent, (noor, sem), _elsewhere, group = families
    (first_link,) = links_for(parent.email)
    now = timezone.now()
    ConsentInvitation.objects.filter(recipient=parent).update(sent_at=now - timedelta(days=15))
    with django_capture_on_commit_callbacks(execute=True):
        assert consent_campaign_remind(now=now - timedelta(days=8)) >= 1  # the automatic reminder
        assert consent_campaign_remind_group(campaign=started, group=group, by=school_leader) == 1  # "herinner nu"
    assert ConsentInvitation.objects.get(recipient=parent).reminders_sent == 2
    assert links_for(parent.email) == [first_link] * 3  # invitation and both reminders: one link

    # The parent opens the first e-mail, saves, and later withdraws one child through it.
    client.get(first_link)
    client.post(INVITATION, {f"p{noor.pk}-website__photo": "on", f"p{sem.pk}-website__photo": "on", **seen(noor, sem)})
    assert current_consent_for_pupil(noor).allows("website", "photo")
    assert current_consent_for_pupil(sem).allows("website", "photo")
    client.cookies.clear()
    assert client.get(first_link, follow=True).status_code == 200
    noor_seen = ConsentDecision.objects.filter(pupil=noor).latest("decided_at").pk
    sem_seen = ConsentDecision.objects.filter(pupil=sem).latest("decided_at").pk
    response = client.post(
        INVITATION,
        {
            "withdraw": f"p{sem.pk}",
            f"p{noor.pk}-seen": noor_seen,
            f"p{sem.pk}-seen": sem_seen,
            f"p{noor.pk}-website__photo": "on",
            f"p{sem.pk}-website__photo": "on",
        },
    )
    assert response.status_code == 302
    assert ConsentDecision.objects.filter(pupil=sem).latest("decided_at").is_withdrawal
    assert current_consent_for_pupil(noor).allows("website", "photo")

    # At the campaign's end the same link stops working.
    started.closes_at = timezone.now() - timedelta(minutes=1)
    started.save(update_fields=["closes_at"])
    client.cookies.clear()
    response = client.get(first_link, follow=True)
    assert response.status_code == 410 and "verlopen" in response.content.decode()


def test_a_database_row_alone_does_not_give_the_link(started, families, settings):
    parent, _children, _elsewhere, _group = families
    (link,) = links_for(parent.email)
    token = link.rstrip("/").rsplit("/", 1)[1]
    invitation = ConsentInvitation.objects.get(recipient=parent)
    assert invitation.token_salt and invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {invitation.token_salt, invitation.token_hash}
    assert invitation_token(ConsentInvitation.objects.get(pk=invitation.pk)) == token  # derived, the same again
    # Everything in the row, under another key, gives another token: the key is what makes the link.
    settings.SECRET_KEY = "a-different-secret-key-for-this-test-only"
    assert invitation_token(ConsentInvitation.objects.get(pk=invitation.pk)) != token


def test_rotating_the_secret_key_keeps_mailed_links_while_the_old_key_is_a_fallback(
    client, started, families, settings, django_capture_on_commit_callbacks
):
    parent, _children, _elsewhere, _group = families
    (link,) = links_for(parent.email)
    sent = ConsentInvitation.objects.get(recipient=parent).sent_at
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "the-rotated-secret-key-for-this-test-only"
    with django_capture_on_commit_callbacks(execute=True):
        consent_campaign_remind(now=sent + timedelta(days=7, minutes=1))
    assert links_for(parent.email)[-1] == link
    # Once the old key is dropped, the next e-mail carries a link under the new key (the old one stops).
    settings.SECRET_KEY_FALLBACKS = []
    with django_capture_on_commit_callbacks(execute=True):
        consent_campaign_remind(now=sent + timedelta(days=14, minutes=1))
    new_link = links_for(parent.email)[-1]
    assert new_link != link
    assert client.get(link, follow=True).status_code == 410
    assert client.get(new_link, follow=True).status_code == 200


def test_an_invitation_mailed_before_links_were_derived_keeps_its_link_until_the_next_email(
    client, started, families, django_capture_on_commit_callbacks
):
    parent, _children, _elsewhere, _group = families
    old_token = "an-old-random-token-mailed-before-this-change"
    ConsentInvitation.objects.filter(recipient=parent).update(
        token_salt="", token_hash=hashlib.sha256(old_token.encode()).hexdigest()
    )
    old_link = f"{INVITATION}{old_token}/"
    assert client.get(old_link, follow=True).status_code == 200
    sent = ConsentInvitation.objects.get(recipient=parent).sent_at
    with django_capture_on_commit_callbacks(execute=True):
        consent_campaign_remind(now=sent + timedelta(days=7, minutes=1))
        consent_campaign_remind(now=sent + timedelta(days=14, minutes=1))
    first_reminder, second_reminder = links_for(parent.email)[-2:]
    assert first_reminder == second_reminder != old_link  # from the first reminder on, one link
    assert ConsentInvitation.objects.get(recipient=parent).token_salt
    client.cookies.clear()
    assert client.get(old_link, follow=True).status_code == 410
    assert client.get(first_reminder, follow=True).status_code == 200
