"""Which schools a person leads or oversees; who may log in how.

1. **Schools** (``leads_schools``, ``schools_led_by``, ``schools_overseen_by``): the rule other apps build theirs on
   (consent campaigns, read receipts), so "the school's leadership and the board" is written once.
2. **Logging in**: a trusted browser passes another's lockout; how django-axes names an attempt.
3. **Account hygiene** (``may_see_account_hygiene``): who sees the report of stale accounts and disables them.
4. **Role requests** (``may_request_roles``, ``role_request_decision_refusal``): who asks for a leader, board or
   functional-admin role to be given or taken away, and who approves it (a board member, never the requester
   nor the person concerned: the back office cannot make itself the board).

Private pages and the second factor are ``common.access``; e-mailed links' secrets ``common.links``.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.core import signing
from django.db.models import QuerySet
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from .constants import Role, RoleRequestState
from .models import RoleRequest, School, User
from .throttle import throttle_count, throttle_hit

# 1. Schools -----------------------------------------------------------------------------------------


def leads_schools(user: User) -> bool:
    """Whether ``user`` is part of a school's leadership: a school leader, or the board (of every
    school). ``schools_led_by`` says which schools."""
    return user.is_authenticated and (user.is_board_member or user.is_school_leader)


def schools_led_by(*, user: User) -> QuerySet[School]:
    """The schools whose leadership ``user`` is part of: a leader their own, the board every school
    (the board is the competent authority, "bevoegd gezag", of all of them: WPO art. 1).

    Not the back office: functional admins keep the records (``schools_overseen_by``), but what a
    school decides about its people — consent campaigns, read receipts — is its leadership's.
    """
    if not leads_schools(user):
        return School.objects.none()
    if user.is_board_member:
        return School.objects.all()
    return School.objects.filter(pk__in=user.school_ids_for(Role.SCHOOL_LEADER))


def schools_overseen_by(*, user: User) -> QuerySet[School]:
    """Schools whose pupils, groups and staff ``user`` may list: those they lead (``schools_led_by``)
    and, for functional admins, every school (they import and correct the records)."""
    if user.is_authenticated and user.is_functional_admin:
        return School.objects.all()
    return schools_led_by(user=user)


# 2. Logging in --------------------------------------------------------------------------------------

# A trusted browser is not locked out by other people's failures ------------------------------------
# django-axes locks a login name on an address after AXES_FAILURE_LIMIT wrong passwords. On a school
# network everybody shares the address, so a pupil could lock the head out. A browser in which the
# person logged in before (or lifted a lockout from the e-mailed link) carries a signed cookie for
# that login name: it is let through the lockout (AXES_WHITELIST_CALLABLE) while its own count of
# failures this hour is under AXES_FAILURE_LIMIT; after that axes counts it like any browser. So a
# stolen cookie buys at most that many guesses an hour more (and leaders still need the second factor).

TRUSTED_DEVICE_COOKIE = "skow_trusted_device"
TRUSTED_DEVICE_SALT = "accounts.trusted-device"
TRUSTED_DEVICE_DAYS = 180
TRUSTED_DEVICE_FAILURES = "login-device"


def _login_name_digest(username: str) -> str:
    return hashlib.sha256(f"login:{username.strip().lower()}".encode()).hexdigest()[:24]


def trusted_device_mark(response: HttpResponse, *, username: str) -> HttpResponse:
    value = signing.dumps(
        {"u": _login_name_digest(username), "d": secrets.token_hex(12)}, salt=TRUSTED_DEVICE_SALT, compress=True
    )
    response.set_cookie(
        TRUSTED_DEVICE_COOKIE,
        value,
        max_age=TRUSTED_DEVICE_DAYS * 24 * 60 * 60,
        path=reverse("accounts:login"),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def trusted_device(request, *, username: str) -> str | None:
    """The id of this browser's trust for ``username``, or None (no cookie, another name, tampered)."""
    try:
        value = signing.loads(
            request.COOKIES.get(TRUSTED_DEVICE_COOKIE, ""),
            salt=TRUSTED_DEVICE_SALT,
            max_age=TRUSTED_DEVICE_DAYS * 24 * 60 * 60,
        )
    except signing.BadSignature:
        return None
    if not isinstance(value, dict) or value.get("u") != _login_name_digest(username or ""):
        return None
    return str(value.get("d", "")) or None


def login_lockout_passes(request, credentials: dict | None = None) -> bool:
    """AXES_WHITELIST_CALLABLE: a trusted browser with failures left this hour is not locked out."""
    username = (credentials or {}).get(settings.AXES_USERNAME_FORM_FIELD) or request.POST.get(
        settings.AXES_USERNAME_FORM_FIELD, ""
    )
    device = trusted_device(request, username=username)
    if device is None:
        return False
    return throttle_count(scope=TRUSTED_DEVICE_FAILURES, client=device) < settings.AXES_FAILURE_LIMIT


def login_failure_on_trusted_device(request, *, username: str) -> None:
    """Count a wrong password typed in a trusted browser against that browser."""
    device = trusted_device(request, username=username)
    if device is not None:
        throttle_hit(scope=TRUSTED_DEVICE_FAILURES, client=device)


def login_client_str(username, ip_address, user_agent, path_info, request) -> str:
    """AXES_CLIENT_STR_CALLABLE: how django-axes names a login attempt in the log. No address, no
    browser, no e-mail address (SECURITY.md, "What the logs keep"): a short hash of the login name,
    enough to see that the same account is tried again."""
    return f"login {_login_name_digest(username or '')[:8]}"


# 3. Account hygiene ---------------------------------------------------------------------------------


def may_see_account_hygiene(user: User) -> bool:
    """The account hygiene report (and disabling from it) is for the functional admin, who keeps the
    accounts, and the board, answerable for who has access to children's data (AVG art. 5(1)(f), 32)."""
    return user.is_authenticated and (user.is_functional_admin or user.is_board_member)


# 4. Role requests -----------------------------------------------------------------------------------


def may_request_roles(user: User) -> bool:
    """The role requests page: the functional admin (who keeps the accounts) and the board (who approves)
    see it and may ask for a guarded role to be given or taken away."""
    return user.is_authenticated and (user.is_functional_admin or user.is_board_member)


def role_request_decision_refusal(user: User, role_request: RoleRequest) -> str | None:
    """Why ``user`` may not decide ``role_request``, or None when they may.

    Two people: a board member decides, never the one who asked and never the person it concerns
    (who would otherwise approve their own leadership, board seat or back office).
    """
    if not (user.is_authenticated and user.is_board_member):
        return _("Alleen een lid van het bestuur keurt een rolwijziging goed.")
    if role_request.state != RoleRequestState.PENDING:
        return _("Over deze aanvraag is al besloten.")
    if role_request.user_id == user.pk:
        return _("Deze aanvraag gaat over u: een ander lid van het bestuur beslist erover.")
    if role_request.requested_by_id == user.pk:
        return _("U heeft deze aanvraag zelf gedaan: een ander lid van het bestuur beslist erover.")
    return None
