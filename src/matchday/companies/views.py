"""Company page, members, role list and editor, and the partner's company vetting.

Views parse input, call one service or selector, and render; an invalid submission
re-renders the bound forms with status 422 so nothing typed is lost.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST

from matchday.accounts import services as account_services
from matchday.accounts.views import sign_up_page
from matchday.companies import forms, selectors, services
from matchday.companies.models import VETTING_CHECKLIST, Company, Role
from matchday.core.forms import apply_service_errors, flash_errors, status_for
from matchday.notifications import messages as lifecycle_messages

ROLE_PAGE_SIZE = 50


def _company_page(request, company: Company, *, member_form=None, vet_form=None):
    user = request.user
    is_member = user.is_company_member and user.company_id == company.pk
    context = {
        "company": company,
        "members": selectors.company_members(user=user, company=company),
        "is_member": is_member,
        "member_form": (member_form or forms.MemberAddForm()) if is_member else None,
        "vet_form": (vet_form or forms.CompanyVetForm())
        if user.is_partner and company.vetting_status == Company.VettingStatus.PENDING
        else None,
        "checklist": [
            (label, bool(company.vetting_checklist.get(key)))
            for key, label in VETTING_CHECKLIST.items()
        ],
    }
    status = status_for(member_form, vet_form)
    return render(request, "companies/detail.html", context, status=status)


@login_required
@require_GET
def detail(request, pk: int):
    return _company_page(request, selectors.company_for(user=request.user, company_id=pk))


COMPANY_BACK_TO_REVIEW = (
    "Company details saved. Because the name or website changed, a talent partner will review "
    "your company again; until then your shortlists are hidden and no role can be opened."
)


@login_required
def edit(request, pk: int):
    company = selectors.company_for_edit(user=request.user, company_id=pk)
    form = forms.CompanyForm(request.POST or None, instance=company)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.company_update(
                company=company, by=request.user, data=form.service_data()
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if company.is_vetted and not saved.is_vetted:
                messages.warning(request, COMPANY_BACK_TO_REVIEW)
            else:
                messages.success(request, "Company details saved.")
            return redirect(saved)
    return render(
        request, "companies/edit.html", {"form": form, "company": company}, status=status_for(form)
    )


@sensitive_post_parameters("password")
@login_required
@require_POST
def member_add(request, pk: int):
    company = selectors.company_for_edit(user=request.user, company_id=pk)
    form = forms.MemberAddForm(request.POST)
    if form.is_valid():
        try:
            with transaction.atomic():
                member = account_services.company_member_add(by=request.user, **form.cleaned_data)
                lifecycle_messages.member_added(member, by=request.user)
        except ValidationError as exc:
            # The password validators raise unkeyed errors: show them on the password field.
            apply_service_errors(form, exc, default_field="password")
        else:
            messages.success(request, f"{member.full_name} added to {company.name}.")
            return redirect(company)
    return _company_page(request, company, member_form=form)


@login_required
@require_POST
def vet(request, pk: int):
    company = selectors.company_for(user=request.user, company_id=pk)
    form = forms.CompanyVetForm(request.POST)
    if form.is_valid():
        decision, notes = form.cleaned_data["decision"], form.cleaned_data["notes"]
        try:
            if decision == "approve":
                services.company_approve(
                    company=company, by=request.user, checklist=form.checklist(), notes=notes
                )
            else:
                services.company_reject(
                    company=company, by=request.user, checklist=form.checklist(), notes=notes
                )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            verb = "approved" if decision == "approve" else "rejected"
            messages.success(request, f"{company.name} {verb}.")
            return redirect("companies:vetting_queue")
    return _company_page(request, company, vet_form=form)


@login_required
@require_GET
def vetting_queue(request):
    companies = selectors.companies_for_partner(
        user=request.user, status=Company.VettingStatus.PENDING
    )
    return render(request, "companies/vetting_queue.html", {"companies": companies})


# --- roles -------------------------------------------------------------------------------


@login_required
@require_GET
def role_list(request):
    roles = selectors.role_list_for(user=request.user)
    page = Paginator(roles, ROLE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "companies/role_list.html", {"page": page, "query": ""})


@login_required
@require_GET
def role_detail(request, pk: int):
    role = selectors.role_for(user=request.user, role_id=pk)
    can_edit = request.user.is_company_member and request.user.company_id == role.company_id
    return render(request, "companies/role_detail.html", {"role": role, "can_edit": can_edit})


def _role_editor(request, *, company: Company, role: Role | None):
    instance = role or Role(company=company)
    if request.method == "POST":
        form = forms.RoleForm(request.POST, instance=instance)
        skills = forms.RoleSkillFormSet(request.POST, prefix="skills")
        steps = forms.InterviewStepFormSet(request.POST, prefix="steps")
        if all([form.is_valid(), skills.is_valid(), steps.is_valid()]):
            kwargs = {
                "by": request.user,
                "data": form.service_data(),
                "skills": skills.service_data(),
                "interview_steps": steps.service_data(),
            }
            try:
                if role is None:
                    role = services.role_create(company=company, **kwargs)
                else:
                    role = services.role_update(role=role, **kwargs)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, f"“{role.title}” saved.")
                return redirect(role)
    else:
        form = forms.RoleForm(instance=role)
        skills = forms.RoleSkillFormSet(
            prefix="skills", initial=forms.role_skill_initial(role) if role else None
        )
        template_form = forms.InterviewTemplateForm(request.GET or None)
        chosen = template_form.cleaned_data["template"] if template_form.is_valid() else ""
        if chosen:  # the template's steps replace the rows shown; saving replaces the steps
            initial = forms.template_step_initial(services.steps_from_template(chosen))
        else:
            initial = forms.interview_step_initial(role) if role else None
        steps = forms.InterviewStepFormSet(prefix="steps", initial=initial)
    context = {
        "form": form,
        "skills": skills,
        "steps": steps,
        "role": role,
        "company": company,
        "template_form": forms.InterviewTemplateForm(request.GET or None),
    }
    return render(
        request, "companies/role_form.html", context, status=status_for(form, skills, steps)
    )


@login_required
def role_new(request):
    return _role_editor(request, company=selectors.own_company(user=request.user), role=None)


@login_required
def role_edit(request, pk: int):
    role = selectors.role_for_edit(user=request.user, role_id=pk)
    return _role_editor(request, company=role.company, role=role)


def _role_action(request, pk: int, service, done: str):
    role = selectors.role_for_edit(user=request.user, role_id=pk)
    try:
        service(role=role, by=request.user)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, done.format(title=role.title))
    return redirect(role)


@login_required
@require_POST
def role_open(request, pk: int):
    return _role_action(request, pk, services.role_open, "“{title}” is open.")


@login_required
@require_POST
def role_close(request, pk: int):
    return _role_action(request, pk, services.role_close, "“{title}” is closed.")


@sensitive_post_parameters("password")
def signup_company(request):
    return sign_up_page(
        request, forms.CompanySignUpForm, services.company_sign_up, "accounts/signup_company.html"
    )
