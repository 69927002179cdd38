"""Log formats: JSON lines for machines (production default), plain text for people."""

from __future__ import annotations

from pythonjsonlogger.json import JsonFormatter


class JsonLineFormatter(JsonFormatter):
    """One JSON object per line: time, level, logger, message, request id, and any
    ``extra`` fields the call gave (view, status, duration_ms, …)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "fmt", "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(process)d"
        )
        kwargs.setdefault("rename_fields", {"asctime": "time", "levelname": "level"})
        kwargs.setdefault("datefmt", "%Y-%m-%dT%H:%M:%S%z")
        super().__init__(*args, **kwargs)


def logging_config(fmt: str, root_level: str, app_level: str, request_level: str) -> dict:
    """Django's LOGGING: every record gets ``request_id``; ``fmt`` is "json" or "text"."""
    formatter = (
        {"()": "matchday.ops.logformat.JsonLineFormatter"}
        if fmt == "json"
        else {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "matchday.ops.requestid.RequestIdFilter"}},
        "formatters": {"default": formatter},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["request_id"],
                "formatter": "default",
            }
        },
        "root": {"handlers": ["console"], "level": root_level},
        "loggers": {
            "matchday": {"level": app_level},
            # one line per request (view, status, duration_ms) at INFO
            "matchday.request": {"level": request_level},
            "django.tasks": {"level": app_level},
        },
    }
