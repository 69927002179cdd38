"""Reads of companies and roles, scoped to what the requesting user may see."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from matchday.companies.models import Company, InterviewStep, Role, RoleSkill
from matchday.core.permissions import (
    NOT_A_COMPANY_MEMBER,
    ensure_can_edit_role,
    ensure_can_view_company,
    ensure_company_member,
    ensure_member_of,
    ensure_partner,
)


def company_for(*, user, company_id: int) -> Company:
    company = get_object_or_404(Company.objects.select_related("vetted_by"), pk=company_id)
    ensure_can_view_company(user=user, company=company)
    return company


def company_for_edit(*, user, company_id: int) -> Company:
    """A company its member may edit (partners review it; they do not edit it here)."""
    company = get_object_or_404(Company, pk=company_id)
    ensure_member_of(user=user, company=company)
    return company


def own_company(*, user) -> Company:
    """The requesting company member's own company."""
    ensure_company_member(user)
    return Company.objects.get(pk=user.company_id)


def company_members(*, user, company: Company):
    ensure_can_view_company(user=user, company=company)
    return company.members.order_by("full_name", "pk")


def roles_for(*, user) -> QuerySet[Role]:
    """Roles the user may see: their company's for members, all for partners, none otherwise."""
    qs = Role.objects.select_related("company")
    if user.is_authenticated and user.is_partner:
        return qs
    if user.is_authenticated and user.is_company_member:
        return qs.filter(company_id=user.company_id)
    return qs.none()


def role_list_for(*, user) -> QuerySet[Role]:
    """The role list page (members and partners only): visible roles with skill counts."""
    if not (user.is_authenticated and (user.is_partner or user.is_company_member)):
        raise PermissionDenied(NOT_A_COMPANY_MEMBER)
    return (
        roles_for(user=user)
        .annotate(
            required_count=Count("skills", filter=Q(skills__kind=RoleSkill.Kind.REQUIRED)),
            nice_count=Count("skills", filter=Q(skills__kind=RoleSkill.Kind.NICE)),
        )
        .order_by("-created_at", "-pk")
    )


def _with_details(qs: QuerySet[Role]) -> QuerySet[Role]:
    return qs.prefetch_related(
        Prefetch("skills", queryset=RoleSkill.objects.select_related("skill")), "interview_steps"
    )


def role_for(*, user, role_id: int) -> Role:
    return get_object_or_404(_with_details(roles_for(user=user)), pk=role_id)


def role_for_edit(*, user, role_id: int) -> Role:
    """A role the user may edit: found only when visible (404), editable only by its company
    (403 for partners)."""
    role = role_for(user=user, role_id=role_id)
    ensure_can_edit_role(user=user, role=role)
    return role


def interview_step_for_edit(*, user, role_id: int, step_id: int) -> InterviewStep:
    """One step of a role the user may edit: 404 outside the roles they see, 403 for
    partners."""
    role = role_for_edit(user=user, role_id=role_id)
    return get_object_or_404(InterviewStep.objects.select_related("role"), pk=step_id, role=role)


def companies_for_partner(*, user, status: str | None = None) -> QuerySet[Company]:
    ensure_partner(user)
    qs = Company.objects.order_by("created_at", "pk")
    if status:
        qs = qs.filter(vetting_status=status)
    return qs
