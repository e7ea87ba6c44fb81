"""The contract other apps (sanctions) rely on: timeline, transitions with close checks, case_for, panels."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.urls import reverse

from accounts.tests.logins import verified
from reports.constants import CaseState, ClosingReason, TimelineKind
from reports.models import TimelineEntry
from reports.selectors import case_for
from reports.services import CaseTransitionRefused, case_timeline_add, case_transition
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


def test_a_close_check_can_refuse_closing_and_its_message_is_shown(school, board_member, settings):
    settings.CASE_CLOSE_CHECKS = ["reports.tests.test_case_contract.allow_always", f"{__name__}.refuse_always"]
    case = CaseFactory(school=school, state=CaseState.INVESTIGATING)
    with pytest.raises(CaseTransitionRefused) as refused:
        case_transition(case=case, to_state=CaseState.CLOSED, by=board_member, closing_reason=ClosingReason.HANDLED)
    assert "Vertrouwensinspecteur" in refused.value.message
    case.refresh_from_db()
    assert case.state == CaseState.INVESTIGATING
    settings.CASE_CLOSE_CHECKS = [f"{__name__}.allow_always"]
    case_transition(case=case, to_state=CaseState.CLOSED, by=board_member, closing_reason=ClosingReason.HANDLED)
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED and case.closed_at is not None


def test_case_for_returns_only_visible_cases(school, other_school, school_leader):
    own = CaseFactory(school=school)
    assert case_for(user=school_leader, pk=own.pk) == own
    for hidden in (CaseFactory(school=other_school), CaseFactory(school=school, about_leadership=True)):
        with pytest.raises(Http404):
            case_for(user=school_leader, pk=hidden.pk)


def test_the_case_page_includes_the_panels_named_in_settings(client, school, school_leader, settings):
    settings.CASE_PANELS = ["reports/tests/_panel.html"]
    case = CaseFactory(school=school)
    page = verified(client, school_leader).get(reverse("reports:case_detail", args=[case.pk])).content.decode()
    assert f"test-panel-{case.pk}" in page
