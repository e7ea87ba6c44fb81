"""Middleware of the project: the chosen language and the security headers (compression: common.compression)."""

from __future__ import annotations

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Like Django's LocaleMiddleware, but ignores the browser's Accept-Language.

    Parents and staff of a Dutch school read Dutch, whatever language their phone is set to; the
    language cookie (set by the switcher in the footer) is the way to another language. A browser
    without that cookie shows a logged-in person's own stored language (accounts.User.language,
    kept by the switcher), so an English-speaking parent who logs in on a new phone reads English.
    Runs after AuthenticationMiddleware for that.
    """

    def process_request(self, request):
        languages = dict(settings.LANGUAGES)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen not in languages and settings.SESSION_COOKIE_NAME in request.COOKIES:
            user = getattr(request, "user", None)
            chosen = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
        language = chosen if chosen in languages else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class SecurityHeadersMiddleware:
    """The Content-Security-Policy and Permissions-Policy on every response (SECURITY.md).

    Django's SecurityMiddleware already sends X-Content-Type-Options, Referrer-Policy and
    Cross-Origin-Opener-Policy; these two it does not. A view that sets its own policy keeps it:
    evidence downloads answer with ``default-src 'none'; sandbox``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        for header, value in (
            ("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY),
            ("Permissions-Policy", settings.PERMISSIONS_POLICY),
        ):
            if value and header not in response.headers:
                response.headers[header] = value
        return response
