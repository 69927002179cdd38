"""The embedded default: SQLite in ./var, console email, debug on."""

from .base import *  # noqa: F403

DEBUG = True
