"""Erasing a person's identity from text that is kept (a legal duty of account deletion)."""

from __future__ import annotations

from django.db import models
from django.db.models import Value
from django.db.models.functions import Replace


def scrub(qs: models.QuerySet, fields: list[str], pairs: list[tuple[str, str]]) -> None:
    """Replace each (old, new) string in ``fields`` of every row of ``qs``, in SQL."""
    for old, new in pairs:
        if not old:
            continue
        updates = {f: Replace(f, Value(old), Value(new)) for f in fields}
        # Bypass append-only queryset guards (the audit log's): erasure is the one exception.
        models.QuerySet.update(qs, **updates)
