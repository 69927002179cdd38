"""Persona × page → expected status, for every page of the marketplace.

Expected outcomes: an HTTP status (200, 302, 403, 404, 405), ``"login"`` (302 to the log-in
page), or ``"admin-login"`` (302 to the admin's log-in page). POST cases send valid data, so
a 302 means the action was accepted (or refused with a message on the page it returns to).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse

from matchday.companies.models import VETTING_CHECKLIST
from tests import factories

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "candidate",
    "other_candidate",
    "member",
    "other_member",
    "pending_member",
    "partner",
]


@dataclass
class World:
    candidate: Any
    other_candidate: Any
    member: Any
    other_member: Any
    pending_member: Any
    partner: Any
    profile: Any
    submitted_profile: Any
    achievement: Any
    link: Any
    experience: Any
    education: Any
    role: Any
    pending_role: Any
    note: Any


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction rolled back at the end; each test runs
    in its own savepoint (pytest-django's ``db``), so POSTs do not leak between tests."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


def _build_world() -> World:
    profile = factories.CandidateProfileFactory(complete=True)
    other = factories.CandidateProfileFactory(submitted=True)
    member = factories.CompanyMemberFactory(company__vetted=True)
    other_member = factories.CompanyMemberFactory(company__vetted=True)
    pending_member = factories.CompanyMemberFactory()
    return World(
        candidate=profile.user,
        other_candidate=other.user,
        member=member,
        other_member=other_member,
        pending_member=pending_member,
        partner=factories.PartnerFactory(),
        profile=profile,
        submitted_profile=other,
        achievement=profile.achievements.first(),
        link=factories.LinkFactory(candidate=profile),
        experience=profile.experiences.create(employer="Acme AI", title="ML Engineer"),
        education=profile.education.create(school="TU Berlin", degree="MSc"),
        role=factories.RoleFactory(company=member.company),
        pending_role=factories.RoleFactory(company=pending_member.company),
        note=_partner_note(other),
    )


def _partner_note(profile):
    from django.utils import timezone

    from matchday.talent.models import PartnerNote

    now = timezone.now()
    return PartnerNote.objects.create(
        candidate=profile, body="Wants a research role.", created_at=now, updated_at=now
    )


def _role_data(w: World) -> dict[str, str]:
    return {
        "title": "Staff ML Engineer",
        "level": "staff",
        "role_type": "ml-engineer",
        "description": "Own training infrastructure.",
        "location_policy": "remote",
        "years_min": "5",
        "pay_min": "150000",
        "pay_max": "200000",
        "pay_currency": "EUR",
        "pay_period": "year",
        "skills-TOTAL_FORMS": "1",
        "skills-INITIAL_FORMS": "0",
        "skills-0-skill": "pytorch",
        "skills-0-kind": "required",
        "skills-0-min_level": "4",
        "skills-0-weight": "3",
        "steps-TOTAL_FORMS": "0",
        "steps-INITIAL_FORMS": "0",
    }


def _achievement_data(prefix: str) -> dict[str, str]:
    return {
        f"{prefix}-title": "Halved GPU cost",
        f"{prefix}-problem": "Training cost doubled in a quarter.",
        f"{prefix}-result": "Cost fell 52% at equal accuracy.",
    }


@dataclass(frozen=True)
class Case:
    id: str
    url: Any  # World -> str
    expected: dict[str, Any]
    method: str = "get"
    data: Any = None  # World -> dict


def everyone(anonymous: Any, **others: Any) -> dict[str, Any]:
    """Expected outcomes: ``default`` for every signed-in persona unless named."""
    default = others.pop("default", None)
    table = {p: others.get(p, default) for p in PERSONAS}
    table["anonymous"] = anonymous
    assert None not in table.values(), table
    return table


CASES = [
    Case("home", lambda w: reverse("core:home"), everyone(200, default=302)),
    Case("login", lambda w: reverse("accounts:login"), everyone(200, default=302)),
    Case(
        "signup_candidate",
        lambda w: reverse("signup_candidate"),
        everyone(200, default=302),
    ),
    Case("signup_company", lambda w: reverse("signup_company"), everyone(200, default=302)),
    Case("timezone", lambda w: reverse("accounts:timezone"), everyone("login", default=200)),
    Case(
        "timezone_post",
        lambda w: reverse("accounts:timezone"),
        everyone("login", default=302),
        method="post",
        data=lambda w: {"timezone": "Europe/Lisbon"},
    ),
    # --- the candidate's own profile --------------------------------------------------
    Case(
        "profile",
        lambda w: reverse("talent:profile"),
        everyone("login", default=403, candidate=200, other_candidate=200),
    ),
    Case(
        "profile_section_get",
        lambda w: reverse("talent:section", args=["basics"]),
        everyone("login", default=403, candidate=302, other_candidate=302),
    ),
    Case(
        "profile_section_unknown",
        lambda w: reverse("talent:section", args=["salary-history"]),
        everyone("login", default=404),
    ),
    Case(
        "profile_section_post",
        lambda w: reverse("talent:section", args=["basics"]),
        everyone("login", default=403, candidate=302, other_candidate=302),
        method="post",
        data=lambda w: {"basics-headline": "Infra engineer", "basics-summary": ""},
    ),
    Case(
        "skill_add",
        lambda w: reverse("talent:skill_add"),
        everyone("login", default=403, candidate=302, other_candidate=302),
        method="post",
        data=lambda w: {"skill": "vLLM", "level": "3", "years": "2", "evidence": ""},
    ),
    Case(
        "skill_add_get",
        lambda w: reverse("talent:skill_add"),
        everyone("login", default=405),
    ),
    Case(
        "skill_update",
        lambda w: reverse("talent:skill_update", args=[w.profile.skills.first().skill_id]),
        everyone("login", default=403, candidate=302, other_candidate=404),
        method="post",
        data=lambda w: {
            f"s-{w.profile.skills.first().skill_id}-{k}": v
            for k, v in {"level": "5", "years": "4", "evidence": ""}.items()
        },
    ),
    Case(
        "skill_remove",
        lambda w: reverse("talent:skill_remove", args=[w.profile.skills.first().skill_id]),
        # Scoped to the requester's own profile: another candidate removes nothing of ours.
        everyone("login", default=403, candidate=302, other_candidate=302),
        method="post",
    ),
    Case(
        "achievement_add",
        lambda w: reverse("talent:achievement_add"),
        everyone("login", default=403, candidate=302, other_candidate=302),
        method="post",
        data=lambda w: _achievement_data("new"),
    ),
    Case(
        "achievement_update",
        lambda w: reverse("talent:achievement_update", args=[w.achievement.pk]),
        everyone("login", default=403, candidate=302, other_candidate=404),
        method="post",
        data=lambda w: _achievement_data(f"a{w.achievement.pk}"),
    ),
    Case(
        "achievement_delete",
        lambda w: reverse("talent:achievement_delete", args=[w.achievement.pk]),
        everyone("login", default=403, candidate=302, other_candidate=404),
        method="post",
    ),
    Case(
        "experience_add",
        lambda w: reverse("talent:experience_add"),
        everyone("login", default=403, candidate=302, other_candidate=302),
        method="post",
        data=lambda w: {"job-employer": "Orbit Labs", "job-title": "Engineer"},
    ),
    Case(
        "experience_update",
        lambda w: reverse("talent:experience_update", args=[w.experience.pk]),
        everyone("login", default=403, candidate=302, other_candidate=404),
        method="post",
        data=lambda w: {
            f"e{w.experience.pk}-employer": "Acme AI",
            f"e{w.experience.pk}-title": "Lead",
        },
    ),
    Case(
        "experience_delete",
        lambda w: reverse("talent:experience_delete", args=[w.experience.pk]),
        everyone("login", default=403, candidate=302, other_candidate=404),
        method="post",
    ),
    Case(
        "education_add",
        lambda w: reverse("talent:education_add"),
        everyone("login", default=403, candidate=302, other_candidate=302),
        method="post",
        data=lambda w: {"edu-school": "ETH Zürich", "edu-degree": "PhD"},
    ),
    Case(
        "education_update",
        lambda w: reverse("talent:education_update", args=[w.education.pk]),
        everyone("login", default=403, candidate=302, other_candidate=404),
        method="post",
        data=lambda w: {
            f"d{w.education.pk}-school": "TU Berlin",
            f"d{w.education.pk}-end_year": "2019",
        },
    ),
    Case(
        "education_delete",
        lambda w: reverse("talent:education_delete", args=[w.education.pk]),
        everyone("login", default=403, candidate=302, other_candidate=404),
        method="post",
    ),
    Case(
        "link_add",
        lambda w: reverse("talent:link_add"),
        everyone("login", default=403, candidate=302, other_candidate=302),
        method="post",
        data=lambda w: {"link-kind": "talk", "link-url": "https://example.org/talk"},
    ),
    Case(
        "link_delete",
        lambda w: reverse("talent:link_delete", args=[w.link.pk]),
        everyone("login", default=403, candidate=302, other_candidate=404),
        method="post",
    ),
    Case(
        "submit",
        lambda w: reverse("talent:submit"),
        everyone("login", default=403, candidate=302, other_candidate=302),
        method="post",
    ),
    Case(
        "submit_get",
        lambda w: reverse("talent:submit"),
        everyone("login", default=405),
    ),
    Case(
        "activate",
        lambda w: reverse("talent:activate"),
        everyone("login", default=403, candidate=302, other_candidate=302),
        method="post",
    ),
    Case(
        "pause",
        lambda w: reverse("talent:pause"),
        everyone("login", default=403, candidate=302, other_candidate=302),
        method="post",
    ),
    # --- talent partner pages about candidates ----------------------------------------
    Case(
        "candidate_vetting_queue",
        lambda w: reverse("talent:vetting_queue"),
        everyone("login", default=403, partner=200),
    ),
    Case(
        "candidate_search",
        lambda w: reverse("talent:candidate_search") + "?skill=k8s&level=senior",
        everyone("login", default=403, partner=200),
    ),
    Case(
        "candidate_detail",
        lambda w: reverse("talent:candidate_detail", args=[w.submitted_profile.pk]),
        everyone("login", default=403, partner=200),
    ),
    Case(
        "candidate_detail_missing",
        lambda w: reverse("talent:candidate_detail", args=[999999]),
        everyone("login", default=403, partner=404),
    ),
    Case(
        "candidate_vet",
        lambda w: reverse("talent:candidate_vet", args=[w.submitted_profile.pk]),
        everyone("login", default=403, partner=302),
        method="post",
        data=lambda w: {"decision": "approve", "reason": ""},
    ),
    Case(
        "note_add",
        lambda w: reverse("talent:note_add", args=[w.submitted_profile.pk]),
        everyone("login", default=403, partner=302),
        method="post",
        data=lambda w: {"topic": "goals", "body": "Moving into product."},
    ),
    Case(
        "note_edit",
        lambda w: reverse("talent:note_edit", args=[w.note.pk]),
        everyone("login", default=403, partner=302),
        method="post",
        data=lambda w: {"topic": "direction", "body": "Moving into research."},
    ),
    Case(
        "note_delete",
        lambda w: reverse("talent:note_delete", args=[w.note.pk]),
        everyone("login", default=403, partner=302),
        method="post",
    ),
    # --- companies ----------------------------------------------------------------------
    Case(
        "company_detail",
        lambda w: reverse("companies:detail", args=[w.member.company_id]),
        everyone("login", default=403, member=200, partner=200),
    ),
    Case(
        "pending_company_detail",
        lambda w: reverse("companies:detail", args=[w.pending_member.company_id]),
        everyone("login", default=403, pending_member=200, partner=200),
    ),
    Case(
        "company_detail_missing",
        lambda w: reverse("companies:detail", args=[999999]),
        everyone("login", default=404),
    ),
    Case(
        "company_edit",
        lambda w: reverse("companies:edit", args=[w.member.company_id]),
        everyone("login", default=403, member=200),
    ),
    Case(
        "company_edit_post",
        lambda w: reverse("companies:edit", args=[w.member.company_id]),
        everyone("login", default=403, member=302),
        method="post",
        data=lambda w: {
            "name": "Renamed AI",
            "website": "https://renamed.example",
            "size": "11-50",
            "stage": "seed",
        },
    ),
    Case(
        "member_add",
        lambda w: reverse("companies:member_add", args=[w.member.company_id]),
        everyone("login", default=403, member=302),
        method="post",
        data=lambda w: {
            "full_name": "Grace Hopper",
            "email": "grace@example.org",
            "password": "a-long-passphrase",
        },
    ),
    Case(
        "company_vet",
        lambda w: reverse("companies:vet", args=[w.pending_member.company_id]),
        everyone("login", default=403, partner=302),
        method="post",
        data=lambda w: {"decision": "approve", **{f"check_{k}": "on" for k in VETTING_CHECKLIST}},
    ),
    Case(
        "company_vetting_queue",
        lambda w: reverse("companies:vetting_queue"),
        everyone("login", default=403, partner=200),
    ),
    # --- roles --------------------------------------------------------------------------
    Case(
        "role_list",
        lambda w: reverse("companies:role_list"),
        everyone(
            "login", default=403, member=200, other_member=200, pending_member=200, partner=200
        ),
    ),
    Case(
        "role_new",
        lambda w: reverse("companies:role_new"),
        everyone("login", default=403, member=200, other_member=200, pending_member=200),
    ),
    Case(
        "role_new_post",
        lambda w: reverse("companies:role_new"),
        everyone("login", default=403, member=302, other_member=302, pending_member=302),
        method="post",
        data=_role_data,
    ),
    Case(
        "role_detail",
        lambda w: reverse("companies:role_detail", args=[w.role.pk]),
        everyone("login", default=404, member=200, partner=200),
    ),
    Case(
        "pending_role_detail",
        lambda w: reverse("companies:role_detail", args=[w.pending_role.pk]),
        everyone("login", default=404, pending_member=200, partner=200),
    ),
    Case(
        "role_edit",
        lambda w: reverse("companies:role_edit", args=[w.role.pk]),
        everyone("login", default=404, member=200, partner=403),
    ),
    Case(
        "role_edit_post",
        lambda w: reverse("companies:role_edit", args=[w.role.pk]),
        everyone("login", default=404, member=302, partner=403),
        method="post",
        data=_role_data,
    ),
    Case(
        "role_open",
        lambda w: reverse("companies:role_open", args=[w.role.pk]),
        everyone("login", default=404, member=302, partner=403),
        method="post",
    ),
    Case(
        "role_close",
        lambda w: reverse("companies:role_close", args=[w.role.pk]),
        everyone("login", default=404, member=302, partner=403),
        method="post",
    ),
    Case(
        "pending_role_open",
        lambda w: reverse("companies:role_open", args=[w.pending_role.pk]),
        everyone("login", default=404, pending_member=302, partner=403),
        method="post",
    ),
    # --- shared and operator pages ------------------------------------------------------
    Case(
        "skill_autocomplete",
        lambda w: reverse("taxonomy:autocomplete") + "?q=kube",
        everyone("login", default=200),
    ),
    Case(
        "unmapped_skill_names",
        lambda w: reverse("taxonomy:unmapped"),
        everyone("login", default=403, partner=200),
    ),
    Case(
        "unmapped_skill_map",
        lambda w: reverse("taxonomy:unmapped_map"),
        everyone("login", default=403, partner=302),
        method="post",
        # no such open name: the partner is sent back with the message, nothing changes
        data=lambda w: {"skill": "~nosuchname", "kind": "new", "category": "web"},
    ),
    Case(
        "audit_log", lambda w: reverse("audits:list"), everyone("login", default=403, partner=200)
    ),
    Case(
        "audit_log_filtered",
        lambda w: reverse("audits:list") + "?action=candidate&target_type=talent.candidateprofile",
        everyone("login", default=403, partner=200),
    ),
    Case(
        "audit_csv",
        lambda w: reverse("audits:export_csv"),
        everyone("login", default=403, partner=200),
    ),
    Case(
        "weights", lambda w: reverse("learning:list"), everyone("login", default=403, partner=200)
    ),
    Case(
        "weights_propose_get", lambda w: reverse("learning:propose"), everyone("login", default=405)
    ),
    Case(
        "weights_propose",
        lambda w: reverse("learning:propose"),
        everyone("login", default=403, partner=302),
        method="post",
    ),
    Case(
        "admin",
        lambda w: reverse("admin:index"),
        everyone("admin-login", default="admin-login", partner=200),
    ),
]

MATRIX = [
    pytest.param(case, persona, id=f"{case.id}-{persona}") for case in CASES for persona in PERSONAS
]


@pytest.mark.parametrize(("case", "persona"), MATRIX)
def test_persona_gets_the_expected_status(db, client, world, case, persona):
    if persona != "anonymous":
        client.force_login(getattr(world, persona))
    url = case.url(world)
    data = case.data(world) if case.data else {}
    response = getattr(client, case.method)(url, data)
    expected = case.expected[persona]
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login") + "?next=")
    elif expected == "admin-login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login") + "?next=")
    else:
        assert response.status_code == expected, response.content[:500]
        if expected == 302:
            assert not response["Location"].startswith(reverse("accounts:login"))


def test_the_matrix_covers_every_page_url():
    """Every named URL of the marketplace apps appears in at least one case."""
    from django.urls import get_resolver

    covered = set()
    for case in CASES:
        w = _FakeWorld()
        covered.add(_resolve_name(case.url(w)))
    apps = ("accounts", "talent", "companies", "taxonomy", "audits", "core")
    resolver = get_resolver()
    names = {
        f"{ns}:{name}"
        for ns in apps
        for name in resolver.namespace_dict[ns][1].reverse_dict
        if isinstance(name, str)
    }
    assert names - covered <= {"accounts:logout"}, sorted(names - covered)


class _Obj:
    def __init__(self, **kw):
        self.__dict__.update(kw)


class _Skills:
    def first(self):
        return _Obj(skill_id="python")


class _FakeWorld:
    """Just enough of a World to build every case's URL without a database."""

    def __getattr__(self, name):
        return _Obj(pk=1, company_id=1, skills=_Skills())


def _resolve_name(url: str) -> str:
    from django.urls import resolve

    match = resolve(url.split("?")[0])
    return f"{match.namespace}:{match.url_name}"
