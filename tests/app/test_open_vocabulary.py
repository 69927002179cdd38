"""Open vocabulary in the app: skill names outside the taxonomy are kept on profiles, roles
and imports (within limits), reach the engine in curation, and match and are explained."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from matchday.companies import services as company_services
from matchday.imports.resume import parse_resume_text
from matchday.matchdays.adapters import sentences_for
from matchday.talent import services as talent_services
from matchday.talent.models import CandidateSkill
from matchday.taxonomy.models import Skill
from matchday.taxonomy.services import (
    MAX_OPEN_SKILLS,
    MAX_SKILL_NAME_CHARS,
    SKILL_NAME_TOO_LONG,
    TOO_MANY_OPEN_SKILLS,
    skill_lookup,
)
from tests import factories
from tests.market import create_matchday, make_person, run_curation

pytestmark = pytest.mark.django_db


def _role(member, title: str, skills: list[tuple[str, str]]):
    role = factories.RoleFactory(company=member.company, open=True, title=title)
    company_services.role_update(
        role=role,
        by=member,
        data={},
        skills=[
            {"skill_id": name, "kind": kind, "min_level": 3, "weight": 2} for name, kind in skills
        ],
    )
    return role


def _skills(proposal) -> list[dict]:
    e = proposal.explanation
    return [*e["matched"], *e["adjacent"], *e["missing"]]


def _claim(person, name: str, level: int = 4) -> CandidateSkill:
    return talent_services.candidate_skill_set(
        profile=person.profile,
        by=person.profile.user,
        skill_id=name,
        level=level,
        years=3,
        evidence=f"Shipped with {name}.",
    )


def test_unknown_skills_on_both_sides_match_and_are_explained_through_a_curation_run(
    django_capture_on_commit_callbacks,
):
    partner = factories.PartnerFactory()
    member = factories.CompanyMemberFactory(company__vetted=True, company__name="Acme Vision")
    by_name = make_person(1, skills={"python": 4})
    by_meaning = make_person(2, skills={"python": 4})
    linked = make_person(3, skills={"terraform": 5})
    frontend = _role(member, "Frontend Engineer", [("Zustand", "required"), ("python", "nice")])
    infra = _role(member, "Infra Engineer", [("Terraform Cloud", "required")])
    _claim(by_name, "zustand.")  # the role's "Zustand": one skill, whatever the spelling
    _claim(by_meaning, "Zustand store")  # outside the taxonomy too, close in meaning
    assert Skill.objects.get(pk="~zustand").label == "Zustand"

    market = SimpleNamespace(partner=partner)
    md = create_matchday(market, candidate_cap=3, role_cap=5)
    run = run_curation(market, md, django_capture_on_commit_callbacks)
    assert run.status == "succeeded", run.error

    proposals = {(p.candidate_id, p.role_id): p for p in md.proposals.all()}
    same_name = proposals[(by_name.profile.pk, frontend.pk)]
    [zustand] = [s for s in _skills(same_name) if s["skill_id"] == "Zustand"]
    assert (zustand["match"], zustand["credit"] > 0) == ("exact", True)
    assert "Their Zustand (level 4, 3 years) meets the required skill." in " ".join(
        sentences_for(same_name, "company")
    )

    meaning = proposals[(by_meaning.profile.pk, frontend.pk)]
    [zustand] = [s for s in _skills(meaning) if s["skill_id"] == "Zustand"]
    assert (zustand["match"], zustand["via_skill_id"]) == ("meaning", "Zustand store")
    assert "matched by meaning: Zustand ≈ Zustand store, similarity 0.91" in " ".join(
        sentences_for(meaning, "partner")
    )

    cloud = proposals[(linked.profile.pk, infra.pk)]
    [req] = [s for s in _skills(cloud) if s["skill_id"] == "Terraform Cloud"]
    assert (req["match"], req["via_skill_id"]) == ("meaning", "terraform")
    assert "matched by meaning: Terraform Cloud ≈ Terraform, similarity 0.91" in " ".join(
        sentences_for(cloud, "partner")
    )


def test_names_equal_but_for_case_whitespace_and_punctuation_are_one_skill():
    person = make_person(1, skills={})
    _claim(person, "Zustand")
    with pytest.raises(ValidationError) as info:
        talent_services.candidate_skill_set(
            profile=person.profile,
            by=person.profile.user,
            skill_id="  zustand. ",
            level=3,
            create_only=True,
        )
    assert info.value.message_dict == {
        "skill": ["Zustand is already on your profile; edit its level instead."]
    }
    assert Skill.objects.filter(source=Skill.Source.OPEN).count() == 1
    assert skill_lookup("ZUSTAND").skill_id == skill_lookup("zustand!").skill_id == "~zustand"


def test_a_profile_holds_at_most_the_limit_of_names_outside_the_taxonomy():
    person = make_person(1, skills={"python": 3})
    for i in range(MAX_OPEN_SKILLS):
        _claim(person, f"Framework {i}")
    with pytest.raises(ValidationError) as info:
        _claim(person, "One too many")
    message = TOO_MANY_OPEN_SKILLS.format(limit=MAX_OPEN_SKILLS, owner="profile")
    assert info.value.message_dict == {"skill": [message]}
    _claim(person, "pytorch")  # taxonomy skills are not limited by it
    assert person.profile.skills.filter(skill__source="open").count() == MAX_OPEN_SKILLS


def test_a_role_holds_at_most_the_limit_of_names_outside_the_taxonomy():
    member = factories.CompanyMemberFactory(company__vetted=True)
    names = [(f"Framework {i}", "required") for i in range(MAX_OPEN_SKILLS + 1)]
    with pytest.raises(ValidationError) as info:
        _role(member, "Too many", names)
    message = TOO_MANY_OPEN_SKILLS.format(limit=MAX_OPEN_SKILLS, owner="role")
    assert info.value.message_dict == {"skills": [message]}
    role = _role(member, "Just enough", names[:MAX_OPEN_SKILLS])
    assert role.skills.filter(skill__source="open").count() == MAX_OPEN_SKILLS


def test_a_skill_name_longer_than_the_limit_is_refused_before_matching():
    member = factories.CompanyMemberFactory(company__vetted=True)
    with pytest.raises(ValidationError) as info:
        _role(member, "Long", [("x" * (MAX_SKILL_NAME_CHARS + 1), "required")])
    assert info.value.message_dict == {
        "skills": [SKILL_NAME_TOO_LONG.format(limit=MAX_SKILL_NAME_CHARS)]
    }
    assert not Skill.objects.filter(source=Skill.Source.OPEN).exists()


def test_the_role_editor_keeps_an_unknown_skill_and_the_role_page_shows_it(client):
    member = factories.CompanyMemberFactory(company__vetted=True)
    role = _role(member, "Frontend", [("KaTeX", "required"), ("python", "nice")])
    client.force_login(member)
    page = client.get(role.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "KaTeX" in html and "(outside the taxonomy)" in html


def test_a_resume_file_keeps_the_skills_it_lists_outside_the_taxonomy():
    text = (
        "Ada Example\nFrontend engineer\n\nSkills\n"
        "Frontend: React, Zustand, KaTeX; Python\n• Netlify / Vercel\n"
    )
    draft = parse_resume_text(text)
    kept = {s["label"]: s.get("outside_taxonomy", False) for s in draft["skills"]}
    assert {k: kept.get(k) for k in ("React", "Python", "Zustand", "KaTeX", "Netlify", "Vercel")} == {
        "React": False, "Python": False, "Zustand": True, "KaTeX": True, "Netlify": True,
        "Vercel": True,
    }  # fmt: skip
    person = make_person(1, skills={})
    from matchday.imports.services import profile_import_apply

    profile_import_apply(profile=person.profile, by=person.profile.user, draft=draft)
    labels = set(person.profile.skills.values_list("skill__label", flat=True))
    assert {"Zustand", "KaTeX", "Netlify", "Vercel"} <= labels


def test_the_api_keeps_a_role_skill_outside_the_taxonomy(company_member):
    from tests.api.helpers import api_as

    role = {
        "title": "Frontend Engineer", "level": "senior", "role_type": "ml-engineer",
        "description": "Build the editor.", "location_policy": "remote", "pay_min": 100000,
        "pay_max": 120000, "pay_currency": "EUR",
        "skills": [{"skill": "Zustand", "min_level": 3}, {"skill": "k8s", "kind": "nice"}],
    }  # fmt: skip
    response = api_as(company_member).post("/roles", role)
    assert response.status_code == 201, response.content
    skills = {s["skill_id"]: (s["label"], s["in_taxonomy"]) for s in response.json()["skills"]}
    assert skills == {"~zustand": ("Zustand", False), "kubernetes": ("Kubernetes", True)}


def test_the_unmapped_names_page_runs_a_fixed_number_of_queries(
    client, partner, django_assert_num_queries
):
    def add_names(start: int, n: int) -> None:
        for i in range(start, start + n):
            _claim(make_person(i, skills={}), f"Framework {i}")

    client.force_login(partner)
    add_names(0, 2)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get("/skills/unmapped/").status_code == 200
    add_names(2, 8)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get("/skills/unmapped/")
    assert response.status_code == 200
    assert len(response.context["names"]) == 10
