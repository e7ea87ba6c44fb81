"""gzip for public pages only (BREACH): as middleware for every page, and as a view decorator so a
cached public page is stored compressed and not compressed again on every hit (policy.views.current)."""

from __future__ import annotations

from django.conf import settings
from django.middleware.gzip import GZipMiddleware
from django.utils.decorators import decorator_from_middleware


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


# Inside cache_page: the cache keeps the compressed page (varied on Accept-Encoding by GZipMiddleware),
# and the middleware leaves a response that already has a Content-Encoding alone.
public_gzip_page = decorator_from_middleware(PublicPageCompressionMiddleware)
