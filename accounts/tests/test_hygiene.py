"""The account hygiene report: who is listed, one-click disabling (logged), and its query count."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.constants import HygieneReason, Role
from accounts.models import AccountDisabling, ProviderIdentity, RoleAssignment, User, current_school_year
from accounts.selectors import hygiene_candidates
from accounts.services import account_disable
from accounts.tests.factories import (
    GroupFactory,
    GuardianshipFactory,
    PupilFactory,
    SchoolFactory,
    UserFactory,
    confirmed_totp,
)
from common.refusals import ActionRefused

pytestmark = pytest.mark.django_db

LAST_YEAR = "2000-2001"


def listed(reason: str) -> set[User]:
    return set(hygiene_candidates(reason=reason))


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def test_staff_without_a_login_for_90_days_are_listed(school, parent):
    recent = UserFactory(roles=[(Role.STAFF, school)], last_login=days_ago(89))
    stale = UserFactory(roles=[(Role.STAFF, school)], last_login=days_ago(91))
    never = UserFactory(roles=[(Role.BOARD, None)], last_login=None, date_joined=days_ago(100))
    new = UserFactory(roles=[(Role.STAFF, school)], last_login=None)
    gone = UserFactory(roles=[(Role.STAFF, school)], last_login=days_ago(200), is_active=False)
    parent.last_login = days_ago(400)
    parent.save()
    assert listed(HygieneReason.NO_RECENT_LOGIN) == {stale, never}
    assert not {recent, new, gone, parent} & listed(HygieneReason.NO_RECENT_LOGIN)


def test_staff_without_an_authenticator_app_nor_a_provider_mfa_sign_in_are_listed(school, parent):
    with_app = UserFactory(roles=[(Role.SCHOOL_LEADER, school)])
    confirmed_totp(with_app)
    with_provider_mfa = UserFactory(roles=[(Role.STAFF, school)])
    ProviderIdentity.objects.create(
        user=with_provider_mfa,
        provider="microsoft",
        subject="a",
        email_at_match="a@x",
        last_multi_factor_at=timezone.now(),
    )
    provider_without_mfa = UserFactory(roles=[(Role.STAFF, school)])
    ProviderIdentity.objects.create(user=provider_without_mfa, provider="microsoft", subject="b", email_at_match="b@x")
    nothing = UserFactory(roles=[(Role.STAFF, school)])
    assert listed(HygieneReason.NO_SECOND_FACTOR) == {provider_without_mfa, nothing}


def test_holders_of_a_role_whose_term_ended_are_listed(school):
    ended = UserFactory(roles=[(Role.COUNCIL_SECRETARY, None)])
    RoleAssignment.objects.filter(user=ended).update(ends_on=timezone.localdate() - datetime.timedelta(days=1))
    running = UserFactory(roles=[(Role.BOARD, None)])
    RoleAssignment.objects.filter(user=running).update(ends_on=timezone.localdate())
    UserFactory(roles=[(Role.STAFF, school)])
    assert listed(HygieneReason.ROLE_TERM_ENDED) == {ended}


def test_parents_none_of_whose_children_is_still_at_school_are_listed():
    school = SchoolFactory()
    this_year = GroupFactory(school=school, school_year=current_school_year())
    old_group = GroupFactory(school=school, school_year=LAST_YEAR)
    staying = PupilFactory(school=school, group=this_year)
    left = PupilFactory(school=school, group=old_group)
    also_left = PupilFactory(school=school, group=None)
    parent_of_leaver = UserFactory(password="")
    GuardianshipFactory(guardian=parent_of_leaver, pupil=left)
    GuardianshipFactory(guardian=parent_of_leaver, pupil=also_left)
    parent_of_both = UserFactory(password="")  # two children, one still at school
    GuardianshipFactory(guardian=parent_of_both, pupil=left)
    GuardianshipFactory(guardian=parent_of_both, pupil=staying)
    parent_and_teacher = UserFactory(roles=[(Role.STAFF, school)])
    GuardianshipFactory(guardian=parent_and_teacher, pupil=left)
    # A school whose groups of this year are not imported yet: nobody there has left.
    not_imported = SchoolFactory()
    waiting = PupilFactory(school=not_imported, group=GroupFactory(school=not_imported, school_year=LAST_YEAR))
    parent_waiting = UserFactory(password="")
    GuardianshipFactory(guardian=parent_waiting, pupil=waiting)
    assert listed(HygieneReason.PUPILS_LEFT) == {parent_of_leaver}


def test_disabling_logs_who_did_it_and_ends_the_sessions(client, logged_in, functional_admin, school):
    stale = UserFactory(roles=[(Role.STAFF, school)], last_login=days_ago(120))
    stale_client = logged_in(stale, client=type(client)())
    assert stale_client.get(reverse("consent:overview")).status_code == 200
    User.objects.filter(pk=stale.pk).update(last_login=days_ago(120))  # a session left open on a school PC
    admin_client = logged_in(functional_admin)
    answer = admin_client.post(
        reverse("accounts:hygiene_disable"), {"user": stale.pk, "reason": HygieneReason.NO_RECENT_LOGIN}
    )
    assert answer["Location"] == reverse("accounts:hygiene") + "#no_recent_login"
    stale.refresh_from_db()
    assert not stale.is_active
    log = AccountDisabling.objects.get()
    assert (log.user, log.disabled_by, log.reason) == (stale, functional_admin, HygieneReason.NO_RECENT_LOGIN)
    page = admin_client.get(reverse("accounts:hygiene")).content.decode()
    assert "is uitgeschakeld" in page and stale.email in page
    # The stale account's own session is over.
    assert stale_client.get(reverse("consent:overview"))["Location"].startswith(reverse("accounts:login"))


def test_only_what_the_list_holds_is_disabled_and_only_once(board_member, school):
    fresh = UserFactory(roles=[(Role.STAFF, school)], last_login=timezone.now())
    with pytest.raises(ActionRefused, match="niet \\(meer\\) op deze lijst"):
        account_disable(user_id=fresh.pk, reason=HygieneReason.NO_RECENT_LOGIN, by=board_member)
    stale = UserFactory(roles=[(Role.STAFF, school)], last_login=days_ago(120))
    account_disable(user_id=stale.pk, reason=HygieneReason.NO_RECENT_LOGIN, by=board_member)
    with pytest.raises(ActionRefused, match="al uitgeschakeld"):
        account_disable(user_id=stale.pk, reason=HygieneReason.NO_RECENT_LOGIN, by=board_member)
    assert AccountDisabling.objects.count() == 1
    fresh.refresh_from_db()
    assert fresh.is_active


def test_nobody_disables_their_own_account_and_leaders_disable_nothing(board_member, school_leader):
    board_member.last_login = days_ago(120)
    board_member.save()
    with pytest.raises(ActionRefused, match="eigen account"):
        account_disable(user_id=board_member.pk, reason=HygieneReason.NO_RECENT_LOGIN, by=board_member)
    with pytest.raises(ActionRefused, match="functioneel beheerder en het bestuur"):
        account_disable(user_id=board_member.pk, reason=HygieneReason.NO_RECENT_LOGIN, by=school_leader)


def test_the_page_names_each_list_and_offers_the_button(logged_in, board_member, school):
    stale = UserFactory(roles=[(Role.STAFF, school)], last_login=days_ago(120), email="oud@example.nl")
    page = logged_in(board_member).get(reverse("accounts:hygiene")).content.decode()
    for reason in HygieneReason:
        assert f'id="{reason.value}"' in page
    assert f'name="user" value="{stale.pk}"' in page


def _population(size: int, school) -> None:
    this_year = GroupFactory(school=school, school_year=current_school_year())
    old_group = GroupFactory(school=school, school_year=LAST_YEAR)
    for n in range(size):
        UserFactory(roles=[(Role.STAFF, school)], last_login=days_ago(100 + n))
        ended = UserFactory(roles=[(Role.COUNCIL_SECRETARY, None), (Role.STAFF, school)])
        RoleAssignment.objects.filter(user=ended).update(ends_on=datetime.date(2020, 1, 1))
        parent = UserFactory(password="")
        GuardianshipFactory(guardian=parent, pupil=PupilFactory(school=school, group=old_group))
        GuardianshipFactory(guardian=parent, pupil=PupilFactory(school=school, group=None))
    PupilFactory(school=school, group=this_year)


@pytest.mark.parametrize("size", [2, 12])
def test_the_report_takes_the_same_queries_at_any_size(
    logged_in, functional_admin, school, size, django_assert_num_queries
):
    _population(size, school)
    client = logged_in(functional_admin)
    client.get(reverse("accounts:hygiene"))  # the session and the menu settle
    # session, user, OTP device, the menu (roles, inbox); four lists with their prefetches; refusals; log.
    with django_assert_num_queries(16):
        page = client.get(reverse("accounts:hygiene"))
    assert page.status_code == 200
    assert page.content.decode().count('name="reason" value="pupils_left"') == size


def test_the_reasons_keep_their_values():
    # They are stored in the disabling log and sent by the report's buttons: renaming one loses history.
    assert HygieneReason.values == ["no_recent_login", "no_second_factor", "role_term_ended", "pupils_left"]


def test_the_last_functional_admin_is_not_disabled(board_member, functional_admin):
    User.objects.filter(pk=functional_admin.pk).update(last_login=days_ago(120))
    with pytest.raises(ActionRefused, match="laatste account van functioneel beheer"):
        account_disable(user_id=functional_admin.pk, reason=HygieneReason.NO_RECENT_LOGIN, by=board_member)
    UserFactory(roles=[(Role.FUNCTIONAL_ADMIN, None)])
    account_disable(user_id=functional_admin.pk, reason=HygieneReason.NO_RECENT_LOGIN, by=board_member)
    functional_admin.refresh_from_db()
    assert not functional_admin.is_active
