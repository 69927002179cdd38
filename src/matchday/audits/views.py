import json

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from matchday.audits import selectors
from matchday.audits.forms import AuditFilterForm
from matchday.core.csvexport import csv_response
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


def _csv_rows(entries):
    for e in entries.iterator(chunk_size=2000):
        yield [
            e.created_at.isoformat(),
            e.actor_label,
            e.action,
            e.target_type,
            e.target_id,
            e.target_label,
            e.subject_user_id,
            e.reason,
            json.dumps(e.data, sort_keys=True, ensure_ascii=False),
        ]


@login_required
@require_GET
def audit_export_csv(request):
    """The filtered audit log (same filters as the page, no paging) as CSV, streamed."""
    _, entries = _filtered(request)
    return csv_response(
        filename="matchday-audit-log.csv", header=CSV_COLUMNS, rows=_csv_rows(entries)
    )
