"""WPO art. 4a: a report of sexual behaviour of staff towards a pupil goes to the board whatever the
reporter chose, and its case closes only with the inspector call, the informing and the aangifte on record."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.constants import SafetyRole
from accounts.models import SafetyRoleHolder
from accounts.tests.factories import UserFactory
from common.refusals import ActionRefused
from notifications.models import Notification
from reports.access import cases_visible_to
from reports.constants import CaseState, Category, ClosingReason, Recipient
from reports.models import Case
from reports.services import case_transition
from reports.tests.factories import ReportFactory, report_form_data
from sanctions import services
from sanctions.constants import EscalationKind

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 11, 20)


def _close(case, by):
    case_transition(case=case, to_state=CaseState.CLOSED, by=by, closing_reason=ClosingReason.REFERRED)


def _call(case, by, *, suspicion):
    return services.inspector_call_record(
        case=case,
        by=by,
        called_on=DAY,
        called_at=datetime.time(10, 15),
        caller=str(by),
        advice="Overleg gevoerd.",
        inspector_name="mw. J. de Boer",
        has_reasonable_suspicion=suspicion,
    )


def test_a_wpo_4a_report_to_the_vertrouwenspersoon_reaches_the_board_and_not_the_leader(
    client, school, school_leader, board_member
):
    confidant = UserFactory(roles=[("staff", school)])
    SafetyRoleHolder.objects.create(
        school=school, role=SafetyRole.INTERNAL_CONFIDANT, user=confidant, valid_from=DAY - datetime.timedelta(days=9)
    )
    data = report_form_data(school, category=Category.STAFF_SEXUAL_CONDUCT, recipient=Recipient.INTERNAL_CONFIDANT)
    assert client.post(reverse("reports:new"), data).status_code == 302
    case = Case.objects.get()
    assert case.recipient == Recipient.BOARD and not case.is_with_confidant
    assert case.reports.get().recipient == Recipient.INTERNAL_CONFIDANT  # what the reporter chose stays known
    assert set(cases_visible_to(user=board_member)) == {case}
    assert not cases_visible_to(user=school_leader).exists()
    assert not cases_visible_to(user=confidant).exists()
    assert set(Notification.objects.values_list("recipient", flat=True)) == {board_member.pk}


def test_the_case_refuses_to_close_until_the_call_the_informing_and_the_aangifte_are_on_record(school, board_member):
    case = ReportFactory(school=school, category=Category.STAFF_SEXUAL_CONDUCT).case
    case_transition(case=case, to_state=CaseState.ACKNOWLEDGED, by=board_member)
    with pytest.raises(ActionRefused, match="vertrouwensinspecteur"):
        _close(case, board_member)
    with pytest.raises(ValidationError):  # the call needs the inspector's name and the conclusion
        services.inspector_call_record(
            case=case, by=board_member, called_on=DAY, called_at=datetime.time(10), caller="X", advice="Y"
        )
    _call(case, board_member, suspicion=True)
    with pytest.raises(ActionRefused, match="ouders zijn geïnformeerd"):
        _close(case, board_member)
    for kind in (EscalationKind.PARENTS_INFORMED, EscalationKind.ACCUSED_INFORMED):
        services.wpo_4a_informed_record(case=case, by=board_member, kind=kind, informed_on=DAY, informed_by="Bestuur")
    with pytest.raises(ActionRefused, match="aangifte"):
        _close(case, board_member)
    with pytest.raises(ValidationError):  # the police unit and the registration number
        services.police_report_record(case=case, by=board_member, reported_on=DAY, reported_by="Bestuur")
    services.police_report_record(
        case=case,
        by=board_member,
        reported_on=DAY,
        reported_by="Bestuur",
        police_unit="Eenheid Den Haag",
        reference="PL1500-2026123456",
    )
    _close(case, board_member)
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED


def test_no_reasonable_suspicion_closes_after_the_call_alone(school, board_member):
    case = ReportFactory(school=school, category=Category.STAFF_SEXUAL_CONDUCT).case
    case_transition(case=case, to_state=CaseState.ACKNOWLEDGED, by=board_member)
    _call(case, board_member, suspicion=False)
    _close(case, board_member)


def test_a_case_sent_to_the_board_is_not_merged_into_the_schools(school, board_member):
    from reports.services import case_merge

    wpo = ReportFactory(school=school, category=Category.STAFF_SEXUAL_CONDUCT).case
    ordinary = ReportFactory(school=school).case
    with pytest.raises(ActionRefused):
        case_merge(source=wpo, target=ordinary, by=board_member)
