"""Retention per kind of record: the board's terms (never under the legal minimum), the nightly run
that erases what is due (a case on legal hold excepted) and logs counts only, and the forecast."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import PupilFactory
from common.refusals import ActionRefused
from reports.constants import CaseState, ClosingReason, SubjectKind
from reports.models import Case, CasePerson, Report
from reports.tests.factories import ReportFactory
from retention import services
from retention.models import DeletionLog, RetentionRule
from retention.registry import record_kinds
from retention.tasks import retention_purge_task

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
# The session and user, the terms, one count per kind, the log, the menu: not one more per row.
# (20 since the misstand report, the complaint and the meldcode without a case became kinds: one
# forecast count each.)
QUERIES = 20


def _closed_case_about(pupil, *, by, closed_at, hold=False) -> Report:
    report = ReportFactory(school=pupil.school, involved_names=pupil.full_name, description="Wat er gebeurde.")
    CasePerson.objects.create(case=report.case, subject_kind=SubjectKind.PUPIL, pupil=pupil, added_by=by)
    Case.objects.filter(pk=report.case.pk).update(
        state=CaseState.CLOSED, closed_at=closed_at, closing_reason=ClosingReason.HANDLED, is_on_legal_hold=hold
    )
    return report


@pytest.fixture
def pupils_cases(school, school_leader):
    """Cases about a pupil who left three years ago (one on legal hold), a pupil who left a year ago
    and a pupil still at the school; all closed four years ago."""
    today = timezone.localdate()
    closed = timezone.now() - 4 * 365 * DAY
    gone = PupilFactory(school=school, left_on=today - 3 * 365 * DAY)
    recent = PupilFactory(school=school, left_on=today - 365 * DAY)
    staying = PupilFactory(school=school)
    return {
        "gone": _closed_case_about(gone, by=school_leader, closed_at=closed),
        "held": _closed_case_about(gone, by=school_leader, closed_at=closed, hold=True),
        "recent": _closed_case_about(recent, by=school_leader, closed_at=closed),
        "staying": _closed_case_about(staying, by=school_leader, closed_at=closed),
    }


def test_a_pupil_who_left_over_two_years_ago_leaves_no_case_content_a_held_case_survives_and_the_log_has_the_row(
    pupils_cases,
):
    assert retention_purge_task.apply().get() == {"case_pupil": 1}

    gone = Report.objects.get(pk=pupils_cases["gone"].pk)
    # What case_anonymise guarantees: no names, no description, nobody the case was about; the
    # statistics columns (school, category, dates) stay.
    assert gone.involved_names == "" and gone.description == "" and gone.reporter_name == ""
    assert not CasePerson.objects.filter(case=gone.case).exists()
    assert Case.objects.get(pk=gone.case.pk).anonymised_at is not None
    assert gone.category and gone.happened_on
    for kept in ("held", "recent", "staying"):
        report = Report.objects.get(pk=pupils_cases[kept].pk)
        assert report.description == "Wat er gebeurde." and CasePerson.objects.filter(case=report.case).exists()

    log = DeletionLog.objects.get()
    assert (log.kind, log.count, log.days) == ("case_pupil", 1, 730)
    assert not hasattr(log, "case") and not hasattr(log, "description")  # counts only, no content
    assert retention_purge_task.apply().get() == {}  # idempotent: nothing more, no empty log rows
    assert DeletionLog.objects.count() == 1


def test_a_pupils_case_follows_the_pupil_not_the_closing_date(pupils_cases):
    """Closed four years ago, but the pupil left a year ago: the general two-year rule from closing
    does not take it; the board's shorter pupil term (at its legal minimum) does, a year later."""
    services.retention_purge()
    assert Case.objects.get(pk=pupils_cases["recent"].case.pk).anonymised_at is None
    services.retention_purge(now=timezone.now() + 366 * DAY + 730 * DAY - 365 * DAY)
    assert Case.objects.get(pk=pupils_cases["recent"].case.pk).anonymised_at is not None
    assert Case.objects.get(pk=pupils_cases["held"].case.pk).anonymised_at is None
    assert Case.objects.get(pk=pupils_cases["staying"].case.pk).anonymised_at is None


def test_the_board_sets_a_term_and_it_governs_the_run(pupils_cases, board_member):
    services.retention_rule_set(user=board_member, key="case_pupil", days=4 * 365)
    assert services.term_days("case_pupil") == 4 * 365
    assert services.retention_purge() == []
    assert Case.objects.get(pk=pupils_cases["gone"].case.pk).anonymised_at is None


def test_a_term_under_the_legal_minimum_is_refused_in_dutch(board_member):
    with pytest.raises(ActionRefused) as refused:
        services.retention_rule_set(user=board_member, key="case_pupil", days=100)
    assert "korter dan de wet toestaat" in refused.value.message and "365" in refused.value.message
    assert not RetentionRule.objects.exists()


def test_only_the_board_sets_a_term(school_leader):
    with pytest.raises(ActionRefused):
        services.retention_rule_set(user=school_leader, key="case_pupil", days=800)
    assert not RetentionRule.objects.exists()


def test_every_kind_shows_its_legal_source_and_a_default_not_under_its_minimum():
    keys = {kind.key for kind in record_kinds.all()}
    assert {
        "case",
        "case_pupil",
        "consultation",
        "recording_permission",
        "consent_decision",
        "consent_takedown",
        "misstand_report",
        "complaint",
        "meldcode",
    } <= keys
    for kind in record_kinds.all():
        assert str(kind.source) and str(kind.label) and str(kind.starts)
        assert kind.default() >= kind.minimum_days


def test_the_forecast_counts_what_goes_within_a_month(pupils_cases, school, school_leader):
    soon = PupilFactory(school=school, left_on=timezone.localdate() - 730 * DAY + 10 * DAY)
    _closed_case_about(soon, by=school_leader, closed_at=timezone.now() - 30 * DAY)
    forecast = {row["kind"].key: row["forecast"] for row in services.retention_overview()}
    assert forecast["case_pupil"] == 2  # due now (the next run) and in ten days; not the held case
    assert forecast["case"] == 0


def test_a_failing_kind_does_not_stop_the_others(pupils_cases, monkeypatch, caplog):
    from dataclasses import replace

    broken = replace(record_kinds.get("consultation"), erase=lambda rows, now: 1 / 0)
    monkeypatch.setitem(record_kinds._kinds, "consultation", broken)
    with caplog.at_level("ERROR", logger="retention.services"):
        logs = services.retention_purge()
    assert [log.kind for log in logs] == ["case_pupil"]
    assert "consultation" in caplog.text


# The board's page --------------------------------------------------------------------------------


def test_the_page_refuses_a_term_under_the_minimum_and_keeps_what_was_typed(logged_in, board_member):
    client = logged_in(board_member)
    response = client.post(reverse("retention:rules"), {"kind": "case", "case-days": "30"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Een bewaartermijn van 30 dagen is korter dan de wet toestaat: minimaal 365 dagen." in text
    assert 'value="30"' in text
    assert not RetentionRule.objects.exists()


def test_the_page_sets_a_term(logged_in, board_member):
    client = logged_in(board_member)
    response = client.post(reverse("retention:rules"), {"kind": "case", "case-days": "1000"})
    assert response.status_code == 302
    rule = RetentionRule.objects.get()
    assert (rule.kind, rule.days, rule.changed_by) == ("case", 1000, board_member)


def test_the_page_refuses_a_word_for_a_number_and_an_unknown_kind(logged_in, board_member):
    client = logged_in(board_member)
    response = client.post(reverse("retention:rules"), {"kind": "case", "case-days": "twee jaar"})
    assert response.status_code == 400 and "Vul een heel aantal dagen in" in response.content.decode()
    assert client.post(reverse("retention:rules"), {"kind": "nothing", "nothing-days": "1"}).status_code == 404


@pytest.mark.parametrize("size", [1, 6])
def test_the_page_runs_a_fixed_number_of_queries(
    size, logged_in, board_member, school, school_leader, django_assert_num_queries
):
    client = logged_in(board_member)
    client.get(reverse("retention:rules"))  # warm the session and the caches
    for n in range(size):
        pupil = PupilFactory(school=school, left_on=timezone.localdate() - 3 * 365 * DAY)
        _closed_case_about(pupil, by=school_leader, closed_at=timezone.now() - 3 * 365 * DAY)
        DeletionLog.objects.create(kind="case_pupil", count=n + 1, days=730)
    RetentionRule.objects.create(kind="case", days=800, changed_by=board_member)
    with django_assert_num_queries(QUERIES):
        response = client.get(reverse("retention:rules"))
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="deletion-log-row"') == size


def test_a_pupil_who_left_goes_once_no_case_names_them(pupils_cases, school):
    """The pupil of a case waits for the case; a pupil nothing points to goes a year after leaving."""
    from accounts.models import Pupil

    alone = PupilFactory(school=school, left_on=timezone.localdate() - 400 * DAY)
    logs = {log.kind: log.count for log in services.retention_purge()}
    assert logs == {"case_pupil": 1, "pupil": 1}
    assert not Pupil.objects.filter(pk=alone.pk).exists()
    gone = pupils_cases["gone"].case.pk
    assert Case.objects.filter(pk=gone).exists()  # the anonymised case keeps its statistics
    # The pupil of the held case is still named by it, so stays; so do the pupils still at school.
    assert Pupil.objects.filter(left_on__isnull=True).count() == 1
    assert Pupil.objects.count() == 3
