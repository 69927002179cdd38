"""Operator signals: liveness, readiness, Prometheus metrics, request ids in logs and tasks,
and the optional error tracker."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from django.tasks import task
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from matchday.matchdays.models import CurationRun, MatchDay
from matchday.notifications.models import Message
from matchday.ops import requestid
from matchday.ops.logformat import JsonLineFormatter
from tests import factories
from tests.workers import run_worker_here

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
REPO = Path(__file__).resolve().parents[2]


@task
def echo_request_id() -> str:
    """What a worker sees as the current request id while it runs a task."""
    logging.getLogger("matchday.tests").info("task ran")
    return requestid.current()


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- liveness and readiness ----------------------------------------------------------------


@pytest.mark.django_db
def test_liveness_touches_nothing(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readiness_checks_database_cache_storage_and_queue(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "storage", "queue"}
    assert all(c["ok"] for c in body["checks"].values())
    assert body["checks"]["queue"]["oldest_queued_age_s"] == 0


@pytest.mark.django_db
def test_readiness_fails_when_the_cache_is_unreachable(client):
    dead = f"redis://127.0.0.1:{_free_port()}/0"
    caches = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": dead}
    }
    with override_settings(CACHES=caches):
        from django.core.cache import caches as handler

        handler["default"].close()
        response = client.get("/readyz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["cache"]["ok"] is False and checks["database"]["ok"] is True


@pytest.mark.django_db
def test_readiness_fails_when_object_storage_is_unreachable(client, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "nowhere",
                "endpoint_url": f"http://127.0.0.1:{_free_port()}",
                "access_key": "x",
                "secret_key": "y",
                "region_name": "us-east-1",
                "client_config": __import__("botocore.config").config.Config(
                    connect_timeout=1, retries={"max_attempts": 0}
                ),
            },
        },
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"]["ok"] is False


@pytest.mark.django_db
def test_readiness_reports_the_oldest_queued_task_and_fails_past_the_limit(client, settings):
    settings.TASKS = DB_TASKS
    result = echo_request_id.enqueue()
    DBTaskResult.objects.filter(id=result.id).update(
        enqueued_at=timezone.now() - timedelta(minutes=20)
    )
    body = client.get("/readyz").json()
    assert body["checks"]["queue"]["ok"] is True  # informational without a limit
    assert 1190 < body["checks"]["queue"]["oldest_queued_age_s"] < 1300
    settings.MATCHDAY_READY_MAX_QUEUE_AGE_S = 600
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["queue"]["ok"] is False
    settings.MATCHDAY_READY_MAX_QUEUE_AGE_S = 3600
    assert client.get("/readyz").status_code == 200


# -- metrics -------------------------------------------------------------------------------


def _sample(text: str, name: str, **labels: str) -> float | None:
    from prometheus_client.parser import text_string_to_metric_families

    for family in text_string_to_metric_families(text):
        for s in family.samples:
            if s.name == name and all(s.labels.get(k) == v for k, v in labels.items()):
                return s.value
    return None


@pytest.mark.django_db
def test_metrics_need_the_token_or_the_host_itself(client, settings):
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 403
    assert client.get("/metrics").status_code == 200  # 127.0.0.1
    settings.MATCHDAY_METRICS_TOKEN = "s3cret-token"
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    ok = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token")
    assert ok.status_code == 200 and ok["Content-Type"].startswith("text/plain")


@pytest.mark.django_db
def test_request_latency_is_labelled_by_view(client):
    def count() -> float:
        text = client.get("/metrics").content.decode()
        return (
            _sample(
                text,
                "matchday_http_request_duration_seconds_count",
                view="ops:healthz",
                method="GET",
            )
            or 0.0
        )

    before = count()
    for _ in range(3):
        client.get("/healthz")
    assert count() == before + 3
    text = client.get("/metrics").content.decode()
    assert _sample(text, "matchday_http_responses_total", view="ops:healthz", status="2xx")
    client.get("/no/such/page/")
    text = client.get("/metrics").content.decode()
    assert _sample(text, "matchday_http_responses_total", view="<unresolved>", status="4xx")


@pytest.mark.django_db
def test_queue_depth_and_age(client, settings):
    settings.TASKS = DB_TASKS
    text = client.get("/metrics").content.decode()
    assert _sample(text, "matchday_tasks_queued", queue="default") == 0
    a, _b = echo_request_id.enqueue(), echo_request_id.enqueue()
    DBTaskResult.objects.filter(id=a.id).update(enqueued_at=timezone.now() - timedelta(seconds=90))
    text = client.get("/metrics").content.decode()
    assert _sample(text, "matchday_tasks_queued", queue="default") == 2
    age = _sample(text, "matchday_tasks_oldest_queued_age_seconds", queue="default")
    assert 89 < age < 150


@pytest.mark.django_db
def test_curation_phases_emails_failed_reminders_and_escalations(client):
    md = MatchDay.objects.create(
        name="Aug", release_at="2031-08-01T09:00:00Z", interest_deadline="2031-07-28T09:00:00Z"
    )
    for timings in ({"load": 1.0, "score": 4.0}, {"load": 3.0, "score": 6.0, "store": 2.0}):
        CurationRun.objects.create(
            matchday=md,
            status=CurationRun.Status.SUCCEEDED,
            finished_at=timezone.now(),
            stats={"timings_s": timings},
        )
    CurationRun.objects.create(
        matchday=md, status=CurationRun.Status.FAILED, finished_at=timezone.now()
    )
    user = factories.PartnerFactory()
    now = timezone.now()

    def message(kind, about, **kw):
        return Message.objects.create(
            recipient=user,
            to_email=user.email,
            kind=kind,
            subject="s",
            body="b",
            about=about,
            **kw,
        )

    sent = {"status": Message.Status.SENT, "sent_at": now}
    message(Message.Kind.REMINDER, "a", **sent)
    message(Message.Kind.REMINDER, "b", **sent)
    message(Message.Kind.REMINDER, "c")  # queued, not sent yet
    message(Message.Kind.ESCALATION, "d", **sent)
    message(Message.Kind.OTHER, "e", status=Message.Status.FAILED, last_error="SMTP 451")
    message(Message.Kind.OTHER, "f", last_error="SMTP 451")  # retrying: not failed yet
    text = client.get("/metrics").content.decode()
    assert _sample(text, "matchday_curation_phase_seconds_sum", phase="score") == 10.0
    assert _sample(text, "matchday_curation_phase_seconds_count", phase="load") == 2
    assert _sample(text, "matchday_curation_phase_seconds_count", phase="store") == 1
    assert _sample(text, "matchday_curation_runs_total", status="failed") == 1
    assert _sample(text, "matchday_curation_runs_total", status="succeeded") == 2
    assert _sample(text, "matchday_reminders_sent_total") == 2
    assert _sample(text, "matchday_escalations_sent_total") == 1
    assert _sample(text, "matchday_emails_failed") == 1


# -- request ids, JSON logs ----------------------------------------------------------------


@pytest.fixture
def json_log():
    """The matchday loggers' records as JSON lines, formatted as in production."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(requestid.RequestIdFilter())
    handler.setFormatter(JsonLineFormatter())
    loggers = [logging.getLogger(n) for n in ("matchday.request", "matchday.tests")]
    old = [(lg.level, lg.propagate) for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.setLevel(logging.INFO)

    def lines():
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    yield lines
    for lg, (level, _) in zip(loggers, old, strict=True):
        lg.removeHandler(handler)
        lg.setLevel(level)


@pytest.mark.django_db
def test_each_request_has_an_id_in_its_response_and_json_log_line(client, json_log):
    response = client.get("/healthz")
    rid = response["X-Request-ID"]
    assert len(rid) == 32
    given = client.get("/healthz", HTTP_X_REQUEST_ID="lb-1234.abc")
    assert given["X-Request-ID"] == "lb-1234.abc"
    forged = client.get("/healthz", HTTP_X_REQUEST_ID="bad id\nwith newline")
    assert forged["X-Request-ID"] != "bad id\nwith newline" and len(forged["X-Request-ID"]) == 32
    lines = json_log()
    assert [line["request_id"] for line in lines] == [rid, "lb-1234.abc", forged["X-Request-ID"]]
    first = lines[0]
    assert first["level"] == "INFO" and first["name"] == "matchday.request"
    assert first["view"] == "ops:healthz" and first["status"] == 200
    assert first["duration_ms"] >= 0 and first["method"] == "GET" and first["path"] == "/healthz"


# The worker closes its connections between tasks: on PostgreSQL it must not run inside
# the test's transaction.
@pytest.mark.django_db(transaction=True)
def test_a_task_enqueued_by_a_request_carries_its_id_into_the_worker(settings, json_log):
    settings.TASKS = DB_TASKS
    token = requestid.request_id_var.set("req-42")
    try:
        result = echo_request_id.enqueue()
    finally:
        requestid.request_id_var.reset(token)
    other = echo_request_id.enqueue()  # enqueued outside any request
    assert requestid.current() == ""
    run_worker_here()
    rows = {str(r.id): r for r in DBTaskResult.objects.all()}
    assert rows[str(result.id)].status == "SUCCESSFUL"
    assert rows[str(result.id)].return_value == "req-42"
    assert rows[str(other.id)].return_value == ""
    assert requestid.current() == ""  # the worker clears it after the task
    tagged = [line["request_id"] for line in json_log() if line["message"] == "task ran"]
    assert sorted(tagged) == ["", "req-42"]


# -- error tracker ---------------------------------------------------------------------------


class _Collector(BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.headers.get("Content-Encoding") == "gzip":
            import gzip

            body = gzip.decompress(body)
        type(self).received.append(body)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_error_tracker_is_configured_from_the_environment():
    """A process started with SENTRY_DSN reports an unhandled view error, tagged with the
    request id and without personal data, to the (local) Sentry-compatible endpoint."""
    server = HTTPServer(("127.0.0.1", 0), _Collector)
    _Collector.received = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    script = (
        "import sys, types, django, sentry_sdk\n"
        "django.setup()\n"
        "from django.test import Client, override_settings\n"
        "from django.urls import path\n"
        "def boom(request):\n"
        "    return 1 / 0\n"
        "mod = types.ModuleType('boomurls')\n"
        "from matchday.config.urls import urlpatterns\n"
        "mod.urlpatterns = [path('boom', boom, name='boom'), *urlpatterns]\n"
        "sys.modules['boomurls'] = mod\n"
        "assert sentry_sdk.get_client().is_active()\n"
        "with override_settings(ROOT_URLCONF='boomurls'):\n"
        "    c = Client(raise_request_exception=False)\n"
        "    c.cookies['preference'] = 'secret-cookie-value'\n"
        "    r = c.get('/boom', HTTP_X_REQUEST_ID='trace-me-1')\n"
        "    assert r.status_code == 500, r.status_code\n"
        "sentry_sdk.flush(5)\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "matchday.config.settings.test",
        "SENTRY_DSN": f"http://publickey@127.0.0.1:{port}/1",
        "SENTRY_ENVIRONMENT": "ci",
    }
    env.pop("DATABASE_URL", None)
    proc = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    server.shutdown()
    assert proc.returncode == 0, proc.stderr
    payload = b"\n".join(_Collector.received).decode()
    assert "ZeroDivisionError" in payload
    assert "trace-me-1" in payload  # the request id tag, to find the request's log lines
    assert '"environment":"ci"' in payload.replace(" ", "")
    assert "secret-cookie-value" not in payload  # no cookies, bodies or user data sent


# The worker closes its connections between tasks: on PostgreSQL it must not run inside
# the test's transaction.
@pytest.mark.django_db(transaction=True)
def test_a_cache_outage_never_stops_a_task(settings):
    """The request id is a nicety: with the cache unreachable the task still runs."""
    from django.core.cache import caches as handler

    settings.TASKS = DB_TASKS
    dead = f"redis://127.0.0.1:{_free_port()}/0"
    with override_settings(
        CACHES={
            "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": dead}
        }
    ):
        handler["default"].close()
        token = requestid.request_id_var.set("req-7")
        try:
            result = echo_request_id.enqueue()
        finally:
            requestid.request_id_var.reset(token)
        run_worker_here()
    row = DBTaskResult.objects.get(id=result.id)
    assert row.status == "SUCCESSFUL"
    assert row.return_value == ""
