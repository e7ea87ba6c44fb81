"""Reads about people and schools, scoped to the asking user."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from .access import may_request_roles, may_see_account_hygiene, role_request_decision_refusal
from .access import schools_led_by as schools_led_by
from .access import schools_overseen_by as schools_overseen_by
from .constants import HygieneReason, Role, RoleRequestState
from .models import (
    AccountDisabling,
    Group,
    Guardianship,
    ProviderIdentity,
    Pupil,
    RoleAssignment,
    RoleRequest,
    SignInRefused,
    User,
    current_school_year,
)


def school_overview_for(*, user: User, school_id: int, school_year: str | None = None):
    """The school with its groups (pupil counts) and staff, or None when the user may not see it."""
    school = schools_overseen_by(user=user).filter(pk=school_id).first()
    if school is None:
        return None
    year = school_year or current_school_year()
    groups = list(
        Group.objects.filter(school=school, school_year=year)
        .annotate(pupil_count=Count("pupils"))
        .prefetch_related(Prefetch("teachers", queryset=User.objects.only("pk", "first_name", "last_name", "email")))
        .order_by("grade", "name")
    )
    staff = list(
        RoleAssignment.objects.filter(school=school, role__in=[Role.STAFF, Role.SCHOOL_LEADER])
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "role")
    )
    unplaced = Pupil.objects.filter(school=school).filter(Q(group__isnull=True) | ~Q(group__school_year=year)).count()
    return {"school": school, "school_year": year, "groups": groups, "staff": staff, "unplaced_count": unplaced}


def group_for(*, user: User, group_id: int) -> Group | None:
    return Group.objects.select_related("school").filter(pk=group_id, school__in=schools_overseen_by(user=user)).first()


def group_pupils(*, group: Group) -> QuerySet[Pupil]:
    return group.pupils.annotate(guardian_count=Count("guardianships")).order_by("last_name", "first_name")


def user_by_email(*, email: str) -> User | None:
    return User.objects.filter(email__iexact=email.strip()).first()


def functional_admins() -> QuerySet[User]:
    """The active functional admins (beheer), who keep the portal running and hear of its barriers."""
    return (
        User.objects.filter(is_active=True)
        .filter(Q(role_assignments__role=Role.FUNCTIONAL_ADMIN) | Q(is_superuser=True))
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


# Account hygiene -----------------------------------------------------------------------------------

# Rows shown per list of the hygiene report; the count above each list is the whole number.
HYGIENE_ROWS_SHOWN = 200


def pupils_at_school(*, school_year: str | None = None) -> QuerySet[Pupil]:
    """Pupils still at school: in a group of this school year, or of a school whose groups of this
    year have not been imported yet (from 1 August until the new year's import every pupil of that
    school counts as staying). A pupil missing from the new year's import has left: the import leaves
    pupils alone, and nothing else records a pupil leaving."""
    year = school_year or current_school_year()
    imported = Group.objects.filter(school_year=year).values("school_id")
    return Pupil.objects.filter(Q(group__school_year=year) | ~Q(school_id__in=imported))


def _staff_accounts() -> Q:
    return Q(Exists(RoleAssignment.objects.filter(user=OuterRef("pk")))) | Q(is_staff=True) | Q(is_superuser=True)


def hygiene_candidates(*, reason: str, now: datetime | None = None) -> QuerySet[User]:
    """Active accounts the hygiene report lists for ``reason`` (HygieneReason):

    - no recent login: staff accounts (a role, or the back office) without a login for
      HYGIENE_INACTIVE_DAYS (never logged in: counted from when the account was made);
    - no second factor: staff accounts with neither a confirmed authenticator app nor a sign-in
      through a provider whose token said multi-factor;
    - role term ended: holders of a role whose end date (``RoleAssignment.ends_on``) has passed;
    - pupils left: parents' accounts (no role) none of whose children is still at school
      (``pupils_at_school``).
    """
    now = now or timezone.now()
    active = User.objects.filter(is_active=True)
    if reason == HygieneReason.NO_RECENT_LOGIN:
        cutoff = now - timedelta(days=settings.HYGIENE_INACTIVE_DAYS)
        return active.filter(_staff_accounts()).filter(
            Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff)
        )
    if reason == HygieneReason.NO_SECOND_FACTOR:
        totp = Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
        provider_mfa = Exists(ProviderIdentity.objects.filter(user=OuterRef("pk"), last_multi_factor_at__isnull=False))
        return active.filter(_staff_accounts()).filter(~totp, ~provider_mfa)
    if reason == HygieneReason.ROLE_TERM_ENDED:
        ended = RoleAssignment.objects.filter(user=OuterRef("pk"), ends_on__lt=timezone.localdate(now))
        return active.filter(Exists(ended))
    if reason == HygieneReason.PUPILS_LEFT:
        roles = Exists(RoleAssignment.objects.filter(user=OuterRef("pk")))
        children = Exists(Guardianship.objects.filter(guardian=OuterRef("pk")))
        staying = Exists(Guardianship.objects.filter(guardian=OuterRef("pk"), pupil__in=pupils_at_school()))
        return active.filter(children, ~roles, ~staying, is_staff=False, is_superuser=False)
    return User.objects.none()


@dataclass
class HygieneList:
    reason: str
    label: str
    count: int
    accounts: list[User]


def account_hygiene_for(*, user: User, now: datetime | None = None) -> dict | None:
    """The account hygiene report: the four lists, recent refused sign-ins and recent disablings;
    None when ``user`` may not see it (accounts.access.may_see_account_hygiene). A fixed number of
    queries, whatever the number of accounts."""
    if not may_see_account_hygiene(user):
        return None
    now = now or timezone.now()
    roles = Prefetch(
        "role_assignments",
        queryset=RoleAssignment.objects.select_related("school").order_by("role", "school__name"),
    )
    orders = {
        HygieneReason.NO_RECENT_LOGIN: (F("last_login").asc(nulls_first=True), "email"),
        HygieneReason.PUPILS_LEFT: ("last_name", "first_name", "email"),
    }
    lists = []
    for reason in HygieneReason:
        accounts = hygiene_candidates(reason=reason, now=now).order_by(
            *orders.get(reason, ("last_name", "first_name", "email"))
        )
        if reason == HygieneReason.PUPILS_LEFT:
            accounts = accounts.prefetch_related(
                Prefetch("guardianships", queryset=Guardianship.objects.select_related("pupil__school"))
            )
        else:
            accounts = accounts.prefetch_related(roles)
        shown = list(accounts[:HYGIENE_ROWS_SHOWN])
        count = len(shown) if len(shown) < HYGIENE_ROWS_SHOWN else accounts.count()
        lists.append(HygieneList(reason=reason.value, label=reason.label, count=count, accounts=shown))
    refused = list(SignInRefused.objects.all()[:50])
    disabled = list(AccountDisabling.objects.select_related("user", "disabled_by")[:20])
    return {
        "lists": lists,
        "refused_sign_ins": refused,
        "disablings": disabled,
        "inactive_days": settings.HYGIENE_INACTIVE_DAYS,
        "today": timezone.localdate(now),
    }


# Role requests -------------------------------------------------------------------------------------

# The decided requests the page shows, newest first; the rest stay in the database (the audit trail).
ROLE_REQUESTS_DECIDED_SHOWN = 50


def role_requests_for(*, user: User) -> dict | None:
    """The role requests page: what waits for the board (each with why ``user`` may not decide it, if
    so) and the latest decisions. None for anyone who may not see it. Three queries at any size."""
    if not may_request_roles(user):
        return None
    related = ("user", "school", "requested_by", "decided_by")
    pending = list(RoleRequest.objects.filter(state=RoleRequestState.PENDING).select_related(*related))
    for role_request in pending:
        role_request.refusal = role_request_decision_refusal(user, role_request)
    decided = list(
        RoleRequest.objects.exclude(state=RoleRequestState.PENDING)
        .select_related(*related)
        .order_by("-decided_at", "-pk")[:ROLE_REQUESTS_DECIDED_SHOWN]
    )
    return {"pending": pending, "decided": decided, "is_board_member": user.is_board_member}
