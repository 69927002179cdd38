"""Factories for released intros, proposals and interest, shared by the follow-up tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import factory

from matchday.engine.explain import ConstraintCheck, Contribution, Explanation, SkillCredit
from matchday.matchdays.models import Interest, MatchDay, Proposal
from tests import factories

# A Monday, so business-day arithmetic in tests is easy to follow by hand.
RELEASE_AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def explanation_dict(candidate_id: int = 1, role_id: int = 1) -> dict:
    return Explanation(
        candidate_id=str(candidate_id),
        role_id=str(role_id),
        eligible=True,
        score=0.82,
        role_fit=0.8,
        candidate_fit=0.84,
        constraints=(ConstraintCheck("pay", True, "the band meets your minimum"),),
        skills=(
            SkillCredit(
                skill_id="pytorch",
                label="PyTorch",
                kind="required",
                min_level=3,
                weight=2.0,
                match="exact",
                via_skill_id=None,
                via_label=None,
                strength=1.0,
                level_factor=1.0,
                credit=1.0,
                candidate_level=4,
                years=3.0,
                evidence="Used daily.",
            ),
        ),
        contributions=(Contribution("required_skills", "role", 1.0, 0.82, 0.82),),
    ).to_dict()


class MatchDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MatchDay

    name = factory.Sequence(lambda n: f"Match Day {n}")
    release_at = RELEASE_AT
    interest_deadline = RELEASE_AT - timedelta(days=2)
    status = MatchDay.Status.INTEREST


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal

    matchday = factory.SubFactory(MatchDayFactory)
    candidate = factory.SubFactory(factories.CandidateProfileFactory, active=True)
    role = factory.SubFactory(factories.RoleFactory, open=True)
    score = 0.82
    role_fit = 0.8
    candidate_fit = 0.84
    explanation = factory.LazyAttribute(lambda p: explanation_dict())
    engine_version = "0.1.0"
    input_hash = "sha256:" + "0" * 64
    status = Proposal.Status.APPROVED


class InterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interest

    proposal = factory.SubFactory(ProposalFactory)
    decision = Interest.Decision.INTERESTED
    offered_salary = 115000
    decided_at = RELEASE_AT - timedelta(days=3)


def interested_proposal(**kwargs) -> Proposal:
    """An approved proposal the company is interested in (offered 115,000)."""
    salary = kwargs.pop("offered_salary", 115000)
    proposal = ProposalFactory(**kwargs)
    InterestFactory(proposal=proposal, offered_salary=salary)
    return proposal


def released_intro(**kwargs):
    """Release one interested proposal and return its intro (released at RELEASE_AT)."""
    from matchday.followup.services import matchday_release

    proposal = interested_proposal(**kwargs)
    [intro] = matchday_release(matchday=proposal.matchday, now=RELEASE_AT)
    return intro


def company_member_of(intro, **kwargs):
    return factories.CompanyMemberFactory(company=intro.role.company, **kwargs)
