"""A finished complaint (decided by the board or resolved) goes two years after that step (the
board's term for "complaint"): its history and its data key with it; a younger finished complaint
and an open one stay; the deletion log counts without content; the board's page shows the kind and
its legal source."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from common import vault
from common.refusals import ActionRefused
from complaints.constants import Step
from complaints.models import Complaint, ComplaintEntry
from complaints.retention_kinds import COMPLAINT_KIND
from retention import services
from retention.models import DeletionLog

from .factories import complaint

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _finished(item: Complaint, *, step: str, days_ago: int) -> Complaint:
    """The step recorded ``days_ago`` days ago, as the services would have (filing long before)."""
    at = timezone.now() - days_ago * DAY
    Complaint.objects.filter(pk=item.pk).update(step=step, filed_at=at - 30 * DAY)
    ComplaintEntry.objects.filter(complaint=item).update(at=at - 30 * DAY)
    ComplaintEntry.objects.create(complaint=item, step=step, note="Besproken en afgerond.", at=at)
    return Complaint.objects.get(pk=item.pk)


def test_a_finished_complaint_past_its_term_goes_with_its_history_and_key_the_younger_and_open_ones_stay(
    school, parent, django_capture_on_commit_callbacks
):
    resolved = _finished(
        complaint(complainant=parent, school=school, description="Geheime klacht"), step=Step.RESOLVED, days_ago=731
    )
    decided = _finished(complaint(complainant=parent, school=school), step=Step.DECIDED, days_ago=800)
    young = _finished(complaint(complainant=parent, school=school), step=Step.RESOLVED, days_ago=700)
    still_open = complaint(complainant=parent, school=school, days_ago=1000)
    ComplaintEntry.objects.filter(complaint=still_open).update(at=timezone.now() - 1000 * DAY)

    with django_capture_on_commit_callbacks(execute=True):
        logs = services.retention_purge()

    assert [(log.kind, log.count, log.days) for log in logs] == [(COMPLAINT_KIND, 2, 730)]
    for gone in (resolved, decided):
        assert not Complaint.objects.filter(pk=gone.pk).exists()
        assert not ComplaintEntry.objects.filter(complaint_id=gone.pk).exists()
        assert not vault.data_key_exists(gone.data_key)
    for kept in (young, still_open):
        item = Complaint.objects.get(pk=kept.pk)
        assert vault.data_key_exists(item.data_key)
        assert item.description == "De school heeft ons niet op tijd ingelicht."
    log = DeletionLog.objects.get()
    assert {field.name for field in DeletionLog._meta.concrete_fields} <= {"id", "kind", "count", "days", "ran_at"}
    assert (log.kind, log.count) == (COMPLAINT_KIND, 2)
    assert services.retention_purge() == []  # nothing more, no empty log rows


def test_the_board_cannot_set_a_term_under_a_year(board_member):
    with pytest.raises(ActionRefused):
        services.retention_rule_set(user=board_member, key=COMPLAINT_KIND, days=364)
    services.retention_rule_set(user=board_member, key=COMPLAINT_KIND, days=365)
    assert services.term_days(COMPLAINT_KIND) == 365


def test_the_boards_page_lists_the_kind_with_its_legal_source(logged_in, board_member):
    page = logged_in(board_member).get(reverse("retention:rules")).content.decode()
    assert f'data-kind="{COMPLAINT_KIND}"' in page
    assert "Klachtdossiers (klachtenregeling), met hun stappen en het besluit" in page
    assert "Klachtenregeling (WPO art. 14) en Landelijke Klachtencommissie" in page
