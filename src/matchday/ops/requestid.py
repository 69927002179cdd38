"""One id per request, in every log line it causes, carried on by the tasks it enqueues.

The middleware takes the proxy's ``X-Request-ID`` when it looks like an id (or makes one),
puts it in a context variable that :class:`RequestIdFilter` adds to every log record, and
returns it in the response. A task enqueued while it is set remembers it in the shared cache
(keyed by the task's id), and the worker that runs the task puts it back for the task's log
lines — on any host, because the cache is shared (Redis or the database).
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from contextvars import ContextVar, Token

from django.core.cache import cache
from django.tasks.signals import task_enqueued, task_finished, task_started

request_id_var: ContextVar[str] = ContextVar("matchday_request_id", default="")
HEADER = "X-Request-ID"
_VALID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
# Long enough for a task that waits in the queue for a week.
TASK_KEY_TIMEOUT = 7 * 24 * 3600
logger = logging.getLogger("matchday.request")


def current() -> str:
    return request_id_var.get()


def _task_key(task_id: object) -> str:
    return f"ops:task-request-id:{task_id}"


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` (empty outside a request or a task that came from one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class RequestIdMiddleware:
    """First in the chain: every later log line of the request carries the id; one
    ``matchday.request`` line per request gives view, status and duration."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(HEADER, "")
        rid = given if _VALID.match(given) else uuid.uuid4().hex
        token = request_id_var.set(rid)
        request.request_id = rid
        start = time.perf_counter()
        try:
            _tag_error_tracker(rid)
            response = self.get_response(request)
            response[HEADER] = rid
            match = getattr(request, "resolver_match", None)
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "view": match.view_name if match else "",
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - start) * 1000, 1),
                    "method": request.method,
                    "path": request.path,
                },
            )
            return response
        finally:
            request_id_var.reset(token)


def _tag_error_tracker(rid: str) -> None:
    try:
        import sentry_sdk
    except ImportError:  # pragma: no cover - sentry-sdk is a dependency
        return
    sentry_sdk.set_tag("request_id", rid)


# -- tasks carry the id on ----------------------------------------------------------------

_started: dict[str, Token[str]] = {}


def _on_enqueued(sender, task_result, **kwargs) -> None:
    rid = request_id_var.get()
    if rid:
        try:
            cache.set(_task_key(task_result.id), rid, TASK_KEY_TIMEOUT)
        except Exception:
            logger.warning("request id of task %s not kept", task_result.id, exc_info=True)


def _on_started(sender, task_result, **kwargs) -> None:
    try:
        rid = cache.get(_task_key(task_result.id))
    except Exception:
        logger.warning("request id of task %s not read", task_result.id, exc_info=True)
        return
    if rid:
        _started[str(task_result.id)] = request_id_var.set(rid)
        _tag_error_tracker(rid)


def _on_finished(sender, task_result, **kwargs) -> None:
    token = _started.pop(str(task_result.id), None)
    if token is not None:
        try:
            request_id_var.reset(token)
        except ValueError:  # set in another context: just clear it
            request_id_var.set("")


def connect_task_signals() -> None:
    task_enqueued.connect(_on_enqueued, dispatch_uid="ops.request_id.enqueued")
    task_started.connect(_on_started, dispatch_uid="ops.request_id.started")
    task_finished.connect(_on_finished, dispatch_uid="ops.request_id.finished")
