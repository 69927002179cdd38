"""The API's resources per persona: happy paths, exact error bodies, and no access across
personas or companies."""

import pytest
from django.conf import settings

from matchday.api.errors import INVALID_INPUT, NOT_FOUND
from matchday.companies.models import Company, Role
from matchday.companies.services import CHECKLIST_INCOMPLETE, ROLE_LEVEL_UNKNOWN, ROLE_NOT_DRAFT
from matchday.core.money import BAND_MIN_ABOVE_MAX, BAND_TOO_WIDE, UNKNOWN_CURRENCY
from matchday.core.permissions import NOT_A_CANDIDATE, NOT_A_PARTNER, NOT_YOUR_COMPANY
from matchday.talent.models import CandidateProfile
from matchday.talent.services import REJECT_NEEDS_REASON
from matchday.taxonomy.services import SKILL_NAME_TOO_LONG
from tests import factories
from tests.api.helpers import api_as

pytestmark = pytest.mark.django_db

NEW_ROLE = {
    "title": "Staff Infra Engineer",
    "level": "staff",
    "role_type": "infra-sre",
    "description": "Run our GPU fleet.",
    "location_policy": "remote",
    "pay_min": 150000,
    "pay_max": 200000,
    "pay_currency": "usd",
    "skills": [{"skill": "k8s", "min_level": 4, "weight": 3}, {"skill": "Terraform"}],
    "interview_steps": [{"name": "System design", "duration_minutes": 90}],
}


@pytest.fixture
def other_member(db):
    return factories.CompanyMemberFactory(company__vetted=True)


# --- candidate profile ---------------------------------------------------------------------


def test_candidate_reads_their_own_profile(candidate):
    body = api_as(candidate).get("/me/profile").json()
    profile = candidate.candidate_profile
    assert body["id"] == profile.pk
    assert body["headline"] == profile.headline
    assert body["country"] == "DE"
    assert body["acceptable_countries"] == ["DE", "NL"]
    assert len(body["skills"]) == 3


def test_patch_changes_only_the_fields_sent_and_resolves_skill_aliases(candidate):
    response = api_as(candidate).patch(
        "/me/profile",
        {
            "headline": "Infra engineer",
            "years_experience": 7.5,
            "skills": [
                {"skill": "k8s", "level": 5, "years": 4},
                {"skill": "PyTorch", "level": 3},
                {"skill": "python", "level": 4},
            ],
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["headline"] == "Infra engineer"
    assert body["years_experience"] == 7.5
    assert body["city"] == "Berlin"  # untouched
    assert {(s["skill_id"], s["level"]) for s in body["skills"]} == {
        ("kubernetes", 5),
        ("pytorch", 3),
        ("python", 4),
    }
    profile = CandidateProfile.objects.get(user=candidate)
    assert set(profile.skills.values_list("skill_id", flat=True)) == {
        "kubernetes",
        "pytorch",
        "python",
    }


def test_unknown_skill_is_kept_as_typed_and_shown_outside_the_taxonomy(candidate):
    response = api_as(candidate).patch(
        "/me/profile",
        {
            "headline": "Changed",
            "skills": [{"skill": "k8s", "level": 4}, {"skill": " Zustand ", "level": 3}],
        },
    )
    assert response.status_code == 200
    skills = {s["skill_id"]: s for s in response.json()["skills"]}
    assert set(skills) == {"kubernetes", "~zustand"}
    assert (skills["~zustand"]["label"], skills["~zustand"]["in_taxonomy"]) == ("Zustand", False)
    assert skills["kubernetes"]["in_taxonomy"] is True
    profile = CandidateProfile.objects.get(user=candidate)
    assert set(profile.skills.values_list("skill_id", flat=True)) == {"kubernetes", "~zustand"}


def test_a_skill_name_too_long_is_422_naming_it_and_nothing_changes(candidate):
    before = set(candidate.candidate_profile.skills.values_list("skill_id", flat=True))
    response = api_as(candidate).patch(
        "/me/profile",
        {
            "headline": "Changed",
            "skills": [{"skill": "k8s", "level": 4}, {"skill": "x" * 61, "level": 3}],
        },
    )
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == INVALID_INPUT
    [error] = body["errors"]
    assert error == {"field": "skills.1.skill", "message": SKILL_NAME_TOO_LONG.format(limit=60)}
    profile = CandidateProfile.objects.get(user=candidate)
    assert profile.headline != "Changed"
    assert set(profile.skills.values_list("skill_id", flat=True)) == before


def test_profile_field_errors_are_reported_per_field(candidate):
    response = api_as(candidate).patch(
        "/me/profile", {"min_pay_amount": 100000, "min_pay_currency": "XXX"}
    )
    assert response.status_code == 422
    known = ", ".join(sorted(settings.MATCHDAY_CURRENCY_RATES_TO_USD))
    message = UNKNOWN_CURRENCY.format(code="XXX", known=known)
    assert response.json() == {"detail": message, "errors": [{"field": None, "message": message}]}


def test_schema_errors_name_the_field(candidate):
    response = api_as(candidate).patch("/me/profile", {"role_types": ["astronaut"]})
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "role_types.0"


@pytest.mark.parametrize("persona", ["partner", "company_member"])
def test_only_candidates_have_a_profile(request, persona):
    user = request.getfixturevalue(persona)
    for response in (
        api_as(user).get("/me/profile"),
        api_as(user).patch("/me/profile", {"headline": "x"}),
    ):
        assert response.status_code == 403
        assert response.json() == {"detail": NOT_A_CANDIDATE, "errors": []}


# --- roles ---------------------------------------------------------------------------------


def test_member_creates_a_draft_role_with_aliases_resolved(company_member):
    response = api_as(company_member).post("/roles", NEW_ROLE)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft"
    assert body["company_id"] == company_member.company_id
    assert body["pay_currency"] == "USD"
    assert [s["skill_id"] for s in body["skills"]] == ["kubernetes", "terraform"]
    assert body["interview_steps"][0]["name"] == "System design"


@pytest.mark.parametrize(
    ("pay", "field", "message"),
    [
        ({"pay_min": 100000, "pay_max": 200000}, "pay_max", BAND_TOO_WIDE.format(ratio="1.5")),
        (
            {"pay_min": 200000, "pay_max": 100000},
            "pay_max",
            BAND_MIN_ABOVE_MAX.format(min=200000, max=100000),
        ),
        (
            {"pay_min": 0, "pay_max": 100000},
            "pay_min",
            "The pay band's minimum must be greater than zero.",
        ),
    ],
)
def test_pay_band_rules_give_422_with_field_messages(company_member, pay, field, message):
    response = api_as(company_member).post("/roles", {**NEW_ROLE, **pay})
    assert response.status_code == 422
    assert response.json() == {
        "detail": INVALID_INPUT,
        "errors": [{"field": field, "message": message}],
    }
    assert not Role.objects.filter(company=company_member.company).exists()


def test_accepted_levels_are_written_normalised_and_read_back(company_member):
    api = api_as(company_member)
    created = api.post("/roles", {**NEW_ROLE, "accepted_levels": ["principal", "staff", "senior"]})
    assert created.status_code == 201, created.content
    assert created.json()["accepted_levels"] == ["senior", "principal"]
    role_id = created.json()["id"]
    patched = api.patch(f"/roles/{role_id}", {"level": "senior"})
    assert patched.json()["accepted_levels"] == ["principal"]
    cleared = api.patch(f"/roles/{role_id}", {"accepted_levels": []})
    assert cleared.json()["accepted_levels"] == []
    assert Role.objects.get(pk=role_id).levels == ("senior",)


def test_an_unknown_accepted_level_is_422_with_the_field_message(company_member):
    response = api_as(company_member).post("/roles", {**NEW_ROLE, "accepted_levels": ["guru"]})
    assert response.status_code == 422
    message = ROLE_LEVEL_UNKNOWN.format(
        level="guru", choices="junior, mid, senior, staff, principal"
    )
    assert response.json() == {
        "detail": INVALID_INPUT,
        "errors": [{"field": "accepted_levels", "message": message}],
    }
    assert not Role.objects.filter(company=company_member.company).exists()


def test_role_lifecycle_update_open_close(company_member):
    api = api_as(company_member)
    role_id = api.post("/roles", NEW_ROLE).json()["id"]
    patched = api.patch(f"/roles/{role_id}", {"title": "Principal Infra Engineer"})
    assert patched.status_code == 200
    assert patched.json()["title"] == "Principal Infra Engineer"
    assert api.post(f"/roles/{role_id}/open").json()["status"] == "open"
    again = api.post(f"/roles/{role_id}/open")
    assert again.status_code == 422
    assert again.json() == {
        "detail": ROLE_NOT_DRAFT.format(status="open"),
        "errors": [{"field": None, "message": ROLE_NOT_DRAFT.format(status="open")}],
    }
    closed = api.post(f"/roles/{role_id}/close", {"reason": "Filled"})
    assert closed.json()["status"] == "closed"


def test_roles_list_filters_by_status_and_paginates_with_total(company_member):
    company = company_member.company
    factories.RoleFactory.create_batch(3, company=company)
    factories.RoleFactory.create_batch(2, company=company, open=True)
    factories.RoleFactory(open=True)  # another company's
    api = api_as(company_member)
    page = api.get("/roles", status="draft", limit=2, offset=0).json()
    assert (page["total"], page["limit"], page["offset"], len(page["items"])) == (3, 2, 0, 2)
    rest = api.get("/roles", status="draft", limit=2, offset=2).json()
    assert len(rest["items"]) == 1
    assert {r["id"] for r in page["items"]}.isdisjoint({r["id"] for r in rest["items"]})
    assert api.get("/roles", status="open").json()["total"] == 2


def test_limit_out_of_range_is_422_naming_the_parameter(company_member):
    response = api_as(company_member).get("/roles", limit=1000)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["limit"]


def test_other_companys_role_is_not_found(company_member, other_member):
    role = factories.RoleFactory(company=other_member.company)
    api = api_as(company_member)
    for response in (
        api.get(f"/roles/{role.pk}"),
        api.patch(f"/roles/{role.pk}", {"title": "Mine now"}),
        api.post(f"/roles/{role.pk}/open"),
        api.post(f"/roles/{role.pk}/close", {}),
    ):
        assert response.status_code == 404
        assert response.json() == {"detail": NOT_FOUND, "errors": []}
    role.refresh_from_db()
    assert (role.title, role.status) == ("Senior ML Engineer", "draft")
    assert api.get("/roles").json()["total"] == 0


def test_partner_reads_every_role_but_cannot_edit(partner):
    role = factories.RoleFactory()
    api = api_as(partner)
    assert api.get(f"/roles/{role.pk}").status_code == 200
    response = api.patch(f"/roles/{role.pk}", {"title": "x"})
    assert response.status_code == 403
    assert response.json() == {"detail": NOT_YOUR_COMPANY, "errors": []}


def test_candidate_sees_no_roles_and_cannot_create_one(candidate):
    role = factories.RoleFactory(open=True)
    api = api_as(candidate)
    assert api.get("/roles").json()["total"] == 0
    assert api.get(f"/roles/{role.pk}").status_code == 404
    assert api.post("/roles", NEW_ROLE).status_code == 403


# --- vetting -------------------------------------------------------------------------------


def test_partner_approves_and_rejects_submitted_candidates(partner):
    a = factories.CandidateProfileFactory(submitted=True)
    b = factories.CandidateProfileFactory(submitted=True)
    api = api_as(partner)
    queue = api.get("/vetting/candidates").json()
    assert {p["id"] for p in queue["items"]} == {a.pk, b.pk}
    assert queue["items"][0]["email"]
    assert (
        api.post(f"/vetting/candidates/{a.pk}/approve", {"reason": "Strong"}).json()["status"]
        == "active"  # approval activates
    )
    refused = api.post(f"/vetting/candidates/{b.pk}/reject", {"reason": "  "})
    assert refused.status_code == 422
    assert refused.json()["errors"] == [{"field": "reason", "message": REJECT_NEEDS_REASON}]
    rejected = api.post(f"/vetting/candidates/{b.pk}/reject", {"reason": "Too junior"})
    assert rejected.json()["vetting_reason"] == "Too junior"
    assert api.get("/vetting/candidates").json()["total"] == 0


def test_partner_vets_companies_with_the_checklist(partner, pending_company_member):
    company = pending_company_member.company
    api = api_as(partner)
    assert [c["id"] for c in api.get("/vetting/companies").json()["items"]] == [company.pk]
    incomplete = api.post(
        f"/vetting/companies/{company.pk}/approve", {"checklist": {"website": True}}
    )
    assert incomplete.status_code == 422
    assert incomplete.json()["detail"].startswith(CHECKLIST_INCOMPLETE.split("{")[0])
    full = dict.fromkeys(
        ["legal_entity", "website", "hiring_manager", "pay_practices", "conduct"], True
    )
    ok = api.post(f"/vetting/companies/{company.pk}/approve", {"checklist": full})
    assert ok.json()["vetting_status"] == "vetted"
    assert Company.objects.get(pk=company.pk).is_vetted


@pytest.mark.parametrize("persona", ["candidate", "company_member"])
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/vetting/candidates"),
        ("get", "/vetting/companies"),
        ("get", "/vetting/candidates/{profile}"),
        ("post", "/vetting/candidates/{profile}/approve"),
        ("post", "/vetting/companies/{company}/approve"),
    ],
)
def test_only_partners_vet(request, persona, method, path, pending_company_member):
    user = request.getfixturevalue(persona)
    profile = factories.CandidateProfileFactory(submitted=True)
    url = path.format(profile=profile.pk, company=pending_company_member.company_id)
    response = (
        getattr(api_as(user), method)(url)
        if method == "get"
        else api_as(user).post(url, {"checklist": {}})
    )
    assert response.status_code == 403
    assert response.json() == {"detail": NOT_A_PARTNER, "errors": []}
    profile.refresh_from_db()
    assert profile.status == "submitted"
