"""Middleware of the project: the chosen language, the security headers, compressed public pages."""

from __future__ import annotations

from django.conf import settings
from django.middleware.gzip import GZipMiddleware
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


class PublicPageCompressionMiddleware(GZipMiddleware):
    """gzip for public pages, and only for them (BREACH, CVE-2013-3587).

    Compressing a page that holds a secret next to something an attacker can put in it (a query
    string, a typed value) lets the attacker read the secret from the compressed size. So a page
    is compressed only when it holds no secret at all:

    - no CSRF token was rendered into it (``get_token`` has the CSRF cookie set on the response;
      Django also masks the token anew on every response, but a page without one needs no such
      argument);
    - it is not private: no ``Cache-Control: private`` or ``no-store`` (``never_cache``, the private
      pages of common/pages.py, a login link, a receipt code, a followed report);
    - it is an answer to a visitor without a login session, with a 200 and HTML.

    Left for it: the protocol, its versions and diffs, the help pages and the home page of a
    visitor: the largest pages, and the same for everyone. Static files are compressed ahead of
    time by whitenoise (CompressedManifestStaticFilesStorage) and served before this runs. Django's
    GZipMiddleware adds random bytes to each response as well ("Heal the Breach").
    """

    def process_response(self, request, response):
        if not self._is_public(request, response):
            return response
        return super().process_response(request, response)

    @staticmethod
    def _is_public(request, response) -> bool:
        cache_control = response.get("Cache-Control", "").lower()
        user = getattr(request, "user", None)
        return (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and response.get("Content-Type", "").startswith("text/html")
            # A rendered token makes CsrfViewMiddleware (inner, so it has run) set the cookie.
            and settings.CSRF_COOKIE_NAME not in response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and "private" not in cache_control
            and "no-store" not in cache_control
            and not (user is not None and user.is_authenticated)
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        )
