"""Consent decisions and takedown tasks under the board's retention terms (retention kinds)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from accounts.models import Pupil
from accounts.tests.factories import GroupFactory, PupilFactory
from consent.constants import Basis, Method
from consent.models import ConsentDecision, Publication
from consent.tests.factories import all_yes, current_form
from retention.models import DeletionLog
from retention.services import retention_purge

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _decision(pupil, by):
    form = current_form()
    return ConsentDecision.objects.create(
        pupil=pupil,
        decided_by=by,
        basis=Basis.GUARDIAN,
        method=Method.LINK,
        form=form,
        text_sha256="0" * 64,
        answers=all_yes(form),
        decided_at=timezone.now() - 3 * 365 * DAY,
    )


def test_decisions_go_a_year_after_the_pupil_left_unless_a_publication_relies_on_them(school, parent, teacher):
    left_long_ago = PupilFactory(school=school, left_on=timezone.localdate() - 400 * DAY)
    published = PupilFactory(school=school, left_on=timezone.localdate() - 400 * DAY)
    left_lately = PupilFactory(school=school, left_on=timezone.localdate() - 100 * DAY)
    staying = PupilFactory(school=school)
    decisions = {
        name: _decision(pupil, parent)
        for name, pupil in (
            ("gone", left_long_ago),
            ("published", published),
            ("lately", left_lately),
            ("staying", staying),
        )
    }
    publication = Publication.objects.create(
        created_by=teacher,
        group=GroupFactory(school=school),
        purpose="website",
        medium="photo",
        description="Schoolreis",
        published_at=timezone.now() - 2 * 365 * DAY,
    )
    publication.pupils.add(published)

    logs = retention_purge()

    assert set(ConsentDecision.objects.values_list("pk", flat=True)) == {
        decisions[name].pk for name in ("published", "lately", "staying")
    }
    # Once its decision went, nothing points to the pupil who left long ago: the pupil goes too.
    assert [(log.kind, log.count, log.days) for log in logs] == [("consent_decision", 1, 365), ("pupil", 1, 365)]
    assert DeletionLog.objects.count() == 2
    assert not Pupil.objects.filter(pk=left_long_ago.pk).exists() and Pupil.objects.filter(pk=published.pk).exists()


def test_a_campaign_goes_a_year_after_its_school_year_ended_and_its_decisions_stay(school, school_leader, parent):
    from consent.models import ConsentCampaign, ConsentInvitation

    pupil = PupilFactory(school=school)
    decision = _decision(pupil, parent)
    now = timezone.now()
    old = ConsentCampaign.objects.create(
        school=school,
        school_year="2024-2025",
        form=current_form(),
        started_by=school_leader,
        started_at=now - 800 * DAY,
        closes_at=now - 400 * DAY,
    )
    ConsentInvitation.objects.create(campaign=old, recipient=parent)
    recent = ConsentCampaign.objects.create(
        school=school,
        school_year="2025-2026",
        form=current_form(),
        started_by=school_leader,
        started_at=now - 400 * DAY,
        closes_at=now - 100 * DAY,
    )
    logs = retention_purge()
    assert [(log.kind, log.count) for log in logs] == [("consent_campaign", 1)]
    assert list(ConsentCampaign.objects.all()) == [recent]
    assert not ConsentInvitation.objects.exists()
    assert ConsentDecision.objects.filter(pk=decision.pk).exists()
