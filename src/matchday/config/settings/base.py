"""Settings shared by every environment. Secrets and the database come from the environment."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.csp import CSP

from matchday.ops.errortracker import init_from_env as init_error_tracker_from_env
from matchday.ops.logformat import logging_config
from matchday.ops.storage import default_storage_from_env

SRC_DIR = Path(__file__).resolve().parents[3]  # src/
BASE_DIR = SRC_DIR.parent  # repository root
VAR_DIR = Path(os.environ.get("MATCHDAY_VAR_DIR", BASE_DIR / "var"))

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-insecure-key-change-me")
# Previous keys after a rotation: sessions, reset links and encrypted second factors made
# with them stay valid (comma-separated).
SECRET_KEY_FALLBACKS = [
    k for k in os.environ.get("DJANGO_SECRET_KEY_FALLBACKS", "").split(",") if k
]
DEBUG = os.environ.get("DJANGO_DEBUG", "") == "1"
ALLOWED_HOSTS = [
    h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]

INSTALLED_APPS = [
    "matchday.audits.admin_site.AuditedAdminConfig",  # django.contrib.admin, audited
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_countries",
    "axes",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Before django_tasks_db: its `db_worker` command is replaced by core's, which outlives a
    # database restart (matchday/core/management/commands/db_worker.py).
    "matchday.core",
    "django_tasks_db",
    "matchday.accounts",
    "matchday.taxonomy",
    "matchday.talent",
    "matchday.companies",
    "matchday.audits",
    "matchday.demo",
    "matchday.matchdays",
    "matchday.notifications",
    "matchday.followup",
    "matchday.learning",
    "ninja",
    "matchday.api",
    "matchday.imports",
    "matchday.embeddings",
    "matchday.ops",
]

MIDDLEWARE = [
    "matchday.ops.requestid.RequestIdMiddleware",  # first: every later log line has the id
    "matchday.ops.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "matchday.api.throttles.ClientAddressThrottleMiddleware",  # before any API work
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "matchday.core.middleware.ViewerTimezoneMiddleware",  # each person's own zone
    "django.contrib.messages.middleware.MessageMiddleware",
    "matchday.accounts.middleware.RequireMFAMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "matchday.core.middleware.PrivatePagesNoStoreMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "matchday.config.urls"
WSGI_APPLICATION = "matchday.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "matchday" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "matchday.notifications.context_processors.inbox",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'matchday.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if not os.environ.get("DATABASE_URL"):
        VAR_DIR.mkdir(parents=True, exist_ok=True)  # the embedded default lives in ./var
    # WAL lets the web server read while the worker writes; the busy timeout makes
    # concurrent writers wait instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        # Our users have one full_name, not Django's first_name/last_name.
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "full_name")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

# --- Accounts, MFA, rate limits and lock-out (docs/operations.md "Accounts and abuse") ---
# The addresses of the reverse proxies in front of the app (comma-separated addresses or
# networks). Only they may say who the client is (X-Forwarded-For); see core/clientip.py.
MATCHDAY_TRUSTED_PROXIES = [
    p for p in os.environ.get("MATCHDAY_TRUSTED_PROXIES", "").split(",") if p.strip()
]
# Personas who cannot reach their pages until they have set up a second factor.
MATCHDAY_MFA_REQUIRED_PERSONAS = ["partner", "company"]

# django-allauth: email log-in, mandatory email verification, enumeration-safe sign-up and
# password reset, and MFA (TOTP, recovery codes, WebAuthn security keys).
# accounts.adapter.AccountAdapter plus sending account emails through notifications.
ACCOUNT_ADAPTER = "matchday.notifications.account_mail.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Matchday] "
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_EMAIL_NOTIFICATIONS = True  # tell the owner of every password, email or MFA change
# Sliding windows kept in the cache, "<count>/<period>/<per>": per client address ("ip",
# see MATCHDAY_TRUSTED_PROXIES), per signed-in user ("user") or per "key" (the email typed:
# an account, whether or not it exists).
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    # Failed passwords: 20 per 10 minutes from one address across all accounts (password
    # spraying), and at most 100 an hour against one account from anywhere (ASVS 2.2.1).
    # The per-(account, address) lock-out is django-axes' below, so a stranger behind the
    # same proxy cannot lock a person out. A password reset clears the account's count.
    "login_failed": "20/10m/ip,100/h/key",
    "signup": "5/m/ip,20/h/ip,3/h/key",
    "reset_password": "5/m/ip,20/h/ip,3/h/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "reauthenticate": "10/m/user",
    "manage_email": "10/m/user",
    "confirm_email": "1/3m/key",
    "resume_upload": "10/h/user,30/h/ip",
}
# The REST API (django-ninja throttles, same cache): every request per client address, before
# authentication; then per account (API key or session), per minute and per hour.
MATCHDAY_API_RATE_LIMITS = {
    "per_address": "600/m",
    "per_account_minute": "120/m",
    "per_account_hour": "3000/h",
}
MFA_ADAPTER = "matchday.accounts.adapter.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "Matchday"
# Accept the code of the 30-second period before or after too (phone clocks drift); each code
# still works only once (allauth remembers used codes in the cache).
MFA_TOTP_TOLERANCE = 1
MFA_RECOVERY_CODE_COUNT = 10
# WebAuthn needs a secure context; http://127.0.0.1 counts only when this is on (dev, tests).
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = os.environ.get("MATCHDAY_WEBAUTHN_INSECURE", "") == "1"

# django-axes: lock an (account, client address) pair out after 5 failures for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "matchday.accounts.adapter.axes_username"
AXES_CLIENT_IP_CALLABLE = "matchday.core.clientip.client_ip"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

# The cache holds rate-limit counters, so every web process must share it: Redis when
# REDIS_URL is set, otherwise the database (its table is created by a migration).
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "matchday_cache",
        }
    }

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [SRC_DIR / "matchday" / "static"]  # vendored Pico/htmx + app.css
MEDIA_ROOT = VAR_DIR / "media"  # uploads and stored curation inputs, not the CWD
MEDIA_URL = "media/"
# Stored files (curation run inputs and outputs): local disk, or an S3-compatible bucket
# when MATCHDAY_S3_BUCKET is set (matchday/ops/storage.py, docs/operations.md).
STORAGES = {
    "default": default_storage_from_env(),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Email (docs/operations.md "Email"): Django 6.1's MAILERS. Development prints every email to
# the worker's console; production sends through SMTP configured from EMAIL_HOST etc. Every
# email is stored as a notifications.Message and delivered by the deliver_message task.
MAILERS: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Matchday <matchday@localhost>")
# Delivery: socket timeout for each SMTP step; attempts before a message is "failed"; the
# backoff between attempts (base x 2^(attempt-1), capped); how long a worker owns a message
# it is sending before a send counts as stuck and is retried (keep it well above the timeout).
MATCHDAY_MAIL_TIMEOUT_SECONDS = float(os.environ.get("MATCHDAY_MAIL_TIMEOUT_SECONDS", "20"))
MATCHDAY_MAIL_MAX_ATTEMPTS = int(os.environ.get("MATCHDAY_MAIL_MAX_ATTEMPTS", "8"))
MATCHDAY_MAIL_RETRY_BASE_SECONDS = int(os.environ.get("MATCHDAY_MAIL_RETRY_BASE_SECONDS", "60"))
MATCHDAY_MAIL_RETRY_MAX_SECONDS = int(os.environ.get("MATCHDAY_MAIL_RETRY_MAX_SECONDS", "3600"))
MATCHDAY_MAIL_LEASE_SECONDS = int(os.environ.get("MATCHDAY_MAIL_LEASE_SECONDS", "600"))

SESSION_COOKIE_HTTPONLY = True
# Content-Security-Policy (Django's own middleware): scripts and styles only from our origin
# (vendored htmx, Chart.js, allauth's WebAuthn helpers), inline scripts only with the
# per-request nonce ({{ csp_nonce }}), no plugins, no framing, forms post only to us.
# data: images are allauth's TOTP QR code and the empty favicon. The API docs page (Swagger
# UI) has its own, wider policy: see matchday.api.api.SWAGGER_CSP.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# Permissions-Policy (django-permissions-policy): no powerful feature for anyone, except
# WebAuthn (security keys for two-factor log-in) for our own origin.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": [],
    "camera": [],
    "display-capture": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "usb": [],
    "publickey-credentials-create": ["self"],
    "publickey-credentials-get": ["self"],
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie-less meta tag; kept default
X_FRAME_OPTIONS = "DENY"

# Logs: JSON lines (MATCHDAY_LOG_FORMAT=json, production's default) or text, every line with
# the request id (also in the lines of the tasks a request enqueued); see matchday/ops.
LOGGING = logging_config(
    os.environ.get("MATCHDAY_LOG_FORMAT", "text"),
    root_level=os.environ.get("LOG_LEVEL", "WARNING"),
    app_level=os.environ.get("MATCHDAY_LOG_LEVEL", "INFO"),
    request_level=os.environ.get("MATCHDAY_REQUEST_LOG_LEVEL", "WARNING"),
)
# The optional error tracker (Sentry-compatible), only when SENTRY_DSN is set.
init_error_tracker_from_env()
# Operator signals: /metrics needs this bearer token (or comes from the host itself when
# empty); /readyz fails when a task has waited longer than this for a worker (0: never).
MATCHDAY_METRICS_TOKEN = os.environ.get("MATCHDAY_METRICS_TOKEN", "")
MATCHDAY_READY_MAX_QUEUE_AGE_S = int(os.environ.get("MATCHDAY_READY_MAX_QUEUE_AGE_S", "0"))

# --- Matchday's own knobs ---------------------------------------------------------------
# A role's pay band maximum may be at most this multiple of its minimum.
MATCHDAY_MAX_BAND_RATIO = float(os.environ.get("MATCHDAY_MAX_BAND_RATIO", "1.5"))
# Currencies accepted for pay, with an indicative rate to USD used only to compare a
# candidate's minimum with a role's band across currencies. Operators update this table.
MATCHDAY_CURRENCY_RATES_TO_USD = {
    "USD": 1.0,
    "EUR": 1.08,
    "GBP": 1.27,
    "CHF": 1.13,
    "CAD": 0.73,
    "AUD": 0.66,
    "SGD": 0.74,
    "INR": 0.012,
    "JPY": 0.0067,
    "SEK": 0.095,
    "PLN": 0.25,
    "BRL": 0.18,
}
MATCHDAY_RESPONSE_WINDOW_BUSINESS_DAYS = int(os.environ.get("MATCHDAY_RESPONSE_WINDOW_DAYS", "5"))
MATCHDAY_ESCALATION_GRACE_BUSINESS_DAYS = int(os.environ.get("MATCHDAY_ESCALATION_GRACE_DAYS", "2"))
# A running curation run holds a lease: its worker renews a heartbeat every HEARTBEAT
# seconds; a run without one for LEASE seconds counts as abandoned (the worker was killed or
# lost the database) and is marked failed, so its Match Day can be curated again.
MATCHDAY_CURATION_LEASE_SECONDS = int(os.environ.get("MATCHDAY_CURATION_LEASE_SECONDS", "120"))
MATCHDAY_CURATION_HEARTBEAT_SECONDS = float(
    os.environ.get("MATCHDAY_CURATION_HEARTBEAT_SECONDS", "10")
)
# Further emails of one category to one person within this many minutes of the last one
# wait and go out together as one digest (0: every message is emailed at once).
MATCHDAY_EMAIL_DIGEST_MINUTES = int(os.environ.get("MATCHDAY_EMAIL_DIGEST_MINUTES", "15"))
# A candidate who has not answered an intro is reminded after these many business days; it
# expires (both sides told) after MATCHDAY_INTRO_EXPIRY_BUSINESS_DAYS.
MATCHDAY_INTRO_REMINDER_BUSINESS_DAYS = (2, 4)
MATCHDAY_INTRO_EXPIRY_BUSINESS_DAYS = int(os.environ.get("MATCHDAY_INTRO_EXPIRY_DAYS", "5"))
MATCHDAY_SITE_URL = os.environ.get("MATCHDAY_SITE_URL", "http://127.0.0.1:8000")
# Résumé uploads: files above this size are refused. Form fields other than files are capped
# at 2.5 MB; uploads above 1 MB are spooled to disk, not held in memory (cap request bodies
# at the proxy too, e.g. nginx client_max_body_size 6m).
MATCHDAY_RESUME_MAX_BYTES = int(os.environ.get("MATCHDAY_RESUME_MAX_BYTES", str(5 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
# Curation across workers: a Match Day with more roles than this is scored in chunks of
# this many roles, each a task any db_worker on any host picks up (0: always one task).
MATCHDAY_CURATION_CHUNK_ROLES = int(os.environ.get("MATCHDAY_CURATION_CHUNK_ROLES", "1000"))
# A chunk whose worker sent no heartbeat for this long is queued again by the tick (below
# MATCHDAY_CURATION_LEASE_SECONDS, so the run is not expired first).
MATCHDAY_CURATION_CHUNK_LEASE_S = int(os.environ.get("MATCHDAY_CURATION_CHUNK_LEASE_S", "60"))
