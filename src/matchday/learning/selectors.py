"""Reads of the learning app: the labelled decisions, derived on demand from stored rows.

Every explained pair people decided on is already stored with its explanation (a proposal;
its company interest; its intro and pipeline), so the examples are derived from those rows
when a fit runs rather than recorded separately: nothing can drift, and a candidate's
erasure removes their decisions from learning too. Partners only.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Max, QuerySet

from matchday.core.permissions import ensure_partner
from matchday.engine.learn import Example, example_features
from matchday.followup.models import Intro
from matchday.learning.models import WeightsFit
from matchday.matchdays.models import Interest, Proposal
from matchday.talent.models import Demographics

__all__ = [
    "DEFAULT_MAX_EXAMPLES",
    "DecisionExamples",
    "decision_examples",
    "example_demographics",
    "max_examples",
    "weights_fits",
]

#: Decisions one fit learns from at most (the most recent); ``LEARNING_MAX_EXAMPLES``.
DEFAULT_MAX_EXAMPLES = 20000

STAGES = {
    "review": "Partner review (approve / reject / swap)",
    "interest": "Company interest / pass",
    "answer": "Candidate accept / decline",
    "hire": "Hired / closed",
}


def max_examples() -> int:
    return int(getattr(settings, "LEARNING_MAX_EXAMPLES", DEFAULT_MAX_EXAMPLES))


def _iso(moment: datetime) -> str:
    return moment.isoformat()


_FIELDS = (
    "explanation__eligible",
    "explanation__contributions",
    "explanation__candidate_fit",
)


def _features(row: dict) -> tuple[dict[str, float], float, bool] | None:
    return example_features(
        {
            "eligible": row["explanation__eligible"],
            "contributions": row["explanation__contributions"] or [],
            "candidate_fit": row["explanation__candidate_fit"],
        }
    )


def _example(row: dict, *, stage: str, label: int, at: datetime, by: str) -> Example | None:
    feats = _features(row)
    if feats is None:
        return None
    values, cand_fit, has_cand = feats
    key = row["role_id"] if by == "role" else row["candidate_id"]
    return Example(
        candidate_id=str(row["candidate_id"]),
        role_id=str(row["role_id"]),
        ranking=f"{stage}:{row['matchday_id']}:{by}:{key}",
        stage=stage,
        label=label,
        at=_iso(at),
        features=values,
        candidate_fit=1.0 if cand_fit is None else float(cand_fit),
        candidate_side=has_cand,
    )


def _reviews(limit: int) -> Iterator[Example]:
    rows = (
        Proposal.objects.filter(reviewed_at__isnull=False)
        .exclude(status=Proposal.Status.PENDING)
        .order_by("-reviewed_at", "-pk")
        .values("candidate_id", "role_id", "matchday_id", "status", "reviewed_at", *_FIELDS)
    )
    for row in rows[:limit].iterator(chunk_size=2000):
        label = 1 if row["status"] == Proposal.Status.APPROVED else 0
        ex = _example(row, stage="review", label=label, at=row["reviewed_at"], by="role")
        if ex is not None:
            yield ex


def _interests(limit: int) -> Iterator[Example]:
    prefix = "proposal__"
    rows = Interest.objects.order_by("-decided_at", "-pk").values(
        "decision",
        "decided_at",
        "proposal__candidate_id",
        "proposal__role_id",
        "proposal__matchday_id",
        *(prefix + f for f in _FIELDS),
    )
    for row in rows[:limit].iterator(chunk_size=2000):
        flat = {k.removeprefix(prefix): v for k, v in row.items()}
        label = 1 if row["decision"] == Interest.Decision.INTERESTED else 0
        ex = _example(flat, stage="interest", label=label, at=row["decided_at"], by="role")
        if ex is not None:
            yield ex


def _intro_rows(qs: QuerySet[Intro], order: str, limit: int) -> Iterator[dict]:
    prefix = "proposal__"
    rows = qs.order_by(order, "-pk").values(
        "status",
        "decided_at",
        "candidate_id",
        "role_id",
        "matchday_id",
        *(c for c in ("last_step",) if "last_step" in qs.query.annotations),
        *(prefix + f for f in _FIELDS),
    )
    for row in rows[:limit].iterator(chunk_size=2000):
        yield {k.removeprefix(prefix): v for k, v in row.items()}


def _answers(limit: int) -> Iterator[Example]:
    qs = Intro.objects.filter(decided_at__isnull=False).exclude(status=Intro.Status.EXPIRED)
    for row in _intro_rows(qs, "-decided_at", limit):
        label = 0 if row["status"] == Intro.Status.DECLINED else 1
        ex = _example(row, stage="answer", label=label, at=row["decided_at"], by="candidate")
        if ex is not None:
            yield ex


def _hires(limit: int) -> Iterator[Example]:
    qs = Intro.objects.filter(status__in=[Intro.Status.HIRED, Intro.Status.CLOSED]).annotate(
        last_step=Max("steps__completed_at")
    )
    for row in _intro_rows(qs, "-last_step", limit):
        at = row["last_step"] or row["decided_at"]
        if at is None:
            continue
        label = 1 if row["status"] == Intro.Status.HIRED else 0
        ex = _example(row, stage="hire", label=label, at=at, by="role")
        if ex is not None:
            yield ex


@dataclass(frozen=True)
class DecisionExamples:
    """The most recent labelled decisions (at most ``limit``), oldest first, and how many
    each stage gave."""

    examples: list[Example]
    per_stage: dict[str, int]
    limit: int
    capped: bool


def decision_examples(*, user, limit: int | None = None) -> DecisionExamples:
    """Every decision people made on an explained pair, as labelled examples (partners only).

    At most ``limit`` (default :func:`max_examples`): each source is read newest first and
    stops at the limit, so the work is bounded before any row is parsed; the newest
    ``limit`` of them are kept.
    """
    ensure_partner(user)
    cap = max_examples() if limit is None else limit
    found: list[Example] = []
    for source in (_reviews, _interests, _answers, _hires):
        found.extend(source(cap + 1))
    found.sort(key=lambda e: (e.at, e.stage, e.ranking, e.candidate_id, e.role_id))
    capped = len(found) > cap
    kept = found[-cap:] if cap > 0 else []
    per_stage = {stage: sum(1 for e in kept if e.stage == stage) for stage in STAGES}
    return DecisionExamples(examples=kept, per_stage=per_stage, limit=cap, capped=capped)


def example_demographics(
    *, user, examples: list[Example]
) -> dict[str, tuple[str | None, str | None]]:
    """Self-reported ``(sex, race/ethnicity)`` of the examples' candidates, for the fairness
    check only (partners only; never given to the fit)."""
    ensure_partner(user)
    ids = {int(e.candidate_id) for e in examples}
    out: dict[str, tuple[str | None, str | None]] = {}
    for d in Demographics.objects.filter(candidate_id__in=ids):
        out[str(d.candidate_id)] = (
            d.get_sex_display() if d.sex else None,
            d.get_race_ethnicity_display() if d.race_ethnicity else None,
        )
    return out


def weights_fits(*, user) -> QuerySet[WeightsFit]:
    """Every weights proposal, newest first (partners only)."""
    ensure_partner(user)
    return WeightsFit.objects.select_related("requested_by", "adopted_version")
