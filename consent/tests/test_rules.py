"""The rules of consent the code enforces (protocol A.5; AVG art. 7 and 8).

Who decides for whom, at which age, is a table in test_access.py.
"""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.tests.factories import GuardianshipFactory, PupilFactory, UserFactory
from consent.constants import Basis, Method
from consent.models import ConsentDecision, ConsentForm
from consent.selectors import current_consent_for_pupil, current_consent_for_staff
from consent.services import consent_decide, consent_withdraw
from consent.tests.factories import all_yes, current_form

pytestmark = pytest.mark.django_db


def born_years_ago(years: int, days_later: int = 0) -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) + datetime.timedelta(days=days_later)


@pytest.fixture
def family(school):
    child = PupilFactory(school=school, date_of_birth=born_years_ago(9))
    mother = UserFactory(email="moeder@example.nl", password="")
    father = UserFactory(email="vader@example.nl", password="")
    GuardianshipFactory(guardian=mother, pupil=child)
    GuardianshipFactory(guardian=father, pupil=child)
    return child, mother, father


def decide(decider, child, answers, method=Method.LOGGED_IN):
    return consent_decide(decided_by=decider, form=current_form(), answers=answers, method=method, pupil=child)


def test_no_decision_means_no():
    child = PupilFactory()
    consent = current_consent_for_pupil(child)
    assert not consent.has_decision
    assert not consent.allows("website", "photo")


def test_what_a_guardian_did_not_tick_is_no(family):
    child, mother, _father = family
    decide(mother, child, {"website": {"photo": True}})
    consent = current_consent_for_pupil(child)
    assert consent.allows("website", "photo")
    assert not consent.allows("website", "film")
    assert not consent.allows("school_social_media", "photo")


def test_guardians_who_disagree_the_more_restrictive_answer_counts_and_the_overview_says_who(family):
    child, mother, father = family
    decide(mother, child, {"website": {"photo": True, "film": True}})
    decide(father, child, {"website": {"photo": True, "film": False}})
    consent = current_consent_for_pupil(child)
    assert consent.allows("website", "photo")
    assert not consent.allows("website", "film")
    assert consent.disagreements[("website", "film")] == [str(father)]


def test_one_guardians_answer_counts_while_the_other_has_not_decided(family):
    child, mother, _father = family
    decide(mother, child, {"newsletter": {"photo": True}})
    assert current_consent_for_pupil(child).allows("newsletter", "photo")


def test_the_newest_decision_of_a_guardian_replaces_their_older_one_without_overwriting_it(family):
    child, mother, _father = family
    decide(mother, child, {"website": {"photo": True}})
    decide(mother, child, {"website": {"photo": False}})
    assert not current_consent_for_pupil(child).allows("website", "photo")
    assert ConsentDecision.objects.filter(pupil=child).count() == 2


def test_withdrawal_takes_effect_at_once_and_keeps_the_history(family):
    child, mother, _father = family
    decide(mother, child, all_yes(current_form()))
    consent_withdraw(decided_by=mother, method=Method.LOGGED_IN, pupil=child)
    consent = current_consent_for_pupil(child)
    assert not any(consent.allows(p, m) for p in current_form().purpose_codes for m in current_form().medium_codes)
    assert list(ConsentDecision.objects.filter(pupil=child).values_list("is_withdrawal", flat=True)) == [True, False]


def test_a_former_guardians_decision_no_longer_counts(family):
    child, mother, _father = family
    decide(mother, child, {"website": {"photo": True}})
    child.guardianships.filter(guardian=mother).delete()
    assert not current_consent_for_pupil(child).allows("website", "photo")


def test_pupil_of_sixteen_decides_and_overrides_the_guardians(school):
    user = UserFactory(password="")
    pupil = PupilFactory(school=school, date_of_birth=born_years_ago(16), user=user)
    guardian = GuardianshipFactory(pupil=pupil, guardian=UserFactory(password="")).guardian
    ConsentDecision.objects.create(  # decided when the pupil was still 15
        pupil=pupil,
        decided_by=guardian,
        basis=Basis.GUARDIAN,
        method=Method.LOGGED_IN,
        form=current_form(),
        text_sha256=current_form().text_sha256(),
        answers={"website": {"photo": True}},
        decided_at=timezone.now() - datetime.timedelta(days=30),
    )
    # The guardians' answers stay in force until the pupil decides...
    assert current_consent_for_pupil(pupil).allows("website", "photo")
    decision = decide(user, pupil, {"website": {"photo": False}})
    assert decision.basis == Basis.PUPIL_SELF
    consent = current_consent_for_pupil(pupil)
    assert consent.decided_by_pupil
    assert not consent.allows("website", "photo")


def test_a_staff_members_own_decision_counts_for_them(school, teacher):
    decision = consent_decide(
        decided_by=teacher,
        form=current_form(),
        answers={"website": {"photo": True}},
        method=Method.LOGGED_IN,
        staff_member=teacher,
    )
    assert decision.basis == Basis.STAFF_SELF
    assert current_consent_for_staff(teacher).allows("website", "photo")


def test_decision_records_the_form_version_and_a_hash_of_the_exact_text_shown(family):
    child, mother, _father = family
    decision = decide(mother, child, {"website": {"photo": True}})
    assert decision.form.version == 1
    assert decision.text_sha256 == current_form().text_sha256()
    assert "Protocol Sociale Media, A.5" in current_form().text_shown()


def test_a_new_form_version_does_not_change_answers_given_under_the_old_one(family):
    child, mother, _father = family
    old = decide(mother, child, {"website": {"photo": True}})
    v1 = current_form()
    ConsentForm.objects.create(
        version=2,
        title=v1.title,
        introduction=v1.introduction + " Nieuw: het jaarboek.",
        exemptions=v1.exemptions,
        purposes=[*v1.purposes, {"code": "yearbook", "label": "Jaarboek", "explanation": "Het jaarboek."}],
        media=v1.media,
        published_at=timezone.now(),
    )
    consent = current_consent_for_pupil(child)
    assert consent.allows("website", "photo")
    assert not consent.allows("yearbook", "photo")  # asked only in v2: no until someone says yes
    old.refresh_from_db()
    assert old.form.version == 1


def test_paper_form_needs_who_entered_it_and_the_scan(family, teacher):
    child, mother, _father = family
    with pytest.raises(ValidationError):
        consent_decide(
            decided_by=mother, form=current_form(), answers={}, method=Method.PAPER, pupil=child, recorded_by=teacher
        )
    decision = consent_decide(
        decided_by=mother,
        form=current_form(),
        answers={"website": {"photo": True}},
        method=Method.PAPER,
        pupil=child,
        recorded_by=teacher,
        scan_name="scans/formulier-2026-001.pdf",
    )
    assert decision.recorded_by == teacher


def test_the_decider_gets_a_receipt_with_answers_time_version_and_a_link(family, django_capture_on_commit_callbacks):
    child, mother, _father = family
    with django_capture_on_commit_callbacks(execute=True):
        decide(mother, child, {"website": {"photo": True, "film": True}})
    (receipt,) = [m for m in mail.outbox if m.to == [mother.email]]
    assert "Website van de school: Foto, Film" in receipt.body
    assert "versie 1" in receipt.body
    assert "/consent/" in receipt.body
    assert child.full_name in receipt.body
