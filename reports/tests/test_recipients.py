"""Whom the reporter sends a report to (WPO art. 4c): the role register, the public "Bij wie kan ik
terecht?" page, a vertrouwenspersoon who keeps a case to themselves until handing it on."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.constants import SafetyRole
from accounts.models import SafetyRoleHolder
from accounts.tests.factories import UserFactory
from common.refusals import ActionRefused
from notifications.models import Notification
from reports.access import cases_visible_to, holder_for_reporter, recipients_for
from reports.constants import Category, Recipient, TimelineKind
from reports.models import Case, CaseHandover
from reports.services import case_hand_on
from reports.tests.factories import ReportFactory, report_form_data

pytestmark = pytest.mark.django_db


def _holder(school, role, *, user=None, days_ago=30, ended_days_ago=None, **fields):
    today = timezone.localdate()
    return SafetyRoleHolder.objects.create(
        school=school,
        role=role,
        user=user,
        valid_from=today - datetime.timedelta(days=days_ago),
        valid_to=None if ended_days_ago is None else today - datetime.timedelta(days=ended_days_ago),
        **fields,
    )


@pytest.fixture
def confidant(school):
    user = UserFactory(first_name="Vera", last_name="Vertrouwen", email="vp@example.nl", roles=[("staff", school)])
    _holder(school, SafetyRole.INTERNAL_CONFIDANT, user=user)
    return user


@pytest.fixture
def contact(school):
    user = UserFactory(first_name="Anton", last_name="Aanspreek", email="ap@example.nl", roles=[("staff", school)])
    _holder(school, SafetyRole.ANTI_BULLYING_CONTACT, user=user)
    return user


# The public page ------------------------------------------------------------------------------------


def test_the_school_page_lists_current_holders_and_the_outside_help_but_no_expired_one(client, school):
    _holder(school, SafetyRole.EXTERNAL_CONFIDANT, name="Mr. E. Extern", phone="070-1234567", email="e@extern.nl")
    _holder(school, SafetyRole.ANTI_BULLYING_CONTACT, name="Oud Aanspreekpunt", ended_days_ago=1)
    _holder(school, SafetyRole.INTERNAL_CONFIDANT, name="Nog Niet", days_ago=-3)  # starts in three days
    page = client.get(reverse("reports:school_contacts", args=[school.pk])).content.decode()
    assert "Mr. E. Extern" in page and "070-1234567" in page and "mailto:e@extern.nl" in page
    assert "Oud Aanspreekpunt" not in page
    assert "Nog Niet" not in page
    assert "0900-1113111" in page  # the vertrouwensinspecteur
    assert "Landelijke Klachtencommissie" in page


def test_the_report_form_and_every_footer_link_to_the_page(client):
    contacts = reverse("reports:contacts")
    assert f'href="{contacts}"' in client.get(reverse("reports:new")).content.decode()
    assert f'href="{contacts}"' in client.get(reverse("policy:current")).content.decode()


# Choosing the recipient -----------------------------------------------------------------------------


def test_a_confidant_nobody_holds_is_refused_on_the_form_and_what_was_typed_stays(client, school):
    _holder(school, SafetyRole.INTERNAL_CONFIDANT, name="Zonder Account")  # no login: cannot receive
    data = report_form_data(school, recipient=Recipient.INTERNAL_CONFIDANT, description="Mijn eigen woorden.")
    response = client.post(reverse("reports:new"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "ontvangt op dit moment niemand meldingen" in page
    assert "Mijn eigen woorden." in page
    assert not Case.objects.exists()


def test_an_expired_confidant_receives_nothing(client, school, school_leader):
    expired = UserFactory(roles=[("staff", school)])
    _holder(school, SafetyRole.INTERNAL_CONFIDANT, user=expired, days_ago=400, ended_days_ago=1)
    response = client.post(reverse("reports:new"), report_form_data(school, recipient=Recipient.INTERNAL_CONFIDANT))
    assert response.status_code == 400
    assert not cases_visible_to(user=expired).exists()


def test_a_report_to_the_confidant_is_theirs_alone_until_handed_on(
    client, school, school_leader, board_member, confidant
):
    response = client.post(
        reverse("reports:new"), report_form_data(school, recipient=Recipient.INTERNAL_CONFIDANT, category="stalking")
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.is_with_confidant and case.recipient == Recipient.INTERNAL_CONFIDANT
    assert set(cases_visible_to(user=confidant)) == {case}
    assert not cases_visible_to(user=school_leader).exists()
    assert not cases_visible_to(user=board_member).exists()
    assert list(Notification.objects.values_list("recipient", flat=True).distinct()) == [confidant.pk]
    assert "vertrouwenspersoon" in holder_for_reporter(case)

    case_hand_on(case=case, by=confidant, reason="Ernstig, de school moet ingrijpen.")  # an anonymous reporter
    case.refresh_from_db()
    assert not case.is_with_confidant
    assert set(cases_visible_to(user=school_leader)) == {case}
    assert set(cases_visible_to(user=confidant)) == {case}  # they stay involved
    assert Notification.objects.filter(recipient=school_leader, template="reports/email/handed_on").exists()
    entry = case.timeline.get(kind=TimelineKind.HANDED_ON)
    assert entry.summary == "Ernstig, de school moet ingrijpen." and entry.author == confidant
    assert "doorgegeven" in holder_for_reporter(case)


def test_a_named_reporter_must_consent_before_the_case_is_handed_on(school, school_leader, confidant):
    case = ReportFactory(school=school, recipient=Recipient.INTERNAL_CONFIDANT).case  # named (Karin Bakker)
    with pytest.raises(ValidationError):
        case_hand_on(case=case, by=confidant, reason="Moet naar de school.")
    with pytest.raises(ValidationError):
        case_hand_on(case=case, by=confidant, reason="   ", has_reporter_consent=True)
    case.refresh_from_db()
    assert case.is_with_confidant
    case_hand_on(case=case, by=confidant, reason="Moet naar de school.", has_reporter_consent=True)
    assert case.handovers.get().has_reporter_consent


def test_only_the_confidant_hands_a_case_on(school, school_leader, board_member, confidant):
    case = ReportFactory(school=school, recipient=Recipient.INTERNAL_CONFIDANT, anonymous=True).case
    for someone in (school_leader, board_member):
        with pytest.raises(ActionRefused):
            case_hand_on(case=case, by=someone, reason="Ik wil het zien.")
    case_hand_on(case=case, by=confidant, reason="Doorgeven.")
    with pytest.raises(ActionRefused):
        case_hand_on(case=case, by=confidant, reason="Nog eens.")


def test_the_hand_on_form_keeps_the_reason_when_consent_is_missing(logged_in, school, school_leader, confidant):
    case = ReportFactory(school=school, recipient=Recipient.INTERNAL_CONFIDANT).case
    client = logged_in(confidant)
    response = client.post(reverse("reports:case_hand_on", args=[case.pk]), {"reason": "Mijn reden"})
    assert response.status_code == 400
    assert "Mijn reden" in response.content.decode()
    assert "alleen door als de melder instemt" in response.content.decode()


# Bullying and the aanspreekpunt pesten ----------------------------------------------------------------


def test_bullying_reaches_the_contact_and_the_coordinator_next_to_the_leadership(school, school_leader, contact):
    coordinator = UserFactory(roles=[("staff", school)])
    _holder(school, SafetyRole.ANTI_BULLYING_COORDINATOR, user=coordinator)
    bullying = ReportFactory(school=school, category=Category.BULLYING)
    assert set(recipients_for(bullying)) == {school_leader, contact, coordinator}
    threats = ReportFactory(school=school, category=Category.SPREADING_MEMES)
    assert contact not in recipients_for(threats)
    assert set(cases_visible_to(user=contact)) == {bullying.case}


def test_the_aanspreekpunt_loses_the_cases_when_the_term_ends(school, school_leader, contact):
    case = ReportFactory(school=school, category=Category.BULLYING).case
    SafetyRoleHolder.objects.filter(user=contact).update(valid_to=timezone.localdate() - datetime.timedelta(days=1))
    assert not cases_visible_to(user=contact).filter(pk=case.pk).exists()
    assert contact not in recipients_for(case.reports.get())


def test_a_report_to_the_board_is_not_the_leaders(school, school_leader, board_member):
    case = ReportFactory(school=school, recipient=Recipient.BOARD).case
    assert not cases_visible_to(user=school_leader).exists()
    assert set(cases_visible_to(user=board_member)) == {case}


def test_the_follow_up_page_says_who_has_the_report(client, school, confidant):
    from reports.services import receipt_code_new

    code = receipt_code_new()
    ReportFactory(school=school, recipient=Recipient.INTERNAL_CONFIDANT, code=code)
    client.post(reverse("reports:follow"), {"code": code})
    page = client.get(reverse("reports:follow")).content.decode()
    assert "De interne vertrouwenspersoon van de school; niemand anders leest uw melding." in page


@pytest.mark.parametrize("count", [2, 30])
def test_the_public_pages_take_the_same_queries_at_any_size(client, school, count, django_assert_num_queries):
    from accounts.tests.factories import SchoolFactory

    for number in range(count):
        SchoolFactory()
        holder = UserFactory(roles=[("staff", school)])
        _holder(school, list(SafetyRole)[number % len(SafetyRole)], user=holder, phone="070-1234567")
    with django_assert_num_queries(1):  # the schools
        assert client.get(reverse("reports:contacts")).status_code == 200
    with django_assert_num_queries(2):  # the school, its current holders with their logins
        assert client.get(reverse("reports:school_contacts", args=[school.pk])).status_code == 200


def test_the_reason_a_case_was_handed_on_is_stored_sealed_and_read_in_full(client, school, confidant):
    """The vertrouwenspersoon's reason may say what happened: sealed like the case's texts (common/vault.py)."""
    client.post(reverse("reports:new"), report_form_data(school, recipient=Recipient.INTERNAL_CONFIDANT))
    case = Case.objects.get()
    handover = case_hand_on(case=case, by=confidant, reason="Reden-zq81: de school moet ingrijpen.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT reason FROM reports_casehandover WHERE id = %s", [handover.pk])
        (stored,) = cursor.fetchone()
    assert "zq81" not in stored and stored.startswith("v1.")
    assert CaseHandover.objects.get(pk=handover.pk).reason == "Reden-zq81: de school moet ingrijpen."
