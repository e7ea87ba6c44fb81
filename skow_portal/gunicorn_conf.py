"""gunicorn's settings for the web process (Procfile: ``gunicorn -c python:skow_portal.gunicorn_conf``).

The access log keeps time, method, path, status, size and duration: no client address, no user
agent, no referrer, no query string, no secret of an e-mailed link (skow_portal/log_privacy.py;
SECURITY.md, "What the logs keep"). Workers and port come from the environment as before.
"""

import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
accesslog = "-"
logger_class = "skow_portal.log_privacy.PortalLogger"
access_log_format = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
