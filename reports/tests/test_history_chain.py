"""Tamper-evident history: a case's timeline and views form a hash chain (common/hashchain.py) whose
head is kept apart; a row changed or removed in SQL, outside the portal, shows on the case page and
in `manage.py chain_verify`. Retention's own changes re-seal the chain and do not show as tampering."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from common.hashchain import chain_verify, link_digest
from reports.constants import CaseState, TimelineKind
from reports.models import Case, CaseChainHead, CaseView, TimelineEntry
from reports.selectors import case_history_check
from reports.services import case_anonymise, case_entry_add, case_open, case_timeline_add
from reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def sql(statement: str, params: list) -> None:
    """What a database administrator types, past the portal."""
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.fixture
def case_with_history(school, school_leader):
    case = ReportFactory(school=school).case
    case_open(case=case, viewer=school_leader)  # a view, a VIEW entry, acknowledged
    notes = [
        case_entry_add(case=case, author=school_leader, kind=TimelineKind.NOTE, summary=f"Gesprek {n}")
        for n in range(3)
    ]
    return case, notes


def test_a_history_written_through_the_portal_verifies(case_with_history):
    case, _notes = case_with_history
    check = case_history_check(case=case)
    rows = TimelineEntry.objects.filter(case=case).count() + CaseView.objects.filter(case=case).count()
    assert check.is_intact and check.checked == rows == 6
    head = CaseChainHead.objects.get(case=case)
    assert head.seq == 6
    places = sorted(
        [
            *TimelineEntry.objects.filter(case=case).values_list("chain_seq", flat=True),
            *CaseView.objects.filter(case=case).values_list("chain_seq", flat=True),
        ]
    )
    assert places == [1, 2, 3, 4, 5, 6]


def test_a_timeline_row_edited_in_sql_is_named(case_with_history):
    case, notes = case_with_history
    sql("UPDATE reports_timelineentry SET summary = %s WHERE id = %s", ["Nooit gezegd", notes[1].pk])
    check = case_history_check(case=case)
    assert not check.is_intact
    assert check.problems == [
        f"Dossierregel nummer {notes[1].pk} (plaats {notes[1].chain_seq} in de keten) is buiten het portaal gewijzigd."
    ]


def test_a_view_edited_in_sql_is_named(case_with_history, board_member):
    case, _notes = case_with_history
    view = CaseView.objects.get(case=case)
    sql("UPDATE reports_caseview SET viewer_id = %s WHERE id = %s", [board_member.pk, view.pk])
    assert case_history_check(case=case).problems == [
        f"Inzage in dossier nummer {view.pk} (plaats {view.chain_seq} in de keten) is buiten het portaal gewijzigd."
    ]


def test_a_row_deleted_in_sql_leaves_a_gap_that_is_named(case_with_history):
    case, notes = case_with_history
    sql("DELETE FROM reports_timelineentry WHERE id = %s", [notes[0].pk])
    assert case_history_check(case=case).problems == [
        f"Plaats {notes[0].chain_seq} in de keten ontbreekt: een regel is buiten het portaal verwijderd."
    ]


def test_the_last_rows_deleted_in_sql_are_missed_against_the_head(case_with_history):
    case, notes = case_with_history
    sql("DELETE FROM reports_timelineentry WHERE id IN (%s, %s)", [notes[1].pk, notes[2].pk])
    assert case_history_check(case=case).problems == [
        "De laatste 2 regels van de keten (plaats 5 tot en met 6) ontbreken: buiten het portaal verwijderd."
    ]


def test_a_row_slipped_in_by_sql_has_no_place_in_the_chain(case_with_history, school_leader):
    case, _notes = case_with_history
    sql(
        "INSERT INTO reports_timelineentry (case_id, kind, author_id, summary, with_whom, data, created_at, "
        "chain_digest) VALUES (%s, 'note', %s, 'Achteraf', '', '{}', %s, '')",
        [case.pk, school_leader.pk, timezone.now()],
    )
    problems = case_history_check(case=case).problems
    assert len(problems) == 1 and "buiten het portaal toegevoegd" in problems[0]


def test_rewriting_every_digest_does_not_match_the_head_kept_apart(case_with_history):
    """Someone who edits a row and recomputes the digests after it still misses the head."""
    case, notes = case_with_history
    sql("UPDATE reports_timelineentry SET summary = %s WHERE id = %s", ["Nooit gezegd", notes[2].pk])
    head = CaseChainHead.objects.get(case=case)
    previous = TimelineEntry.objects.get(pk=notes[1].pk).chain_digest
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT case_id, kind, author_id, summary, with_whom, data, corrects_id, created_at "
            "FROM reports_timelineentry WHERE id = %s",
            [notes[2].pk],
        )
        values = cursor.fetchone()
    forged = link_digest(previous=previous, label="reports.timelineentry", seq=notes[2].chain_seq, values=values)
    sql("UPDATE reports_timelineentry SET chain_digest = %s WHERE id = %s", [forged, notes[2].pk])
    assert head.seq == notes[2].chain_seq  # the last row
    assert case_history_check(case=case).problems == [
        "De keten eindigt niet bij de opgeslagen kop: de regels of de kop zijn buiten het portaal herschreven."
    ]
    # Rewriting the head too passes inside the database, but not against an anchor kept outside it.
    sql("UPDATE reports_casechainhead SET digest = %s WHERE case_id = %s", [forged, case.pk])
    assert case_history_check(case=case).is_intact


def test_the_anchor_file_catches_a_history_rewritten_with_its_head(case_with_history, tmp_path, capsys):
    case, notes = case_with_history
    anchors = tmp_path / "anchors.jsonl"
    call_command("chain_anchor", output=str(anchors))
    call_command("chain_verify", anchors=str(anchors))  # all agree: no error
    assert "met een afwijking" in capsys.readouterr().out
    # Rewrite the last note and its digest and the head, consistently.
    head = CaseChainHead.objects.get(case=case)
    sql("UPDATE reports_timelineentry SET summary = %s WHERE id = %s", ["Nooit gezegd", notes[2].pk])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT case_id, kind, author_id, summary, data, corrects_id, created_at FROM reports_timelineentry "
            "WHERE id = %s",
            [notes[2].pk],
        )
        values = cursor.fetchone()
    previous = TimelineEntry.objects.get(pk=notes[1].pk).chain_digest
    forged = link_digest(previous=previous, label="reports.timelineentry", seq=head.seq, values=values)
    sql("UPDATE reports_timelineentry SET chain_digest = %s WHERE id = %s", [forged, notes[2].pk])
    sql("UPDATE reports_casechainhead SET digest = %s WHERE case_id = %s", [forged, case.pk])
    with pytest.raises(CommandError):
        call_command("chain_verify", anchors=str(anchors))
    out = capsys.readouterr().out
    assert f"De keten case:{case.pk} komt niet overeen met het anker van" in out
    assert "de geschiedenis is buiten het portaal herschreven" in out


def test_chain_verify_names_the_case_and_fails(case_with_history, capsys):
    case, _notes = case_with_history
    call_command("chain_verify")
    sql("DELETE FROM reports_caseview WHERE case_id = %s", [case.pk])
    with pytest.raises(CommandError, match="buiten het portaal gewijzigd of verwijderd"):
        call_command("chain_verify")
    out = capsys.readouterr().out
    assert f"Dossier {case.number}:" in out and "buiten het portaal verwijderd" in out


def test_the_leader_sees_the_plain_warning_on_the_case_page(case_with_history, client, school_leader, logged_in):
    case, notes = case_with_history
    logged_in(school_leader)
    page = client.get(reverse("reports:case_detail", args=[case.pk])).content.decode()
    assert 'data-testid="history-check"' in page and "niets buiten het portaal gewijzigd" in page
    sql("UPDATE reports_timelineentry SET summary = %s WHERE id = %s", ["Nooit gezegd", notes[0].pk])
    page = client.get(reverse("reports:case_detail", args=[case.pk])).content.decode()
    assert "de geschiedenis van dit dossier is buiten het portaal veranderd" in page
    assert f"Dossierregel nummer {notes[0].pk}" in page


def _close(case: Case, by) -> Case:
    Case.objects.filter(pk=case.pk).update(state=CaseState.CLOSED, closed_at=timezone.now())
    return case


def test_retention_reseals_the_chain_and_says_why(case_with_history, school_leader):
    case, _notes = case_with_history
    _close(case, school_leader)
    case_anonymise(case=case, now=timezone.now() + datetime.timedelta(days=800))
    check = case_history_check(case=case)
    assert check.is_intact, check.problems
    assert check.resealed_at is not None and "bewaartermijn" in check.reseal_reason
    retention = TimelineEntry.objects.get(case=case, kind=TimelineKind.RETENTION, data__anonymised=True)
    assert retention.data["history_was_intact"] is True
    # A change after the re-seal shows again.
    sql("UPDATE reports_timelineentry SET kind = 'note' WHERE id = %s", [retention.pk])
    assert not case_history_check(case=case).is_intact


def test_retention_does_not_hide_an_earlier_break(case_with_history, school_leader):
    case, notes = case_with_history
    _close(case, school_leader)
    sql("UPDATE reports_timelineentry SET summary = %s WHERE id = %s", ["Nooit gezegd", notes[0].pk])
    case_anonymise(case=case)
    retention = TimelineEntry.objects.get(case=case, kind=TimelineKind.RETENTION, data__anonymised=True)
    assert retention.data["history_was_intact"] is False


@pytest.mark.django_db(transaction=True)
def test_two_entries_at_once_on_one_case_do_not_fork_the_chain(school, school_leader):
    """Two writers at the same moment: the head's lock keeps them in line (PostgreSQL in CI)."""
    case = ReportFactory(school=school).case
    rounds = 8
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def write(index: int) -> None:
        try:
            for n in range(rounds):
                start.wait()
                case_timeline_add(case=case, kind=TimelineKind.NOTE, author=school_leader, summary=f"{index}-{n}")
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    places = list(TimelineEntry.objects.filter(case=case).order_by("chain_seq").values_list("chain_seq", flat=True))
    assert places == list(range(1, len(places) + 1))
    head = CaseChainHead.objects.get(case=case)
    assert head.seq == len(places)
    assert chain_verify(head).is_intact
