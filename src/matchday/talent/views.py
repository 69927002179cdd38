"""Candidate profile editor, and the talent partner's candidate pages.

Views parse input, call one service or selector, and render. An invalid submission
re-renders the bound form with status 422 so nothing the user typed is lost; htmx requests
get the section partial, plain POSTs the whole page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
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
from matchday.core.forms import apply_service_errors, flash_errors, status_for
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


@dataclass(frozen=True)
class _RowSection:
    """A list section whose rows are each edited on their own (work history, education):
    its form and prefixes, its cap, and the selector and services of its rows. ``key`` names
    the bound forms (``key``, ``key:pk``), the context (``key_rows``, ``key_form``) and the
    keyword of the row in the selector and services (``own_experience(experience_id=)``,
    ``experience_save(experience=)``)."""

    section: str
    key: str
    related: str
    form: type[forms.WorkHistoryForm] | type[forms.EducationForm]
    add_prefix: str
    row_prefix: str
    cap: int
    noun: str
    own: Callable[..., Any]
    save: Callable[..., Any]
    delete: Callable[..., Any]

    def context(self, profile: CandidateProfile, bound: dict[str, Any]) -> dict[str, Any]:
        rows = [
            (
                row,
                bound.get(f"{self.key}:{row.pk}")
                or self.form(instance=row, prefix=f"{self.row_prefix}{row.pk}"),
            )
            for row in getattr(profile, self.related).all()
        ]
        can_add = len(rows) < self.cap
        return {
            f"{self.key}_rows": rows,
            f"{self.key}_form": (bound.get(self.key) or self.form(prefix=self.add_prefix))
            if can_add
            else None,
        }


WORK_HISTORY = _RowSection(
    section="work-history",
    key="experience",
    related="experiences",
    form=forms.WorkHistoryForm,
    add_prefix="job",
    row_prefix="e",
    cap=services.MAX_EXPERIENCES,
    noun="Job",
    own=selectors.own_experience,
    save=services.experience_save,
    delete=services.experience_delete,
)
EDUCATION = _RowSection(
    section="education",
    key="education",
    related="education",
    form=forms.EducationForm,
    add_prefix="edu",
    row_prefix="d",
    cap=services.MAX_EDUCATION,
    noun="Education",
    own=selectors.own_education,
    save=services.education_save,
    delete=services.education_delete,
)


LIST_SECTIONS: dict[str, tuple[str, Any]] = {
    "work-history": ("talent/partials/work_history.html", WORK_HISTORY.context),
    "education": ("talent/partials/education.html", EDUCATION.context),
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


def _row_views(kind: _RowSection) -> tuple[Callable[..., HttpResponse], ...]:
    """The add, update and delete views of a row section's rows."""

    @login_required
    @require_POST
    def add(request):
        prof = selectors.own_profile(user=request.user)
        form = kind.form(request.POST, prefix=kind.add_prefix)
        return _save_row(
            request,
            kind.section,
            kind.key,
            form,
            lambda data: kind.save(profile=prof, by=request.user, data=data),
            f"{kind.noun} added.",
        )

    @login_required
    @require_POST
    def update(request, pk: int):
        row = kind.own(user=request.user, **{f"{kind.key}_id": pk})
        form = kind.form(request.POST, instance=row, prefix=f"{kind.row_prefix}{pk}")
        return _save_row(
            request,
            kind.section,
            f"{kind.key}:{pk}",
            form,
            lambda data: kind.save(
                profile=row.candidate, by=request.user, data=data, **{kind.key: row}
            ),
            f"{kind.noun} saved.",
        )

    @login_required
    @require_POST
    def delete(request, pk: int):
        row = kind.own(user=request.user, **{f"{kind.key}_id": pk})
        kind.delete(by=request.user, **{kind.key: row})
        return _list_section(request, kind.section, note=f"{kind.noun} removed.")

    return add, update, delete


experience_add, experience_update, experience_delete = _row_views(WORK_HISTORY)
education_add, education_update, education_delete = _row_views(EDUCATION)


def _status_action(request, service, done: str):
    prof = selectors.own_profile(user=request.user)
    try:
        service(profile=prof, by=request.user)
    except ValidationError as exc:
        flash_errors(request, exc)
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
            apply_service_errors(form, exc, default_field="body")
        else:
            messages.success(request, "Note updated.")
    flash_errors(request, form)
    return redirect(_back(request, note.candidate_id))


@login_required
@require_POST
def note_delete(request, note_id: int):
    note = selectors.note_for_partner(user=request.user, note_id=note_id)
    services.partner_note_delete(note=note, by=request.user)
    messages.success(request, "Note deleted.")
    return redirect(_back(request, note.candidate_id))
