"""The rules of consent/access.py as tables: a new case is a new row (protocol A.5; AVG art. 8)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from accounts.models import current_school_year
from accounts.tests.factories import GuardianshipFactory, PupilFactory, UserFactory
from common.refusals import ActionRefused
from consent import access
from consent.campaigns import consent_campaign_start
from consent.constants import Basis, Method
from consent.models import ConsentCampaign
from consent.services import consent_decide
from consent.tests.factories import current_form

pytestmark = pytest.mark.django_db


def born(days_after_sixteenth_birthday: int) -> datetime.date:
    """The date of birth of a pupil whose 16th birthday was that many days ago (negative: still to come)."""
    today = timezone.localdate()
    return today.replace(year=today.year - 16) - datetime.timedelta(days=days_after_sixteenth_birthday)


# (who decides, the pupil's 16th birthday that many days ago, the basis or the refusal's words)
WHO_DECIDES_FOR_A_PUPIL = [
    ("guardian", -7 * 365, Basis.GUARDIAN),
    ("guardian", -1, Basis.GUARDIAN),
    ("guardian", 0, "16 jaar of ouder en beslist nu zelf"),
    ("guardian", 1, "16 jaar of ouder en beslist nu zelf"),
    ("pupil", -1, "Onder de 16 jaar beslissen je ouders"),
    ("pupil", 0, Basis.PUPIL_SELF),
    ("pupil", 1, Basis.PUPIL_SELF),
    ("stranger", -1, "niet als ouder of verzorger"),
    ("stranger", 0, "16 jaar of ouder en beslist nu zelf"),
    ("teacher", -1, "niet als ouder of verzorger"),
]


@pytest.mark.parametrize(("who", "days", "expected"), WHO_DECIDES_FOR_A_PUPIL)
def test_who_decides_for_a_pupil_of_each_age(school, teacher, who, days, expected):
    pupil = PupilFactory(school=school, date_of_birth=born(days), user=UserFactory(password=""))
    guardian = GuardianshipFactory(pupil=pupil, guardian=UserFactory(password="")).guardian
    decider = {"guardian": guardian, "pupil": pupil.user, "stranger": UserFactory(password=""), "teacher": teacher}[who]
    decide = {"decided_by": decider, "form": current_form(), "answers": {}, "method": Method.LOGGED_IN, "pupil": pupil}
    if expected in Basis.values:
        assert consent_decide(**decide).basis == expected
    else:
        with pytest.raises(ActionRefused, match=expected):
            consent_decide(**decide)
    # The same rule, for many pupils and people at once: the campaign link and the paper form ask it.
    allowed = expected in Basis.values
    assert (pupil in access.pupils_decided_for_by(user=decider)) is allowed
    assert (decider in access.consent_deciders_for(pupil)) is allowed


# (who decides, for whose own photos: the basis or the refusal's words)
WHO_DECIDES_FOR_A_STAFF_MEMBER = [
    ("teacher", "teacher", Basis.STAFF_SELF),
    ("leader", "leader", Basis.STAFF_SELF),
    ("colleague", "teacher", "eigen foto's"),
    ("leader", "teacher", "eigen foto's"),
    ("parent", "parent", "eigen foto's"),
]


@pytest.mark.parametrize(("who", "whose", "expected"), WHO_DECIDES_FOR_A_STAFF_MEMBER)
def test_a_staff_member_decides_only_for_themselves(school, teacher, school_leader, parent, who, whose, expected):
    people = {
        "teacher": teacher,
        "leader": school_leader,
        "colleague": UserFactory(roles=[("staff", school)]),
        "parent": parent,
    }
    decide = {"form": current_form(), "answers": {}, "method": Method.LOGGED_IN}
    if expected in Basis.values:
        decision = consent_decide(decided_by=people[who], staff_member=people[whose], **decide)
        assert decision.basis == expected
    else:
        with pytest.raises(ActionRefused, match=expected):
            consent_decide(decided_by=people[who], staff_member=people[whose], **decide)


# (who tries to start the campaign of the school, allowed): DESIGN.md's roles, "school leader: consent
# campaigns of own school"; the board runs every school's. Never the back office.
WHO_STARTS_A_CAMPAIGN = [
    ("leader of the school", True),
    ("board", True),
    ("leader of another school", False),
    ("functional admin", False),
    ("teacher", False),
    ("council secretary", False),
    ("parent", False),
]


@pytest.mark.parametrize(("who", "allowed"), WHO_STARTS_A_CAMPAIGN)
def test_who_may_start_a_schools_consent_campaign(
    school, other_school, school_leader, board_member, teacher, council_secretary, parent, who, allowed
):
    current_form()
    person = {
        "leader of the school": school_leader,
        "board": board_member,
        "leader of another school": UserFactory(roles=[("school_leader", other_school)]),
        "functional admin": UserFactory(roles=[("functional_admin", None)]),
        "teacher": teacher,
        "council secretary": council_secretary,
        "parent": parent,
    }[who]
    assert access.may_run_campaign(user=person, school=school) is allowed
    assert (school in access.campaign_schools_for(user=person)) is allowed
    start = {"school": school, "school_year": current_school_year(), "started_by": person}
    if allowed:
        assert consent_campaign_start(**start).started_by == person
    else:
        with pytest.raises(ActionRefused, match="schoolleiding en het bestuur"):
            consent_campaign_start(**start)
        assert not ConsentCampaign.objects.exists()
