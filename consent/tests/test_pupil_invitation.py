"""A pupil of 16+ without a login: the school sends an invitation so the pupil decides (AVG art. 8)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import current_school_year
from accounts.tests.factories import GuardianshipFactory, PupilFactory, UserFactory
from consent.campaigns import consent_campaign_start, consent_pupil_invite
from consent.models import AgeOfConsentNotice, ConsentDecision
from consent.selectors import current_consent_for_pupil
from consent.services import consent_decide
from consent.tests.factories import current_form

pytestmark = pytest.mark.django_db

SIXTEEN = "/consent/sixteen/"


@pytest.fixture
def lotte(school):
    mother = UserFactory(email="moeder@example.nl", password="", first_name="Ans")
    pupil = PupilFactory(school=school, first_name="Lotte")
    GuardianshipFactory(guardian=mother, pupil=pupil)
    consent_decide(
        decided_by=mother, form=current_form(), answers={"website": {"photo": True}}, method="logged_in", pupil=pupil
    )
    # Then she turned 16.
    pupil.date_of_birth = PupilFactory.build(sixteen_plus=True).date_of_birth
    pupil.save(update_fields=["date_of_birth"])
    return pupil


def invite(client, pupil, email=""):
    return client.post(reverse("consent:pupil_invite", args=[pupil.pk]), {f"p{pupil.pk}-email": email})


def test_leader_invites_a_pupil_without_login_who_then_decides_through_the_link(
    client, school, school_leader, lotte, logged_in, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        consent_campaign_start(school=school, school_year=current_school_year(), started_by=school_leader)
    mail.outbox.clear()
    logged_in(school_leader)
    page = client.get(SIXTEEN).content.decode()
    assert "Lotte uitnodigen" in page and "geen login" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, lotte, "Lotte@Example.nl ")
    assert response.status_code == 302
    lotte.refresh_from_db()
    assert lotte.user.email == "lotte@example.nl" and not lotte.user.has_usable_password()
    notice = AgeOfConsentNotice.objects.get(pupil=lotte)
    assert notice.pupil_invited_at is not None and notice.pupil_invited_by == school_leader
    to_pupil = [m for m in mail.outbox if m.to == ["lotte@example.nl"]]
    to_mother = [m for m in mail.outbox if m.to == ["moeder@example.nl"]]
    assert len(to_pupil) == 1 and len(to_mother) == 1
    assert "Lotte beslist nu zelf" in to_mother[0].subject
    link = re.search(r"/consent/invitation/[^/\s]+/", to_pupil[0].body).group(0)

    # The mother sees that Lotte decides now, and that her own answer counts until then.
    mother = lotte.guardians.get()
    client.force_login(mother)
    page = client.get("/consent/").content.decode()
    assert "De school heeft Lotte op" in page and "uitgenodigd om te kiezen" in page
    assert 'name="withdraw"' not in page  # the mother no longer decides

    # Lotte decides, without logging in.
    client.logout()
    client.get(link)
    client.post("/consent/invitation/", {f"p{lotte.pk}-seen": "0"})
    own = ConsentDecision.objects.filter(pupil=lotte, basis="pupil_self").get()
    assert own.method == "link"
    assert not current_consent_for_pupil(lotte).allows("website", "photo")  # her no counts now

    client.force_login(mother)
    page = client.get("/consent/").content.decode()
    assert "geldt de keuze van Lotte" in page
    assert "beslist zelf" in client.get("/").content.decode()


def test_inviting_a_pupil_again_mails_the_same_link(school, school_leader, lotte, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        consent_campaign_start(school=school, school_year=current_school_year(), started_by=school_leader)
        consent_pupil_invite(pupil=lotte, by=school_leader, email="lotte@example.nl")
        consent_pupil_invite(pupil=lotte, by=school_leader)  # asked again: the same link
    bodies = [m.body for m in mail.outbox if m.to == ["lotte@example.nl"]]
    links = [re.search(r"/consent/invitation/[^/\s]+/", body).group(0) for body in bodies]
    assert len(links) == 2 and links[0] == links[1]


def test_without_a_running_campaign_the_pupil_is_sent_to_ask_for_a_login_link(
    client, school_leader, lotte, logged_in, django_capture_on_commit_callbacks
):
    logged_in(school_leader)
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, lotte, "lotte@example.nl")
    (message,) = [m for m in mail.outbox if m.to == ["lotte@example.nl"]]
    assert "/accounts/login/link/" in message.body


def test_a_parents_address_is_refused_and_nothing_is_created(client, school_leader, lotte, logged_in):
    logged_in(school_leader)
    response = invite(client, lotte, "moeder@example.nl")
    page = response.content.decode()
    assert response.status_code == 400
    assert "hoort al bij een ander account" in page
    assert 'value="moeder@example.nl"' in page  # what was typed stays
    lotte.refresh_from_db()
    assert lotte.user is None and not AgeOfConsentNotice.objects.exists() and not mail.outbox


def test_an_address_is_needed_for_a_pupil_without_login(client, school_leader, lotte, logged_in):
    logged_in(school_leader)
    response = invite(client, lotte, "")
    assert response.status_code == 400
    assert "Vul het eigen e-mailadres van de leerling in" in response.content.decode()


def test_pupils_under_sixteen_and_of_other_schools_cannot_be_invited(
    client, school, other_school, school_leader, lotte, logged_in
):
    younger = PupilFactory(school=school, first_name="Jip")
    elsewhere = PupilFactory(school=other_school, sixteen_plus=True)
    logged_in(school_leader)
    page = client.get(SIXTEEN).content.decode()
    assert "Jip" not in page
    assert invite(client, younger, "jip@example.nl").status_code == 404
    assert invite(client, elsewhere, "elders@example.nl").status_code == 404
    other_leader = UserFactory(roles=[("school_leader", other_school)])
    logged_in(other_leader)
    assert invite(client, lotte, "lotte@example.nl").status_code == 404


@pytest.mark.parametrize("pupils", [2, 8])
def test_the_list_query_count_does_not_grow_with_pupils(
    client, school, school_leader, pupils, logged_in, django_assert_num_queries
):
    for _ in range(pupils):
        pupil = PupilFactory(school=school, sixteen_plus=True)
        GuardianshipFactory(pupil=pupil)
    logged_in(school_leader)
    client.get(SIXTEEN)
    with django_assert_num_queries(8):
        assert client.get(SIXTEEN).status_code == 200
