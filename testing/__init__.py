"""The test harness: the real services a test may ask for, as pytest plugins.

The root ``conftest.py`` holds the people and the browser; it registers these modules with
``pytest_plugins``, so their fixtures serve every app's tests:

- ``testing.services``: ``require_service`` (in CI a missing service fails the test, elsewhere it
  skips it), ``wait_until``, the machine's Redis (``redis_url``) and a private ``redis-server``.
- ``testing.celery_worker``: a real Celery worker on a broker (``celery_worker_on``), or only the
  queues a test's tasks are published to (``celery_queues_on``).
- ``testing.mail``: an SMTP server on 127.0.0.1 (``smtp_server``, keeping each message it
  accepted), Django pointed at it (``smtp_settings``) and the path in an e-mail of Django's test
  outbox (``mailed_path``).
- ``testing.web``: the Procfile's ``web`` line under gunicorn (``procfile_web``) and a small
  ``HttpClient`` for it.
- ``testing.axe``: axe-core's WCAG 2.2 AA findings on a page (``axe_violations``).

A test imports what it calls by name from here (``from testing.services import wait_until``),
never from ``conftest``. Tests that need a service carry ``pytest.mark.services``, those that drive
Chromium ``pytest.mark.browser``; ``make test-fast`` leaves both out.
"""
