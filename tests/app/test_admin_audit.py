"""The Django admin cannot bypass the workflow: view-only domain models, every change audited."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse

from matchday.audits.admin_site import AuditedAdmin, ViewOnlyAdmin
from matchday.audits.models import AuditEntry
from matchday.companies.models import Company, Role
from matchday.talent.models import CandidateProfile
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return factories.PartnerFactory(is_superuser=True)


def test_every_registered_model_admin_is_audited():
    registry = admin.site._registry
    assert len(registry) >= 12  # ours, auth, and third-party apps' admins
    assert [m._meta.label for m, a in registry.items() if not isinstance(a, AuditedAdmin)] == []


@pytest.mark.parametrize(
    "model", [Company, Role, CandidateProfile, AuditEntry], ids=lambda m: m.__name__
)
def test_workflow_models_are_view_only_in_the_admin_even_for_superusers(rf, superuser, model):
    model_admin = admin.site._registry[model]
    request = rf.get("/")
    request.user = superuser
    assert isinstance(model_admin, ViewOnlyAdmin)
    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_a_partner_cannot_vet_a_company_through_the_admin(client, partner):
    from matchday.accounts.services import partners_group

    partner.groups.add(partners_group())
    company = factories.CompanyFactory()
    client.force_login(partner)
    url = reverse("admin:companies_company_change", args=[company.pk])
    assert client.get(url).status_code == 200  # shown read-only
    response = client.post(url, {"name": company.name, "vetting_status": "vetted"})
    assert response.status_code == 403
    company.refresh_from_db()
    assert company.vetting_status == Company.VettingStatus.PENDING
    assert AuditEntry.objects.count() == 0


def test_a_superuser_cannot_widen_a_pay_band_through_the_admin(client, superuser):
    role = factories.RoleFactory()
    client.force_login(superuser)
    url = reverse("admin:companies_role_change", args=[role.pk])
    response = client.post(url, {"pay_min": role.pay_min, "pay_max": role.pay_min * 3})
    assert response.status_code == 403
    role.refresh_from_db()
    assert role.pay_max <= role.pay_min * 1.5


def test_an_admin_change_to_a_user_lands_in_the_audit_log(client, superuser, candidate):
    client.force_login(superuser)
    url = reverse("admin:accounts_user_change", args=[candidate.pk])
    response = client.post(
        url,
        {
            "email": candidate.email,
            "full_name": candidate.full_name,
            "is_active": "",
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    candidate.refresh_from_db()
    assert candidate.is_active is False
    entry = AuditEntry.objects.get(action="admin.change")
    assert (entry.actor, entry.target_type, entry.target_id) == (
        superuser,
        "accounts.user",
        str(candidate.pk),
    )
    assert entry.subject_user == candidate
    assert entry.data["admin"] == "accounts.user"
    assert {"changed": {"fields": ["Active", "Date joined"]}} in entry.data["change"]


def test_a_users_persona_and_company_cannot_be_changed_in_the_admin(rf, superuser, candidate):
    request = rf.get("/")
    request.user = superuser
    model_admin = admin.site._registry[type(candidate)]
    assert {"persona", "company"} <= set(model_admin.get_readonly_fields(request, candidate))
    assert "persona" not in model_admin.get_readonly_fields(request, None)


def test_admin_additions_deletions_and_actions_land_in_the_audit_log(client, superuser):
    client.force_login(superuser)
    response = client.post(reverse("admin:auth_group_add"), {"name": "Reviewers"})
    assert response.status_code == 302
    group = Group.objects.get(name="Reviewers")
    response = client.post(
        reverse("admin:auth_group_changelist"),
        {"action": "delete_selected", "_selected_action": [group.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Group.objects.filter(pk=group.pk).exists()
    assert list(
        AuditEntry.objects.order_by("pk").values_list("action", "target_type", "target_label")
    ) == [("admin.add", "auth.group", "Reviewers"), ("admin.delete", "auth.group", "Reviewers")]


def test_a_bulk_action_writes_one_audit_entry_per_selected_object(rf, superuser):
    from matchday.audits.admin_site import AuditedAdminSite

    ran = []

    def rename(modeladmin, request, queryset):
        ran.append(sorted(queryset.values_list("pk", flat=True)))

    site = AuditedAdminSite(name="probe")
    site.register(Group, admin.ModelAdmin, actions=[rename])
    groups = [Group.objects.create(name=f"g{i}") for i in range(2)]
    request = rf.post("/")
    request.user = superuser
    action = site.get_model_admin(Group).get_actions(request)["rename"]
    action.func(site.get_model_admin(Group), request, Group.objects.all())
    assert ran == [[g.pk for g in groups]]
    assert sorted(AuditEntry.objects.values_list("action", "target_id", "data")) == [
        ("admin.action", str(g.pk), {"admin": "auth.group", "action": "rename"}) for g in groups
    ]
