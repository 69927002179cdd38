"""A partner's review history for the weight-learning tests: past Match Days whose proposals
carry explanations as the engine stores them, decided by a rule the test chooses."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

from matchday.engine.explain import Contribution, Explanation
from matchday.engine.scoring import ScoringWeights
from matchday.matchdays.models import MatchDay, Proposal
from tests.followup_factories import MatchDayFactory, ProposalFactory

HISTORY_START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def explained(values: dict[str, float], *, candidate_id: int = 1, role_id: int = 1) -> dict:
    """An eligible pair's stored explanation with these role-side values, scored with the
    default weights (a candidate without wishes: the role side is the whole score)."""
    w = ScoringWeights()
    total = sum(getattr(w, c) for c in values)
    contributions = tuple(
        Contribution(c, "role", v, getattr(w, c) / total, getattr(w, c) / total * v)
        for c, v in values.items()
    )
    score = sum(c.contribution for c in contributions)
    return Explanation(
        candidate_id=f"c{candidate_id}",
        role_id=f"r{role_id}",
        eligible=True,
        score=score,
        role_fit=score,
        candidate_fit=1.0,
        constraints=(),
        skills=(),
        contributions=contributions,
    ).to_dict()


def by_required_skills(values: dict[str, float], candidate, rng: random.Random) -> bool:
    """The partner approves on required skills (with a little noise), ignoring text similarity."""
    return values["required_skills"] + rng.gauss(0, 0.08) > 0.5


def decision_history(
    *,
    partner,
    candidates: Sequence,
    roles: Sequence,
    batches: int = 4,
    seed: int = 7,
    values_for: Callable[[object, random.Random], dict[str, float]] | None = None,
    approve: Callable[[dict[str, float], object, random.Random], bool] = by_required_skills,
    start: datetime = HISTORY_START,
) -> list[Proposal]:
    """``batches`` released Match Days, each proposing every candidate for every role, every
    proposal approved or rejected by ``approve`` a minute apart, a week between batches."""
    rng = random.Random(seed)
    made = []
    for b in range(batches):
        md = MatchDayFactory(status=MatchDay.Status.RELEASED, name=f"History {b}")
        i = 0
        for c in candidates:
            for r in roles:
                if values_for is not None:
                    values = values_for(c, rng)
                else:
                    values = {
                        "required_skills": round(rng.random(), 6),
                        "experience": round(rng.random(), 6),
                        "seniority": round(rng.random(), 6),
                        "text_similarity": round(rng.random(), 6),
                    }
                ok = approve(values, c, rng)
                exp = explained(values, candidate_id=c.pk, role_id=r.pk)
                proposal = ProposalFactory(
                    matchday=md,
                    candidate=c,
                    role=r,
                    score=exp["score"],
                    role_fit=exp["role_fit"],
                    candidate_fit=1.0,
                    explanation=exp,
                    status=Proposal.Status.APPROVED if ok else Proposal.Status.REJECTED,
                    review_reason="" if ok else "Not enough of the required skills.",
                    reviewed_by=partner,
                    reviewed_at=start + timedelta(days=7 * b, minutes=i),
                )
                made.append(proposal)
                i += 1
    return made
