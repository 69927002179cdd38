"""Test settings: fast hashing, immediate tasks, in-memory email."""

import os

from .base import *  # noqa: F403

SECRET_KEY = "test-secret-key-not-for-production"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
if not os.environ.get("DATABASE_URL"):
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
# Argon2 stays first in production; tests use MD5 only for speed, except where a test
# asserts the production hasher explicitly.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# Processes started by the multi-process tests (tests/processes.py) run tasks from the
# database and keep files in the S3-compatible test server, as production does.
if os.environ.get("MATCHDAY_TEST_TASKS") != "db":
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": (
        default_storage_from_env()  # noqa: F405
        if os.environ.get("MATCHDAY_S3_BUCKET")
        else {"BACKEND": "django.core.files.storage.InMemoryStorage"}
    ),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Rate-limit counters live in each test process's memory (tests clear it between tests).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
# Curation runs inline in the test's transaction: no heartbeat thread with its own connection
# (progress reports still renew the lease; tests/app/test_curation_lease_pg.py runs a real one).
MATCHDAY_CURATION_HEARTBEAT_SECONDS = 0
# Each message is emailed at once, so a test sees the email of the event it caused; the
# digest tests (tests/app/test_inbox.py) turn the window on.
MATCHDAY_EMAIL_DIGEST_MINUTES = 0
