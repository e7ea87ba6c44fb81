"""Who may log in how: a trusted browser passes another's lockout; how django-axes names an attempt.

Private pages and the second factor are ``common.access``; e-mailed links' secrets ``common.links``.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.core import signing
from django.http import HttpResponse
from django.urls import reverse

from .throttle import throttle_count, throttle_hit

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
