from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape

from accounts.tests.factories import GuardianshipFactory, PupilFactory, UserFactory
from consent.constants import Method
from consent.models import ConsentDecision
from consent.services import consent_decide
from consent.tests.factories import current_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_families(school):
    own_parent = UserFactory(email="ouder@example.nl", password="")
    own_child = GuardianshipFactory(guardian=own_parent, pupil=PupilFactory(school=school, first_name="Noor")).pupil
    other_parent = UserFactory(email="buren@example.nl", password="")
    other_child = GuardianshipFactory(guardian=other_parent, pupil=PupilFactory(school=school, first_name="Bram")).pupil
    return own_parent, own_child, other_parent, other_child


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(reverse("consent:overview"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_guardian_sees_own_children_and_never_another_familys(client, two_families):
    own_parent, own_child, _other_parent, other_child = two_families
    client.force_login(own_parent)
    page = client.get(reverse("consent:overview")).content.decode()
    assert escape(own_child.full_name) in page  # escaped: Faker's Dutch names include "van 't Riet"
    assert escape(other_child.full_name) not in page


def test_deciding_for_another_familys_child_is_404_and_records_nothing(client, two_families):
    own_parent, _own_child, _other_parent, other_child = two_families
    client.force_login(own_parent)
    response = client.post(reverse("consent:decide_pupil", args=[other_child.pk]), {"website__photo": "on"})
    assert response.status_code == 404
    assert not ConsentDecision.objects.exists()


def test_ticking_boxes_records_exactly_those_answers(client, two_families):
    own_parent, own_child, _other_parent, _other_child = two_families
    client.force_login(own_parent)
    response = client.post(
        reverse("consent:decide_pupil", args=[own_child.pk]),
        {"website__photo": "on", "newsletter__film": "on"},
        follow=True,
    )
    assert "Uw keuze is opgeslagen" in response.content.decode()
    decision = ConsentDecision.objects.get(pupil=own_child)
    assert decision.method == Method.LOGGED_IN
    assert decision.allows("website", "photo") and decision.allows("newsletter", "film")
    assert not decision.allows("website", "film")


def test_withdrawing_is_one_action_on_the_same_page(client, two_families):
    own_parent, own_child, _other_parent, _other_child = two_families
    client.force_login(own_parent)
    client.post(reverse("consent:decide_pupil", args=[own_child.pk]), {"website__photo": "on"})
    page = client.get(reverse("consent:overview")).content.decode()
    assert f'name="withdraw" value="p{own_child.pk}"' in page
    seen = ConsentDecision.objects.get(pupil=own_child).pk
    response = client.post(
        reverse("consent:overview"), {"withdraw": f"p{own_child.pk}", f"p{own_child.pk}-seen": seen}, follow=True
    )
    assert "ingetrokken" in response.content.decode()
    assert ConsentDecision.objects.filter(pupil=own_child).latest("decided_at").is_withdrawal


def test_proof_shows_who_when_basis_text_and_answers_only_to_those_involved(client, two_families):
    own_parent, own_child, other_parent, _other_child = two_families
    decision = consent_decide(
        decided_by=own_parent,
        form=current_form(),
        answers={"website": {"photo": True}},
        method=Method.LOGGED_IN,
        pupil=own_child,
    )
    client.force_login(own_parent)
    page = client.get(reverse("consent:proof", args=[decision.pk])).content.decode()
    assert decision.text_sha256 in page
    assert "Ouder/verzorger van een leerling jonger dan 16" in page
    assert "Protocol Sociale Media, A.5" in page
    client.force_login(other_parent)
    assert client.get(reverse("consent:proof", args=[decision.pk])).status_code == 404


@pytest.mark.parametrize("children", [1, 4])
def test_overview_query_count_does_not_grow_with_children(client, school, children, django_assert_num_queries):
    parent = UserFactory(password="")
    for _ in range(children):
        child = GuardianshipFactory(guardian=parent, pupil=PupilFactory(school=school)).pupil
        consent_decide(decided_by=parent, form=current_form(), answers={}, method=Method.LOGGED_IN, pupil=child)
    client.force_login(parent)
    # session, user, device check, roles, form, pupils + decisions + guardianships, nav, inbox count
    with django_assert_num_queries(11):  # + the menu: integrity officer? (cached after)
        assert client.get(reverse("consent:overview")).status_code == 200
