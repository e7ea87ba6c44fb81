"""Whom a case is about (CasePerson) moved from sanctions to reports: a database with cases, measures,
escalations and people keeps every row, with its id, through the migration (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.tests.factories import PupilFactory, UserFactory
from reports.access import cases_visible_to
from reports.constants import SubjectKind
from reports.models import Case, CasePerson

pytestmark = pytest.mark.django_db(transaction=True)  # schema changes: not inside a test transaction

BEFORE = [("reports", "0006_evidence_file_name"), ("sanctions", "0001_initial")]
AFTER = [("reports", "0007_case_person"), ("sanctions", "0002_case_person_to_reports")]
TODAY = datetime.date(2026, 11, 20)


def migrate(targets):
    """Migrate the test database to ``targets``; returns the models as they are there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.fixture
def before_the_move():
    """The database as it was before the move; afterwards every migration is applied again."""
    apps = migrate(BEFORE)
    yield apps
    executor = MigrationExecutor(connection)
    migrate(executor.loader.graph.leaf_nodes())


def a_case_file(apps, school, leader, board_member) -> dict:
    """Two cases of the school with people, measures and escalations, as sanctions stored them."""
    old_person = apps.get_model("sanctions", "CasePerson")
    measure = apps.get_model("sanctions", "Measure")
    escalation = apps.get_model("sanctions", "Escalation")
    tim = UserFactory(first_name="Tim", last_name="Visser", roles=[("staff", school)])
    parent = UserFactory(first_name="Karin", last_name="Bakker")
    pupil = PupilFactory(school=school, user=UserFactory(first_name="Sem", last_name="Jansen"))
    # The case as it was then (the model of that migration: later columns do not exist yet).
    old_case = apps.get_model("reports", "Case")
    first, second = old_case.objects.create(school_id=school.pk), old_case.objects.create(school_id=school.pk)
    by = {"added_by_id": leader.pk}
    people = [
        old_person.objects.create(case_id=first.pk, subject_kind="staff", staff_member_id=tim.pk, **by),
        old_person.objects.create(case_id=first.pk, subject_kind="pupil", pupil_id=pupil.pk, **by),
        old_person.objects.create(case_id=second.pk, subject_kind="parent", parent_id=parent.pk, **by),
    ]
    # A row removed before the move (the old model did not guard it): the ids have a gap.
    old_person.objects.create(case_id=second.pk, subject_kind="staff", staff_member_id=tim.pk, **by).delete()
    about_tim = {"case_id": first.pk, "subject_kind": "staff", "staff_member_id": tim.pk, "decided_on": TODAY}
    measures = [
        measure.objects.create(
            **about_tim, kind="warning", reason="B.5.", status="in_effect", proposed_by_id=leader.pk
        ),
        measure.objects.create(
            **about_tim, kind="suspension", reason="Herhaling.", status="proposed", proposed_by_id=leader.pk
        ),
    ]
    escalations = [
        escalation.objects.create(
            case_id=first.pk,
            kind="inspector_call",
            happened_on=TODAY,
            happened_at=datetime.time(9, 30),
            contact_by="Directeur",
            notes="Advies: berisping.",
            recorded_by_id=leader.pk,
        ),
        escalation.objects.create(
            case_id=second.pk,
            kind="safe_home_referral",
            happened_on=TODAY,
            pupil_id=pupil.pk,
            recorded_by_id=board_member.pk,
        ),
    ]
    return {
        "cases": (first, second),
        "people": people,
        "tim": tim,
        "parent": parent,
        "pupil": pupil,
        "measures": {m.pk: (m.kind, m.staff_member_id) for m in measures},
        "escalations": {e.pk: e.case_id for e in escalations},
    }


ROW = ("id", "case_id", "subject_kind", "staff_member_id", "pupil_id", "parent_id", "added_by_id", "added_at")


def test_every_case_person_moves_to_reports_with_its_id_and_the_case_file_stays_whole(
    before_the_move, school, school_leader, board_member
):
    world = a_case_file(before_the_move, school, school_leader, board_member)
    before = [tuple(getattr(person, field) for field in ROW) for person in world["people"]]

    apps = migrate(AFTER)

    moved = apps.get_model("reports", "CasePerson").objects.order_by("pk").values_list(*ROW)
    assert list(moved) == before
    assert "sanctions_caseperson" not in connection.introspection.table_names()
    measures = apps.get_model("sanctions", "Measure").objects.values_list("pk", "kind", "staff_member_id")
    assert {pk: (kind, person) for pk, kind, person in measures} == world["measures"]
    escalations = apps.get_model("sanctions", "Escalation").objects.values_list("pk", "case_id")
    assert dict(escalations) == world["escalations"]

    # The moved rows count in reports' access rules (as they are now: every later migration applied):
    # nobody sees a case about them.
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    first, second = (Case.objects.get(pk=case.pk) for case in world["cases"])
    assert first in cases_visible_to(user=school_leader) and second in cases_visible_to(user=school_leader)
    for person in (world["tim"], world["pupil"].user):
        assert first not in cases_visible_to(user=_leader_too(person, school))
    assert second not in cases_visible_to(user=_leader_too(world["parent"], school))
    # A new row after the move takes an id of its own (the sequence was moved past the copied ids).
    added = CasePerson.objects.create(
        case=second, subject_kind=SubjectKind.STAFF, staff_member=world["tim"], added_by=school_leader
    )
    assert added.pk > max(row[0] for row in before)


def test_the_move_can_be_undone_and_the_rows_go_back_to_sanctions(before_the_move, school, school_leader, board_member):
    world = a_case_file(before_the_move, school, school_leader, board_member)
    before = [tuple(getattr(person, field) for field in ROW) for person in world["people"]]
    migrate(AFTER)

    apps = migrate(BEFORE)

    back = apps.get_model("sanctions", "CasePerson").objects.order_by("pk").values_list(*ROW)
    assert list(back) == before
    assert "reports_caseperson" not in connection.introspection.table_names()


def _leader_too(user, school):
    """Make ``user`` a leader of ``school`` as well, so only the rule about the case's people can hide it."""
    from accounts.models import RoleAssignment

    RoleAssignment.objects.get_or_create(user=user, role="school_leader", school=school)
    return type(user).objects.get(pk=user.pk)
