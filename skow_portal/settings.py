"""Settings of the SKOW Portal, read from the environment (see README, "Settings").

Nothing here exists only in production: differences are switched by variables.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Exchange, Queue

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

# GENERAL
# ------------------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-used-with-DEBUG-on"
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
# Absolute address of the portal, used for links in e-mails (no request there).
PORTAL_BASE_URL = env("PORTAL_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("Engels"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# APPS
# ------------------------------------------------------------------------------
INSTALLED_APPS = [
    "skow_portal.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    # The portal's own apps; dependencies point one way (docs/architecture.md).
    "accounts",
    "notifications",
    "retention",
    "policy",
    "consent",
    "reports",
    "sanctions",
    "recordings",
    "consultations",
    "integrity",
    "complaints",
    # The project package: navigation and `seed_demo`, which know every app.
    "skow_portal.apps.PortalConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Each request unwraps a case's data key once and forgets it after (common/vault.py).
    "common.vault.KeyRingMiddleware",
    "skow_portal.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses public pages only; never one with a CSRF token or a private answer (BREACH).
    "common.compression.PublicPageCompressionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: without a chosen language, a logged-in person's stored one.
    "skow_portal.middleware.ChosenLanguageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A refusal no view put on a form or in a message: a 403 page in Dutch, or 404/410 (common/refusals.py).
    "common.refusals.ActionRefusedMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "skow_portal.urls"
WSGI_APPLICATION = "skow_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "skow_portal.navigation.portal_navigation",
            ],
        },
    },
    {
        # The plain-text part and the subject of an e-mail are not HTML: the same templates, read
        # without HTML escaping, so a name like "van 't Riet" is not sent as "van &#x27;t Riet".
        # notifications.services renders *.txt with this engine (using=PLAIN_TEXT_ENGINE).
        "NAME": "plain_text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]

# DATABASES
# ------------------------------------------------------------------------------
# Embedded default: a SQLite file. Production and CI: PostgreSQL via DATABASE_URL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# A kept connection is checked before it is used again, so a restarted database costs one retry-free
# reconnect instead of an error (requests and, see CELERY_DB_REUSE_MAX, the worker's tasks alike).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The embedded default has one writer at a time. A transaction that reads first and writes later
    # (the outbox locks a row, sends, then marks it sent) must take the write lock when it begins,
    # and wait for it, or SQLite refuses the write at once when a web request writes meanwhile; an
    # e-mail sent but not marked would then be sent again.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# CACHES
# ------------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    # A Redis outage reads as cache misses, never as an error page (skow_portal/cache.py): nothing a
    # person does in the portal may depend on the cache being up.
    CACHES = {"default": {"BACKEND": "skow_portal.cache.ResilientRedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Public pages that are the same for every visitor (/protocol/) are kept by cache_page in each web
# process's own memory: no network round trip for the most-read page. Like a proxy's copy, each may
# be up to its cache_page time old when a new version takes effect.
CACHES["public_pages"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "public-pages"}

# AUTHENTICATION
# ------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out login before a password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
# Parents and pupils log in by a single-use e-mailed link (DESIGN: no password to forget).
LOGIN_LINK_VALIDITY = timedelta(minutes=env.int("LOGIN_LINK_MINUTES", default=30))
OTP_TOTP_ISSUER = "SKOW Portal"
# No device key in django-otp's own admin pages either (ours shows none: accounts.admin).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 8)

# SINGLE SIGN-ON (OpenID Connect; README, "Single sign-on for staff")
# ------------------------------------------------------------------------------
# Staff may sign in with the board's Microsoft (Entra ID) account and/or Google Workspace account.
# A provider is on when its client id is set; with none set the login page is as before.
SSO_MICROSOFT_CLIENT_ID = env("SSO_MICROSOFT_CLIENT_ID", default="")
SSO_MICROSOFT_CLIENT_SECRET = env("SSO_MICROSOFT_CLIENT_SECRET", default="")
# The board's tenant (directory) id: tokens of any other tenant, consumer accounts included, are refused.
SSO_MICROSOFT_TENANT_ID = env("SSO_MICROSOFT_TENANT_ID", default="")
# The issuer the tokens must carry; its discovery document is read from <authority>/.well-known/...
SSO_MICROSOFT_AUTHORITY = env(
    "SSO_MICROSOFT_AUTHORITY", default=f"https://login.microsoftonline.com/{SSO_MICROSOFT_TENANT_ID}/v2.0"
)
SSO_GOOGLE_CLIENT_ID = env("SSO_GOOGLE_CLIENT_ID", default="")
SSO_GOOGLE_CLIENT_SECRET = env("SSO_GOOGLE_CLIENT_SECRET", default="")
# The board's Google Workspace domain: the token's "hd" claim must be exactly this.
SSO_GOOGLE_DOMAIN = env("SSO_GOOGLE_DOMAIN", default="")
SSO_GOOGLE_AUTHORITY = env("SSO_GOOGLE_AUTHORITY", default="https://accounts.google.com")
# E-mail domains of the board's staff: a first sign-in is matched on such an address only
# (default: the Google Workspace domain, if set).
SSO_EMAIL_DOMAINS = [
    domain.lower().lstrip("@")
    for domain in env.list("SSO_EMAIL_DOMAINS", default=[SSO_GOOGLE_DOMAIN] if SSO_GOOGLE_DOMAIN else [])
]
# Token claims that say multi-factor was used: leaders, board and admins skip the portal's own code
# step only then. "amr" values (RFC 8176) and "acr" values, as the board's provider sends them.
SSO_MFA_AMR_VALUES = env.list("SSO_MFA_AMR_VALUES", default=["mfa"])
SSO_MFA_ACR_VALUES = env.list("SSO_MFA_ACR_VALUES", default=[])
# How often the provider is asked whether a signed-in account is still enabled (Celery beat);
# a session of a disabled account ends at the next check.
SSO_RECHECK_MINUTES = env.int("SSO_RECHECK_MINUTES", default=15)
# Refused sign-ins are kept this long for the functional admin.
SIGN_IN_REFUSAL_RETENTION_DAYS = env.int("SIGN_IN_REFUSAL_RETENTION_DAYS", default=90)
# The account hygiene report: staff accounts without a login for this many days.
HYGIENE_INACTIVE_DAYS = env.int("HYGIENE_INACTIVE_DAYS", default=90)

# django-axes: lock a login out after repeated failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The login form posts the e-mail address as "username" (Django's AuthenticationForm).
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# A browser that logged in as this person before (or lifted the lockout from the e-mailed link) is
# not locked out by other people's wrong passwords on the same network (accounts/access.py).
AXES_WHITELIST_CALLABLE = "accounts.access.login_lockout_passes"
AXES_VERBOSE = False
# How axes names an attempt in the log: a short hash of the login name, no address or e-mail.
AXES_CLIENT_STR_CALLABLE = "accounts.access.login_client_str"
# Terms of the processing register (SECURITY.md), enforced daily by accounts.tasks.login_traces_purge_task.
LOGIN_LINK_RETENTION_DAYS = env.int("LOGIN_LINK_RETENTION_DAYS", default=30)
AXES_FAILURE_LOG_RETENTION_DAYS = env.int("AXES_FAILURE_LOG_RETENTION_DAYS", default=30)
AXES_ACCESS_LOG_RETENTION_DAYS = env.int("AXES_ACCESS_LOG_RETENTION_DAYS", default=90)
# Behind nginx the client address is in X-Forwarded-For; it is trusted only for PROXY_COUNT proxies.
PROXY_COUNT = env.int("PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "common.access.client_ip"

# STATIC
# ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Served at the site's root by whitenoise: /favicon.ico, which browsers ask for on any page.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Private files (evidence, scans) live outside the static roots; served only through views.
PRIVATE_STORAGE_ROOT = env("PRIVATE_STORAGE_ROOT", default=str(BASE_DIR / "var" / "private"))
# The key of the backup archives (`manage.py backup` / `restore`, README "Backup and restore"): a
# file holding base64 of 32 random bytes (`manage.py backup_key_new`), or the value itself. Never in
# the database and never inside an archive: keep it apart from the archives.
BACKUP_KEY_FILE = env("BACKUP_KEY_FILE", default="")
BACKUP_KEY = env("BACKUP_KEY", default="")
# Where `manage.py chain_anchor` appends the heads of the hash chains (README, "Tamper-evident
# history"): outside the database, so a rewritten history shows against it. Best on another machine.
CHAIN_ANCHOR_FILE = env("CHAIN_ANCHOR_FILE", default=str(BASE_DIR / "var" / "chain-anchors.jsonl"))
# Evidence sent with reports: random file names, served only by reports' permission-checked view.
EVIDENCE_ROOT = env("EVIDENCE_ROOT", default=str(Path(PRIVATE_STORAGE_ROOT) / "evidence"))
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024)
EVIDENCE_MAX_FILES = env.int("EVIDENCE_MAX_FILES", default=5)
# Images larger than this (width x height, read from the header) are refused before decoding.
# 25 MP takes a 24-megapixel phone photo (5712x4284) and any screenshot, a tall scrolling one
# too; decoding one costs at most about 100 MB (4 bytes a pixel), where Pillow's own bomb limit
# (89 MP) would let a 143 KB file take 0.4 GB and more of a web worker.
EVIDENCE_MAX_IMAGE_PIXELS = env.int("EVIDENCE_MAX_IMAGE_PIXELS", default=25_000_000)

# THE VAULT (common/vault.py; README, "Keys")
# ------------------------------------------------------------------------------
# Case content is sealed with per-case data keys (the key store), which a master key wraps. Neither
# lives in the database or in PRIVATE_STORAGE_ROOT, so a dump or a copy of the files shows no content,
# and erasing a data key erases its case from every backup. SKOW_MASTER_KEY holds the key(s) itself
# ("<id>:<base64>", comma-separated, current first); SKOW_MASTER_KEY_FILE names a file with one a line.
VAULT_MASTER_KEY = env("SKOW_MASTER_KEY", default="")
VAULT_MASTER_KEY_FILE = env("SKOW_MASTER_KEY_FILE", default=str(BASE_DIR / "var" / "master.key") if DEBUG else "")
if not DEBUG and not VAULT_MASTER_KEY and not (VAULT_MASTER_KEY_FILE and Path(VAULT_MASTER_KEY_FILE).is_file()):
    raise ImproperlyConfigured(
        "SKOW_MASTER_KEY or SKOW_MASTER_KEY_FILE (an existing file) must be set when DEBUG is off."
    )
VAULT_KEY_STORE = env("SKOW_KEY_STORE", default=str(BASE_DIR / "var" / "keystore"))

# E-MAIL
# ------------------------------------------------------------------------------
# EMAIL_URL, e.g. smtp+tls://user:pass@mail.example.nl:587 ; default prints to the console.
# filemail:////var/tmp/skow-mail writes files to /var/tmp/skow-mail (an absolute path needs four slashes).
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="SKOW Portal <portal@skow.nl>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = 20

# CELERY
# ------------------------------------------------------------------------------
# Unset broker: tasks run eagerly in-process (the embedded default of `make run`).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL) or "memory://localhost/"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=CELERY_BROKER_URL.startswith("memory://"))
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_IGNORE_RESULT = CELERY_RESULT_BACKEND is None
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A task is acknowledged only after it ran, and a worker takes one at a time: a worker killed
# mid-task leaves its message for another. Every task must therefore be idempotent: delivery
# locks the notification row and sends nothing for a row that is no longer pending.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Celery's Django fixup closes the database connection after every task unless this is set: each
# e-mail then paid for a new PostgreSQL connection, half of its delivery time. Instead the worker
# treats a task as Django treats a request: CONN_MAX_AGE and the health check decide
# (skow_portal/celery.py); the fixup only closes after this many tasks.
CELERY_DB_REUSE_MAX = 1000
# A request must not hang when the broker is down: fail fast; the outbox sweep re-queues later.
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5, "visibility_timeout": 3600}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
# Two queues, so that mail one person waits for never waits behind mass mail (docs/architecture.md).
# "<CELERY_QUEUE>.urgent": reports, replies, deadline alerts, login links, and the outbox sweep that
# is their safety net (milliseconds of work); the Procfile's worker-urgent serves only this queue.
# "<CELERY_QUEUE>": campaigns and other mass mail, and every other task, beat's included;
# the Procfile's worker serves it (and urgent mail when it is free).
# notifications.services.notification_enqueue decides which mail is which.
# Both names start with CELERY_QUEUE, so that separate installations (or test runs) share a Redis.
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default="celery")
urgent_queue = f"{CELERY_TASK_DEFAULT_QUEUE}.urgent"
CELERY_TASK_QUEUES = [
    Queue(name, Exchange(name), routing_key=name) for name in (CELERY_TASK_DEFAULT_QUEUE, urgent_queue)
]
CELERY_TASK_ROUTES = {
    "notifications.tasks.notification_deliver_task": {"queue": urgent_queue},
    "notifications.tasks.notification_sweep_task": {"queue": urgent_queue},
    # A parent waiting for a login link (or staff for a password or unlock link) is urgent too.
    "accounts.tasks.link_request_answer_task": {"queue": urgent_queue},
}
NOTIFICATION_SWEEP_INTERVAL = env.float("NOTIFICATION_SWEEP_INTERVAL_SECONDS", default=60.0)
CELERY_BEAT_SCHEDULE = {
    "notifications-sweep": {
        "task": "notifications.tasks.notification_sweep_task",
        "schedule": NOTIFICATION_SWEEP_INTERVAL,
    },
    "consent-campaign-reminders": {"task": "consent.tasks.consent_campaign_remind_task", "schedule": 60.0 * 60},
    # A campaign started while the broker was down is handed to the queue again once it is back.
    "consent-campaign-resume": {"task": "consent.tasks.consent_campaign_resume_task", "schedule": 5 * 60.0},
    "consent-age-of-consent": {"task": "consent.tasks.consent_age_of_consent_task", "schedule": 6 * 60.0 * 60},
    # Both are idempotent, so hourly is safe; a version takes effect within the hour of its date.
    "policy-take-effect": {"task": "policy.tasks.protocol_take_effect_task", "schedule": 60.0 * 60},
    "policy-acknowledgement-reminders": {
        "task": "policy.tasks.protocol_acknowledgement_remind_task",
        "schedule": 60.0 * 60,
    },
    # Case files: reminders before and alerts after the deadlines.
    "case-deadlines": {"task": "reports.tasks.case_deadlines_task", "schedule": 60.0 * 60},
    # Retention per kind of record (the board's terms, /retention/): cases (legal hold excepted),
    # pupil-linked cases after the pupil left, questions to one's leader, recording permissions, and
    # every kind another app registers; one deletion log row per kind, counts only. At night.
    "retention-purge": {"task": "retention.tasks.retention_purge_task", "schedule": crontab(hour=2, minute=30)},
    # The staff channel for misstanden: warnings before and alerts after its 7-day and 3-month clocks.
    "misstand-deadlines": {"task": "integrity.tasks.misstand_deadlines_task", "schedule": 60.0 * 60},
    # Complaints: reminders before the board's four weeks after the committee's advice run out.
    "complaint-deadlines": {"task": "complaints.tasks.complaint_deadlines_task", "schedule": 60.0 * 60},
    # The meldcode: Veilig Thuis's feedback (5 working days after a melding) and help evaluation dates.
    "meldcode-reminders": {"task": "sanctions.tasks.meldcode_reminders_task", "schedule": 60.0 * 60},
    # A receipt code waits sealed for the thank-you page only RECEIPT_HANDOVER_MINUTES.
    "receipt-handover-purge": {"task": "reports.tasks.receipt_handover_purge_task", "schedule": 5 * 60.0},
    # Housekeeping by the terms of the processing register (SECURITY.md): old outbox rows, login
    # links, expired sessions, failed logins, the access log, and rate-limit counts.
    "notification-purge": {"task": "notifications.tasks.notification_purge_task", "schedule": 24 * 60.0 * 60},
    "login-traces-purge": {"task": "accounts.tasks.login_traces_purge_task", "schedule": 24 * 60.0 * 60},
    # Sessions opened through Microsoft or Google end soon after the board disables the account there.
    "sso-sessions-recheck": {
        "task": "accounts.tasks.sso_sessions_recheck_task",
        "schedule": SSO_RECHECK_MINUTES * 60.0,
    },
}
# Outbox delivery: attempts before a notification is marked failed, and how long a row may stay
# pending before the sweep hands it to the queue again.
NOTIFICATION_MAX_ATTEMPTS = env.int("NOTIFICATION_MAX_ATTEMPTS", default=6)
NOTIFICATION_SWEEP_AFTER = timedelta(seconds=env.int("NOTIFICATION_SWEEP_AFTER_SECONDS", default=120))
# Outbox rows are deleted this long after they were written, except e-mails still pending (SECURITY.md).
NOTIFICATION_RETENTION_DAYS = env.int("NOTIFICATION_RETENTION_DAYS", default=90)

# SECURITY
# ------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No inline script or style anywhere (templates keep to static files; a test scans them), so the
# policy needs no 'unsafe-inline'. data: images: Bootstrap's CSS draws its icons with them.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
X_FRAME_OPTIONS = "DENY"
if env.bool("BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]

# FORMS
# ------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# LOGGING
# ------------------------------------------------------------------------------
# Every line passes RedactingFilter: no link secret, query string or client address in any log
# (skow_portal/log_privacy.py; SECURITY.md, "What the logs keep").
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "skow_portal.log_privacy.RedactingFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# REPORTS
# ------------------------------------------------------------------------------
# Receipt codes are stored as an HMAC under this key; changing it invalidates every code.
RECEIPT_CODE_KEY = env("RECEIPT_CODE_KEY", default=SECRET_KEY)
# Per client address and hour, counted in the database (accounts/throttle.py): reports sent without
# login, and receipt codes tried, before the browser must pass a check first. Nobody is refused: a
# busy address is slowed (a proof of work in the browser, or a question without JavaScript), so one
# pupil on the school's network cannot close the channel for the whole school (protocol A.9).
REPORT_INTAKE_FREE_PER_HOUR = env.int("REPORT_INTAKE_FREE_PER_HOUR", default=5)
REPORT_FOLLOW_FREE_PER_HOUR = env.int("REPORT_FOLLOW_FREE_PER_HOUR", default=10)
# Login, unlock and password links asked for per client address and hour before the browser must pass
# the check. Generous: on a consent evening the parents on the school's Wi-Fi share one address, and
# beyond it they are slowed, never refused. Each inbox is protected by a limit per typed address
# (accounts.services.LINKS_PER_RECIPIENT_PER_HOUR), which a network limit cannot give anyway.
LINK_REQUESTS_FREE_PER_NETWORK_PER_HOUR = env.int("LINK_REQUESTS_FREE_PER_NETWORK_PER_HOUR", default=60)
# The check: proof-of-work difficulty in bits (each bit doubles the work; 18 is about a second in a
# phone's browser), rising with how busy the address is; step-up answers per address and hour.
CHALLENGE_BITS_MIN = env.int("CHALLENGE_BITS_MIN", default=18)
CHALLENGE_BITS_MAX = env.int("CHALLENGE_BITS_MAX", default=21)
CHALLENGE_STEP_UPS_PER_HOUR = env.int("CHALLENGE_STEP_UPS_PER_HOUR", default=10)
# Minutes a receipt code waits, sealed, for the reporter's thank-you page before it is gone.
RECEIPT_HANDOVER_MINUTES = env.int("RECEIPT_HANDOVER_MINUTES", default=15)
# How long a reporter who entered the code may keep reading the report without typing it again.
REPORT_FOLLOW_SESSION_SECONDS = env.int("REPORT_FOLLOW_SESSION_SECONDS", default=30 * 60)

# CASE FILES
# ------------------------------------------------------------------------------
# Deadlines (EU whistle-blower directive art. 9): acknowledge within 7 days, feedback within 3 months;
# a reminder goes out this many days before each deadline, an alert when it has passed.
CASE_ACKNOWLEDGE_DAYS = env.int("CASE_ACKNOWLEDGE_DAYS", default=7)
CASE_FEEDBACK_MONTHS = env.int("CASE_FEEDBACK_MONTHS", default=3)
CASE_ACKNOWLEDGE_REMIND_DAYS_BEFORE = env.int("CASE_ACKNOWLEDGE_REMIND_DAYS_BEFORE", default=2)
CASE_FEEDBACK_REMIND_DAYS_BEFORE = env.int("CASE_FEEDBACK_REMIND_DAYS_BEFORE", default=14)
# The staff channel for misstanden (Wet bescherming klokkenluiders): its 7-day and 3-month terms are
# the law's; the board and the officers are warned this many days before each, and alerted after.
INTEGRITY_ACKNOWLEDGE_WARN_DAYS_BEFORE = env.int("INTEGRITY_ACKNOWLEDGE_WARN_DAYS_BEFORE", default=2)
INTEGRITY_FEEDBACK_WARN_DAYS_BEFORE = env.int("INTEGRITY_FEEDBACK_WARN_DAYS_BEFORE", default=14)
# Complaints: the board decides within four weeks of the committee's advice (klachtenregeling);
# it is reminded this many days before the end, and alerted when the term has passed.
COMPLAINT_DECISION_REMIND_DAYS_BEFORE = env.int("COMPLAINT_DECISION_REMIND_DAYS_BEFORE", default=7)
# Closed cases are anonymised this many days after closing, unless on legal hold (AVG art. 5(1)(e)).
CASE_RETENTION_DAYS = env.int("CASE_RETENTION_DAYS", default=2 * 365)
# A staff member's question to their leader (B.3, B.4) is no case: erased this many days after its
# last message (AVG art. 5(1)(e)); one turned into a case lives on in the case file.
CONSULTATION_RETENTION_DAYS = env.int("CONSULTATION_RETENTION_DAYS", default=90)
# "Ernstig incident" (criminal offence, serious threat, discrimination, gross bullying, sexual
# offence): a flag on a case that gives the board the task "melding Inspectie overwegen", due this
# many days after flagging. Off until the law requires reporting them (the Wet vrij en veilig
# onderwijs bill); a board may switch it on earlier.
SERIOUS_INCIDENT_TASKS = env.bool("SERIOUS_INCIDENT_TASKS", default=False)
SERIOUS_INCIDENT_TASK_DAYS = env.int("SERIOUS_INCIDENT_TASK_DAYS", default=5)
# What other apps add to the case file (close checks, anonymisation, panels) they register in
# reports/extensions.py from their AppConfig.ready(); no setting names them.
