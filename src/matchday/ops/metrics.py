"""Prometheus metrics: request latency by view (per process), and the facts an operator
watches that live in the database (so any web process on any host reports the same):
task queue depth and age, curation phase durations, emails failed, reminders and
escalations sent.

With several processes per host (gunicorn workers), set ``PROMETHEUS_MULTIPROC_DIR`` to an
empty directory shared by them: every worker's request histograms are then summed in each
scrape (docs/operations.md, "Metrics").
"""

from __future__ import annotations

import os
import time
from collections import defaultdict
from collections.abc import Iterator

from django.db.models import Count, Min, Q
from django.utils import timezone
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    ProcessCollector,
    multiprocess,
)
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    Metric,
    SummaryMetricFamily,
)
from prometheus_client.registry import Collector

REQUEST_LATENCY = Histogram(
    "matchday_http_request_duration_seconds",
    "Time from the first middleware to the response, by URL name and method.",
    ["view", "method"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 2.0, 5.0, 10.0),
)
REQUESTS = Counter(
    "matchday_http_responses",
    "Responses by URL name, method and status class (2xx, 3xx, 4xx, 5xx).",
    ["view", "method", "status"],
)

# CPU seconds and memory of this process (in multiprocess mode each process's own are not
# summed; use the host's exporter there).
PROCESS = ProcessCollector(registry=None)


class MetricsMiddleware:
    """Times every request; the label is the URL pattern's name, never the path (bounded)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        start = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name or "<unnamed>") if match else "<unresolved>"
        method = request.method if request.method in _METHODS else "other"
        REQUEST_LATENCY.labels(view, method).observe(time.perf_counter() - start)
        REQUESTS.labels(view, method, f"{response.status_code // 100}xx").inc()
        return response


_METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}


class DatabaseCollector(Collector):
    """Read at each scrape, from the system of record."""

    def collect(self) -> Iterator[Metric]:
        yield from _task_queue()
        yield from _curation()
        yield from _messages()

    def describe(self) -> list[Metric]:
        return []  # never queried at registration


def _task_queue() -> Iterator[Metric]:
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    depth = GaugeMetricFamily(
        "matchday_tasks_queued", "Tasks waiting for a worker (ready to run now).", labels=["queue"]
    )
    age = GaugeMetricFamily(
        "matchday_tasks_oldest_queued_age_seconds",
        "Age of the oldest task waiting for a worker (0 when none waits).",
        labels=["queue"],
    )
    running = GaugeMetricFamily(
        "matchday_tasks_running", "Tasks claimed by a worker and not finished.", labels=["queue"]
    )
    ready = (
        DBTaskResult.objects.ready()
        .values("queue_name")
        .annotate(n=Count("id"), oldest=Min("enqueued_at"))
        .order_by()
    )
    for row in ready:
        depth.add_metric([row["queue_name"]], row["n"])
        age.add_metric([row["queue_name"]], max(0.0, (now - row["oldest"]).total_seconds()))
    if not ready:
        depth.add_metric(["default"], 0)
        age.add_metric(["default"], 0)
    for busy in (
        DBTaskResult.objects.filter(status="RUNNING")
        .values("queue_name")
        .annotate(n=Count("id"))
        .order_by()
    ):
        running.add_metric([busy["queue_name"]], busy["n"])
    yield from (depth, age, running)


# The runs whose phase timings feed the summary: enough for a trend, bounded per scrape.
CURATION_RUNS_READ = 200


def _curation() -> Iterator[Metric]:
    from matchday.matchdays.models import CurationRun

    runs = CounterMetricFamily(
        "matchday_curation_runs", "Curation runs finished, by final status.", labels=["status"]
    )
    for row in (
        CurationRun.objects.filter(finished_at__isnull=False)
        .values("status")
        .annotate(n=Count("id"))
        .order_by()
    ):
        runs.add_metric([row["status"]], row["n"])
    yield runs

    sums: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)
    last: dict[str, float] = {}
    recent = (
        CurationRun.objects.filter(status=CurationRun.Status.SUCCEEDED)
        .order_by("-finished_at", "-pk")
        .values_list("stats", flat=True)[:CURATION_RUNS_READ]
    )
    for i, stats in enumerate(recent):
        timings = (stats or {}).get("timings_s") or {}
        for phase, seconds in timings.items():
            if isinstance(seconds, int | float):
                sums[phase] += float(seconds)
                counts[phase] += 1
                if i == 0:
                    last[phase] = float(seconds)
    summary = SummaryMetricFamily(
        "matchday_curation_phase_seconds",
        f"Wall time of each curation phase over the last {CURATION_RUNS_READ} successful runs.",
        labels=["phase"],
    )
    for phase in sorted(sums):
        summary.add_metric([phase], count_value=counts[phase], sum_value=sums[phase])
    yield summary
    gauge = GaugeMetricFamily(
        "matchday_curation_last_phase_seconds",
        "Wall time of each phase of the latest successful curation run.",
        labels=["phase"],
    )
    for phase, seconds in sorted(last.items()):
        gauge.add_metric([phase], seconds)
    yield gauge


def _messages() -> Iterator[Metric]:
    from matchday.notifications.models import Message

    counts = Message.objects.aggregate(
        failed=Count("id", filter=Q(status=Message.Status.FAILED)),
        reminders=Count("id", filter=Q(kind=Message.Kind.REMINDER, status=Message.Status.SENT)),
        escalations=Count("id", filter=Q(kind=Message.Kind.ESCALATION, status=Message.Status.SENT)),
    )
    yield GaugeMetricFamily(
        "matchday_emails_failed",
        "Emails that failed every attempt (the failed-mail page).",
        value=counts["failed"],
    )
    yield CounterMetricFamily(
        "matchday_reminders_sent", "Deadline reminders emailed.", value=counts["reminders"]
    )
    yield CounterMetricFamily(
        "matchday_escalations_sent",
        "Escalations to talent partners emailed.",
        value=counts["escalations"],
    )


def registry() -> CollectorRegistry:
    """This process's metrics, or every process's on this host in multiprocess mode, plus
    the database's."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        reg = CollectorRegistry()
        multiprocess.MultiProcessCollector(reg)
    else:
        reg = CollectorRegistry()
        for collector in (REQUEST_LATENCY, REQUESTS, PROCESS):
            reg.register(collector)
    reg.register(DatabaseCollector())
    return reg
