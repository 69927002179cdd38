"""``manage.py db_worker`` outlives a database outage: it waits with backoff and carries on.

The worker reaches PostgreSQL through a TCP proxy this test controls. Taking the proxy down
cuts every connection and refuses new ones, which is what the worker sees when the database
restarts; bringing it back on the same port is the database coming back. Needs the PostgreSQL
test database (CI's PostgreSQL pass, or ``DATABASE_URL=postgres://…``).
"""

from __future__ import annotations

import contextlib
import select
import socket
import threading
import time

import pytest
from django.db import connection
from django.test import override_settings

from matchday.matchdays import services
from matchday.matchdays.models import CurationRun
from tests.market import build_market, create_matchday
from tests.workers import DB_TASKS, start_worker, stop, wait_for

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.slow,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs the PostgreSQL test database (runs in CI's PostgreSQL pass)",
    ),
]


class Outage:
    """A TCP proxy to the database that can be taken down and brought back on its port."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.port = 0
        self.listener: socket.socket | None = None
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()

    def up(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def down(self) -> None:
        assert self.listener is not None
        with contextlib.suppress(OSError):  # stop listening now, also for the blocked accept()
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        self.listener = None
        with self.lock:
            for sock in self.sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self.sockets.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # taken down
            upstream = socket.create_connection(self.target)
            with self.lock:
                self.sockets += [client, upstream]
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()

    @staticmethod
    def _pump(a: socket.socket, b: socket.socket) -> None:
        try:
            while True:
                ready, _, _ = select.select([a, b], [], [], 1.0)
                for src in ready:
                    data = src.recv(65536)
                    if not data:
                        return
                    (b if src is a else a).sendall(data)
        except OSError:
            return
        finally:
            for sock in (a, b):
                with contextlib.suppress(OSError):
                    sock.close()


def curate_through_the_worker(market, name: str, worker) -> CurationRun:
    md = create_matchday(market, name=name)
    run = services.curation_start(matchday=md, by=market.partner)
    wait_for(
        lambda: CurationRun.objects.filter(pk=run.pk, status=CurationRun.Status.SUCCEEDED).exists(),
        timeout=120,
        what=f"the worker to curate {name}",
        worker=worker,
    )
    return run


def test_the_worker_waits_out_a_database_outage_and_then_works_again(tmp_path):
    market = build_market()
    settings_dict = connection.settings_dict
    outage = Outage(settings_dict["HOST"] or "127.0.0.1", int(settings_dict["PORT"] or 5432))
    outage.up()
    with override_settings(TASKS=DB_TASKS):
        worker = start_worker(tmp_path, "outage", port=outage.port)
        try:
            curate_through_the_worker(market, "Before the outage", worker)

            outage.down()
            time.sleep(3)  # the worker polls every 0.1 s: it meets the outage several times
            assert worker.poll() is None, "the worker exited during the outage"
            log = (tmp_path / "outage.log").read_text()
            assert "Database unavailable (OperationalError" in log
            assert "retries in 0.5 s" in log and "retries in 1.0 s" in log  # backing off
            with socket.socket() as probe:  # (the outage is real: nothing listens)
                assert probe.connect_ex(("127.0.0.1", outage.port)) != 0

            outage.up()
            run = curate_through_the_worker(market, "After the outage", worker)
            assert run.matchday.proposals.exists()
        finally:
            stop(worker)
            with contextlib.suppress(AssertionError):
                outage.down()
    assert worker.returncode == 0  # stopped by SIGTERM, gracefully
