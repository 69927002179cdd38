"""Public role pages: only published open roles of vetted companies, with JobPosting JSON-LD
that meets Google's job-posting guidelines and our own JSON Schema."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import jsonschema
import pytest
from django.urls import reverse

from matchday.audits.models import AuditEntry
from matchday.companies.models import Company, Role
from matchday.imports import jobposting
from matchday.imports.services import ROLE_NOT_PUBLISHABLE
from tests import factories

SCHEMA = json.loads(
    (Path(jobposting.__file__).parent / "data" / "jobposting.schema.json").read_text()
)
# Google Search Central, "Job posting (JobPosting) structured data".
GOOGLE_REQUIRED = ("datePosted", "description", "hiringOrganization", "title")
GOOGLE_RECOMMENDED = ("baseSalary", "employmentType", "identifier", "validThrough")
GOOGLE_EMPLOYMENT_TYPES = {"FULL_TIME", "PART_TIME", "CONTRACTOR", "TEMPORARY", "INTERN",
                           "VOLUNTEER", "PER_DIEM", "OTHER"}  # fmt: skip
GOOGLE_UNITS = {"HOUR", "DAY", "WEEK", "MONTH", "YEAR"}


def google_problems(posting: dict) -> list[str]:  # noqa: C901 - complexity 16, to split into named steps
    """What Google's guidelines would flag in ``posting`` (empty when it is eligible)."""
    problems = []
    if posting.get("@context") not in {"https://schema.org/", "https://schema.org"}:
        problems.append("@context must be schema.org")
    if posting.get("@type") != "JobPosting":
        problems.append("@type must be JobPosting")
    problems += [f"missing required {p}" for p in GOOGLE_REQUIRED if not posting.get(p)]
    problems += [f"missing recommended {p}" for p in GOOGLE_RECOMMENDED if not posting.get(p)]
    remote = posting.get("jobLocationType") == "TELECOMMUTE"
    if remote:
        if not posting.get("applicantLocationRequirements"):
            problems.append("TELECOMMUTE needs applicantLocationRequirements")
    elif not posting.get("jobLocation"):
        problems.append("missing required jobLocation")
    else:
        places = posting["jobLocation"]
        for place in places if isinstance(places, list) else [places]:
            if not place.get("address", {}).get("addressCountry"):
                problems.append("jobLocation address needs addressCountry")
    org = posting.get("hiringOrganization") or {}
    if org.get("@type") != "Organization" or not org.get("name"):
        problems.append("hiringOrganization must be an Organization with a name")
    for key in ("datePosted", "validThrough"):
        try:
            datetime.fromisoformat(posting.get(key, ""))
        except ValueError:
            problems.append(f"{key} must be ISO 8601")
    if posting.get("validThrough", "") <= posting.get("datePosted", ""):
        problems.append("validThrough must be after datePosted")
    if posting.get("employmentType") not in GOOGLE_EMPLOYMENT_TYPES:
        problems.append("employmentType is not one of Google's values")
    salary = posting.get("baseSalary") or {}
    value = salary.get("value") or {}
    if salary.get("@type") != "MonetaryAmount" or value.get("@type") != "QuantitativeValue":
        problems.append("baseSalary must be a MonetaryAmount of a QuantitativeValue")
    if value.get("unitText") not in GOOGLE_UNITS:
        problems.append("baseSalary unitText is not one of Google's units")
    if not value.get("minValue") or value.get("minValue", 0) > value.get("maxValue", 0):
        problems.append("baseSalary needs 0 < minValue <= maxValue")
    return problems


def _page_jsonld(content: str) -> dict:
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', content, re.S)
    assert len(scripts) == 1
    return json.loads(scripts[0])


@pytest.fixture
def public_role(db):
    role = factories.RoleFactory(open=True, public=True, title="Senior ML Engineer")
    factories.RoleSkillFactory(role=role, skill_id="kubernetes", kind="nice")
    return role


def test_public_remote_role_page_carries_valid_jobposting_jsonld(client, public_role):
    response = client.get(reverse("imports:job_detail", args=[public_role.pk]))
    assert response.status_code == 200
    posting = _page_jsonld(response.content.decode())
    assert google_problems(posting) == []
    jsonschema.validate(posting, SCHEMA, format_checker=jsonschema.FormatChecker())
    assert posting["jobLocationType"] == "TELECOMMUTE"
    assert [c["name"] for c in posting["applicantLocationRequirements"]] == [
        "Germany",
        "France",
        "Netherlands",
    ]
    assert posting["baseSalary"] == {
        "@type": "MonetaryAmount",
        "currency": "EUR",
        "value": {
            "@type": "QuantitativeValue",
            "minValue": 100000,
            "maxValue": 130000,
            "unitText": "YEAR",
        },
    }
    assert posting["hiringOrganization"]["sameAs"] == public_role.company.website
    assert sorted(posting["skills"]) == ["Kubernetes", "PyTorch"]
    assert posting["employmentType"] == "FULL_TIME"


def test_onsite_role_has_a_job_location_per_city(db):
    role = factories.RoleFactory(
        open=True,
        public=True,
        location_policy="onsite",
        cities=["Berlin", "Munich"],
        allowed_countries=["DE"],
        pay_period="month",
        pay_min=8000,
        pay_max=9000,
    )
    posting = jobposting.role_jobposting(role)
    assert google_problems(posting) == []
    jsonschema.validate(posting, SCHEMA, format_checker=jsonschema.FormatChecker())
    assert "jobLocationType" not in posting
    assert [p["address"] for p in posting["jobLocation"]] == [
        {"@type": "PostalAddress", "addressLocality": "Berlin", "addressCountry": "DE"},
        {"@type": "PostalAddress", "addressLocality": "Munich", "addressCountry": "DE"},
    ]
    assert posting["baseSalary"]["value"]["unitText"] == "MONTH"


def test_validator_and_schema_catch_a_broken_posting(public_role):
    posting = jobposting.role_jobposting(public_role)
    del posting["applicantLocationRequirements"]
    del posting["datePosted"]
    assert google_problems(posting)[:2] == [
        "missing required datePosted",
        "TELECOMMUTE needs applicantLocationRequirements",
    ]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(posting, SCHEMA)


def test_script_closing_text_in_a_description_cannot_break_out(client, public_role):
    public_role.description = 'Great role </script><script>alert("x")</script> & more'
    public_role.save()
    response = client.get(reverse("imports:job_detail", args=[public_role.pk]))
    content = response.content.decode()
    assert "</script><script>alert" not in content
    assert _page_jsonld(content)["description"].startswith("Great role alert(")


@pytest.mark.parametrize(
    "change",
    [
        {"public": False},
        {"status": Role.Status.DRAFT},
        {"status": Role.Status.CLOSED},
        {"company__vetting_status": Company.VettingStatus.PENDING},
    ],
    ids=["not-published", "draft", "closed", "unvetted-company"],
)
def test_roles_that_are_not_public_are_not_found(client, public_role, change):
    for key, value in change.items():
        if key.startswith("company__"):
            setattr(public_role.company, key.removeprefix("company__"), value)
            public_role.company.save()
        else:
            setattr(public_role, key, value)
    public_role.save()
    assert client.get(reverse("imports:job_detail", args=[public_role.pk])).status_code == 404
    assert public_role.title.encode() not in client.get(reverse("imports:job_list")).content


def test_company_member_publishes_and_withdraws_an_open_role(client, db):
    role = factories.RoleFactory(open=True)
    member = factories.CompanyMemberFactory(company=role.company)
    client.force_login(member)
    url = reverse("imports:role_public", args=[role.pk])
    assert client.post(url, {"public": "1"}).status_code == 302
    role.refresh_from_db()
    assert role.public is True
    assert client.get(reverse("imports:job_detail", args=[role.pk])).status_code == 200
    client.post(url, {"public": "0"})
    role.refresh_from_db()
    assert role.public is False
    assert list(
        AuditEntry.objects.filter(target_id=str(role.pk)).values_list("action", flat=True)
    ) == ["role.private", "role.public"]


def test_a_draft_role_cannot_be_published(client, db):
    role = factories.RoleFactory()
    client.force_login(factories.CompanyMemberFactory(company=role.company))
    response = client.post(
        reverse("imports:role_public", args=[role.pk]), {"public": "1"}, follow=True
    )
    assert ROLE_NOT_PUBLISHABLE in response.content.decode()
    role.refresh_from_db()
    assert role.public is False


def test_other_companies_and_candidates_cannot_publish(client, candidate, db):
    role = factories.RoleFactory(open=True)
    url = reverse("imports:role_public", args=[role.pk])
    for user in (factories.CompanyMemberFactory(company__vetted=True), candidate):
        client.force_login(user)
        assert client.post(url, {"public": "1"}).status_code in {403, 404}
    role.refresh_from_db()
    assert role.public is False


def test_role_page_offers_the_publish_toggle_to_its_company_only(client, partner, db):
    role = factories.RoleFactory(open=True)
    client.force_login(factories.CompanyMemberFactory(company=role.company))
    page = client.get(reverse("companies:role_detail", args=[role.pk])).content.decode()
    assert "Publish publicly" in page
    client.force_login(partner)
    page = client.get(reverse("companies:role_detail", args=[role.pk])).content.decode()
    assert "Publish publicly" not in page
