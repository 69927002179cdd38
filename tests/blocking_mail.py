"""An email backend for tests that run a real ``db_worker``: it appends every email to
``$MATCHDAY_TEST_MAIL_DIR/outbox.txt``, or, while ``$MATCHDAY_TEST_MAIL_DIR/block`` exists,
writes ``entered`` and blocks forever (a mail server that hangs mid-send)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class BlockingFileBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        folder = Path(os.environ["MATCHDAY_TEST_MAIL_DIR"])
        if (folder / "block").exists():
            (folder / "entered").write_text(str(os.getpid()))
            while True:
                time.sleep(1)
        with open(folder / "outbox.txt", "a") as outbox:
            for message in email_messages:
                outbox.write(f"{message.to[0]}|{message.subject}\n")
        return len(email_messages)
