"""The contract other apps (sanctions) rely on: timeline, transitions, case_for, and the registry
of close checks, anonymisers and panels (reports/extensions.py)."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from common.refusals import ActionRefused
from reports.constants import CaseState, ClosingReason, TimelineKind
from reports.extensions import CaseAnonymiser, CasePanel, CloseCheck, case_extensions
from reports.models import TimelineEntry
from reports.selectors import case_for
from reports.services import case_anonymise, case_timeline_add, case_transition
from reports.tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def refuse_always(case):
    return "Er is nog geen melding aan de Vertrouwensinspecteur vastgelegd."


def allow_always(case):
    return None


def test_case_timeline_add_appends_an_entry_of_each_kind(school, board_member):
    case = CaseFactory(school=school)
    for kind in TimelineKind.values:
        entry = case_timeline_add(case=case, kind=kind, author=board_member, summary="x", data={"id": 1})
        assert entry.kind == kind and entry.data == {"id": 1}
    assert TimelineEntry.objects.filter(case=case).count() == len(TimelineKind.values)
    with pytest.raises(ValueError):
        case_timeline_add(case=case, kind="gossip", author=board_member)


def test_a_registered_close_check_refuses_closing_and_its_message_is_shown(school, board_member):
    case = CaseFactory(school=school, state=CaseState.INVESTIGATING)
    with case_extensions.restored_afterwards():
        case_extensions.register(CloseCheck(name="test.allow", refusal=allow_always))
        case_extensions.register(CloseCheck(name="test.inspector", refusal=refuse_always))
        with pytest.raises(ActionRefused) as refused:
            case_transition(case=case, to_state=CaseState.CLOSED, by=board_member, closing_reason=ClosingReason.HANDLED)
        assert "Vertrouwensinspecteur" in refused.value.message
        case.refresh_from_db()
        assert case.state == CaseState.INVESTIGATING
        assert not TimelineEntry.objects.filter(case=case, kind=TimelineKind.STATUS_CHANGE).exists()
        case_extensions.unregister("test.inspector")
        case_transition(case=case, to_state=CaseState.CLOSED, by=board_member, closing_reason=ClosingReason.HANDLED)
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED and case.closed_at is not None


def test_the_registry_replaces_an_extension_of_the_same_name_and_refuses_anything_else():
    with case_extensions.restored_afterwards():
        case_extensions.register(CloseCheck(name="test.check", refusal=refuse_always))
        case_extensions.register(CloseCheck(name="test.check", refusal=allow_always))
        assert [check.refusal for check in case_extensions.close_checks if check.name == "test.check"] == [allow_always]
        with pytest.raises(TypeError):
            case_extensions.register("sanctions.checks.escalation_recorded")
        with pytest.raises(KeyError):
            case_extensions.unregister("test.nothing")
    assert "test.check" not in {check.name for check in case_extensions.close_checks}


def test_a_registered_anonymiser_runs_in_the_retention_transaction(school):
    seen = []
    case = CaseFactory(school=school, state=CaseState.CLOSED, closed_at=timezone.now())
    with case_extensions.restored_afterwards():
        case_extensions.register(CaseAnonymiser(name="test.anonymiser", anonymise=seen.append))
        case_anonymise(case=case)
    assert seen == [case]


def test_case_for_returns_only_visible_cases(school, other_school, school_leader):
    own = CaseFactory(school=school)
    assert case_for(user=school_leader, pk=own.pk) == own
    for hidden in (CaseFactory(school=other_school), CaseFactory(school=school, about_leadership=True)):
        with pytest.raises(Http404):
            case_for(user=school_leader, pk=hidden.pk)


def test_the_case_page_includes_the_registered_panels(client, school, school_leader, logged_in):
    case = CaseFactory(school=school)
    with case_extensions.restored_afterwards():
        case_extensions.register(CasePanel(name="test.panel", template_name="reports/tests/_panel.html"))
        page = logged_in(school_leader).get(reverse("reports:case_detail", args=[case.pk])).content.decode()
    assert f"test-panel-{case.pk}" in page
    page = client.get(reverse("reports:case_detail", args=[case.pk])).content.decode()
    assert f"test-panel-{case.pk}" not in page
