"""With the database down, the API answers 503 with its documented JSON error body and
``Retry-After``, pages answer a 503 page, and both recover when the database is back.

The outage is simulated: every query on the connection raises the ``OperationalError`` a
refused connection raises. (``test_worker_outage_pg.py`` cuts a real worker's connections.)
"""

from __future__ import annotations

import time
from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection
from django.test import Client

from matchday.api import errors
from matchday.api.routers import profile

pytestmark = pytest.mark.django_db

REFUSED = (
    'connection failed: connection to server at "127.0.0.1", port 5432 failed: '
    "Connection refused\n\tIs the server running on that host and accepting TCP/IP connections?"
)


@contextmanager
def database_down():
    def refuse(execute, sql, params, many, context):
        raise OperationalError(REFUSED)

    with connection.execute_wrapper(refuse):
        yield


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


def test_the_api_answers_503_with_its_json_error_body_while_the_database_is_down(client, candidate):
    client.force_login(candidate)
    with database_down():
        response = client.get("/api/v1/me/profile")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == str(errors.RETRY_AFTER_SECONDS)
    assert response.json() == {"detail": errors.DATABASE_UNAVAILABLE, "errors": []}
    assert client.get("/api/v1/me/profile").status_code == 200  # and it is back


def test_an_api_key_caller_gets_the_same_503(client):
    with database_down():
        response = client.get("/api/v1/me/profile", HTTP_AUTHORIZATION="Bearer md_not-checked")
    assert response.status_code == 503
    assert response.json()["detail"] == errors.DATABASE_UNAVAILABLE


def test_pages_answer_a_503_page_while_the_database_is_down(client, candidate):
    client.force_login(candidate)
    with database_down():
        response = client.get("/profile/")
    assert response.status_code == 503
    assert response["Retry-After"] == str(errors.RETRY_AFTER_SECONDS)
    assert "Matchday is briefly unavailable" in response.content.decode()


def test_an_unexpected_api_error_is_a_500_with_the_json_error_body(client, candidate, monkeypatch):
    client.force_login(candidate)

    def broken(**kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(profile.selectors, "own_profile", broken)
    response = client.get("/api/v1/me/profile")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": errors.SERVER_ERROR, "errors": []}
    assert "Retry-After" not in response


def test_a_worker_inside_a_transaction_fails_at_once_instead_of_waiting_for_ever(monkeypatch):
    """Outside a transaction the worker waits a database outage out (``test_worker_outage_pg``).
    Inside one (a test's, or a caller's) its connection can't be replaced: it raises."""
    from types import SimpleNamespace

    from django.test import override_settings

    from matchday.core.management.commands import db_worker

    def wait(seconds):
        raise AssertionError(f"the worker waited {seconds:.1f} s for a database it can't reach")

    monkeypatch.setattr(db_worker, "time", SimpleNamespace(monotonic=time.monotonic, sleep=wait))
    worker = db_worker.ResilientWorker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="in-a-transaction",
        excluded_queue_names=[],
    )
    assert connection.in_atomic_block  # the test's transaction
    with (
        override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}),
        database_down(),
        # (On PostgreSQL the worker's recycling of old connections already closes the test's
        # connection, which is in a transaction: "the connection is closed" comes first.)
        pytest.raises(db_worker.DATABASE_UNAVAILABLE),
    ):
        worker.run()
