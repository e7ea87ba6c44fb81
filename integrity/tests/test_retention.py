"""A closed misstand report goes two years after closing (the board's term for "misstand_report"):
its file and its data key with it; a younger closed report and an open one stay; the deletion log
counts without content; the board's page shows the kind and its legal source."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from common import vault
from integrity.constants import EntryKind, State
from integrity.models import MisstandEntry, MisstandReport
from integrity.retention_kinds import MISSTAND_KIND
from retention import services
from retention.models import DeletionLog

from .factories import misstand_report

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _closed(report: MisstandReport, *, days_ago: int) -> MisstandReport:
    MisstandEntry.objects.create(
        report=report, kind=EntryKind.CLOSED, body="Afgesloten na onderzoek.", at=timezone.now()
    )
    MisstandReport.objects.filter(pk=report.pk).update(state=State.CLOSED, closed_at=timezone.now() - days_ago * DAY)
    return MisstandReport.objects.get(pk=report.pk)


def test_a_closed_report_past_its_term_goes_with_its_file_and_key_the_younger_and_open_ones_stay(
    teacher, django_capture_on_commit_callbacks
):
    old = _closed(misstand_report(description="Geheime misstand", named=[teacher], reporter_name="Els"), days_ago=731)
    young = _closed(misstand_report(description="Jongere melding"), days_ago=700)
    still_open = misstand_report(description="Open melding")
    MisstandReport.objects.filter(pk=still_open.pk).update(received_at=timezone.now() - 1000 * DAY)

    with django_capture_on_commit_callbacks(execute=True):
        logs = services.retention_purge()

    assert [(log.kind, log.count, log.days) for log in logs] == [(MISSTAND_KIND, 1, 730)]
    assert not MisstandReport.objects.filter(pk=old.pk).exists()
    assert not MisstandEntry.objects.filter(report_id=old.pk).exists()
    assert not MisstandReport.named_people.through.objects.filter(misstandreport_id=old.pk).exists()
    assert not vault.data_key_exists(old.data_key)
    for kept in (young, still_open):
        report = MisstandReport.objects.get(pk=kept.pk)
        assert vault.data_key_exists(report.data_key) and report.description in ("Jongere melding", "Open melding")
    log = DeletionLog.objects.get()
    assert {field.name for field in DeletionLog._meta.concrete_fields} <= {"id", "kind", "count", "days", "ran_at"}
    assert (log.kind, log.count) == (MISSTAND_KIND, 1)
    assert services.retention_purge() == []  # nothing more, no empty log rows


def test_the_board_cannot_set_a_term_under_a_year(board_member):
    from common.refusals import ActionRefused

    with pytest.raises(ActionRefused):
        services.retention_rule_set(user=board_member, key=MISSTAND_KIND, days=364)
    services.retention_rule_set(user=board_member, key=MISSTAND_KIND, days=365)
    assert services.term_days(MISSTAND_KIND) == 365


def test_the_boards_page_lists_the_kind_with_its_legal_source(logged_in, board_member):
    page = logged_in(board_member).get(reverse("retention:rules")).content.decode()
    assert f'data-kind="{MISSTAND_KIND}"' in page
    assert "Integriteitsmeldingen van medewerkers (misstanden), met hun dossier" in page
    assert "Wet bescherming klokkenluiders en Huis voor Klokkenluiders" in page
    assert "730 dagen" in page
