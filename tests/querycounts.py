"""Pinned query counts: a page makes exactly its pinned number of queries and the same number
whatever the rows it lists (no query per row)."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext


def page_queries(client, url: str, **extra) -> tuple[int, list[str]]:
    """Queries one GET of ``url`` makes (it must answer 200)."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **extra)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


def assert_pinned_queries(
    pages: dict[str, tuple[object, str, int]], grow: Callable[[], None], **extra
) -> dict[str, tuple[int, int]]:
    """For each ``name: (client, url, pinned)``: the queries before and after ``grow()``
    (which adds rows of every kind the pages list) both equal ``pinned``.
    Returns ``{name: (before, after)}``; fails listing every page off its pin."""
    for c, url, _ in pages.values():  # the first request of a session or key writes to it
        page_queries(c, url, **extra)
    before = {name: page_queries(c, url, **extra) for name, (c, url, _) in pages.items()}
    grow()
    after = {name: page_queries(c, url, **extra) for name, (c, url, _) in pages.items()}
    counts = {name: (before[name][0], after[name][0]) for name in pages}
    bad = {
        name: (b, a, pages[name][2])
        for name, (b, a) in counts.items()
        if a != b or a != pages[name][2] or b != pages[name][2]
    }
    details = "\n".join(
        f"{name}: {b} queries, {a} after more rows, pinned at {pin}"
        + ("\n  new: " + "\n  new: ".join(after[name][1][b:a][:5]) if a > b else "")
        for name, (b, a, pin) in bad.items()
    )
    assert not bad, details
    return counts
