"""Weights learned from people's decisions: a constrained, explainable fit and its evaluation.

Every decision a person made on an explained pair (a partner approving or rejecting a
proposal, a company expressing interest or passing, a candidate accepting or declining an
intro, a hire) is a labelled :class:`Example` whose features are the explanation's
component values. :func:`fit_weights` learns non-negative weights for the score's role-side
components and for the two sides, by a regularised logistic regression *on the engine's own
score*:

    P(positive) = sigmoid(a x score(x; w) + b),

where ``score(x; w)`` is exactly what :func:`matchday.engine.scoring.score_pair` computes
from those component values with weights ``w`` (renormalised over the components a pair
has, the candidate side dropping out for a candidate without wishes, the context
components gated by the required skills' coverage), ``w >= 0``, ``a >=
0``, and an L2 penalty pulls the (normalised) weights towards the current ones, so a
handful of decisions cannot swing them far. The learned weights are therefore a plain
:class:`~matchday.engine.scoring.ScoringWeights` that explains itself the way the current
one does: "required skills x share".

:func:`evaluate` compares two weightings on examples held out by time (the most recent
decisions): NDCG and precision at k per ranking (the decisions of one stage on one role or
one candidate), and, when self-reported demographics are given, the scoring-rate impact
ratios of :func:`matchday.engine.fairness.scoring_report` under each weighting, with a
guard that fails when the new weights push a category under the four-fifths threshold or
further below it.

>>> ex = [Example("c1", "r1", "review:r1", "review", 1, "2026-01-01",
...                {"required_skills": 1.0, "experience": 0.5}, 1.0, False),
...       Example("c2", "r1", "review:r1", "review", 0, "2026-01-02",
...                {"required_skills": 0.2, "experience": 0.5}, 1.0, False)]
>>> from matchday.engine.scoring import ScoringWeights
>>> [round(s, 4) for s in rescore(ex, ScoringWeights())]
[0.8929, 0.1786]
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.optimize import minimize

from matchday.engine.fairness import ADVERSE_IMPACT_THRESHOLD, scoring_report
from matchday.engine.io import EngineInputError
from matchday.engine.scoring import GATED_COMPONENTS, ROLE_COMPONENTS, ScoringWeights

__all__ = [
    "LEARNED_WEIGHTS",
    "Comparison",
    "Example",
    "FairnessCheck",
    "FitResult",
    "Metrics",
    "evaluate",
    "example_features",
    "fit_weights",
    "ndcg_at_k",
    "precision_at_k",
    "propose_weights",
    "rescore",
    "time_split",
]

F64 = npt.NDArray[np.float64]

#: The weights a fit learns: the role-side components and the two sides. The candidate-side
#: components are weighted by each candidate's own preference weights, not learned.
LEARNED_WEIGHTS: tuple[str, ...] = (*ROLE_COMPONENTS, "role_side", "candidate_side")

NO_EXAMPLES = "No labelled examples to learn from."
TOO_FEW = (
    "Too few decisions to learn from: {train} for fitting and {test} held out (each needs "
    "at least {minimum}, with both positive and negative outcomes)."
)


@dataclass(frozen=True, slots=True)
class Example:
    """One person's decision on an explained pair.

    ``ranking`` names the set of decisions the pair was ranked against (one stage on one
    role, or on one candidate); ``label`` is 1 for a positive outcome (approved, interest,
    accepted, hired) and 0 otherwise; ``at`` is when it was decided (ISO 8601, sortable).
    ``features`` are the explanation's role-side component values (a component the pair
    did not have is absent), ``candidate_fit`` its candidate side, and ``candidate_side``
    whether the candidate expressed any wish (else that side drops out of the score).
    """

    candidate_id: str
    role_id: str
    ranking: str
    stage: str
    label: int
    at: str
    features: Mapping[str, float]
    candidate_fit: float
    candidate_side: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "candidate_id": self.candidate_id,
            "role_id": self.role_id,
            "ranking": self.ranking,
            "stage": self.stage,
            "label": self.label,
            "at": self.at,
            "features": dict(sorted(self.features.items())),
            "candidate_fit": self.candidate_fit,
            "candidate_side": self.candidate_side,
        }


def example_features(explanation: Mapping[str, Any]) -> tuple[dict[str, float], float, bool] | None:
    """``(role-side component values, candidate fit, has a candidate side)`` of a stored
    explanation (:meth:`~matchday.engine.explain.Explanation.to_dict`), or ``None`` for a
    pair that was not eligible (it has no components).

    >>> example_features({"eligible": True, "candidate_fit": 0.5, "contributions": [
    ...     {"component": "required_skills", "side": "role", "value": 0.8},
    ...     {"component": "pay", "side": "candidate", "value": 0.5}]})
    ({'required_skills': 0.8}, 0.5, True)
    """
    if not explanation.get("eligible") or not explanation.get("contributions"):
        return None
    values: dict[str, float] = {}
    has_candidate = False
    for c in explanation["contributions"]:
        if c["side"] == "role" and c["component"] in ROLE_COMPONENTS:
            values[str(c["component"])] = float(c["value"])
        elif c["side"] == "candidate":
            has_candidate = True
    if not values:
        return None
    return values, float(explanation.get("candidate_fit", 1.0)), has_candidate


@dataclass(frozen=True)
class _Matrix:
    values: F64  # n x R role-side component values (0 where absent)
    mask: F64  # n x R: 1 where the pair has the component
    cand: F64  # n candidate fit
    has_cand: F64  # n: 1 where the candidate side counts
    labels: F64  # n


def _matrix(examples: Sequence[Example]) -> _Matrix:
    n, r = len(examples), len(ROLE_COMPONENTS)
    values, mask = np.zeros((n, r)), np.zeros((n, r))
    for i, ex in enumerate(examples):
        for j, name in enumerate(ROLE_COMPONENTS):
            if name in ex.features:
                values[i, j] = ex.features[name]
                mask[i, j] = 1.0
    return _Matrix(
        values=values,
        mask=mask,
        cand=np.array([ex.candidate_fit for ex in examples], dtype=np.float64),
        has_cand=np.array([1.0 if ex.candidate_side else 0.0 for ex in examples]),
        labels=np.array([float(ex.label) for ex in examples]),
    )


def _vector(w: ScoringWeights) -> F64:
    return np.array([float(getattr(w, name)) for name in LEARNED_WEIGHTS], dtype=np.float64)


#: 1 for the role-side components that count only as far as the required skills are met.
_GATED = np.array([1.0 if name in GATED_COMPONENTS else 0.0 for name in ROLE_COMPONENTS])
_REQUIRED = ROLE_COMPONENTS.index("required_skills")


def _scores(m: _Matrix, theta: F64) -> F64:
    r = len(ROLE_COMPONENTS)
    role_w, rs, cs = theta[:r], theta[r], theta[r + 1]
    total = (m.mask * role_w).sum(axis=1)
    # context gating, as the engine scores: experience, seniority and the candidate side
    # count in proportion to the required skills' coverage (1 for a role without them)
    gate = np.where(m.mask[:, _REQUIRED] > 0, m.values[:, _REQUIRED], 1.0)
    factor = 1.0 + _GATED[None, :] * (gate[:, None] - 1.0)
    role_part = np.divide(
        (m.mask * m.values * factor * role_w).sum(axis=1),
        total,
        out=np.zeros(len(total)),
        where=total > 0,
    )
    side_c = cs * m.has_cand
    denom = rs + side_c
    out: F64 = np.divide(
        rs * role_part + side_c * m.cand * gate, denom, out=np.zeros(len(denom)), where=denom > 0
    )
    return out


def rescore(examples: Sequence[Example], weights: ScoringWeights) -> list[float]:
    """Each example's score under ``weights``, computed from its stored component values as
    the engine computes it (equal to the stored score, up to its 6-decimal rounding, when
    ``weights`` are the ones it was scored with)."""
    if not examples:
        return []
    return [float(s) for s in _scores(_matrix(examples), _vector(weights))]


def _normalised(theta: F64, totals: F64) -> F64:
    """Each group (role components, sides) scaled to the given totals (scores are invariant
    to that scaling, so the penalty and the reported weights use this form)."""
    r = len(ROLE_COMPONENTS)
    out = theta.copy()
    for sl, total in ((slice(0, r), totals[0]), (slice(r, r + 2), totals[1])):
        s = out[sl].sum()
        if s > 0:
            out[sl] = out[sl] / s * total
    return out


@dataclass(frozen=True)
class FitResult:
    """Learned weights, the logistic slope and intercept, and the fit's training loss."""

    weights: ScoringWeights
    slope: float
    intercept: float
    loss: float
    iterations: int
    converged: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "weights": {k: round(float(getattr(self.weights, k)), 4) for k in LEARNED_WEIGHTS},
            "slope": round(self.slope, 6),
            "intercept": round(self.intercept, 6),
            "loss": round(self.loss, 6),
            "iterations": self.iterations,
            "converged": self.converged,
        }


def fit_weights(
    examples: Sequence[Example],
    current: ScoringWeights,
    *,
    penalty: float = 0.05,
    max_iterations: int = 200,
) -> FitResult:
    """Fit non-negative weights to ``examples`` (see the module docstring).

    The result keeps every shape parameter of ``current`` and changes only
    :data:`LEARNED_WEIGHTS`, each group rescaled to the total it has in ``current`` (so
    the numbers read side by side) and rounded to 4 decimals. Deterministic: the fit
    starts from ``current`` and uses no randomness.

    Raises
    ------
    EngineInputError
        No examples, or only one kind of outcome.
    """
    if not examples:
        raise EngineInputError(NO_EXAMPLES)
    m = _matrix(examples)
    if m.labels.min() == m.labels.max():
        raise EngineInputError("The examples must include both positive and negative outcomes.")
    w0 = _vector(current)
    r = len(ROLE_COMPONENTS)
    totals = np.array([w0[:r].sum(), w0[r : r + 2].sum()])
    target = _normalised(w0, totals)
    scale = np.where(target > 0, target, 1.0)

    def objective(params: F64) -> float:
        theta, a, b = params[:-2], params[-2], params[-1]
        z = a * _scores(m, theta) + b
        # log(1 + e^z) - y z, stably
        loss = float(np.mean(np.logaddexp(0.0, z) - m.labels * z))
        dev = (_normalised(theta, totals) - target) / scale
        return loss + penalty * float(dev @ dev) / len(dev)

    start = np.concatenate([w0, [1.0, 0.0]])
    bounds = [(0.0, 10.0)] * r + [(0.01, 10.0), (0.0, 10.0)] + [(0.0, 50.0), (-50.0, 50.0)]
    res = minimize(
        objective,
        start,
        method="L-BFGS-B",
        bounds=bounds,
        options={"maxiter": max_iterations},
    )
    theta = _normalised(np.asarray(res.x[:-2], dtype=np.float64), totals)
    learned = {name: round(float(theta[i]), 4) for i, name in enumerate(LEARNED_WEIGHTS)}
    if learned["experience"] + learned["text_similarity"] <= 0:
        learned["text_similarity"] = 0.0001  # the engine needs one of the two
    learned["role_side"] = max(learned["role_side"], 0.0001)
    return FitResult(
        weights=replace(current, **learned),
        slope=float(res.x[-2]),
        intercept=float(res.x[-1]),
        loss=float(res.fun),
        iterations=int(res.nit),
        converged=bool(res.success),
    )


# -- evaluation --------------------------------------------------------------------------


def time_split(
    examples: Sequence[Example], *, held_out: float = 0.3
) -> tuple[list[Example], list[Example]]:
    """``(train, test)``: the most recent ``held_out`` share of the decisions is the test
    set; decisions made at the same moment stay on the same side.

    >>> ex = [Example("c", "r", "q", "review", i % 2, f"2026-01-0{i}", {}, 1.0, False)
    ...       for i in range(1, 8)]
    >>> [len(s) for s in time_split(ex)]
    [5, 2]
    """
    ordered = sorted(examples, key=lambda e: (e.at, e.ranking, e.candidate_id, e.role_id))
    if not ordered:
        return [], []
    cut = len(ordered) - max(1, round(len(ordered) * held_out))
    cut = max(cut, 0)
    while 0 < cut < len(ordered) and ordered[cut].at == ordered[cut - 1].at:
        cut += 1
    return ordered[:cut], ordered[cut:]


def _rankings(
    examples: Sequence[Example], scores: Sequence[float]
) -> list[list[tuple[float, int]]]:
    groups: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for ex, s in zip(examples, scores, strict=True):
        groups[ex.ranking].append((s, ex.label))
    # a ranking says something only when it mixes outcomes
    return [g for _, g in sorted(groups.items()) if 0 < sum(lab for _, lab in g) < len(g)]


def _ordered(group: list[tuple[float, int]]) -> list[int]:
    # ties broken pessimistically (negatives first), so a constant score earns no credit
    return [lab for _, lab in sorted(group, key=lambda t: (-t[0], t[1]))]


def ndcg_at_k(group: list[tuple[float, int]], k: int) -> float:
    """NDCG@k of one ranking of ``(score, label)``; ties rank negatives first.

    >>> ndcg_at_k([(0.9, 1), (0.5, 0)], 10), round(ndcg_at_k([(0.5, 1), (0.9, 0)], 10), 4)
    (1.0, 0.6309)
    """
    labels = _ordered(group)
    dcg = sum(lab / math.log2(i + 2) for i, lab in enumerate(labels[:k]))
    ideal = sorted(labels, reverse=True)
    idcg = sum(lab / math.log2(i + 2) for i, lab in enumerate(ideal[:k]))
    return dcg / idcg if idcg > 0 else 0.0


def precision_at_k(group: list[tuple[float, int]], k: int) -> float:
    """Share of positives among the top ``min(k, len)`` of one ranking.

    >>> precision_at_k([(0.9, 1), (0.8, 0), (0.1, 1)], 2)
    0.5
    """
    labels = _ordered(group)[:k]
    return sum(labels) / len(labels)


@dataclass(frozen=True)
class Metrics:
    """Ranking quality of one weighting on the held-out decisions."""

    ndcg: float
    precision: float
    rankings: int
    examples: int
    k: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "ndcg": round(self.ndcg, 4),
            "precision": round(self.precision, 4),
            "rankings": self.rankings,
            "examples": self.examples,
            "k": self.k,
        }


def _metrics(examples: Sequence[Example], scores: Sequence[float], k: int) -> Metrics:
    groups = _rankings(examples, scores)
    if not groups:
        return Metrics(0.0, 0.0, 0, len(examples), k)
    return Metrics(
        ndcg=float(np.mean([ndcg_at_k(g, k) for g in groups])),
        precision=float(np.mean([precision_at_k(g, k) for g in groups])),
        rankings=len(groups),
        examples=len(examples),
        k=k,
    )


@dataclass(frozen=True)
class FairnessCheck:
    """Scoring-rate impact ratios per category under the current and the proposed weights,
    and the categories the proposal would push under the threshold (or further below).

    ``people`` counts the held-out decisions, ``unknown`` those whose candidate gave no sex;
    a category with fewer than ``min_count`` decisions is listed (``too_few``) but has no
    ratio and guards nothing."""

    rows: tuple[dict[str, Any], ...]
    worsened: tuple[str, ...]
    people: int
    unknown: int
    threshold: float = ADVERSE_IMPACT_THRESHOLD
    min_count: int = 10

    @property
    def passed(self) -> bool:
        return not self.worsened

    def to_dict(self) -> dict[str, Any]:
        return {
            "rows": [dict(r) for r in self.rows],
            "worsened": list(self.worsened),
            "people": self.people,
            "unknown": self.unknown,
            "threshold": self.threshold,
            "min_count": self.min_count,
            "passed": self.passed,
        }


#: A category with fewer held-out decisions than this is shown but neither guarded nor a
#: reference: its rate swings with one decision (as ``followup``'s report marks them).
MIN_CATEGORY_COUNT = 10


def _fairness(
    demographics: Sequence[tuple[str | None, str | None]],
    current: Sequence[float],
    proposed: Sequence[float],
    *,
    tolerance: float,
    min_count: int = MIN_CATEGORY_COUNT,
) -> FairnessCheck:
    sex = [d[0] for d in demographics]
    race = [d[1] for d in demographics]
    small: dict[str, dict[str, int]] = {}
    for dimension, values in (("sex", sex), ("race_ethnicity", race)):
        counts: dict[str, int] = defaultdict(int)
        for v in values:
            if v:
                counts[v] += 1
        small[dimension] = {k: n for k, n in counts.items() if n < min_count}
    sex_g = [None if v in small["sex"] else v for v in sex]
    race_g = [None if v in small["race_ethnicity"] else v for v in race]
    before = scoring_report(sex_g, race_g, current)
    after = scoring_report(sex_g, race_g, proposed)
    rows: list[dict[str, Any]] = []
    worsened: list[str] = []
    threshold = before.sex.threshold
    for t_before, t_after in zip(before.tables, after.tables, strict=True):
        if t_before.dimension == "intersectional":
            continue  # the sex and race/ethnicity tables guard; the intersections are thin
        for row in t_before.rows:
            new = t_after.row(row.category)
            old_ir, new_ir = row.impact_ratio, new.impact_ratio
            bad = (
                new_ir is not None
                and new_ir < threshold
                and (old_ir is None or new_ir < old_ir - tolerance)
            )
            if bad:
                worsened.append(f"{row.category} ({t_before.dimension})")
            rows.append(
                {
                    "dimension": t_before.dimension,
                    "category": row.category,
                    "count": row.count,
                    "current": None if old_ir is None else round(old_ir, 4),
                    "proposed": None if new_ir is None else round(new_ir, 4),
                    "worsened": bad,
                    "too_few": False,
                }
            )
        for category, n in sorted(small[t_before.dimension].items()):
            rows.append(
                {
                    "dimension": t_before.dimension,
                    "category": category,
                    "count": n,
                    "current": None,
                    "proposed": None,
                    "worsened": False,
                    "too_few": True,
                }
            )
    return FairnessCheck(
        rows=tuple(rows),
        worsened=tuple(worsened),
        people=len(demographics),
        unknown=sum(1 for v in sex if not v),
        threshold=threshold,
        min_count=min_count,
    )


@dataclass(frozen=True)
class Comparison:
    """Current vs proposed weights on the held-out decisions."""

    current: ScoringWeights
    proposed: ScoringWeights
    fit: FitResult
    train: int
    test: int
    split_at: str
    before: Metrics
    after: Metrics
    fairness: FairnessCheck | None
    per_stage: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def adoptable(self) -> bool:
        """The proposal may be adopted: it does not worsen fairness (see
        :class:`FairnessCheck`). Whether it ranks better is for a partner to read."""
        return self.fairness is None or self.fairness.passed

    def to_dict(self) -> dict[str, Any]:
        return {
            "current": {k: round(float(getattr(self.current, k)), 4) for k in LEARNED_WEIGHTS},
            "proposed": {k: round(float(getattr(self.proposed, k)), 4) for k in LEARNED_WEIGHTS},
            "fit": self.fit.to_dict(),
            "train": self.train,
            "test": self.test,
            "split_at": self.split_at,
            "before": self.before.to_dict(),
            "after": self.after.to_dict(),
            "fairness": None if self.fairness is None else self.fairness.to_dict(),
            "per_stage": self.per_stage,
            "adoptable": self.adoptable,
        }


def evaluate(
    test: Sequence[Example],
    current: ScoringWeights,
    proposed: ScoringWeights,
    *,
    k: int = 3,
    demographics: Sequence[tuple[str | None, str | None]] | None = None,
    tolerance: float = 0.02,
) -> tuple[Metrics, Metrics, FairnessCheck | None, dict[str, dict[str, Any]]]:
    """NDCG@k and precision@k of both weightings on ``test``, per stage too, and the
    fairness check when ``demographics`` (``(sex, race/ethnicity)`` per example, ``None``
    for unknown) are given. NDCG is over each whole ranking (its k is the ranking's length).
    """
    before_s, after_s = rescore(test, current), rescore(test, proposed)
    ndcg_k = max(
        (sum(1 for e in test if e.ranking == q) for q in {e.ranking for e in test}), default=k
    )
    before = _metrics(test, before_s, k)
    after = _metrics(test, after_s, k)
    before = replace(before, ndcg=_metrics(test, before_s, ndcg_k).ndcg)
    after = replace(after, ndcg=_metrics(test, after_s, ndcg_k).ndcg)
    per_stage: dict[str, dict[str, Any]] = {}
    for stage in sorted({e.stage for e in test}):
        idx = [i for i, e in enumerate(test) if e.stage == stage]
        sub = [test[i] for i in idx]
        b = _metrics(sub, [before_s[i] for i in idx], ndcg_k)
        a = _metrics(sub, [after_s[i] for i in idx], ndcg_k)
        per_stage[stage] = {
            "examples": len(sub),
            "rankings": b.rankings,
            "ndcg_current": round(b.ndcg, 4),
            "ndcg_proposed": round(a.ndcg, 4),
        }
    fairness = None
    if demographics is not None:
        if len(demographics) != len(test):
            raise EngineInputError("one (sex, race/ethnicity) pair per held-out example")
        fairness = _fairness(demographics, before_s, after_s, tolerance=tolerance)
    return before, after, fairness, per_stage


def propose_weights(
    examples: Sequence[Example],
    current: ScoringWeights,
    *,
    demographics: Mapping[str, tuple[str | None, str | None]] | None = None,
    held_out: float = 0.3,
    k: int = 3,
    minimum: int = 10,
    penalty: float = 0.05,
) -> Comparison:
    """Split ``examples`` by time, fit on the older ones, compare on the newer ones.

    ``demographics`` maps a candidate id to ``(sex, race/ethnicity)`` (absent: unknown);
    when given, the comparison includes the fairness check.

    Raises
    ------
    EngineInputError
        Fewer than ``minimum`` examples on either side, or one side with a single outcome.
    """
    if not examples:
        raise EngineInputError(NO_EXAMPLES)
    train, test = time_split(examples, held_out=held_out)

    def usable(part: list[Example]) -> bool:
        labels = {e.label for e in part}
        return len(part) >= minimum and labels == {0, 1}

    if not (usable(train) and usable(test)):
        raise EngineInputError(TOO_FEW.format(train=len(train), test=len(test), minimum=minimum))
    fit = fit_weights(train, current, penalty=penalty)
    demo = None
    if demographics is not None:
        demo = [demographics.get(e.candidate_id, (None, None)) for e in test]
    before, after, fairness, per_stage = evaluate(
        test, current, fit.weights, k=k, demographics=demo
    )
    return Comparison(
        current=current,
        proposed=fit.weights,
        fit=fit,
        train=len(train),
        test=len(test),
        split_at=test[0].at,
        before=before,
        after=after,
        fairness=fairness,
        per_stage=per_stage,
    )
