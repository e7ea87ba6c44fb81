"""The home page after logging in: each child's consent that applies now, the running campaign, one button."""

from __future__ import annotations

import pytest
from django.utils.html import escape

from accounts.models import current_school_year
from accounts.tests.factories import GuardianshipFactory, PupilFactory, UserFactory
from consent.campaigns import consent_campaign_start
from consent.constants import Method
from consent.services import consent_decide
from consent.tests.factories import current_form

pytestmark = pytest.mark.django_db


def test_parent_home_shows_each_childs_consent_and_the_unanswered_campaign(
    client, school, school_leader, django_capture_on_commit_callbacks
):
    parent = UserFactory(password="")
    anna = GuardianshipFactory(guardian=parent, pupil=PupilFactory(school=school, first_name="Anna")).pupil
    bram = GuardianshipFactory(guardian=parent, pupil=PupilFactory(school=school, first_name="Bram")).pupil
    consent_decide(
        decided_by=parent,
        form=current_form(),
        answers={"website": {"photo": True, "film": True}},
        method=Method.LOGGED_IN,
        pupil=anna,
    )
    with django_capture_on_commit_callbacks(execute=True):
        consent_campaign_start(school=school, school_year=current_school_year(), started_by=school_leader)
    client.force_login(parent)
    response = client.get("/")
    page = response.content.decode()
    assert escape(anna.full_name) in page and escape(bram.full_name) in page
    assert "Toestemming voor Website van de school: foto, film." in page
    assert "Nog geen keuze gemaakt" in page  # Bram
    assert f"{school.name} vraagt uw keuze voor schooljaar {current_school_year()}" in page
    assert page.count('href="/consent/"') >= 1 and "Toestemming bekijken of wijzigen" in page
    assert "no-store" in response["Cache-Control"]


def test_home_says_when_the_campaign_was_answered(client, school, school_leader, django_capture_on_commit_callbacks):
    parent = UserFactory(password="")
    anna = GuardianshipFactory(guardian=parent, pupil=PupilFactory(school=school, first_name="Anna")).pupil
    with django_capture_on_commit_callbacks(execute=True):
        consent_campaign_start(school=school, school_year=current_school_year(), started_by=school_leader)
        consent_decide(decided_by=parent, form=current_form(), answers={}, method=Method.LOGGED_IN, pupil=anna)
    client.force_login(parent)
    page = client.get("/").content.decode()
    assert "U antwoordde op" in page and "Geen toestemming" in page


def test_home_of_someone_without_children_or_consent_shows_no_consent_block(client, board_member, logged_in):
    page = logged_in(board_member).get("/").content.decode()
    assert 'data-testid="home-consent"' not in page


@pytest.mark.parametrize("children", [1, 4])
def test_home_query_count_does_not_grow_with_children(client, school, children, django_assert_num_queries):
    parent = UserFactory(password="")
    for _ in range(children):
        child = GuardianshipFactory(guardian=parent, pupil=PupilFactory(school=school)).pupil
        consent_decide(decided_by=parent, form=current_form(), answers={}, method=Method.LOGGED_IN, pupil=child)
    client.force_login(parent)
    # session, user, form, pupils + decisions + guardianships, invitations, nav (two), inbox count
    with django_assert_num_queries(11):  # + the menu: integrity officer? (cached after)
        assert client.get("/").status_code == 200
