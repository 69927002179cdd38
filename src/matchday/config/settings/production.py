"""Production: everything secret or site-specific comes from the environment."""

import os
from urllib.parse import urlparse

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403


def _required(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise ImproperlyConfigured(f"Set the {name} environment variable.")
    return value


def _site_url(value: str) -> str:
    url = urlparse(value)
    if url.scheme not in ("http", "https") or not url.hostname:
        raise ImproperlyConfigured(
            "MATCHDAY_SITE_URL must be the public address people open, such as "
            f"https://matchday.example.org (got {value!r})."
        )
    return value.rstrip("/")


DEBUG = False
SECRET_KEY = _required("DJANGO_SECRET_KEY")
# Every link in an email, calendar invite and JobPosting starts with it (core/site.py).
MATCHDAY_SITE_URL = _site_url(_required("MATCHDAY_SITE_URL"))
ALLOWED_HOSTS = _required("DJANGO_ALLOWED_HOSTS").split(",")
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o
]

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("DJANGO_SECURE_SSL_REDIRECT", "1") == "1"
# Load balancers and Prometheus probe the app over plain HTTP from inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

STORAGES = {
    "default": default_storage_from_env(),  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# SMTP from the environment (without EMAIL_HOST, emails are printed to the worker's log).
if os.environ.get("EMAIL_HOST"):
    _ssl = os.environ.get("EMAIL_USE_SSL", "") == "1"  # port 465; otherwise STARTTLS
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["EMAIL_HOST"],
                "port": int(os.environ.get("EMAIL_PORT") or (465 if _ssl else 587)),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": not _ssl and os.environ.get("EMAIL_USE_TLS", "1") == "1",
                "use_ssl": _ssl,
                "timeout": MATCHDAY_MAIL_TIMEOUT_SECONDS,  # noqa: F405
            },
        }
    }

# JSON log lines with one line per request, unless the environment says otherwise.
LOGGING = logging_config(  # noqa: F405
    os.environ.get("MATCHDAY_LOG_FORMAT", "json"),
    root_level=os.environ.get("LOG_LEVEL", "WARNING"),
    app_level=os.environ.get("MATCHDAY_LOG_LEVEL", "INFO"),
    request_level=os.environ.get("MATCHDAY_REQUEST_LOG_LEVEL", "INFO"),
)
