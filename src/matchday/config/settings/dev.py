"""The embedded default: SQLite in ./var, console email, debug on (``DJANGO_DEBUG=0`` turns it
off, as ``bench/`` does to time what a production process does)."""

import os

from .base import *  # noqa: F403

DEBUG = os.environ.get("DJANGO_DEBUG", "1") == "1"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True  # http://127.0.0.1 in development
