"""E-mailed links: the secret leaves the URL at once.

Used by every page a link the portal mails leads to (a login link, an unlock link, a consent
invitation); the secret is whatever the app put in the link, this module only moves it.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect

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
