"""Deleting a draft role: the service (permission first, drafts only, audited) and
``DELETE /roles/{id}`` (204; 422 for a role that was ever opened; scoped like the rest)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from matchday.api.errors import NOT_FOUND
from matchday.audits.models import AuditEntry
from matchday.companies.models import InterviewStep, Role, RoleSkill
from matchday.companies.services import ROLE_DELETE_NOT_DRAFT, role_close, role_delete
from matchday.core.permissions import NOT_YOUR_COMPANY
from tests import factories
from tests.api.helpers import api_as


@pytest.fixture
def draft_role(company_member):
    role = factories.RoleFactory(company=company_member.company)
    InterviewStep.objects.create(role=role, position=0, name="Systems design")
    return role


# --- service -------------------------------------------------------------------------------


def test_member_deletes_a_draft_role_with_its_skills_and_steps(company_member, draft_role):
    pk = draft_role.pk
    role_delete(role=draft_role, by=company_member)
    assert not Role.objects.filter(pk=pk).exists()
    assert not RoleSkill.objects.filter(role_id=pk).exists()
    assert not InterviewStep.objects.filter(role_id=pk).exists()


def test_deleting_a_role_leaves_an_audit_entry_naming_it(company_member, draft_role):
    pk = draft_role.pk
    role_delete(role=draft_role, by=company_member)
    entry = AuditEntry.objects.get(action="role.delete")
    assert (entry.actor, entry.target_type, entry.target_id) == (
        company_member,
        "companies.role",
        str(pk),
    )
    assert entry.data == {"title": "Senior ML Engineer"}


@pytest.mark.parametrize(
    ("trait", "status"), [({"open": True}, "open"), ({"status": "closed"}, "closed")]
)
def test_only_a_draft_role_can_be_deleted(company_member, trait, status):
    role = factories.RoleFactory(company=company_member.company, **trait)
    with pytest.raises(ValidationError) as excinfo:
        role_delete(role=role, by=company_member)
    assert excinfo.value.messages == [ROLE_DELETE_NOT_DRAFT.format(status=status)]
    assert Role.objects.filter(pk=role.pk).exists()
    assert not AuditEntry.objects.filter(action="role.delete").exists()


def test_a_role_closed_after_opening_cannot_be_deleted(company_member):
    role = factories.RoleFactory(company=company_member.company, open=True)
    role_close(role=role, by=company_member)
    with pytest.raises(ValidationError):
        role_delete(role=role, by=company_member)
    assert Role.objects.filter(pk=role.pk).exists()


@pytest.mark.parametrize("persona", ["partner", "candidate", "other_member", "anonymous"])
def test_nobody_outside_the_company_deletes_its_role(request, draft_role, persona):
    if persona == "anonymous":
        from django.contrib.auth.models import AnonymousUser

        user = AnonymousUser()
    elif persona == "other_member":
        user = factories.CompanyMemberFactory(company__vetted=True)
    else:
        user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied) as excinfo:
        role_delete(role=draft_role, by=user)
    assert str(excinfo.value) == NOT_YOUR_COMPANY
    assert Role.objects.filter(pk=draft_role.pk).exists()


def test_permission_is_checked_before_the_status(partner):
    role = factories.RoleFactory(open=True)
    with pytest.raises(PermissionDenied):
        role_delete(role=role, by=partner)


# --- API -----------------------------------------------------------------------------------


def test_delete_of_a_draft_role_is_204_and_the_role_is_gone(company_member, draft_role):
    api = api_as(company_member)
    response = api.delete(f"/roles/{draft_role.pk}")
    assert response.status_code == 204
    assert response.content == b""
    assert not Role.objects.filter(pk=draft_role.pk).exists()
    assert api.get(f"/roles/{draft_role.pk}").status_code == 404


def test_delete_of_an_open_role_is_422_with_the_message(company_member):
    role = factories.RoleFactory(company=company_member.company, open=True)
    response = api_as(company_member).delete(f"/roles/{role.pk}")
    message = ROLE_DELETE_NOT_DRAFT.format(status="open")
    assert response.status_code == 422
    assert response.json() == {"detail": message, "errors": [{"field": None, "message": message}]}
    assert Role.objects.filter(pk=role.pk).exists()


def test_delete_of_another_companys_role_is_not_found(company_member):
    role = factories.RoleFactory()
    response = api_as(company_member).delete(f"/roles/{role.pk}")
    assert response.status_code == 404
    assert response.json() == {"detail": NOT_FOUND, "errors": []}
    assert Role.objects.filter(pk=role.pk).exists()


def test_partner_sees_the_role_but_may_not_delete_it(partner, draft_role):
    response = api_as(partner).delete(f"/roles/{draft_role.pk}")
    assert response.status_code == 403
    assert response.json() == {"detail": NOT_YOUR_COMPANY, "errors": []}
    assert Role.objects.filter(pk=draft_role.pk).exists()


def test_candidate_cannot_find_the_role_to_delete(candidate, draft_role):
    response = api_as(candidate).delete(f"/roles/{draft_role.pk}")
    assert response.status_code == 404
    assert Role.objects.filter(pk=draft_role.pk).exists()


def test_delete_without_a_key_is_401(client, draft_role):
    response = client.delete(f"/api/v1/roles/{draft_role.pk}")
    assert response.status_code == 401
    assert Role.objects.filter(pk=draft_role.pk).exists()
