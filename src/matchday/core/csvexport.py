"""CSV exports that are safe to open in a spreadsheet.

Every CSV Matchday serves goes through :func:`csv_response`, which passes **every** cell
through :func:`safe_cell`: a value a spreadsheet would read as a formula (``=``, ``+``,
``-``, ``@``, a tab or a carriage return first, or their full-width forms) is prefixed with
a single quote, the OWASP recommendation against CSV (formula) injection. Ids, dates and
JSON are neutralised too, so a new column cannot forget it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any

from django.http import StreamingHttpResponse

__all__ = ["FORMULA_STARTS", "csv_response", "safe_cell"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def safe_cell(value: Any) -> str:
    """The cell as text a spreadsheet shows as text, never evaluates.

    >>> safe_cell("=cmd|' /C calc'!A0"), safe_cell(42), safe_cell(None), safe_cell("a=b")
    ("'=cmd|' /C calc'!A0", '42', '', 'a=b')
    """
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_rows(header: list[str], rows: Iterable[Iterable[Any]]) -> Iterable[str]:
    """The header and rows as CSV lines, every cell through :func:`safe_cell`."""
    writer = csv.writer(_Echo())
    yield writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        yield writer.writerow([safe_cell(cell) for cell in row])


def csv_response(
    *, filename: str, header: list[str], rows: Iterable[Iterable[Any]]
) -> StreamingHttpResponse:
    """A streamed CSV download (``rows`` is consumed lazily, so pass an iterator)."""
    response = StreamingHttpResponse(csv_rows(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
