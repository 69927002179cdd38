"""Reads of companies and roles, scoped to what the requesting user may see."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from matchday.accounts.permissions import ensure_can_view_company, ensure_partner
from matchday.companies.models import Company, Role


def company_for(*, user, company_id: int) -> Company:
    company = get_object_or_404(Company, pk=company_id)
    ensure_can_view_company(user=user, company=company)
    return company


def roles_for(*, user) -> QuerySet[Role]:
    """Roles the user may see: their company's for members, all for partners, none otherwise."""
    qs = Role.objects.select_related("company")
    if user.is_authenticated and user.is_partner:
        return qs
    if user.is_authenticated and user.is_company_member:
        return qs.filter(company_id=user.company_id)
    return qs.none()


def role_for(*, user, role_id: int) -> Role:
    return get_object_or_404(
        roles_for(user=user).prefetch_related("skills__skill", "interview_steps"), pk=role_id
    )


def companies_for_partner(*, user, status: str | None = None) -> QuerySet[Company]:
    ensure_partner(user)
    qs = Company.objects.order_by("created_at", "pk")
    if status:
        qs = qs.filter(vetting_status=status)
    return qs
