"""Liveness, readiness and metrics for load balancers, orchestrators and Prometheus."""

from __future__ import annotations

import hmac
import logging
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from matchday.core.clientip import client_ip
from matchday.ops import metrics

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request):
    """Liveness: the process answers. Touches nothing else, so a database outage does not
    make an orchestrator restart every web process."""
    return JsonResponse({"status": "ok"})


def _check(name: str, fn) -> dict:
    start = time.perf_counter()
    try:
        detail = fn()
        ok = True
    except Exception as exc:  # noqa: BLE001 - any failure of a dependency is "not ready"
        logger.warning("readiness check %s failed: %s", name, exc)
        detail, ok = {"error": type(exc).__name__}, False
    return {"ok": ok, "ms": round((time.perf_counter() - start) * 1000, 1), **(detail or {})}


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    key, value = "ops:readyz", uuid.uuid4().hex
    cache.set(key, value, 30)
    if cache.get(key) != value:
        raise RuntimeError("cache did not return what was written")


def _storage() -> None:
    default_storage.exists("ops/readyz")  # one metadata request: reachable and authorised


def _queue() -> dict:
    from django_tasks_db.models import DBTaskResult

    oldest = (
        DBTaskResult.objects.ready()
        .order_by("enqueued_at")
        .values_list("enqueued_at", flat=True)
        .first()
    )
    age = max(0.0, (timezone.now() - oldest).total_seconds()) if oldest else 0.0
    limit = settings.MATCHDAY_READY_MAX_QUEUE_AGE_S
    if limit and age > limit:
        raise QueueStale(f"oldest queued task waits {age:.0f} s > {limit} s")
    return {"oldest_queued_age_s": round(age, 1)}


class QueueStale(Exception):
    pass


@never_cache
@require_GET
def readyz(request):
    """Readiness: 200 when the database, the cache and the object storage answer (and, if
    ``MATCHDAY_READY_MAX_QUEUE_AGE_S`` is set, no task has waited longer than that for a
    worker); 503 with the failing checks otherwise."""
    checks = {
        "database": _check("database", _database),
        "cache": _check("cache", _cache),
        "storage": _check("storage", _storage),
        "queue": _check("queue", _queue),
    }
    ready = all(c["ok"] for c in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks},
        status=200 if ready else 503,
    )


def _metrics_allowed(request) -> bool:
    token = settings.MATCHDAY_METRICS_TOKEN
    if token:
        given = request.headers.get("Authorization", "")
        return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())
    return client_ip(request) in {"127.0.0.1", "::1"}


@never_cache
@require_GET
def metrics_view(request):
    """Prometheus text format. Only with ``Authorization: Bearer $MATCHDAY_METRICS_TOKEN``,
    or from the host itself when no token is set."""
    if not _metrics_allowed(request):
        return HttpResponse("Forbidden\n", status=403, content_type="text/plain")
    return HttpResponse(generate_latest(metrics.registry()), content_type=CONTENT_TYPE_LATEST)
