"""Résumé and JSON Resume import (upload → review → confirm), JSON Resume export, the
candidate's data download and account deletion, and public role pages.

A parsed draft lives in the session until the candidate confirms it on the review page;
nothing reaches the profile before that.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from matchday.companies import selectors as company_selectors
from matchday.core.forms import apply_service_errors, flash_errors
from matchday.core.ratelimits import rate_limited
from matchday.core.site import absolute_url
from matchday.imports import forms, jobposting, jsonresume, parsers, sandbox, services
from matchday.talent import rights, selectors
from matchday.talent import services as talent_services

SESSION_KEY = "matchday_import_draft"
NO_DRAFT = "There is nothing to review; upload a résumé first."
IMPORTED = "Imported: {summary}. Review your profile below."
DISCARDED = "The imported draft was discarded; nothing was saved."


def _upload_page(request, *, resume_form=None, json_form=None, status: int = 200):
    context = {
        "resume_form": resume_form or forms.ResumeUploadForm(),
        "json_form": json_form or forms.JsonResumeUploadForm(),
        "has_draft": SESSION_KEY in request.session,
    }
    return render(request, "imports/upload.html", context, status=status)


def _message(exc: Exception) -> str:
    return " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


@login_required
@rate_limited("resume_upload")
def upload(request):
    profile = selectors.own_profile(user=request.user)
    if request.method != "POST":
        return _upload_page(request)
    form = forms.ResumeUploadForm(request.POST, request.FILES)
    if form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            draft = sandbox.resume_draft(filename=uploaded.name, data=uploaded.read())
            services.draft_check(profile=profile, by=request.user, draft=draft)
        except (parsers.ResumeFileError, ValidationError) as exc:
            form.add_error("file", _message(exc))
        else:
            request.session[SESSION_KEY] = {"profile_id": profile.pk, **draft}
            return redirect("imports:review")
    return _upload_page(request, resume_form=form, status=422)


@login_required
@require_POST
@rate_limited("resume_upload")
def upload_json(request):
    profile = selectors.own_profile(user=request.user)
    form = forms.JsonResumeUploadForm(request.POST, request.FILES)
    if form.is_valid():
        uploaded = form.cleaned_data["json_file"]
        try:
            draft = sandbox.json_resume_draft(data=uploaded.read())
            services.draft_check(profile=profile, by=request.user, draft=draft)
        except (jsonresume.JsonResumeError, ValidationError) as exc:
            form.add_error("json_file", _message(exc))
        else:
            request.session[SESSION_KEY] = {"profile_id": profile.pk, **draft}
            return redirect("imports:review")
    return _upload_page(request, json_form=form, status=422)


def _preferences(draft: dict[str, Any]) -> dict[str, Any]:
    shown = {"headline", "summary", "city", "country", "years_experience"}
    return {k: v for k, v in draft["profile"].items() if k not in shown}


def _review_forms(draft: dict[str, Any], data=None) -> tuple[Any, dict[str, Any]]:
    prefs = _preferences(draft)
    profile_form = forms.ProfileDraftForm(
        data, prefix="profile", initial=draft["profile"], has_preferences=bool(prefs)
    )
    formsets = {
        name: formset_class(data, prefix=name, initial=draft.get(name) or [])
        for name, formset_class in forms.SECTIONS.items()
    }
    return profile_form, formsets


def _confirmed_draft(draft, profile_form, formsets) -> dict[str, Any]:
    data = profile_form.cleaned_data
    profile = {k: data.get(k) for k in ("headline", "summary", "city", "years_experience")}
    profile["country"] = (data.get("country") or "").upper()
    if data.get("apply_preferences"):
        profile.update(_preferences(draft))
    confirmed: dict[str, Any] = {"source": draft.get("source", ""), "profile": profile}
    for name, formset in formsets.items():
        rows = []
        for form in formset.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            if name == "achievements" and not form.cleaned_data.get("keep"):
                continue  # a suggestion the candidate did not ask for
            skip = {"DELETE", "label", "keep"}
            row = {k: v for k, v in form.cleaned_data.items() if k not in skip}
            for key in ("start", "end"):
                if key in row:
                    row[key] = row[key].isoformat() if row[key] else ""
            rows.append(row)
        confirmed[name] = rows
    return confirmed


@login_required
def review(request):
    profile = selectors.own_profile(user=request.user)
    draft = request.session.get(SESSION_KEY)
    if not draft or draft.get("profile_id") != profile.pk:
        messages.info(request, NO_DRAFT)
        return redirect("imports:upload")
    status = 200
    if request.method == "POST":
        profile_form, formsets = _review_forms(draft, request.POST)
        valid = profile_form.is_valid()
        valid = all([fs.is_valid() for fs in formsets.values()]) and valid
        if valid:
            confirmed = _confirmed_draft(draft, profile_form, formsets)
            try:
                counts = services.profile_import_apply(
                    profile=profile, by=request.user, draft=confirmed
                )
            except ValidationError as exc:
                apply_service_errors(profile_form, exc)
            else:
                del request.session[SESSION_KEY]
                summary = ", ".join(f"{n} {k}" for k, n in counts.items() if n) or "no new rows"
                messages.success(request, IMPORTED.format(summary=summary))
                return redirect("talent:profile")
        status = 422
    else:
        profile_form, formsets = _review_forms(draft)
    sections = [(name, forms.SECTION_TITLES[name], fs) for name, fs in formsets.items()]
    cap = talent_services.MAX_ACHIEVEMENTS
    context = {
        "draft": draft,
        "profile_form": profile_form,
        "sections": sections,
        "preferences": _preferences(draft),
        "achievement_cap": cap,
        "achievement_room": max(0, cap - profile.achievements.count()),
    }
    return render(request, "imports/review.html", context, status=status)


@login_required
@require_POST
def discard(request):
    request.session.pop(SESSION_KEY, None)
    messages.info(request, DISCARDED)
    return redirect("talent:profile")


def _json_download(data: Any, filename: str) -> HttpResponse:
    body = json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def export_jsonresume(request):
    profile = selectors.own_profile(user=request.user)
    return _json_download(jsonresume.export_profile(profile), "resume.json")


@login_required
@require_GET
def my_data(request):
    selectors.own_profile(user=request.user)
    return render(request, "imports/my_data.html", {"form": forms.DeleteAccountForm()})


@login_required
@require_GET
def my_data_export(request):
    data = rights.candidate_data_export(user=request.user, by=request.user)
    stamp = timezone.now().strftime("%Y%m%d")
    return _json_download(data, f"matchday-my-data-{stamp}.json")


@login_required
@require_POST
def account_delete(request):
    selectors.own_profile(user=request.user)
    form = forms.DeleteAccountForm(request.POST)
    if not form.is_valid():
        return render(request, "imports/my_data.html", {"form": form}, status=422)
    rights.candidate_account_delete(user=request.user, by=request.user)
    logout(request)
    return render(request, "imports/deleted.html")


@require_GET
def job_detail(request, pk: int):
    role = jobposting.public_role(role_id=pk)
    url = absolute_url(reverse("imports:job_detail", args=[role.pk]))
    context = {
        "role": role,
        "jsonld": jobposting.jsonld_script(jobposting.role_jobposting(role, url=url)),
    }
    return render(request, "imports/job_detail.html", context)


@require_GET
def job_list(request):
    return render(request, "imports/job_list.html", {"roles": jobposting.public_roles()})


@login_required
@require_POST
def role_public_toggle(request, pk: int):
    role = company_selectors.role_for(user=request.user, role_id=pk)
    public = request.POST.get("public") == "1"
    try:
        services.role_set_public(role=role, by=request.user, public=public)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(
            request,
            "The role is now on its public page." if public else "The public page was withdrawn.",
        )
    return redirect(role)
