"""Who may see what: login and the second factor in front of every private page."""

from __future__ import annotations

import hashlib
import re
import secrets
from functools import wraps

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django_otp import user_has_device

from .throttle import throttle_count, throttle_hit


def is_verified(user) -> bool:
    """Past the second factor in this session (django-otp; a user fresh from login() is not)."""
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def second_factor_step(user) -> str | None:
    """The URL name of the second-factor step this logged-in user still owes, or None."""
    if is_verified(user):
        return None
    if user_has_device(user, confirmed=True):
        return "accounts:verify"
    if user.requires_second_factor:
        return "accounts:totp_setup"
    return None


def second_factor_redirect(request, next_url: str | None = None):
    """A redirect to the owed second-factor step that comes back to ``next_url``, or None."""
    step = second_factor_step(request.user)
    if step is None:
        return None
    return redirect(f"{reverse(step)}?{urlencode({REDIRECT_FIELD_NAME: next_url or request.get_full_path()})}")


def personal_page(view_func):
    """A page with personal data that no browser cache, back button or proxy may keep.

    ``Cache-Control: private, no-store`` (AVG art. 32: on a shared school computer the next user must
    not find a list of pupils in the cache). Every ``private_view`` is one; pages reached by a link
    or code without logging in (a campaign invitation, a login link) say so themselves.
    """

    @wraps(view_func)
    def wrapper(request, *args, **kwargs):
        response = view_func(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        return response

    return wrapper


def private_view(view_func):
    """A page with personal data: logged in, past the second factor where one is due, never cached."""

    @personal_page
    @wraps(view_func)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        pending = second_factor_redirect(request)
        if pending is not None:
            return pending
        return view_func(request, *args, **kwargs)

    return wrapper


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or the one our own proxies put in X-Forwarded-For."""
    if settings.PROXY_COUNT:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= settings.PROXY_COUNT:
            return forwarded[-settings.PROXY_COUNT]
    return request.META.get("REMOTE_ADDR", "")


# E-mailed links: the secret leaves the URL at once ------------------------------------------------

LINK_COOKIE_SECONDS = 2 * 60 * 60
# What the secret of a link the portal mails is made of (token_urlsafe, or a signed value).
LINK_TOKEN_LETTERS = re.compile(r"[A-Za-z0-9_\-:.]{1,200}")


def link_token_keep(token: str, *, cookie: str, to: str) -> HttpResponse:
    """Move an e-mailed link's secret out of the address bar: a short-lived cookie for the page ``to``.

    The link's own request is the only one with the secret in its path (and the access log masks it,
    skow_portal/log_privacy.py); every page after it, every form post and the browser's history see
    only ``to``. The cookie is sent to that page alone.
    """
    response = redirect(to)
    if not LINK_TOKEN_LETTERS.fullmatch(token):
        return response  # no link the portal makes looks like this: the page will say it does not work
    response.set_cookie(
        cookie,
        token,
        max_age=LINK_COOKIE_SECONDS,
        path=to,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    response["Referrer-Policy"] = "no-referrer"
    return response


def link_token(request, cookie: str) -> str:
    """The secret ``link_token_keep`` put aside for this page ('' when there is none)."""
    return request.COOKIES.get(cookie, "")[:200]


def link_token_forget(response: HttpResponse, *, cookie: str, path: str) -> HttpResponse:
    response.delete_cookie(cookie, path=path, samesite="Lax")
    return response


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
