"""Object-level permission checks used by every service and selector.

Each ``ensure_*`` raises ``PermissionDenied`` (HTTP 403 in pages and the API); selectors
scope querysets with the matching ``*_queryset_for`` helpers, so an object outside the
user's scope is simply not found (HTTP 404).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

NOT_A_PARTNER = "Only talent partners can do this."
NOT_A_CANDIDATE = "Only candidates can do this."
NOT_A_COMPANY_MEMBER = "Only company members can do this."
NOT_YOUR_COMPANY = "You are not a member of this company."
NOT_YOUR_PROFILE = "This is not your profile."


def _authenticated(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def ensure_partner(user) -> None:
    if not (_authenticated(user) and user.is_partner):
        raise PermissionDenied(NOT_A_PARTNER)


def ensure_candidate(user) -> None:
    if not (_authenticated(user) and user.is_candidate):
        raise PermissionDenied(NOT_A_CANDIDATE)


def ensure_company_member(user) -> None:
    if not (_authenticated(user) and user.is_company_member):
        raise PermissionDenied(NOT_A_COMPANY_MEMBER)


def ensure_can_edit_profile(*, user, profile) -> None:
    if not (_authenticated(user) and user.is_candidate and profile.user_id == user.pk):
        raise PermissionDenied(NOT_YOUR_PROFILE)


def ensure_member_of(*, user, company) -> None:
    if not (_authenticated(user) and user.is_company_member and user.company_id == company.pk):
        raise PermissionDenied(NOT_YOUR_COMPANY)


def ensure_can_view_company(*, user, company) -> None:
    if _authenticated(user) and user.is_partner:
        return
    ensure_member_of(user=user, company=company)


def ensure_can_edit_role(*, user, role) -> None:
    ensure_member_of(user=user, company=role.company)
