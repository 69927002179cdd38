"""Match Day pages: partners run and review, companies see blind shortlists.

Views parse input, call one service or selector, and render; rules live in services.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST

from matchday.core.forms import apply_service_errors, flash_errors
from matchday.matchdays import schedules, selectors, services
from matchday.matchdays.forms import (
    BULK_SCOPE_SELECTED,
    BlindTermForm,
    BulkForm,
    InterestForm,
    MatchDayForm,
    OpenInterestForm,
    ReasonForm,
    RescheduleForm,
    ReviewFilterForm,
    ScheduleForm,
    SwapForm,
    SwapSearchForm,
)
from matchday.matchdays.models import Proposal
from matchday.matchdays.selectors import ReviewFilters
from matchday.talent import selectors as talent_selectors
from matchday.talent.forms import PartnerNoteForm
from matchday.taxonomy.services import taxonomy_document

# -- partners -----------------------------------------------------------------------------


@login_required
def matchday_list(request):
    matchdays = selectors.matchdays_for_partner(user=request.user)
    return render(request, "matchdays/list.html", {"matchdays": matchdays})


@login_required
def matchday_create(request):
    selectors.matchdays_for_partner(user=request.user)  # partners only
    form = MatchDayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            md = services.matchday_create(by=request.user, **form.cleaned_for_service())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Match Day created.")
            return redirect(md)
    counts = talent_selectors.participation_counts(user=request.user)
    return render(request, "matchdays/create.html", {"form": form, "counts": counts})


def _detail_context(request, md) -> dict:
    if services.curation_runs_expire(matchday=md):  # a dead worker's run ends when looked at
        md.refresh_from_db()
    run = selectors.latest_run(md)
    return {
        "matchday": md,
        "run": run,
        "counts": selectors.proposal_counts(md),
        "live": selectors.matchday_is_busy(md, run),
        "stop_form": ReasonForm(),
    }


@login_required
def matchday_detail(request, pk: int):
    md = selectors.matchday_for_partner(user=request.user, matchday_id=pk)
    context = _detail_context(request, md)
    context["reschedule_form"] = RescheduleForm(matchday=md)
    return render(request, "matchdays/detail.html", context)


@login_required
def matchday_live(request, pk: int):
    """The part of the Match Day page that changes while a curation run goes: phase, counts,
    the run's progress and the next actions. It polls itself while the run is active, and
    the answer after the run finishes carries the new phase and counts (and stops polling)."""
    md = selectors.matchday_for_partner(user=request.user, matchday_id=pk)
    return render(request, "matchdays/partials/live.html", _detail_context(request, md))


@login_required
@require_POST
def matchday_reschedule(request, pk: int):
    md = selectors.matchday_for_partner(user=request.user, matchday_id=pk)
    form = RescheduleForm(request.POST, matchday=md)
    if form.is_valid():
        try:
            services.matchday_reschedule(matchday=md, by=request.user, **form.cleaned_for_service())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Timing saved.")
            return redirect(md)
    context = _detail_context(request, md)
    context["reschedule_form"] = form
    return render(request, "matchdays/detail.html", context, status=422)


@login_required
def run_progress(request, pk: int):
    """The htmx-polled progress partial of a run."""
    run = selectors.run_for_partner(user=request.user, run_id=pk)
    if services.curation_runs_expire(matchday=run.matchday):
        run.refresh_from_db()
    return render(
        request,
        "matchdays/partials/run.html",
        {"run": run, "matchday": run.matchday, "poll": True},
    )


@login_required
@require_POST
def run_start(request, pk: int):
    md = selectors.matchday_for_partner(user=request.user, matchday_id=pk)
    try:
        services.curation_start(matchday=md, by=request.user)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, "Curation queued.")
    return redirect(md)


@login_required
@require_POST
def run_cancel(request, pk: int):
    run = selectors.run_for_partner(user=request.user, run_id=pk)
    try:
        services.curation_cancel(run=run, by=request.user)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, "Cancellation requested.")
    return redirect(run.matchday)


def _run_file(request, pk: int, kind: str):
    run = selectors.run_for_partner(user=request.user, run_id=pk)
    stored = run.engine_input if kind == "input" else run.engine_output
    if not stored:
        raise Http404(f"This run has no stored {kind} yet.")
    return FileResponse(
        stored.open("rb"),
        as_attachment=True,
        filename=f"matchday-{run.matchday_id}-run-{run.pk}-{kind}.json.gz",
        content_type="application/gzip",
    )


@login_required
def run_input(request, pk: int):
    """Download the run's exact engine input (gzip JSON) to replay it with the CLI."""
    return _run_file(request, pk, "input")


@login_required
def run_taxonomy(request, pk: int):
    """Download the taxonomy the run scored with (JSON), for its replay: the shipped file
    plus the partners' changes up to the run's taxonomy version."""
    run = selectors.run_for_partner(user=request.user, run_id=pk)
    version = (run.stats or {}).get("taxonomy_version")
    if not version:
        raise Http404("This run has not recorded its taxonomy yet.")
    response = JsonResponse(taxonomy_document(version), json_dumps_params={"indent": 1})
    name = f"taxonomy-{version}.json".replace("+", "-")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def run_output(request, pk: int):
    """Download the engine's output of the run (gzip JSON), which a replay reproduces."""
    return _run_file(request, pk, "output")


@login_required
@require_POST
def matchday_stop(request, pk: int):
    md = selectors.matchday_for_partner(user=request.user, matchday_id=pk)
    form = ReasonForm(request.POST)
    try:
        services.matchday_stop(matchday=md, by=request.user, reason=form.data.get("reason", ""))
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, "Match Day stopped.")
    return redirect(md)


@login_required
def open_interest(request, pk: int):
    """Open the interest window. With proposals still awaiting review, the partner chooses
    what happens to them first (approve, reject with a reason, or leave them out)."""
    md = selectors.matchday_for_partner(user=request.user, matchday_id=pk)
    counts = selectors.proposal_counts(md)
    form = OpenInterestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and (not counts["pending"] or form.is_valid()):
        data = form.cleaned_data if counts["pending"] else {}
        try:
            services.matchday_open_interest(
                matchday=md,
                by=request.user,
                unreviewed=data.get("unreviewed"),
                reason=data.get("reason", ""),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc, default_field="unreviewed")
        else:
            messages.success(request, "Interest window open: companies now see approved proposals.")
            return redirect(md)
    status = 422 if form.is_bound and form.errors else 200
    return render(
        request,
        "matchdays/open_interest.html",
        {"matchday": md, "counts": counts, "form": form},
        status=status,
    )


# -- recurring Match Days -------------------------------------------------------------------


@login_required
def schedule_list(request):
    schedules_ = selectors.schedules_for_partner(user=request.user)
    return render(request, "matchdays/schedule_list.html", {"schedules": schedules_})


@login_required
def schedule_create(request):
    selectors.schedules_for_partner(user=request.user)  # partners only: 403 first
    form = ScheduleForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            schedule = schedules.schedule_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                "Schedule created: the next Match Day is created and announced on its own.",
            )
            return redirect(schedule)
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "matchdays/schedule_form.html", {"form": form}, status=status)


def _schedule_page(request, schedule, form=None, status=200):
    return render(
        request,
        "matchdays/schedule.html",
        {
            "schedule": schedule,
            "form": form or ScheduleForm.for_schedule(schedule),
            "plan": schedules.plan(schedule),
            "matchdays": schedule.matchdays.order_by("-release_at", "-pk")[:20],
            "history": selectors.schedule_history(user=request.user, schedule=schedule)[:50],
        },
        status=status,
    )


@login_required
def schedule_detail(request, pk: int):
    schedule = selectors.schedule_for_partner(user=request.user, schedule_id=pk)
    if request.method != "POST":
        return _schedule_page(request, schedule)
    form = ScheduleForm.for_schedule(schedule, request.POST)
    if form.is_valid():
        try:
            schedules.schedule_update(schedule=schedule, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Schedule saved.")
            return redirect(schedule)
    return _schedule_page(request, schedule, form, status=422)


SCHEDULE_ACTIONS = {
    "pause": (schedules.schedule_pause, "Paused: no new Match Day until you resume."),
    "resume": (schedules.schedule_resume, "Resumed."),
    "skip": (schedules.schedule_skip_next, "The next Match Day will be skipped."),
    "unskip": (schedules.schedule_unskip, "The next Match Day goes ahead."),
}


@login_required
@require_POST
def schedule_action(request, pk: int, action: str):
    schedule = selectors.schedule_for_partner(user=request.user, schedule_id=pk)
    if action not in SCHEDULE_ACTIONS:
        raise Http404("No such action.")
    service, done = SCHEDULE_ACTIONS[action]
    kwargs = {}
    if action in ("pause", "skip"):
        kwargs["reason"] = request.POST.get("reason", "")[:2000]
    try:
        service(schedule=schedule, by=request.user, **kwargs)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, done)
    return redirect(schedule)


# -- the review table ---------------------------------------------------------------------


def _review_form(data, md) -> ReviewFilterForm:
    return ReviewFilterForm(
        data,
        companies=selectors.review_companies(md),
        reviewers=selectors.review_reviewers(md),
    )


def _review_url(md, params) -> str:
    url = reverse("matchdays:review", args=[md.pk])
    return f"{url}?{urlencode(params)}" if params else url


@login_required
def review(request, pk: int):
    """The review table: filters, sort and page in the query string; per role (``?role=``)
    and per candidate (``?candidate=``) it also lists the run's next-best alternatives."""
    md = selectors.matchday_for_partner(user=request.user, matchday_id=pk)
    form = _review_form(request.GET, md)
    if not form.is_valid():
        return render(
            request,
            "matchdays/review.html",
            {"matchday": md, "form": form, "view": None},
            status=400,
        )
    filters = form.filters()
    view = selectors.review_page(
        user=request.user,
        matchday=md,
        filters=filters,
        sort=form.ordering(),
        page_number=request.GET.get("page"),
    )
    params = form.params()
    return render(
        request,
        "matchdays/review.html",
        {
            "matchday": md,
            "form": form,
            "view": view,
            "filters": filters,
            "params": params,
            "query": urlencode(params),
            "sort": form.ordering(),
            "sort_links": _sort_links(md, params, form.ordering()),
            "focus_role": view.role,
            "focus_candidate": view.candidate,
            "partner_notes": None
            if view.candidate is None
            else talent_selectors.notes_for_partner(
                user=request.user, profile_id=view.candidate.pk
            ),
            "note_form": PartnerNoteForm(),
        },
    )


SORT_COLUMNS = (
    ("candidate", "Candidate"),
    ("role", "Role"),
    ("company", "Company"),
    ("score", "Score"),
    ("missing", "Missing"),
    ("status", "Status"),
    ("reviewer", "Reviewer"),
)


def _sort_links(md, params, current: str) -> dict[str, dict[str, str]]:
    """Per column: the URL that sorts by it (toggling direction) and its aria-sort state."""
    base = [(k, v) for k, v in params if k not in ("sort", "page")]
    out = {}
    for key, label in SORT_COLUMNS:
        if current.removeprefix("-") == key:
            state = "descending" if current.startswith("-") else "ascending"
            nxt = key if current.startswith("-") else f"-{key}"
        else:
            state = "none"
            nxt = f"-{key}" if key in ("score", "missing") else key
        out[key] = {"url": _review_url(md, [*base, ("sort", nxt)]), "state": state, "label": label}
    return out


def _row_response(request, proposal_id: int, *, error: str = "", status: int = 200, note=""):
    p = selectors.proposal_for_partner(user=request.user, proposal_id=proposal_id)
    counts = selectors.proposal_counts(p.matchday)
    return render(
        request,
        "matchdays/partials/review_row.html",
        {
            "p": p,
            "row_error": error,
            "note": note,
            "counts": counts,
            "matchday": p.matchday,
            "oob": True,
            "next_url": _safe_next(request),
        },
        status=status,
    )


def _reason(request) -> str:
    """The optional (approve) or required (reject) reason; too long is an error, never cut."""
    form = ReasonForm(request.POST)
    if form.is_valid():
        return form.cleaned_data["reason"]
    if request.POST.get("reason", "").strip():
        raise ValidationError(form.errors["reason"])
    return ""


def _decide(request, pk: int, action, done: str):
    p = selectors.proposal_for_partner(user=request.user, proposal_id=pk)
    try:
        if action is services.proposal_undo:
            action(proposal=p, by=request.user)
        else:
            action(proposal=p, by=request.user, reason=_reason(request))
    except ValidationError as exc:
        if request.htmx:
            return _row_response(request, pk, error=" ".join(exc.messages), status=422)
        flash_errors(request, exc)
        return _back_to_review(request, p)
    note = done.format(name=p.candidate.user.full_name, role=p.role.title)
    if request.htmx:
        return _row_response(request, pk, note=note)
    messages.success(request, note)
    return _back_to_review(request, p)


def _back_to_review(request, proposal):
    nxt = request.POST.get("next", "")
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return redirect(nxt)
    url = reverse("matchdays:review", args=[proposal.matchday_id])
    return redirect(f"{url}?role={proposal.role_id}")


@login_required
@require_POST
def proposal_approve(request, pk: int):
    return _decide(request, pk, services.proposal_approve, "Approved {name} for {role}.")


@login_required
@require_POST
def proposal_reject(request, pk: int):
    return _decide(request, pk, services.proposal_reject, "Rejected {name} for {role}.")


@login_required
@require_POST
def proposal_undo(request, pk: int):
    return _decide(request, pk, services.proposal_undo, "Undone: {name} for {role} awaits review.")


@login_required
def proposal_detail(request, pk: int):
    """One proposal: the engine's reasons, its history, and the swap picker."""
    p = selectors.proposal_for_partner(user=request.user, proposal_id=pk)
    search = SwapSearchForm(request.GET)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    return _detail_page(request, p, SwapForm(), query=query)


def _detail_page(request, p, swap_form, *, query: str = "", status: int = 200):
    picker = None
    if p.status in {Proposal.Status.PENDING, Proposal.Status.APPROVED}:
        picker = selectors.swap_picker(user=request.user, proposal=p, query=query)
    return render(
        request,
        "matchdays/proposal.html",
        {
            "p": p,
            "matchday": p.matchday,
            "picker": picker,
            "swap_form": swap_form,
            "history": selectors.proposal_history(user=request.user, proposal=p),
            "blind_preview": selectors.blind_preview(
                user=request.user, candidate_id=p.candidate_id, proposal_id=p.pk
            ),
            "blind_term_form": BlindTermForm(),
            "partner_notes": talent_selectors.notes_for_partner(
                user=request.user, profile_id=p.candidate_id
            ),
            "note_form": PartnerNoteForm(),
            "next": _safe_next(request),
        },
        status=status,
    )


def _safe_next(request) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return nxt
    return ""


@login_required
@require_POST
def proposal_swap(request, pk: int):
    p = selectors.proposal_for_partner(user=request.user, proposal_id=pk)
    form = SwapForm(request.POST)
    if form.is_valid():
        try:
            new = services.proposal_swap(
                proposal=p,
                by=request.user,
                candidate=form.cleaned_data["candidate"],
                role=form.cleaned_data["role"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"Swapped in {new.candidate.user.full_name} for {new.role.title} "
                f"(score {new.score:.3f}); {p.candidate.user.full_name}'s proposal is swapped out.",
            )
            return _back_to_review(request, new)
    return _detail_page(request, p, form, status=422)


@login_required
@require_POST
def bulk(request, pk: int):
    """Bulk approve/reject in two steps: this page first shows what would be decided (the
    count, the filters in words, the first rows) and asks to confirm; the confirmed count
    must still hold when the partner confirms."""
    md = selectors.matchday_for_partner(user=request.user, matchday_id=pk)
    filter_form = _review_form(request.POST, md)
    form = BulkForm(request.POST)
    if not (filter_form.is_valid() and form.is_valid()):
        flash_errors(request, filter_form)
        flash_errors(request, form)
        back = filter_form.params() if filter_form.is_valid() else []
        return redirect(_review_url(md, back))
    data = form.cleaned_data
    params = filter_form.params()
    selected = form.scope == BULK_SCOPE_SELECTED
    ids = data["ids"] if selected else ()
    # The rows ticked are exactly what is decided, whatever the filters say.
    filters = ReviewFilters(ids=ids) if selected else filter_form.filters()
    if data["confirm"]:
        try:
            n = services.proposals_bulk_decide(
                matchday=md,
                by=request.user,
                action=form.action,
                filters=filters,
                reason=data["reason"],
                expected=data["expected"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "reason" in exc.error_dict:
                form.add_error("reason", exc.error_dict["reason"])
            else:
                form.add_error(None, exc.messages)
        else:
            verb = "Approved" if form.action == "approve" else "Rejected"
            messages.success(request, f"{verb} {n} proposal{'s' if n != 1 else ''}.")
            return redirect(_review_url(md, params))
    selection = services.proposals_bulk_selection(matchday=md, filters=filters)
    count = selection.count()
    return render(
        request,
        "matchdays/bulk_confirm.html",
        {
            "matchday": md,
            "form": form,
            "action": form.action,
            "do": data["do"],
            "ids": ",".join(str(i) for i in ids),
            "count": count,
            "sample": selection.select_related("candidate__user", "role__company").order_by(
                "-score", "pk"
            )[:BULK_SAMPLE],
            "params": params,
            "described": selectors.describe_filters(md, filters),
            "back": _review_url(md, params),
        },
        status=422 if form.errors else 200,
    )


BULK_SAMPLE = 20


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# -- companies ----------------------------------------------------------------------------


@login_required
def shortlist_list(request):
    roles = selectors.shortlist_roles(user=request.user)
    windows = selectors.interest_windows(user=request.user)
    return render(request, "matchdays/shortlist_list.html", {"roles": roles, "windows": windows})


@login_required
def shortlist_role(request, pk: int):
    role, cards = selectors.shortlist(user=request.user, role_id=pk)
    windows = selectors.interest_windows(user=request.user, role_id=role.pk)
    return render(
        request,
        "matchdays/shortlist.html",
        {
            "role": role,
            "cards": cards,
            "interest_form": InterestForm(),
            "pass_form": ReasonForm(),
            "windows": windows,
        },
    )


@login_required
@require_POST
def interest_express(request, pk: int):
    p = selectors.proposal_for_company(user=request.user, proposal_id=pk, to_decide=True)
    try:
        services.interest_express(
            proposal=p,
            by=request.user,
            offered_salary=_int(request.POST.get("offered_salary")),
            note=request.POST.get("note", ""),
        )
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, "Interest recorded.")
    return redirect("matchdays:shortlist", pk=p.role_id)


@login_required
@require_POST
def interest_pass(request, pk: int):
    p = selectors.proposal_for_company(user=request.user, proposal_id=pk, to_decide=True)
    try:
        services.interest_pass(proposal=p, by=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, "Pass recorded.")
    return redirect("matchdays:shortlist", pk=p.role_id)


# -- partners: blind text preview and corrections -----------------------------------------


def _back_to_preview(request, candidate_id: int):
    nxt = request.POST.get("next", "")
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return redirect(nxt)
    return redirect("matchdays:blind_preview", candidate_id=candidate_id)


@login_required
def blind_preview(request, candidate_id: int):
    """The candidate's text as companies see it; the bare partial for htmx requests."""
    preview = selectors.blind_preview(
        user=request.user, candidate_id=candidate_id, proposal_id=_int(request.GET.get("proposal"))
    )
    template = (
        "matchdays/partials/blind_preview.html"
        if request.headers.get("HX-Request")
        else "matchdays/blind_preview.html"
    )
    return render(request, template, {"preview": preview, "term_form": BlindTermForm()})


@login_required
@require_POST
def blind_term_add(request, candidate_id: int):
    preview = selectors.blind_preview(user=request.user, candidate_id=candidate_id)
    form = BlindTermForm(request.POST)
    if not form.is_valid():
        flash_errors(request, form)
        return _back_to_preview(request, candidate_id)
    try:
        row = services.blind_term_add(
            candidate=preview.candidate, by=request.user, **form.cleaned_data
        )
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        verb = "redacted" if row.action == "redact" else "shown"
        messages.success(request, f"“{row.term}” will be {verb} in this candidate's blind text.")
    return _back_to_preview(request, candidate_id)


@login_required
@require_POST
def blind_term_remove(request, pk: int):
    row = selectors.blind_term_for_partner(user=request.user, term_id=pk)
    services.blind_term_remove(blind_term=row, by=request.user)
    messages.success(request, f"Removed “{row.term}”.")
    return _back_to_preview(request, row.candidate_id)
