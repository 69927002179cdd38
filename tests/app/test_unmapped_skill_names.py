"""The partners' page of unmapped skill names: who may see and act on it, the frequency
order, each one-click mapping (a new taxonomy version, rows moved), and the audit entry."""

from __future__ import annotations

import gzip

import pytest
from django.urls import reverse

from matchday.audits.models import AuditEntry
from matchday.companies import services as company_services
from matchday.companies.models import RoleSkill
from matchday.engine.__main__ import main
from matchday.engine.taxonomy import load_taxonomy
from matchday.talent import services as talent_services
from matchday.talent.models import CandidateSkill
from matchday.taxonomy import selectors, services
from matchday.taxonomy.models import Skill, TaxonomyChange
from tests import factories
from tests.market import build_market, create_matchday, run_curation

pytestmark = pytest.mark.django_db
BASE = load_taxonomy().version


def _claim(profile, name: str, level: int = 4) -> None:
    talent_services.candidate_skill_set(
        profile=profile, by=profile.user, skill_id=name, level=level, years=2
    )


def _role(member, names: list[str]):
    role = factories.RoleFactory(company=member.company, open=True)
    company_services.role_update(
        role=role,
        by=member,
        data={},
        skills=[{"skill_id": n, "kind": "required", "min_level": 3, "weight": 1} for n in names],
    )
    return role


@pytest.fixture
def market():
    """Zustand: 2 profiles + 1 role; KaTeX: 1 profile + 1 role; Netlify: 1 profile."""
    profiles = [factories.CandidateProfileFactory() for _ in range(3)]
    _claim(profiles[0], "Zustand")
    _claim(profiles[1], "zustand ")
    _claim(profiles[0], "KaTeX")
    _claim(profiles[2], "Netlify")
    member = factories.CompanyMemberFactory(company__vetted=True)
    role = _role(member, ["Zustand", "katex", "python"])
    return profiles, role


def test_only_partners_see_the_page_and_may_map(client, market):
    for user in (factories.UserFactory(), factories.CompanyMemberFactory()):
        client.force_login(user)
        assert client.get(reverse("taxonomy:unmapped")).status_code == 403
        response = client.post(
            reverse("taxonomy:unmapped_map"),
            {"skill": "~zustand", "kind": "new", "category": "web"},
        )
        assert response.status_code == 403
    assert not TaxonomyChange.objects.exists()
    assert CandidateSkill.objects.filter(skill_id="~zustand").count() == 2


def test_the_selector_checks_the_partner_itself(market):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        selectors.unmapped_skill_names(by=factories.UserFactory())
    with pytest.raises(PermissionDenied):
        services.skill_name_map(by=factories.UserFactory(), open_skill="~zustand", kind="alias")


def test_names_are_listed_by_how_many_profiles_and_roles_use_them(client, partner, market):
    client.force_login(partner)
    response = client.get(reverse("taxonomy:unmapped"))
    assert response.status_code == 200
    names = response.context["names"]
    assert [(n.label, n.uses, n.total) for n in names] == [
        ("Zustand", {"profiles": 2, "roles": 1}, 3),
        ("KaTeX", {"profiles": 1, "roles": 1}, 2),
        ("Netlify", {"profiles": 1}, 1),
    ]
    html = response.content.decode()
    assert html.index("Zustand") < html.index("KaTeX") < html.index("Netlify")
    assert 'name="csrfmiddlewaretoken"' in html


def test_alias_of_a_skill_is_a_new_version_and_moves_every_row(client, partner, market):
    profiles, role = market
    client.force_login(partner)
    response = client.post(
        reverse("taxonomy:unmapped_map"), {"skill": "~zustand", "kind": "alias", "target": "React"}
    )
    assert response.status_code == 302
    change = TaxonomyChange.objects.get()
    assert (change.kind, change.name, change.skill_id) == ("alias", "Zustand", "react")
    tax = services.current_taxonomy()
    assert tax.version == f"{BASE}+{change.pk}"
    assert tax.normalize("zustand").skill_id == "react"
    assert not CandidateSkill.objects.filter(skill_id="~zustand").exists()
    assert CandidateSkill.objects.filter(skill_id="react").count() == 2
    assert RoleSkill.objects.filter(role=role, skill_id="react").exists()
    assert Skill.objects.get(pk="~zustand").retired
    # a name typed later resolves to the skill
    _claim(profiles[2], "ZUSTAND")
    assert CandidateSkill.objects.filter(candidate=profiles[2], skill_id="react").exists()
    entry = AuditEntry.objects.get(action="taxonomy.alias")
    assert entry.actor_id == partner.pk
    assert entry.data["version"] == tax.version
    assert entry.data["moved"] == {"talent": 2, "companies": 1}
    page = client.get(reverse("taxonomy:unmapped"))
    assert [n.label for n in page.context["names"]] == ["KaTeX", "Netlify"]


def test_alias_merges_with_a_row_of_the_skill_already_there(partner, market):
    profiles, _ = market
    _claim(profiles[0], "React", level=2)
    services.skill_name_map(by=partner, open_skill="~zustand", kind="alias", target="react")
    row = CandidateSkill.objects.get(candidate=profiles[0], skill_id="react")
    assert row.level == 4  # the higher of the two claims
    assert not CandidateSkill.objects.filter(skill_id="~zustand").exists()


def test_child_of_a_skill_is_a_new_skill_under_it(client, partner, market):
    _, role = market
    client.force_login(partner)
    response = client.post(
        reverse("taxonomy:unmapped_map"),
        {"skill": "~katex", "kind": "child", "target": "javascript"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "is now a new skill under javascript" in response.content.decode()
    tax = services.current_taxonomy()
    assert tax.by_id["katex"].parents == ("javascript",)
    assert tax.by_id["katex"].category == tax.by_id["javascript"].category
    assert "javascript" in tax.ancestors("katex")
    assert RoleSkill.objects.filter(role=role, skill_id="katex").exists()
    assert Skill.objects.get(pk="katex").source == Skill.Source.TAXONOMY


def test_new_skill_in_a_category(client, partner, market):
    profiles, _ = market
    client.force_login(partner)
    response = client.post(
        reverse("taxonomy:unmapped_map"), {"skill": "~netlify", "kind": "new", "category": "cloud"}
    )
    assert response.status_code == 302
    tax = services.current_taxonomy()
    assert (tax.by_id["netlify"].label, tax.by_id["netlify"].category) == ("Netlify", "cloud")
    assert CandidateSkill.objects.filter(candidate=profiles[2], skill_id="netlify").exists()
    first = tax.version
    services.skill_name_map(by=partner, open_skill="~katex", kind="new", category="web")
    assert services.current_taxonomy().version != first
    assert TaxonomyChange.objects.count() == 2


def test_an_unknown_target_or_category_changes_nothing(client, partner, market):
    client.force_login(partner)
    response = client.post(
        reverse("taxonomy:unmapped_map"),
        {"skill": "~zustand", "kind": "alias", "target": "no such skill"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert "No skill in the taxonomy matches" in response.content.decode()
    response = client.post(
        reverse("taxonomy:unmapped_map"),
        {"skill": "~zustand", "kind": "new", "category": ""},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert not TaxonomyChange.objects.exists()
    assert services.current_taxonomy().version == BASE


def _stored(field) -> bytes:
    with field.open("rb") as fh:
        return gzip.decompress(fh.read())


def test_a_run_after_a_change_records_its_taxonomy_and_replays_with_it(
    client, partner, tmp_path, django_capture_on_commit_callbacks
):
    market = build_market()
    person = market.people[0]
    _claim(person.profile, "KaTeX")
    company_services.role_update(
        role=market.role_b1,
        by=market.member_b,
        data={},
        skills=[{"skill_id": "javascript", "kind": "required", "min_level": 3, "weight": 1}],
    )
    services.skill_name_map(by=partner, open_skill="~katex", kind="child", target="JavaScript")
    version = services.current_taxonomy().version
    md = create_matchday(market, candidate_cap=3, role_cap=10)
    run = run_curation(market, md, django_capture_on_commit_callbacks)
    assert run.status == "succeeded", run.error
    assert run.stats["taxonomy_version"] == version == f"{BASE}+{TaxonomyChange.objects.get().pk}"
    # the child satisfies its parent: KaTeX counts for the JavaScript requirement
    proposal = md.proposals.get(candidate=person.profile, role=market.role_b1)
    [js] = proposal.explanation["matched"]
    assert (js["skill_id"], js["match"], js["via_skill_id"]) == ("javascript", "child", "katex")

    client.force_login(partner)
    response = client.get(reverse("matchdays:run_taxonomy", args=[run.pk]))
    assert response.status_code == 200
    assert response.json()["version"] == version
    (tmp_path / "taxonomy.json").write_bytes(response.content)
    (tmp_path / "input.json").write_bytes(_stored(run.engine_input))
    out = tmp_path / "output.json"
    argv = ["curate", str(tmp_path / "input.json"), "-o", str(out)]
    assert main([*argv, "--taxonomy", str(tmp_path / "taxonomy.json")]) == 0
    assert out.read_bytes() == _stored(run.engine_output)
    # with the shipped file instead, KaTeX is a name outside the taxonomy: not the same run
    assert main(argv) == 0
    assert out.read_bytes() != _stored(run.engine_output)
    page = client.get(md.get_absolute_url())
    assert "--taxonomy TAXONOMY.json" in page.content.decode()

    client.force_login(factories.CompanyMemberFactory())
    assert client.get(reverse("matchdays:run_taxonomy", args=[run.pk])).status_code == 403
