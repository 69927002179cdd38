"""Development settings whose mail goes to ``tests.blocking_mail`` (for the tests that run a
real ``db_worker`` and kill it mid-send)."""

from matchday.config.settings.dev import *  # noqa: F403

MAILERS = {"default": {"BACKEND": "tests.blocking_mail.BlockingFileBackend"}}
