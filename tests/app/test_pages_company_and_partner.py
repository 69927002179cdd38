"""Company pages, role editor, and the talent partner's pages through the test client."""

from __future__ import annotations

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Permission
from django.urls import reverse

from matchday.accounts.services import PARTNERS_GROUP, partner_create
from matchday.audits.models import AuditEntry
from matchday.companies.models import VETTING_CHECKLIST, Company, Role
from matchday.companies.services import (
    CHECKLIST_INCOMPLETE,
    COMPANY_NOT_VETTED,
    ROLE_LEVEL_UNKNOWN,
)
from matchday.core.money import BAND_MIN_ABOVE_MAX, BAND_MIN_POSITIVE, BAND_TOO_WIDE
from matchday.talent.models import CandidateProfile
from tests import factories

pytestmark = pytest.mark.django_db


def role_data(**overrides: str | list[str]) -> dict[str, str | list[str]]:
    data = {
        "title": "Inference Engineer", "level": "senior", "role_type": "ml-engineer",
        "description": "Serve models.", "location_policy": "remote", "years_min": "3",
        "pay_min": "100000", "pay_max": "140000", "pay_currency": "EUR", "pay_period": "year",
        "skills-TOTAL_FORMS": "2", "skills-INITIAL_FORMS": "0",
        "skills-0-skill": "PyTorch", "skills-0-kind": "required", "skills-0-min_level": "4",
        "skills-0-weight": "3",
        "skills-1-skill": "", "skills-1-kind": "nice", "skills-1-min_level": "3",
        "skills-1-weight": "1",
        "steps-TOTAL_FORMS": "2", "steps-INITIAL_FORMS": "0",
        "steps-0-name": "Onsite", "steps-0-ORDER": "2", "steps-0-duration_minutes": "240",
        "steps-1-name": "Screen", "steps-1-ORDER": "1", "steps-1-duration_minutes": "30",
    }  # fmt: skip
    data.update(overrides)
    return data


@pytest.fixture
def member(client):
    member = factories.CompanyMemberFactory(company__vetted=True)
    client.force_login(member)
    return member


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"pay_max": "200000"}, "pay_max", BAND_TOO_WIDE.format(ratio="1.5")),
        ({"pay_max": "90000"}, "pay_max", BAND_MIN_ABOVE_MAX.format(min=100000, max=90000)),
        ({"pay_min": "0"}, "pay_min", BAND_MIN_POSITIVE),
        (
            {"pay_currency": "XYZ"},
            "pay_currency",
            "Select a valid choice. XYZ is not one of the available choices.",
        ),
        ({"years_max": "1"}, "years_max", "The maximum years must be at least the minimum (3)."),
    ],
)
def test_bad_role_is_refused_inline_and_keeps_what_was_typed(
    client, member, overrides, field, message
):
    response = client.post(reverse("companies:role_new"), role_data(**overrides))
    assert response.status_code == 422
    form = response.context["form"]
    assert form.errors[field] == [message]
    assert form["title"].value() == "Inference Engineer"
    assert response.context["skills"].forms[0]["skill"].value() == "PyTorch"
    assert not Role.objects.exists()


def test_duplicate_role_skills_are_refused_on_the_repeated_row(client, member):
    data = role_data(**{"skills-1-skill": "pytorch"})
    response = client.post(reverse("companies:role_new"), data)
    assert response.status_code == 422
    skills = response.context["skills"]
    assert skills.forms[1].errors["skill"] == ["pytorch is listed more than once."]
    assert skills.non_form_errors() == ["Each skill may appear only once; see the marked rows."]


def test_role_is_created_with_skills_and_ordered_interview_steps(client, member):
    response = client.post(reverse("companies:role_new"), role_data())
    role = Role.objects.get()
    assert response["Location"] == role.get_absolute_url()
    assert role.company == member.company and role.status == Role.Status.DRAFT
    assert list(role.skills.values_list("skill_id", "min_level", "weight")) == [("pytorch", 4, 3)]
    assert list(role.interview_steps.values_list("name", "position")) == [
        ("Screen", 0),
        ("Onsite", 1),
    ]


def test_role_open_to_another_level_is_saved_and_shown_next_to_its_level(client, member):
    response = client.post(
        reverse("companies:role_new"), role_data(accepted_levels=["staff", "senior"])
    )
    role = Role.objects.get()
    assert response["Location"] == role.get_absolute_url()
    assert role.accepted_levels == ["staff"]  # its own level is implied, not stored
    assert role.levels == ("senior", "staff")
    page = client.get(role.get_absolute_url())
    assert "Level: Senior (also open to Staff)" in page.content.decode()
    editor = client.get(reverse("companies:role_edit", args=[role.pk]))
    assert editor.context["form"]["accepted_levels"].value() == ["staff"]
    assert 'name="accepted_levels" value="staff" id="id_accepted_levels_3" checked' in (
        editor.content.decode()
    )


def test_role_without_accepted_levels_shows_its_level_alone(client, member):
    role = factories.RoleFactory(company=member.company, level="mid", accepted_levels=[])
    page = client.get(role.get_absolute_url()).content.decode()
    assert "Level: Mid-level</p>" in page
    assert "also open to" not in page


def test_unknown_accepted_level_is_refused_inline_and_keeps_what_was_typed(client, member):
    response = client.post(reverse("companies:role_new"), role_data(accepted_levels=["guru"]))
    assert response.status_code == 422
    message = ROLE_LEVEL_UNKNOWN.format(
        level="guru", choices="junior, mid, senior, staff, principal"
    )
    assert response.context["form"].errors["accepted_levels"] == [message]
    assert response.context["form"]["title"].value() == "Inference Engineer"
    html = response.content.decode()
    assert '<ul class="errorlist" id="id_accepted_levels_error"><li>' in html
    assert not Role.objects.exists()


def test_pending_company_cannot_open_a_role(client):
    member = factories.CompanyMemberFactory()
    role = factories.RoleFactory(company=member.company)
    client.force_login(member)
    response = client.post(reverse("companies:role_open", args=[role.pk]), follow=True)
    assert [str(m) for m in response.context["messages"]] == [COMPANY_NOT_VETTED]
    role.refresh_from_db()
    assert role.status == Role.Status.DRAFT


def test_role_list_shows_only_the_members_company_in_bounded_queries(
    client, member, django_assert_max_num_queries
):
    mine = factories.RoleFactory.create_batch(4, company=member.company)
    factories.RoleFactory(title="Someone else's role")
    with django_assert_max_num_queries(6):
        response = client.get(reverse("companies:role_list"))
    assert {r.pk for r in response.context["page"]} == {r.pk for r in mine}
    assert "Someone else&#x27;s role" not in response.content.decode()


def test_member_adds_a_colleague_and_a_weak_password_is_refused_inline(client, member):
    url = reverse("companies:member_add", args=[member.company_id])
    weak = client.post(url, {"full_name": "Bo", "email": "bo@example.org", "password": "short"})
    assert weak.status_code == 422
    assert weak.context["member_form"].errors["password"][0].startswith("This password is too")
    ok = client.post(
        url, {"full_name": "Bo", "email": "bo@example.org", "password": "a-long-passphrase"}
    )
    assert ok.status_code == 302
    assert member.company.members.filter(email="bo@example.org").exists()


# --- talent partner ---------------------------------------------------------------------


def test_partner_approves_a_company_only_with_the_full_checklist(client, partner):
    company = factories.CompanyFactory()
    client.force_login(partner)
    url = reverse("companies:vet", args=[company.pk])
    partial = client.post(url, {"decision": "approve", "check_website": "on"})
    assert partial.status_code == 422
    missing = "; ".join(v for k, v in VETTING_CHECKLIST.items() if k != "website")
    assert partial.context["vet_form"].non_field_errors() == [
        CHECKLIST_INCOMPLETE.format(missing=missing)
    ]
    assert partial.context["vet_form"]["check_website"].value() is True
    full = client.post(
        url,
        {"decision": "approve", **dict.fromkeys((f"check_{k}" for k in VETTING_CHECKLIST), "on")},
    )
    assert full.status_code == 302
    company.refresh_from_db()
    assert company.vetting_status == Company.VettingStatus.VETTED


def test_partner_rejecting_a_candidate_needs_a_reason(client, partner):
    profile = factories.CandidateProfileFactory(submitted=True)
    client.force_login(partner)
    url = reverse("talent:candidate_vet", args=[profile.pk])
    response = client.post(url, {"decision": "reject", "reason": " "})
    assert response.status_code == 422
    assert response.context["vet_form"].errors["reason"] == ["Give the candidate a reason."]
    client.post(url, {"decision": "reject", "reason": "No measured results."})
    profile.refresh_from_db()
    assert (profile.status, profile.vetting_reason) == ("rejected", "No measured results.")


def test_candidate_search_filters_by_alias_level_country_and_status_in_bounded_queries(
    client, partner, django_assert_max_num_queries
):
    wanted = factories.CandidateProfileFactory(complete=True, country="PT", level="staff")
    factories.CandidateSkillFactory(candidate=wanted, skill_id="ray")
    for _ in range(3):  # same filters but without the skill, or another country
        other = factories.CandidateProfileFactory(complete=True, country="PT", level="staff")
        factories.CandidateProfileFactory(complete=True, country="FR", level="staff")
    factories.CandidateSkillFactory(candidate=other, skill_id="rag", level=2)
    client.force_login(partner)
    url = reverse("talent:candidate_search")
    with django_assert_max_num_queries(8):
        response = client.get(
            url, {"skill": "Ray", "level": "staff", "country": "PT", "status": "draft"}
        )
    assert [p.pk for p in response.context["page"]] == [wanted.pk]
    by_alias = client.get(url, {"skill": "retrieval-augmented generation"})
    assert [p.pk for p in by_alias.context["page"]] == [other.pk]
    # a name outside the taxonomy is a skill too (profiles may hold it): nobody has this one
    unknown = client.get(url, {"skill": "Basket weaving"})
    assert unknown.status_code == 200 and list(unknown.context["page"]) == []
    empty = client.get(url, {"skill": "?!"})
    assert empty.status_code == 422 and empty.context["page"] is None


def test_audit_log_filters_by_action_prefix_and_target(client, partner):
    profile = factories.CandidateProfileFactory(submitted=True)
    client.force_login(partner)
    client.post(reverse("talent:candidate_vet", args=[profile.pk]), {"decision": "approve"})
    response = client.get(reverse("audits:list"), {"action": "candidate.vet"})
    assert [e.action for e in response.context["page"]] == ["candidate.vet.approve"]
    by_target = client.get(
        reverse("audits:list"),
        {"target_type": "talent.candidateprofile", "target_id": str(profile.pk)},
    )
    assert [e.target_id for e in by_target.context["page"]] == [str(profile.pk)]
    assert AuditEntry.objects.filter(action="candidate.vet.approve").count() == 1


def test_partner_create_joins_the_partners_group_with_admin_permissions(client):
    user = partner_create(email="pat@example.org", password="curation-first-1", full_name="Pat")
    group = user.groups.get()
    assert group.name == PARTNERS_GROUP
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"view_candidateprofile", "view_company", "view_role", "view_auditentry"} <= codenames
    assert (
        not {
            "change_candidateprofile",
            "delete_candidateprofile",
            "add_company",
            "change_role",
            "change_auditentry",
        }
        & codenames
    )
    assert Permission.objects.filter(group=group, codename__startswith="delete_").count() == 0
    client.force_login(user)
    # Partners must set up a second factor before any page, the admin included.
    response = client.get(reverse("admin:talent_candidateprofile_changelist"))
    assert response["Location"] == reverse("mfa_activate_totp")
    TOTP.activate(user, factories.TOTP_SECRET)
    assert client.get(reverse("admin:talent_candidateprofile_changelist")).status_code == 200
    assert client.get(reverse("admin:audits_auditentry_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403
    assert CandidateProfile.objects.count() == 0
