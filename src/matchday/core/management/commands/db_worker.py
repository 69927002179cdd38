"""``manage.py db_worker``: django-tasks-db's worker, made to outlive a database outage.

django-tasks-db's own worker exits on the first database error that is not a lock (a
restarted, failed-over or unreachable PostgreSQL), so a database restart used to stop all
background work until someone restarted the workers. This command is the same worker (same
options, same claiming with ``SELECT … FOR UPDATE SKIP LOCKED``), except that when the
database is unavailable it logs it, drops its connections and tries again with exponential
backoff (0.5 s doubling to 30 s, with jitter so a pool of workers does not reconnect in step),
and carries on once the database answers. It overrides django-tasks-db's command of the same
name (``matchday.core`` comes before ``django_tasks_db`` in ``INSTALLED_APPS``).

A task the outage interrupted is not retried by the queue: its row stays claimed. A curation
run's lease expires and the run is marked failed (``matchdays.services.curation_runs_expire``);
the partner runs it again. SIGTERM/SIGINT still stop the worker gracefully, also while it waits.
"""

from __future__ import annotations

import contextlib
import logging
import random
import time

from django.db import InterfaceError, OperationalError, connections
from django_tasks_db.management.commands import db_worker

logger = logging.getLogger("matchday.worker")

# What a database that is down, restarting or unreachable raises (psycopg's connection errors
# and "terminating connection due to administrator command" are OperationalErrors; a closed
# connection used again is an InterfaceError).
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
BACKOFF_FIRST_SECONDS = 0.5
BACKOFF_MAX_SECONDS = 30.0


def backoff_delays(first: float = BACKOFF_FIRST_SECONDS, most: float = BACKOFF_MAX_SECONDS):
    """0.5, 1, 2, 4, … seconds, capped at ``most``: the waits between reconnection attempts.

    >>> from itertools import islice
    >>> list(islice(backoff_delays(0.5, 4.0), 6))
    [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]
    """
    delay = first
    while True:
        yield delay
        delay = min(delay * 2, most)


def close_connections() -> None:
    for conn in connections.all(initialized_only=True):
        with contextlib.suppress(*DATABASE_UNAVAILABLE):  # a broken one is closed anyway
            conn.close()


def in_transaction() -> bool:
    return any(conn.in_atomic_block for conn in connections.all(initialized_only=True))


class ResilientWorker(db_worker.Worker):
    def run(self) -> None:
        delays = backoff_delays()
        while self.running:
            started = time.monotonic()
            try:
                super().run()
                return  # batch done, --max-tasks reached, or asked to stop
            except DATABASE_UNAVAILABLE as exc:
                if not self.running:
                    return
                if in_transaction():
                    # Run inside a transaction (a test's, a caller's): its connection cannot
                    # be replaced, so waiting would loop for ever. Fail instead.
                    raise
                if time.monotonic() - started > BACKOFF_MAX_SECONDS:
                    delays = backoff_delays()  # it had recovered: start from the short wait
                delay = next(delays)
                logger.warning(
                    "Database unavailable (%s: %s); worker %s retries in %.1f s.",
                    type(exc).__name__,
                    str(exc).strip().splitlines()[0] if str(exc) else "",
                    self.worker_id,
                    delay,
                )
                close_connections()
                time.sleep(delay * random.uniform(0.75, 1.0))  # noqa: S311 - jitter, not a secret


class Command(db_worker.Command):
    help = db_worker.Command.help + ", retrying with backoff while the database is unavailable"

    def handle(self, *args, **options) -> None:
        db_worker.Worker = ResilientWorker  # the parent's handle() builds its Worker by name
        super().handle(*args, **options)
