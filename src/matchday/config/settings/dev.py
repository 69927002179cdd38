"""The embedded default: SQLite in ./var, console email, debug on."""

from .base import *  # noqa: F403

DEBUG = True
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True  # http://127.0.0.1 in development
