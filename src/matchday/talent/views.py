"""Candidate profile editor, and the talent partner's candidate pages.

Views parse input, call one service or selector, and render. An invalid submission
re-renders the bound form with status 422 so nothing the user typed is lost; htmx requests
get the section partial, plain POSTs the whole page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST

from matchday.accounts.forms import SignUpForm
from matchday.accounts.views import sign_up_page
from matchday.core.choices import SKILL_LEVEL_CHOICES
from matchday.core.forms import apply_service_errors, status_for
from matchday.talent import forms, selectors, services
from matchday.talent.models import CandidateProfile

SEARCH_PAGE_SIZE = 25


def _profile_url(anchor: str = "") -> str:
    return reverse("talent:profile") + (f"#{anchor}" if anchor else "")


# The list sections of the editor. Each saves on its own: an htmx request gets back only its
# section (and the status box, whose checklist may change), so text typed in any other
# section stays on the page; a plain POST redirects back to the section, or re-renders the
# page with the bound form on an error.


def _skills_context(profile: CandidateProfile, bound: dict[str, Any]) -> dict[str, Any]:
    rows = [
        (
            row,
            bound.get(f"skill:{row.skill_id}")
            or forms.CandidateSkillEditForm(
                prefix=f"s-{row.skill_id}",
                initial={"level": row.level, "years": row.years, "evidence": row.evidence},
            ),
        )
        for row in profile.skills.all()
    ]
    return {
        "skill_rows": rows,
        "skill_form": bound.get("skill") or forms.CandidateSkillForm(),
        "skill_levels": SKILL_LEVEL_CHOICES,
    }


def _achievements_context(profile: CandidateProfile, bound: dict[str, Any]) -> dict[str, Any]:
    rows = [
        (
            a,
            bound.get(f"achievement:{a.pk}")
            or forms.AchievementForm(instance=a, prefix=f"a{a.pk}"),
        )
        for a in profile.achievements.all()
    ]
    can_add = len(rows) < services.MAX_ACHIEVEMENTS
    return {
        "achievements": rows,
        "achievement_form": (bound.get("achievement") or forms.AchievementForm(prefix="new"))
        if can_add
        else None,
    }


def _links_context(profile: CandidateProfile, bound: dict[str, Any]) -> dict[str, Any]:
    return {
        "links": list(profile.links.all()),
        "link_form": bound.get("link") or forms.LinkForm(prefix="link"),
    }


def _work_history_context(profile: CandidateProfile, bound: dict[str, Any]) -> dict[str, Any]:
    rows = [
        (e, bound.get(f"experience:{e.pk}") or forms.WorkHistoryForm(instance=e, prefix=f"e{e.pk}"))
        for e in profile.experiences.all()
    ]
    can_add = len(rows) < services.MAX_EXPERIENCES
    return {
        "experience_rows": rows,
        "experience_form": (bound.get("experience") or forms.WorkHistoryForm(prefix="job"))
        if can_add
        else None,
    }


def _education_context(profile: CandidateProfile, bound: dict[str, Any]) -> dict[str, Any]:
    rows = [
        (e, bound.get(f"education:{e.pk}") or forms.EducationForm(instance=e, prefix=f"d{e.pk}"))
        for e in profile.education.all()
    ]
    can_add = len(rows) < services.MAX_EDUCATION
    return {
        "education_rows": rows,
        "education_form": (bound.get("education") or forms.EducationForm(prefix="edu"))
        if can_add
        else None,
    }


LIST_SECTIONS: dict[str, tuple[str, Any]] = {
    "work-history": ("talent/partials/work_history.html", _work_history_context),
    "education": ("talent/partials/education.html", _education_context),
    "skills": ("talent/partials/skills.html", _skills_context),
    "achievements": ("talent/partials/achievements.html", _achievements_context),
    "links": ("talent/partials/links.html", _links_context),
}


def _profile_page(request, profile: CandidateProfile, **bound: Any):
    """The whole editor; ``bound`` replaces the fresh form of one section with a bound one."""
    sections = [
        (name, bound.get(name) or form_class(instance=profile, prefix=name))
        for name, form_class in forms.SECTIONS.items()
    ]
    context: dict[str, Any] = {
        "profile": profile,
        "missing": services.missing_for_submission(profile),
        "sections": sections,
    }
    for _template, build in LIST_SECTIONS.values():
        context.update(build(profile, bound))
    return render(request, "talent/profile.html", context, status=status_for(*bound.values()))


def _list_section(
    request, section: str, *, note: str = "", error: str = "", **bound: Any
) -> HttpResponse:
    """The answer to a write in one list section: for htmx the section alone (status 422
    with the bound form when it failed), otherwise a redirect to it or the whole page."""
    profile = selectors.own_profile(user=request.user)  # fresh: the write changed the rows
    failed = bool(error) or any(form.errors for form in bound.values())
    if request.htmx:
        template, build = LIST_SECTIONS[section]
        context = {
            "profile": profile,
            "missing": services.missing_for_submission(profile),
            "oob_status": True,
            "note": "" if failed else note,
            "section_error": error,
            **build(profile, bound),
        }
        return render(request, template, context, status=422 if failed else 200)
    if error:
        messages.error(request, error)
    elif not failed:
        messages.success(request, note)
        return redirect(_profile_url(section))
    return _profile_page(request, profile, **bound)


@login_required
@require_GET
def profile(request):
    return _profile_page(request, selectors.own_profile(user=request.user))


@login_required
def profile_section(request, section: str):
    form_class = forms.SECTIONS.get(section)
    if form_class is None:
        raise Http404("No such section.")
    prof = selectors.own_profile(user=request.user)
    if request.method != "POST":
        if request.htmx:
            form = form_class(instance=prof, prefix=section)
            return render(request, "talent/partials/section.html", {"name": section, "form": form})
        return redirect(_profile_url(f"section-{section}"))
    missing_before = services.missing_for_submission(prof)
    form = form_class(request.POST, instance=prof, prefix=section)
    saved = False
    if form.is_valid():
        try:
            prof = services.profile_update(profile=prof, by=request.user, data=form.service_data())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            saved = True
    if request.htmx:
        context = {
            "name": section,
            "form": form_class(instance=prof, prefix=section) if saved else form,
            "saved": saved,
            "profile": prof,
            "missing": services.missing_for_submission(prof) if saved else missing_before,
            "oob_status": True,
        }
        return render(
            request, "talent/partials/section.html", context, status=200 if saved else 422
        )
    if saved:
        messages.success(request, f"{form.title} saved.")
        return redirect(_profile_url(f"section-{section}"))
    prof = selectors.own_profile(user=request.user)  # the bound form changed the instance
    return _profile_page(request, prof, **{section: form})


@login_required
@require_POST
def skill_add(request):
    prof = selectors.own_profile(user=request.user)
    form = forms.CandidateSkillForm(request.POST)
    if form.is_valid():
        try:
            row = services.candidate_skill_set(
                profile=prof,
                by=request.user,
                skill_id=form.cleaned_data["skill"],
                level=form.cleaned_data["level"],
                years=form.cleaned_data["years"],
                evidence=form.cleaned_data["evidence"],
                create_only=True,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return _list_section(request, "skills", note=f"{row.skill.label} added.")
    return _list_section(request, "skills", skill=form)


@login_required
@require_POST
def skill_update(request, skill_id: str):
    prof = selectors.own_profile(user=request.user)
    if not any(row.skill_id == skill_id for row in prof.skills.all()):
        raise Http404("This skill is not on your profile.")
    form = forms.CandidateSkillEditForm(request.POST, prefix=f"s-{skill_id}")
    if form.is_valid():
        try:
            services.candidate_skill_set(
                profile=prof, by=request.user, skill_id=skill_id, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return _list_section(request, "skills", note="Skill updated.")
    return _list_section(request, "skills", **{f"skill:{skill_id}": form})


@login_required
@require_POST
def skill_remove(request, skill_id: str):
    prof = selectors.own_profile(user=request.user)
    services.candidate_skill_remove(profile=prof, by=request.user, skill_id=skill_id)
    return _list_section(request, "skills", note="Skill removed.")


@login_required
@require_POST
def achievement_add(request):
    prof = selectors.own_profile(user=request.user)
    form = forms.AchievementForm(request.POST, prefix="new")
    if form.is_valid():
        try:
            services.achievement_save(profile=prof, by=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return _list_section(request, "achievements", note="Achievement added.")
    return _list_section(request, "achievements", achievement=form)


@login_required
@require_POST
def achievement_update(request, pk: int):
    achievement = selectors.own_achievement(user=request.user, achievement_id=pk)
    prof = selectors.own_profile(user=request.user)
    form = forms.AchievementForm(request.POST, instance=achievement, prefix=f"a{pk}")
    if form.is_valid():
        try:
            services.achievement_save(
                profile=prof, by=request.user, achievement=achievement, data=form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return _list_section(request, "achievements", note="Achievement saved.")
    return _list_section(request, "achievements", **{f"achievement:{pk}": form})


@login_required
@require_POST
def achievement_delete(request, pk: int):
    achievement = selectors.own_achievement(user=request.user, achievement_id=pk)
    services.achievement_delete(achievement=achievement, by=request.user)
    return _list_section(request, "achievements", note="Achievement removed.")


@login_required
@require_POST
def link_add(request):
    prof = selectors.own_profile(user=request.user)
    form = forms.LinkForm(request.POST, prefix="link")
    if form.is_valid():
        try:
            services.link_save(profile=prof, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return _list_section(request, "links", note="Link added.")
    return _list_section(request, "links", link=form)


@login_required
@require_POST
def link_delete(request, pk: int):
    link = selectors.own_link(user=request.user, link_id=pk)
    services.link_delete(link=link, by=request.user)
    return _list_section(request, "links", note="Link removed.")


def _save_row(request, section: str, key: str, form, save, note: str) -> HttpResponse:
    """Validate ``form``, then ``save(cleaned_data)`` through a service; its errors go back
    on the form, a refusal of the whole row (a cap) above the section."""
    if form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                apply_service_errors(form, exc)
            else:
                return _list_section(request, section, error=" ".join(exc.messages))
        else:
            return _list_section(request, section, note=note)
    return _list_section(request, section, **{key: form})


@login_required
@require_POST
def experience_add(request):
    prof = selectors.own_profile(user=request.user)
    form = forms.WorkHistoryForm(request.POST, prefix="job")
    return _save_row(
        request, "work-history", "experience", form,
        lambda data: services.experience_save(profile=prof, by=request.user, data=data),
        "Job added.",
    )  # fmt: skip


@login_required
@require_POST
def experience_update(request, pk: int):
    experience = selectors.own_experience(user=request.user, experience_id=pk)
    form = forms.WorkHistoryForm(request.POST, instance=experience, prefix=f"e{pk}")
    return _save_row(
        request, "work-history", f"experience:{pk}", form,
        lambda data: services.experience_save(
            profile=experience.candidate, by=request.user, experience=experience, data=data
        ),
        "Job saved.",
    )  # fmt: skip


@login_required
@require_POST
def experience_delete(request, pk: int):
    experience = selectors.own_experience(user=request.user, experience_id=pk)
    services.experience_delete(experience=experience, by=request.user)
    return _list_section(request, "work-history", note="Job removed.")


@login_required
@require_POST
def education_add(request):
    prof = selectors.own_profile(user=request.user)
    form = forms.EducationForm(request.POST, prefix="edu")
    return _save_row(
        request, "education", "education", form,
        lambda data: services.education_save(profile=prof, by=request.user, data=data),
        "Education added.",
    )  # fmt: skip


@login_required
@require_POST
def education_update(request, pk: int):
    education = selectors.own_education(user=request.user, education_id=pk)
    form = forms.EducationForm(request.POST, instance=education, prefix=f"d{pk}")
    return _save_row(
        request, "education", f"education:{pk}", form,
        lambda data: services.education_save(
            profile=education.candidate, by=request.user, education=education, data=data
        ),
        "Education saved.",
    )  # fmt: skip


@login_required
@require_POST
def education_delete(request, pk: int):
    education = selectors.own_education(user=request.user, education_id=pk)
    services.education_delete(education=education, by=request.user)
    return _list_section(request, "education", note="Education removed.")


def _status_action(request, service, done: str):
    prof = selectors.own_profile(user=request.user)
    try:
        service(profile=prof, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect(_profile_url("status"))


@login_required
@require_POST
def submit(request):
    return _status_action(
        request, services.candidate_submit, "Submitted. A talent partner will review your profile."
    )


@login_required
@require_POST
def activate(request):
    return _status_action(
        request, services.candidate_activate, "Your profile is active: you will be matched."
    )


@login_required
@require_POST
def pause(request):
    return _status_action(
        request, services.candidate_pause, "Paused: you will not be matched until you resume."
    )


# --- talent partner ---------------------------------------------------------------------


@login_required
@require_GET
def vetting_queue(request):
    profiles = selectors.profiles_for_partner(
        user=request.user, status=CandidateProfile.Status.SUBMITTED
    )
    return render(request, "talent/vetting_queue.html", {"profiles": profiles})


@login_required
@require_GET
def candidate_search(request):
    form = forms.CandidateSearchForm(request.GET or None)
    page = None
    if not form.is_bound or form.is_valid():
        data = form.cleaned_data if form.is_bound else {}
        profiles = selectors.search_profiles(
            user=request.user,
            skill_id=data.get("skill", ""),
            level=data.get("level", ""),
            country=data.get("country", ""),
            status=data.get("status", ""),
            note=data.get("note", ""),
        )
        page = Paginator(profiles, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
    else:
        selectors.profiles_for_partner(user=request.user)  # the permission check still applies
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "talent/candidate_search.html", context, status=status_for(form))


def _candidate_page(request, profile: CandidateProfile, vet_form=None, note_form=None):
    context = {
        "profile": profile,
        "vet_form": vet_form or forms.CandidateVetForm(),
        "can_vet": profile.status == CandidateProfile.Status.SUBMITTED,
        "notes": selectors.notes_for_partner(user=request.user, profile_id=profile.pk),
        "note_form": note_form or forms.PartnerNoteForm(),
    }
    status = status_for(vet_form, note_form)
    return render(request, "talent/candidate_detail.html", context, status=status)


@login_required
@require_GET
def candidate_detail(request, pk: int):
    return _candidate_page(request, selectors.profile_for_partner(user=request.user, profile_id=pk))


@login_required
@require_POST
def candidate_vet(request, pk: int):
    prof = selectors.profile_for_partner(user=request.user, profile_id=pk)
    form = forms.CandidateVetForm(request.POST)
    if form.is_valid():
        decision, reason = form.cleaned_data["decision"], form.cleaned_data["reason"]
        try:
            if decision == "approve":
                services.candidate_approve(profile=prof, by=request.user, reason=reason)
            else:
                services.candidate_reject(profile=prof, by=request.user, reason=reason)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            verb = "approved" if decision == "approve" else "rejected"
            messages.success(request, f"{prof.user.full_name} {verb}.")
            return redirect("talent:vetting_queue")
    return _candidate_page(request, prof, vet_form=form)


@sensitive_post_parameters("password")
def signup_candidate(request):
    return sign_up_page(
        request, SignUpForm, services.candidate_sign_up, "accounts/signup_candidate.html"
    )


# --- talent partners' notes ----------------------------------------------------------------


def _back(request, profile_id: int) -> str:
    nxt = request.POST.get("next", "")
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return nxt
    return reverse("talent:candidate_detail", args=[profile_id]) + "#partner-notes"


@login_required
@require_POST
def note_add(request, pk: int):
    prof = selectors.profile_for_partner(user=request.user, profile_id=pk)
    form = forms.PartnerNoteForm(request.POST)
    if form.is_valid():
        try:
            services.partner_note_add(profile=prof, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc, default_field="body")
        else:
            messages.success(request, "Note saved.")
            return redirect(_back(request, prof.pk))
    return _candidate_page(request, prof, note_form=form)


@login_required
@require_POST
def note_edit(request, note_id: int):
    note = selectors.note_for_partner(user=request.user, note_id=note_id)
    form = forms.PartnerNoteForm(request.POST)
    if form.is_valid():
        try:
            services.partner_note_update(note=note, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, "Note updated.")
    else:
        for error in [e for errors in form.errors.values() for e in errors]:
            messages.error(request, str(error))
    return redirect(_back(request, note.candidate_id))


@login_required
@require_POST
def note_delete(request, note_id: int):
    note = selectors.note_for_partner(user=request.user, note_id=note_id)
    services.partner_note_delete(note=note, by=request.user)
    messages.success(request, "Note deleted.")
    return redirect(_back(request, note.candidate_id))
