import csv
import json

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from matchday.audits import selectors
from matchday.audits.forms import AuditFilterForm
from matchday.core.forms import status_for

PAGE_SIZE = 50


def _filtered(request):
    """The filter form and the entries it selects (the page and the CSV share both)."""
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    entries = selectors.entries_for(
        user=request.user,
        action=filters.get("action", ""),
        target_type=filters.get("target_type", ""),
        target_id=filters.get("target_id", ""),
    )
    return form, entries


@login_required
@require_GET
def audit_list(request):
    form, entries = _filtered(request)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "audits/list.html", context, status=status_for(form))


CSV_COLUMNS = [
    "created_at", "actor", "action", "target_type", "target_id", "target", "subject_user_id",
    "reason", "data",
]  # fmt: skip


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value: str) -> str:
    """Neutralise spreadsheet formulas in user text (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _csv_rows(entries):
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_COLUMNS)
    for e in entries.iterator(chunk_size=2000):
        yield writer.writerow(
            [
                e.created_at.isoformat(), e.actor_label, e.action, e.target_type, e.target_id,
                _cell(e.target_label), e.subject_user_id or "", _cell(e.reason),
                json.dumps(e.data, sort_keys=True, ensure_ascii=False),
            ]
        )  # fmt: skip


@login_required
@require_GET
def audit_export_csv(request):
    """The filtered audit log (same filters as the page, no paging) as CSV, streamed."""
    _, entries = _filtered(request)
    response = StreamingHttpResponse(_csv_rows(entries), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="matchday-audit-log.csv"'
    return response
