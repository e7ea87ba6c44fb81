"""Error pages that need nothing from the database: a 503 when it is unreachable, else a 500."""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

# Errors that mean "the database cannot be reached now", not "the code is wrong".
UNAVAILABLE = (OperationalError, InterfaceError)

FALLBACK_503 = "<h1>De portal is even niet bereikbaar</h1><p>Wat u net verstuurde, is niet opgeslagen.</p>"
FALLBACK_500 = "<h1>Er ging iets mis</h1><p>Wat u net verstuurde, is niet opgeslagen.</p>"


def server_error(request, *args, **kwargs):
    """handler500: Django calls it inside its `except`, so the exception is still at hand.

    Rendered without the request, so no context processor touches the database that may be down.
    Nothing was half-written: every write of the portal is one transaction, rolled back on error.
    """
    error = sys.exc_info()[1]
    if isinstance(error, UNAVAILABLE):
        logger.error("Database unavailable: %s", error)
        response = HttpResponse(_page("503.html", FALLBACK_503), status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponse(_page("500.html", FALLBACK_500), status=500)


def _page(template: str, fallback: str) -> str:
    """The error page; if even that cannot be rendered, a plain one: an error page must not fail."""
    try:
        return render_to_string(template)
    except Exception:  # whatever broke, the visitor still gets an answer
        logger.exception("Error page %s could not be rendered.", template)
        head = '<!doctype html><html lang="nl"><meta charset="utf-8"><title>SKOW Portal</title>'
        return f"{head}{fallback}</html>"
