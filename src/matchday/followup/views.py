"""Pages for the candidate's Match Day, the company's pipeline and the partner's report.

Views parse input, call one service or selector, and render; services raise
``ValidationError`` with the message shown to the user.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from matchday.companies.models import Company
from matchday.core.forms import apply_service_errors, flash_errors
from matchday.core.timezones import zone_name_for
from matchday.followup import forms, selectors, services
from matchday.followup.ics import step_invite
from matchday.followup.responsiveness import company_responsiveness
from matchday.talent import services as talent_services
from matchday.talent.models import Demographics
from matchday.talent.selectors import own_profile


def _invite_response(step, user) -> HttpResponse:
    if step.scheduled_at is None:
        return HttpResponse("This step has no scheduled time yet.", status=404)
    invite = step_invite(step, zone_name=zone_name_for(user))
    response = HttpResponse(invite, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="matchday-{step.kind}-{step.pk}.ics"'
    return response


# --- candidate ---------------------------------------------------------------------------


@login_required
def my_matchday(request):
    cards = selectors.intro_cards(user=request.user)
    profile = own_profile(user=request.user)
    return render(
        request,
        "followup/my_matchday.html",
        {"cards": cards, "profile": profile, "reason_form": forms.ReasonForm()},
    )


def _act(request, act: Callable[[], object], done: str) -> None:
    """Run ``act`` (a service call); its refusal as an error message, else ``done``."""
    try:
        act()
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, done)


def _reason(request) -> str:
    """The reason a candidate may give with a "no" (blank when none or invalid)."""
    form = forms.ReasonForm(request.POST)
    return form.cleaned_data["reason"] if form.is_valid() else ""


@login_required
@require_POST
def intro_accept(request, pk: int):
    intro = selectors.intro_for_candidate(user=request.user, intro_id=pk)
    _act(
        request,
        lambda: services.intro_accept(intro=intro, by=request.user),
        f"Accepted. {intro.role.company.name} can now see who you are and will be in touch.",
    )
    return redirect("followup:my_matchday")


@login_required
@require_POST
def intro_decline(request, pk: int):
    intro = selectors.intro_for_candidate(user=request.user, intro_id=pk)
    reason = _reason(request)
    _act(
        request,
        lambda: services.intro_decline(intro=intro, by=request.user, reason=reason),
        f"Declined. {intro.role.company.name} will not learn who you are.",
    )
    return redirect("followup:my_matchday")


@login_required
@require_POST
def intro_withdraw(request, pk: int):
    intro = selectors.intro_for_candidate(user=request.user, intro_id=pk)
    reason = _reason(request)
    _act(
        request,
        lambda: services.intro_withdraw(intro=intro, by=request.user, reason=reason),
        f"You withdrew; {intro.role.company.name} has been told.",
    )
    return redirect("followup:my_matchday")


@login_required
@require_POST
def offer_accept(request, pk: int):
    offer = selectors.offer_for_candidate(user=request.user, offer_id=pk)
    _act(
        request,
        lambda: services.offer_accept(offer=offer, by=request.user),
        f"Offer accepted. {offer.intro.role.company.name} has been told and will record your hire.",
    )
    return redirect("followup:my_matchday")


@login_required
@require_POST
def offer_decline(request, pk: int):
    offer = selectors.offer_for_candidate(user=request.user, offer_id=pk)
    reason = _reason(request)
    _act(
        request,
        lambda: services.offer_decline(offer=offer, by=request.user, reason=reason),
        f"Offer declined; {offer.intro.role.company.name} has been told.",
    )
    return redirect("followup:my_matchday")


@login_required
def candidate_invite(request, step_id: int):
    step = selectors.step_for_candidate(user=request.user, step_id=step_id)
    return _invite_response(step, request.user)


@login_required
def controls(request):
    profile = own_profile(user=request.user)
    hidden = list(profile.hidden_companies.order_by("name"))
    form = forms.HideCompanyForm(request.POST or None, hidden_ids=[c.pk for c in hidden])
    if request.method == "POST" and form.is_valid():
        company = form.cleaned_data["company"]
        services.candidate_hide_company(profile=profile, by=request.user, company=company)
        messages.success(request, f"{company.name} will not be shown your profile.")
        return redirect("followup:controls")
    return render(
        request, "followup/controls.html", {"profile": profile, "hidden": hidden, "form": form}
    )


@login_required
@require_POST
def unhide(request, company_id: int):
    profile = own_profile(user=request.user)
    company = get_object_or_404(Company, pk=company_id)
    services.candidate_unhide_company(profile=profile, by=request.user, company=company)
    messages.success(request, f"{company.name} may be proposed your profile again.")
    return redirect("followup:controls")


@login_required
@require_POST
def pause(request):
    profile = own_profile(user=request.user)
    try:
        if request.POST.get("action") == "resume":
            talent_services.candidate_activate(profile=profile, by=request.user)
            messages.success(request, "Your search is active again.")
        else:
            talent_services.candidate_pause(profile=profile, by=request.user)
            messages.success(request, "Paused: you will not be part of the next Match Days.")
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect("followup:controls")


@login_required
def demographics(request):
    profile = own_profile(user=request.user)
    current = Demographics.objects.filter(candidate=profile).first()
    initial = {"sex": current.sex, "race_ethnicity": current.race_ethnicity} if current else {}
    form = forms.DemographicsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.demographics_save(profile=profile, by=request.user, **form.cleaned_data)
        messages.success(request, "Saved. Thank you — this is only used to measure fairness.")
        return redirect("followup:demographics")
    return render(request, "followup/demographics.html", {"form": form, "current": current})


# --- company -----------------------------------------------------------------------------


@login_required
def pipeline(request):
    intros = selectors.intros_for_company(user=request.user)
    return render(request, "followup/pipeline.html", {"intros": intros})


@login_required
def pipeline_intro(request, pk: int):
    if request.user.is_partner:  # links in reminders forwarded to a partner land somewhere
        return redirect("followup:oversight_intro", pk)
    intro = selectors.intro_for_company(user=request.user, intro_id=pk)
    company = intro.role.company
    steps = selectors.pipeline_outline(intro)
    current = next((s.step for s in steps if s.status in {"open", "scheduled"}), None)
    zone_name = zone_name_for(request.user)
    context = {
        "intro": intro,
        "steps": steps,
        "current": current,
        "offers": list(intro.offers.all()),
        "held": current is None
        or current.scheduled_at is None
        or current.scheduled_at <= timezone.now(),
        "sentences": selectors.company_sentences(intro),
        "responsiveness": company_responsiveness(company),
        "close_form": forms.CloseForm(),
        "complete_form": forms.CompleteForm(),
    }
    if current is not None:
        context["update_form"] = forms.StepUpdateForm(
            company=company, initial={"owner": current.owner_id, "notes": current.notes}
        )
        context["offer_form"] = forms.OfferForm(role=intro.role, zone_name=zone_name)
        context["schedule_form"] = forms.ScheduleForm(
            company=company,
            zone_name=zone_name,
            initial={
                "duration_minutes": current.duration_minutes,
                "location": current.location,
                "owner": current.owner_id,
                "scheduled_at": current.scheduled_at,
            },
        )
    return render(request, "followup/pipeline_intro.html", context)


def _submit(request, form, act: Callable[[dict[str, Any]], object], done: str) -> None:
    """A company's pipeline form: its errors, or ``act(cleaned_data)``'s refusal, as error
    messages; else ``done``."""
    if form.is_valid():
        try:
            act(form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, done)
    flash_errors(request, form)


@login_required
@require_POST
def step_schedule(request, step_id: int):
    step = selectors.step_for_company(user=request.user, step_id=step_id)
    form = forms.ScheduleForm(
        request.POST, company=step.intro.role.company, zone_name=zone_name_for(request.user)
    )
    _submit(
        request,
        form,
        lambda data: services.step_schedule(step=step, by=request.user, **data),
        f"{step.name} scheduled; the candidate has been told.",
    )
    return redirect("followup:pipeline_intro", step.intro_id)


@login_required
@require_POST
def step_update(request, step_id: int):
    step = selectors.step_for_company(user=request.user, step_id=step_id)
    form = forms.StepUpdateForm(request.POST, company=step.intro.role.company)
    _submit(
        request,
        form,
        lambda data: services.step_update(step=step, by=request.user, **data),
        "Saved.",
    )
    return redirect("followup:pipeline_intro", step.intro_id)


@login_required
@require_POST
def step_complete(request, step_id: int):
    step = selectors.step_for_company(user=request.user, step_id=step_id)
    form = forms.CompleteForm(request.POST)
    notes = form.cleaned_data["notes"] if form.is_valid() and form.cleaned_data["notes"] else None
    try:
        nxt = services.step_complete(step=step, by=request.user, notes=notes)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        if nxt.pk == step.pk:
            messages.success(request, "Hire recorded. Congratulations!")
        else:
            messages.success(
                request, f"{step.name} done. Next: {nxt.name}, due {nxt.due_at:%d %B}."
            )
    return redirect("followup:pipeline_intro", step.intro_id)


@login_required
@require_POST
def offer_make(request, step_id: int):
    step = selectors.step_for_company(user=request.user, step_id=step_id)
    form = forms.OfferForm(
        request.POST, role=step.intro.role, zone_name=zone_name_for(request.user)
    )
    _submit(
        request,
        form,
        lambda data: services.offer_make(step=step, by=request.user, **data),
        "Offer made; the candidate has been told.",
    )
    return redirect("followup:pipeline_intro", step.intro_id)


@login_required
@require_POST
def pipeline_close(request, pk: int):
    intro = selectors.intro_for_company(user=request.user, intro_id=pk)
    _submit(
        request,
        forms.CloseForm(request.POST),
        lambda data: services.pipeline_close(intro=intro, by=request.user, reason=data["reason"]),
        "Closed; the candidate has your reason.",
    )
    return redirect("followup:pipeline_intro", pk)


@login_required
def company_invite(request, step_id: int):
    step = selectors.step_for_company(user=request.user, step_id=step_id)
    return _invite_response(step, request.user)


# --- partner -----------------------------------------------------------------------------


@login_required
def report_list(request):
    matchdays = selectors.matchdays_for_partner(user=request.user)
    return render(request, "followup/report_list.html", {"matchdays": matchdays})


@login_required
def report(request, pk: int):
    data = selectors.matchday_report(user=request.user, matchday_id=pk)
    return render(request, "followup/report.html", {"report": data, "md": data.matchday})


@login_required
def release(request, pk: int):
    """Release a Match Day's intros after a confirmation that says what will happen: how
    many intros go out, how many approved proposals have no company decision, and, before
    the scheduled time, that this releases early and ends the interest window."""
    preview = selectors.release_preview(user=request.user, matchday_id=pk)
    md = preview.matchday
    if request.method == "POST" and request.POST.get("confirm") == "1":
        try:
            intros = services.matchday_release(matchday=md, by=request.user, early=True)
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            if intros:
                messages.success(
                    request, f"Released {len(intros)} intros; candidates are being emailed."
                )
            else:
                messages.info(request, "Released: no intro to send (no company was interested).")
        nxt = request.POST.get("next", "")
        if url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
            return redirect(nxt)
        return redirect(md)
    return render(
        request,
        "followup/release_confirm.html",
        {
            "preview": preview,
            "md": md,
            "next": request.POST.get("next") or request.GET.get("next", ""),
        },
    )


# --- partner: oversight ----------------------------------------------------------------------

OVERSIGHT_PAGE_SIZE = 50


@login_required
def oversight(request):
    """Every intro and pipeline, for talent partners: by company, Match Day, status,
    overdue or escalated, the most urgent first."""
    companies, matchdays = selectors.oversight_choices_for(user=request.user)
    form = forms.OversightFilterForm(request.GET, companies=companies, matchdays=matchdays)
    if not form.is_valid():
        return render(request, "followup/oversight.html", {"form": form, "page": None}, status=400)
    d = form.cleaned_data
    intros = selectors.intros_for_partner(
        user=request.user,
        filters=selectors.OversightFilters(
            company_id=d["company"],
            matchday_id=d["matchday"],
            status=d["status"],
            overdue=d["overdue"],
            escalated=d["escalated"],
        ),
    )
    page = Paginator(intros, OVERSIGHT_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "followup/oversight.html",
        {"form": form, "page": page, "query": query.urlencode(), "now": timezone.now()},
    )


def _oversight_page(request, pk: int, *, nudge=None, reassign=None, close=None, status=200):
    view = selectors.oversight_intro(user=request.user, intro_id=pk)
    company = view.intro.role.company
    return render(
        request,
        "followup/oversight_intro.html",
        {
            "view": view,
            "intro": view.intro,
            "nudge_form": nudge or forms.NudgeForm(),
            "reassign_form": reassign or forms.ReassignForm(company=company),
            "close_form": close or forms.CloseForm(),
        },
        status=status,
    )


@login_required
def oversight_intro(request, pk: int):
    return _oversight_page(request, pk)


def _oversight_act(request, step, form, act, done: str, slot: str):
    """Run a partner's action on a step from its form; back to the intro page either way."""
    if form.is_valid():
        try:
            act(form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("followup:oversight_intro", step.intro_id)
    return _oversight_page(request, step.intro_id, status=422, **{slot: form})


@login_required
@require_POST
def oversight_nudge(request, step_id: int):
    step = selectors.step_for_partner(user=request.user, step_id=step_id)
    return _oversight_act(
        request,
        step,
        forms.NudgeForm(request.POST),
        lambda data: services.step_nudge(step=step, by=request.user, note=data["note"]),
        "Nudged: the owner has been asked to act now.",
        "nudge",
    )


@login_required
@require_POST
def oversight_reassign(request, step_id: int):
    step = selectors.step_for_partner(user=request.user, step_id=step_id)
    form = forms.ReassignForm(request.POST, company=step.intro.role.company)
    owner = form.cleaned_data["owner"] if form.is_valid() else None
    return _oversight_act(
        request,
        step,
        form,
        lambda data: services.step_reassign(step=step, by=request.user, owner=data["owner"]),
        f"{owner.full_name if owner else ''} now owns the {step.name.lower()}.",
        "reassign",
    )


@login_required
@require_POST
def oversight_close(request, pk: int):
    intro = selectors.intro_for_partner(user=request.user, intro_id=pk)
    form = forms.CloseForm(request.POST)
    if form.is_valid():
        try:
            services.intro_close_by_partner(
                intro=intro, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Closed; the candidate and the company have the reason.")
            return redirect("followup:oversight_intro", pk)
    return _oversight_page(request, pk, close=form, status=422)
