"""Match Day pages: partners run and review, companies see blind shortlists.

Views parse input, call one service or selector, and render; rules live in services.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from matchday.companies.models import Role
from matchday.matchdays import selectors, services
from matchday.matchdays.forms import (
    BulkApproveForm,
    InterestForm,
    MatchDayForm,
    ReasonForm,
    SwapForm,
)
from matchday.talent.models import CandidateProfile


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


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
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
        else:
            messages.success(request, "Match Day created.")
            return redirect(md)
    return render(request, "matchdays/create.html", {"form": form})


def _detail_context(request, md) -> dict:
    return {
        "matchday": md,
        "run": selectors.latest_run(md),
        "counts": selectors.proposal_counts(md),
        "stop_form": ReasonForm(),
    }


@login_required
def matchday_detail(request, pk: int):
    md = selectors.matchday_for_partner(user=request.user, matchday_id=pk)
    return render(request, "matchdays/detail.html", _detail_context(request, md))


@login_required
def run_progress(request, pk: int):
    """The htmx-polled progress partial of a run."""
    run = selectors.run_for_partner(user=request.user, run_id=pk)
    return render(request, "matchdays/partials/run.html", {"run": run, "matchday": run.matchday})


@login_required
@require_POST
def run_start(request, pk: int):
    md = selectors.matchday_for_partner(user=request.user, matchday_id=pk)
    try:
        services.curation_start(matchday=md, by=request.user)
    except ValidationError as exc:
        _errors(request, exc)
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
        _errors(request, exc)
    else:
        messages.success(request, "Cancellation requested.")
    return redirect(run.matchday)


@login_required
def run_input(request, pk: int):
    """Download the run's exact engine input (gzip JSON) to replay it with the CLI."""
    run = selectors.run_for_partner(user=request.user, run_id=pk)
    if not run.engine_input:
        raise Http404("This run has no stored input yet.")
    return FileResponse(
        run.engine_input.open("rb"),
        as_attachment=True,
        filename=f"matchday-{run.matchday_id}-run-{run.pk}-score-input.json.gz",
        content_type="application/gzip",
    )


@login_required
@require_POST
def matchday_stop(request, pk: int):
    md = selectors.matchday_for_partner(user=request.user, matchday_id=pk)
    form = ReasonForm(request.POST)
    try:
        services.matchday_stop(matchday=md, by=request.user, reason=form.data.get("reason", ""))
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, "Match Day stopped.")
    return redirect(md)


@login_required
@require_POST
def open_interest(request, pk: int):
    md = selectors.matchday_for_partner(user=request.user, matchday_id=pk)
    try:
        services.matchday_open_interest(matchday=md, by=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, "Interest window open: companies now see approved proposals.")
    return redirect(md)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
def review(request, pk: int):
    """Review per role (``?role=``) or per candidate (``?candidate=``); all roles otherwise."""
    md = selectors.matchday_for_partner(user=request.user, matchday_id=pk)
    role_id, candidate_id = _int(request.GET.get("role")), _int(request.GET.get("candidate"))
    proposals = list(
        selectors.proposals_for_review(
            user=request.user, matchday=md, role_id=role_id, candidate_id=candidate_id
        )
    )
    return render(
        request,
        "matchdays/review.html",
        {
            "matchday": md,
            "proposals": proposals,
            "role_id": role_id,
            "candidate_id": candidate_id,
            "bulk_form": BulkApproveForm(initial={"role": role_id}),
            "reason_form": ReasonForm(),
            "swap_form": SwapForm(),
        },
    )


def _back_to_review(request, proposal):
    nxt = request.POST.get("next", "")
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return redirect(nxt)
    url = reverse("matchdays:review", args=[proposal.matchday_id])
    return redirect(f"{url}?role={proposal.role_id}")


@login_required
@require_POST
def proposal_approve(request, pk: int):
    p = selectors.proposal_for_partner(user=request.user, proposal_id=pk)
    try:
        services.proposal_approve(
            proposal=p, by=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        _errors(request, exc)
    return _back_to_review(request, p)


@login_required
@require_POST
def proposal_reject(request, pk: int):
    p = selectors.proposal_for_partner(user=request.user, proposal_id=pk)
    try:
        services.proposal_reject(proposal=p, by=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        _errors(request, exc)
    return _back_to_review(request, p)


@login_required
@require_POST
def proposal_swap(request, pk: int):
    p = selectors.proposal_for_partner(user=request.user, proposal_id=pk)
    form = SwapForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
        return _back_to_review(request, p)
    candidate = get_object_or_404(CandidateProfile, pk=form.cleaned_data["candidate"])
    try:
        services.proposal_swap(
            proposal=p, by=request.user, candidate=candidate, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, "Candidate swapped in.")
    return _back_to_review(request, p)


@login_required
@require_POST
def bulk_approve(request, pk: int):
    md = selectors.matchday_for_partner(user=request.user, matchday_id=pk)
    form = BulkApproveForm(request.POST)
    url = reverse("matchdays:review", args=[md.pk])
    if not form.is_valid():
        messages.error(request, "Check the filters.")
        return redirect(url)
    data = form.cleaned_data
    role = get_object_or_404(Role, pk=data["role"]) if data.get("role") else None
    try:
        n = services.proposals_bulk_approve(
            matchday=md,
            by=request.user,
            min_score=data.get("min_score"),
            no_missing_requirements=bool(data.get("no_missing_requirements")),
            role=role,
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, f"Approved {n} proposal{'s' if n != 1 else ''}.")
    return redirect(url + (f"?role={role.pk}" if role else ""))


# -- companies ----------------------------------------------------------------------------


@login_required
def shortlist_list(request):
    roles = selectors.shortlist_roles(user=request.user)
    return render(request, "matchdays/shortlist_list.html", {"roles": roles})


@login_required
def shortlist_role(request, pk: int):
    role, cards = selectors.shortlist(user=request.user, role_id=pk)
    return render(
        request,
        "matchdays/shortlist.html",
        {"role": role, "cards": cards, "interest_form": InterestForm(), "pass_form": ReasonForm()},
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
        _errors(request, exc)
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
        _errors(request, exc)
    else:
        messages.success(request, "Pass recorded.")
    return redirect("matchdays:shortlist", pk=p.role_id)
