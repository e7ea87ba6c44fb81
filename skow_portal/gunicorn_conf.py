"""gunicorn's settings for the web process (Procfile: ``gunicorn -c python:skow_portal.gunicorn_conf``).

The access log keeps time, method, path, status, size and duration: no client address, no user
agent, no referrer, no query string, no secret of an e-mailed link (skow_portal/log_privacy.py;
SECURITY.md, "What the logs keep"). Workers and port come from the environment as before.

gunicorn names itself in a ``Server`` header on every answer and has no setting to leave it out
(benoitc/gunicorn#825); it is left out here, before any worker answers. Naming the software only
helps whoever scans for a version with a known hole. nginx in front sends its own (README,
Deployment: ``server_tokens off``). skow_portal/tests/test_public_pages.py checks it under the
Procfile's own web line.
"""

import os

from gunicorn.http import wsgi as _gunicorn_wsgi

_gunicorn_headers = _gunicorn_wsgi.Response.default_headers


def _headers_without_server(response) -> list[str]:
    return [line for line in _gunicorn_headers(response) if not line.lower().startswith("server:")]


_gunicorn_wsgi.Response.default_headers = _headers_without_server

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
accesslog = "-"
logger_class = "skow_portal.log_privacy.PortalLogger"
access_log_format = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
