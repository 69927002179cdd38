"""Bias measurement: impact ratios by the NYC Local Law 144 method, funnel audits, exposure control.

The method follows the rules of the NYC Department of Consumer and Worker Protection for
bias audits of automated employment decision tools (6 RCNY §§ 5-300 to 5-304, adopted
April 2023):

* **selection rate** of a category = people in the category who were selected ÷ people in
  the category;
* **scoring rate** (for a stage that produces a score) = people in the category whose score is
  *strictly above* the median score of the whole sample ÷ people in the category;
* **impact ratio** = the category's rate ÷ the rate of the most selected (highest scoring)
  category;
* computed separately for sex, race/ethnicity (EEO-1 Component 1 categories) and their
  intersection; people whose category is unknown are left out of the ratios and counted;
* a category under 2% of the data is flagged, and may be left out of the impact-ratio
  computation (``exclude_small=True``; off by default, so every category gets a ratio);
* an impact ratio under 0.8 is flagged as adverse impact (the EEOC "four-fifths" rule,
  29 CFR § 1607.4(D)).

Ratios are computed with exact fractions and only converted to ``float`` at the end, so a
ratio of exactly 4/5 is not flagged.

>>> table = impact_ratios(["Male", "Male", "Female", "Female"], [True, True, True, False])
>>> [(row.category, row.rate, row.impact_ratio) for row in table.rows]
[('Male', 1.0, 1.0), ('Female', 0.5, 0.5)]
>>> table.rows[1].adverse_impact
True
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal, NamedTuple

from matchday.engine.io import EngineInputError

__all__ = [
    "ADVERSE_IMPACT_THRESHOLD",
    "FUNNEL_STAGES",
    "RACE_ETHNICITY_CATEGORIES",
    "SEX_CATEGORIES",
    "SMALL_CATEGORY_SHARE",
    "CategoryRow",
    "ExposureAllocation",
    "FunnelAudit",
    "FunnelPerson",
    "FunnelTransition",
    "ImpactReport",
    "ImpactTable",
    "allocate_with_exposure",
    "funnel_audit",
    "impact_ratios",
    "impact_report",
    "scoring_outcomes",
    "scoring_report",
]

SEX_CATEGORIES: tuple[str, ...] = ("Male", "Female")
"""EEO-1 Component 1 sex categories, in the order the NYC rules' examples use."""

RACE_ETHNICITY_CATEGORIES: tuple[str, ...] = (
    "Hispanic or Latino",
    "White",
    "Black or African American",
    "Native Hawaiian or Other Pacific Islander",
    "Asian",
    "Native American or Alaska Native",
    "Two or More Races",
)
"""EEO-1 Component 1 race/ethnicity categories (all but the first are "not Hispanic or Latino")."""

FUNNEL_STAGES: tuple[str, ...] = (
    "proposed",
    "approved",
    "interest_received",
    "intro_accepted",
    "interviewed",
    "offered",
    "hired",
)
"""The Match Day funnel, in order; a person's furthest stage implies every earlier one."""

ADVERSE_IMPACT_THRESHOLD = 0.8
"""Impact ratios strictly under this value are flagged (EEOC four-fifths rule)."""

SMALL_CATEGORY_SHARE = 0.02
"""Categories strictly under this share of the known-category data are flagged as small."""

INTERSECTION_SEPARATOR = " / "

RateKind = Literal["selection", "scoring"]


@dataclass(frozen=True)
class CategoryRow:
    """One category's line of an impact table.

    ``rate`` is ``selected / count``; ``impact_ratio`` is ``None`` when the category was
    excluded as small or when no category in the table was selected at all.
    """

    category: str
    count: int
    selected: int
    rate: float
    impact_ratio: float | None
    share: float
    small: bool
    excluded: bool
    adverse_impact: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "count": self.count,
            "selected": self.selected,
            "rate": self.rate,
            "impact_ratio": self.impact_ratio,
            "share": self.share,
            "small": self.small,
            "excluded": self.excluded,
            "adverse_impact": self.adverse_impact,
        }


@dataclass(frozen=True)
class ImpactTable:
    """Selection (or scoring) rates and impact ratios for one dimension.

    ``unknown`` people are not in ``rows`` and not in ``total``; ``reference_category`` is
    the category whose rate every impact ratio is divided by (the first one, in table order,
    among the highest rates of the categories that were not excluded).
    """

    dimension: str
    rate_kind: RateKind
    rows: tuple[CategoryRow, ...]
    total: int
    unknown: int
    reference_category: str | None
    reference_rate: float | None
    exclude_small: bool
    small_share: float
    threshold: float
    median_score: float | None = None

    @property
    def adverse_categories(self) -> tuple[str, ...]:
        """Categories whose impact ratio is under the threshold."""
        return tuple(row.category for row in self.rows if row.adverse_impact)

    def row(self, category: str) -> CategoryRow:
        """The row of ``category`` (``KeyError`` if absent)."""
        for row in self.rows:
            if row.category == category:
                return row
        raise KeyError(category)

    def to_dict(self) -> dict[str, Any]:
        return {
            "dimension": self.dimension,
            "rate_kind": self.rate_kind,
            "rows": [row.to_dict() for row in self.rows],
            "total": self.total,
            "unknown": self.unknown,
            "reference_category": self.reference_category,
            "reference_rate": self.reference_rate,
            "exclude_small": self.exclude_small,
            "small_share": self.small_share,
            "threshold": self.threshold,
            "median_score": self.median_score,
        }

    def to_text(self, title: str | None = None) -> str:
        """A fixed-width table, one line per category, flags in the last column."""
        noun = "scoring" if self.rate_kind == "scoring" else "selection"
        counted = "above median" if self.rate_kind == "scoring" else "selected"
        head = title or self.dimension
        lines = [f"{head} — {noun} rate; unknown category (not in ratios): {self.unknown}"]
        if self.median_score is not None:
            lines.append(f"median score of the whole sample: {self.median_score:.6g}")
        width = max([len("category"), *(len(row.category) for row in self.rows)])
        lines.append(
            f"{'category':<{width}}  {'count':>7}  {counted:>12}  {'rate':>7}  "
            f"{'impact ratio':>12}  flags"
        )
        for row in self.rows:
            ratio = "—" if row.impact_ratio is None else f"{row.impact_ratio:.3f}"
            flags = []
            if row.small:
                flags.append(f"<{self.small_share:.0%} of data")
            if row.excluded:
                flags.append("excluded from ratios")
            if row.adverse_impact:
                flags.append(f"ADVERSE IMPACT (<{self.threshold:g})")
            lines.append(
                f"{row.category:<{width}}  {row.count:>7}  {row.selected:>12}  "
                f"{row.rate:>7.4f}  {ratio:>12}  {', '.join(flags)}".rstrip()
            )
        if not self.rows:
            lines.append("(no one with a known category)")
        return "\n".join(lines)


@dataclass(frozen=True)
class ImpactReport:
    """The three tables the NYC rules require: sex, race/ethnicity, and their intersection."""

    sex: ImpactTable
    race_ethnicity: ImpactTable
    intersectional: ImpactTable

    @property
    def tables(self) -> tuple[ImpactTable, ImpactTable, ImpactTable]:
        return (self.sex, self.race_ethnicity, self.intersectional)

    def to_dict(self) -> dict[str, Any]:
        return {
            "sex": self.sex.to_dict(),
            "race_ethnicity": self.race_ethnicity.to_dict(),
            "intersectional": self.intersectional.to_dict(),
        }

    def to_text(self) -> str:
        titles = ("Sex", "Race/ethnicity", "Intersectional (sex / race/ethnicity)")
        return "\n\n".join(t.to_text(title) for t, title in zip(self.tables, titles, strict=True))


def _is_unknown(value: str | None) -> bool:
    return value is None or not value.strip()


def _order_categories(present: Iterable[str], order: Sequence[str]) -> list[str]:
    rank = {name: i for i, name in enumerate(order)}
    return sorted(present, key=lambda c: (rank.get(c, len(rank)), c))


def impact_ratios(
    categories: Sequence[str | None],
    outcomes: Sequence[bool],
    *,
    dimension: str = "category",
    rate_kind: RateKind = "selection",
    order: Sequence[str] | None = None,
    exclude_small: bool = False,
    small_share: float = SMALL_CATEGORY_SHARE,
    threshold: float = ADVERSE_IMPACT_THRESHOLD,
    median_score: float | None = None,
) -> ImpactTable:
    """Selection rates and impact ratios per category (NYC Local Law 144 method).

    Parameters
    ----------
    categories : sequence of str or None
        Each person's category; ``None`` or a blank string means unknown: the person is
        counted in ``unknown`` and left out of every rate and ratio.
    outcomes : sequence of bool
        Whether each person was selected (or, for scoring rates, scored above the median:
        see :func:`scoring_outcomes`).
    dimension : str
        Name of the dimension, for the output ("sex", "race_ethnicity", ...).
    rate_kind : {"selection", "scoring"}
        Recorded in the output; the arithmetic is the same.
    order : sequence of str, optional
        Preferred row order; other categories follow, sorted by name. By default, the
        EEO-1 sex, race/ethnicity and intersectional categories in the rules' order.
    exclude_small : bool
        Leave categories under ``small_share`` of the known-category data out of the
        impact-ratio computation (they keep their count and rate). Off by default.
    small_share : float
        The "2% of the data" threshold, as a fraction of people with a known category.
    threshold : float
        Impact ratios strictly under it are flagged as adverse impact.
    median_score : float, optional
        Recorded in the output for scoring tables.

    Returns
    -------
    ImpactTable

    Examples
    --------
    >>> t = impact_ratios(["A", "A", "B", None], [True, False, True, True])
    >>> t.unknown, t.reference_category, t.row("A").impact_ratio
    (1, 'B', 0.5)
    """
    if len(categories) != len(outcomes):
        raise EngineInputError(
            f"{dimension}: {len(categories)} categories but {len(outcomes)} outcomes"
        )
    if not 0.0 <= small_share < 1.0:
        raise EngineInputError(f"small_share must be in [0, 1), got {small_share!r}")
    if not 0.0 < threshold <= 1.0:
        raise EngineInputError(f"threshold must be in (0, 1], got {threshold!r}")
    counts: dict[str, int] = {}
    selected: dict[str, int] = {}
    unknown = 0
    for category, outcome in zip(categories, outcomes, strict=True):
        if category is None or _is_unknown(category):
            unknown += 1
            continue
        counts[category] = counts.get(category, 0) + 1
        selected[category] = selected.get(category, 0) + (1 if outcome else 0)
    total = sum(counts.values())
    if order is None:
        order = (*SEX_CATEGORIES, *RACE_ETHNICITY_CATEGORIES, *_intersection_order())
    names = _order_categories(counts, order)
    small_limit = Fraction(str(small_share))
    rates = {c: Fraction(selected[c], counts[c]) for c in names}
    small = {c: Fraction(counts[c], total) < small_limit for c in names}
    excluded = {c: exclude_small and small[c] for c in names}
    candidates = [c for c in names if not excluded[c]]
    reference: str | None = None
    if candidates:
        best = max(rates[c] for c in candidates)
        if best > 0:
            reference = next(c for c in candidates if rates[c] == best)
    limit = Fraction(str(threshold))
    rows = []
    for c in names:
        ratio: Fraction | None = None
        if reference is not None and not excluded[c]:
            ratio = rates[c] / rates[reference]
        rows.append(
            CategoryRow(
                category=c,
                count=counts[c],
                selected=selected[c],
                rate=float(rates[c]),
                impact_ratio=None if ratio is None else float(ratio),
                share=float(Fraction(counts[c], total)),
                small=small[c],
                excluded=excluded[c],
                adverse_impact=ratio is not None and ratio < limit,
            )
        )
    return ImpactTable(
        dimension=dimension,
        rate_kind=rate_kind,
        rows=tuple(rows),
        total=total,
        unknown=unknown,
        reference_category=reference,
        reference_rate=None if reference is None else float(rates[reference]),
        exclude_small=exclude_small,
        small_share=small_share,
        threshold=threshold,
        median_score=median_score,
    )


def _intersection(sex: str | None, race: str | None) -> str | None:
    if sex is None or race is None or _is_unknown(sex) or _is_unknown(race):
        return None
    return f"{sex}{INTERSECTION_SEPARATOR}{race}"


def _intersection_order() -> list[str]:
    return [
        f"{s}{INTERSECTION_SEPARATOR}{r}" for s in SEX_CATEGORIES for r in RACE_ETHNICITY_CATEGORIES
    ]


def impact_report(
    sex: Sequence[str | None],
    race_ethnicity: Sequence[str | None],
    selected: Sequence[bool],
    *,
    rate_kind: RateKind = "selection",
    exclude_small: bool = False,
    small_share: float = SMALL_CATEGORY_SHARE,
    threshold: float = ADVERSE_IMPACT_THRESHOLD,
    median_score: float | None = None,
) -> ImpactReport:
    """Impact tables for sex, race/ethnicity and their intersection.

    A person whose sex or race/ethnicity is unknown is unknown in the intersectional table.

    Examples
    --------
    >>> r = impact_report(["Male", "Female"], ["Asian", None], [True, False])
    >>> r.intersectional.unknown, [row.category for row in r.intersectional.rows]
    (1, ['Male / Asian'])
    """
    if not len(sex) == len(race_ethnicity) == len(selected):
        raise EngineInputError(
            f"sex, race_ethnicity and outcomes differ in length: "
            f"{len(sex)}, {len(race_ethnicity)}, {len(selected)}"
        )
    options: dict[str, Any] = {
        "rate_kind": rate_kind,
        "exclude_small": exclude_small,
        "small_share": small_share,
        "threshold": threshold,
        "median_score": median_score,
    }
    both = [_intersection(s, r) for s, r in zip(sex, race_ethnicity, strict=True)]
    return ImpactReport(
        sex=impact_ratios(sex, selected, dimension="sex", order=SEX_CATEGORIES, **options),
        race_ethnicity=impact_ratios(
            race_ethnicity,
            selected,
            dimension="race_ethnicity",
            order=RACE_ETHNICITY_CATEGORIES,
            **options,
        ),
        intersectional=impact_ratios(
            both, selected, dimension="intersectional", order=_intersection_order(), **options
        ),
    )


def scoring_outcomes(scores: Sequence[float]) -> tuple[float, list[bool]]:
    """The whole sample's median score, and whether each score is *strictly* above it.

    Strictly above, as the rules say ("scoring above the sample's median"): a score equal to
    the median does not count, so at most half the sample scores above it.

    Examples
    --------
    >>> scoring_outcomes([1.0, 2.0, 2.0, 5.0])
    (2.0, [False, False, False, True])
    """
    if not scores:
        raise EngineInputError("scoring rates need at least one score")
    for i, s in enumerate(scores):
        if not math.isfinite(s):
            raise EngineInputError(f"score #{i} is not a finite number: {s!r}")
    median = float(statistics.median(float(s) for s in scores))
    return median, [float(s) > median for s in scores]


def scoring_report(
    sex: Sequence[str | None],
    race_ethnicity: Sequence[str | None],
    scores: Sequence[float],
    *,
    exclude_small: bool = False,
    small_share: float = SMALL_CATEGORY_SHARE,
    threshold: float = ADVERSE_IMPACT_THRESHOLD,
) -> ImpactReport:
    """Scoring rates and impact ratios (NYC rules § 5-301(c)) for a scored stage.

    The median is taken over the whole sample, including people whose category is unknown.

    Examples
    --------
    >>> r = scoring_report(["Male", "Male", "Female", "Female"], [None] * 4, [1, 4, 2, 3])
    >>> r.sex.median_score, r.sex.row("Female").rate, r.sex.row("Female").impact_ratio
    (2.5, 0.5, 1.0)
    """
    median, above = scoring_outcomes(scores)
    return impact_report(
        sex,
        race_ethnicity,
        above,
        rate_kind="scoring",
        exclude_small=exclude_small,
        small_share=small_share,
        threshold=threshold,
        median_score=median,
    )


# --- funnel audit -------------------------------------------------------------------------


@dataclass(frozen=True)
class FunnelPerson:
    """One person's furthest funnel stage and optional self-reported categories."""

    person_id: str
    furthest_stage: str
    sex: str | None = None
    race_ethnicity: str | None = None
    score: float | None = None


@dataclass(frozen=True)
class FunnelTransition:
    """Who, among those who reached ``from_stage``, went on to reach ``to_stage``."""

    from_stage: str
    to_stage: str
    reached: int
    advanced: int
    report: ImpactReport

    def to_dict(self) -> dict[str, Any]:
        return {
            "from_stage": self.from_stage,
            "to_stage": self.to_stage,
            "reached": self.reached,
            "advanced": self.advanced,
            **self.report.to_dict(),
        }


@dataclass(frozen=True)
class FunnelAudit:
    """Counts per stage, an impact report per stage transition, and scoring rates if scored."""

    people: int
    stage_counts: tuple[tuple[str, int], ...]
    transitions: tuple[FunnelTransition, ...]
    scoring: ImpactReport | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "people": self.people,
            "stage_counts": [{"stage": s, "count": n} for s, n in self.stage_counts],
            "transitions": [t.to_dict() for t in self.transitions],
            "scoring": None if self.scoring is None else self.scoring.to_dict(),
        }

    def to_text(self) -> str:
        lines = [f"Funnel audit: {self.people} people", ""]
        width = max(len(s) for s, _ in self.stage_counts)
        lines.append(f"{'stage':<{width}}  {'reached':>7}")
        lines += [f"{s:<{width}}  {n:>7}" for s, n in self.stage_counts]
        if self.scoring is not None:
            lines += ["", "== Scoring rates (score above the whole sample's median) ==", ""]
            lines.append(self.scoring.to_text())
        for t in self.transitions:
            lines += [
                "",
                f"== {t.from_stage} -> {t.to_stage}: {t.advanced} of {t.reached} advanced ==",
                "",
                t.report.to_text(),
            ]
        return "\n".join(lines)


def funnel_audit(
    people: Sequence[FunnelPerson],
    *,
    exclude_small: bool = False,
    small_share: float = SMALL_CATEGORY_SHARE,
    threshold: float = ADVERSE_IMPACT_THRESHOLD,
) -> FunnelAudit:
    """Impact tables for every stage transition of the Match Day funnel.

    For the transition from stage *s* to the next stage, the people considered are those
    whose furthest stage is *s* or later, and "selected" means their furthest stage is
    after *s*. If any person has a score, every person must have one, and the scoring-rate
    report is added.

    Examples
    --------
    >>> audit = funnel_audit([
    ...     FunnelPerson("p1", "hired", "Female", "Asian"),
    ...     FunnelPerson("p2", "proposed", "Male", "White"),
    ... ])
    >>> dict(audit.stage_counts)["approved"], audit.transitions[0].report.sex.row("Male").rate
    (1, 0.0)
    """
    stage_index = {s: i for i, s in enumerate(FUNNEL_STAGES)}
    seen: set[str] = set()
    levels: list[int] = []
    for person in people:
        if person.person_id in seen:
            raise EngineInputError(f"person {person.person_id!r}: duplicate person id")
        seen.add(person.person_id)
        if person.furthest_stage not in stage_index:
            raise EngineInputError(
                f"person {person.person_id!r}: unknown stage {person.furthest_stage!r} "
                f"(expected one of {', '.join(FUNNEL_STAGES)})"
            )
        levels.append(stage_index[person.furthest_stage])
    scored = [p for p in people if p.score is not None]
    if scored and len(scored) != len(people):
        missing = next(p for p in people if p.score is None)
        raise EngineInputError(
            f"person {missing.person_id!r}: no score while other people have one"
        )
    options: dict[str, Any] = {
        "exclude_small": exclude_small,
        "small_share": small_share,
        "threshold": threshold,
    }
    counts = tuple((s, sum(1 for lv in levels if lv >= i)) for i, s in enumerate(FUNNEL_STAGES))
    transitions = []
    for i in range(len(FUNNEL_STAGES) - 1):
        members = [(p, lv) for p, lv in zip(people, levels, strict=True) if lv >= i]
        advanced = [lv > i for _, lv in members]
        report = impact_report(
            [p.sex for p, _ in members],
            [p.race_ethnicity for p, _ in members],
            advanced,
            **options,
        )
        transitions.append(
            FunnelTransition(
                from_stage=FUNNEL_STAGES[i],
                to_stage=FUNNEL_STAGES[i + 1],
                reached=len(members),
                advanced=sum(advanced),
                report=report,
            )
        )
    scoring = None
    if scored:
        scoring = scoring_report(
            [p.sex for p in people],
            [p.race_ethnicity for p in people],
            [float(p.score) for p in people if p.score is not None],
            **options,
        )
    return FunnelAudit(
        people=len(people),
        stage_counts=counts,
        transitions=tuple(transitions),
        scoring=scoring,
    )


# --- exposure control ---------------------------------------------------------------------


class ExposureAllocation(NamedTuple):
    """The optimal proposals under minimum group shares, and what the shares cost.

    Unpacks as ``(proposals, total_score, unconstrained_total)``.
    """

    proposals: tuple[tuple[str, str, float], ...]
    total_score: float
    unconstrained_total: float

    @property
    def cost(self) -> float:
        """Total score given up to meet the shares (unconstrained optimum minus constrained)."""
        return max(0.0, self.unconstrained_total - self.total_score)

    @property
    def cost_share(self) -> float:
        """``cost`` as a fraction of the unconstrained optimum (0 when that is 0)."""
        if self.unconstrained_total <= 0:
            return 0.0
        return self.cost / self.unconstrained_total


def _cap_of(cap: int | Mapping[str, int], key: str, kind: str) -> int:
    value = cap.get(key, None) if isinstance(cap, Mapping) else cap
    if value is None:
        raise EngineInputError(f"{kind} {key!r}: no cap given")
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise EngineInputError(f"{kind} {key!r}: cap must be a non-negative integer, got {value!r}")
    return value


def _solve_mip(
    pairs: Sequence[tuple[str, str, float]],
    candidate_caps: Mapping[str, int],
    role_caps: Mapping[str, int],
    groups: Mapping[str, str] | None,
    min_share: Mapping[str, float],
) -> list[int]:
    """Indices of the chosen pairs of a max-weight b-matching with minimum group shares."""
    from ortools.linear_solver import pywraplp

    solver = pywraplp.Solver.CreateSolver("SCIP")
    if solver is None:  # pragma: no cover - SCIP ships with OR-Tools wheels
        raise RuntimeError("OR-Tools was built without SCIP")
    x = [solver.BoolVar(f"x{i}") for i in range(len(pairs))]
    by_candidate: dict[str, list[int]] = {}
    by_role: dict[str, list[int]] = {}
    for i, (c, r, _) in enumerate(pairs):
        by_candidate.setdefault(c, []).append(i)
        by_role.setdefault(r, []).append(i)
    for c, idx in by_candidate.items():
        if len(idx) > candidate_caps[c]:
            solver.Add(solver.Sum([x[i] for i in idx]) <= candidate_caps[c])
    for r, idx in by_role.items():
        if len(idx) > role_caps[r]:
            solver.Add(solver.Sum([x[i] for i in idx]) <= role_caps[r])
    if groups is not None and min_share:
        everything = solver.Sum(x)
        for g, share in sorted(min_share.items()):
            if share <= 0:
                continue
            members = [x[i] for i, (c, _, _) in enumerate(pairs) if groups[c] == g]
            solver.Add(solver.Sum(members) - share * everything >= 0)
    solver.Maximize(solver.Sum([s * x[i] for i, (_, _, s) in enumerate(pairs)]))
    status = solver.Solve()
    if status != pywraplp.Solver.OPTIMAL:
        raise RuntimeError(f"the exposure-control MIP ended with status {status}, not OPTIMAL")
    return [i for i in range(len(pairs)) if x[i].solution_value() > 0.5]


def allocate_with_exposure(
    pairs: Iterable[tuple[str, str, float]],
    *,
    candidate_cap: int | Mapping[str, int],
    role_cap: int | Mapping[str, int],
    group_of_candidate: Mapping[str, str],
    min_share: Mapping[str, float],
) -> ExposureAllocation:
    """The score-maximising proposals that give each group a minimum share of proposals.

    Solves exactly, as a mixed-integer programme (OR-Tools with SCIP): choose pairs to
    maximise the total score subject to at most ``candidate_cap`` proposals per candidate,
    at most ``role_cap`` per role, only pairs with a positive score, and, for every group
    *g*, ``proposals to members of g >= min_share[g] * all proposals``. The same programme
    without the share constraints gives the unconstrained optimum, so the cost of the
    shares is reported on the same footing.

    Parameters
    ----------
    pairs : iterable of (candidate_id, role_id, score)
        Each eligible pair once; scores must be finite. Pairs scoring 0 or less are never
        proposed.
    candidate_cap, role_cap : int or mapping of id to int
        Caps (K per candidate, M per role), the same for all or given per id.
    group_of_candidate : mapping of candidate id to group
        Every candidate in ``pairs`` needs a group when ``min_share`` is not empty.
    min_share : mapping of group to float
        Minimum share (0..1) of all proposals that must go to members of the group.

    Returns
    -------
    ExposureAllocation
        ``proposals`` sorted by (candidate, role), ``total_score``, ``unconstrained_total``.

    Raises
    ------
    EngineInputError
        Duplicate pairs, non-finite scores, bad caps, shares outside [0, 1] or summing to
        more than 1, a group with a positive share but no candidate with a positive pair.

    Examples
    --------
    >>> pairs = [("a", "r", 0.9), ("b", "r", 0.5)]
    >>> res = allocate_with_exposure(pairs, candidate_cap=1, role_cap=1,
    ...     group_of_candidate={"a": "g1", "b": "g2"}, min_share={"g2": 1.0})
    >>> res.proposals, res.total_score, res.unconstrained_total
    ((('b', 'r', 0.5),), 0.5, 0.9)
    """
    seen: set[tuple[str, str]] = set()
    kept: list[tuple[str, str, float]] = []
    for entry in pairs:
        c, r, s = entry
        if (c, r) in seen:
            raise EngineInputError(f"pair ({c!r}, {r!r}) appears more than once")
        seen.add((c, r))
        score = float(s)
        if not math.isfinite(score):
            raise EngineInputError(f"pair ({c!r}, {r!r}): score is not finite: {s!r}")
        if score > 0:
            kept.append((str(c), str(r), score))
    kept.sort(key=lambda p: (p[0], p[1]))
    candidate_caps = {c: _cap_of(candidate_cap, c, "candidate") for c, _, _ in kept}
    role_caps = {r: _cap_of(role_cap, r, "role") for _, r, _ in kept}
    total_share = 0.0
    for g, share in sorted(min_share.items()):
        if not (math.isfinite(share) and 0.0 <= share <= 1.0):
            raise EngineInputError(f"group {g!r}: min share must be in [0, 1], got {share!r}")
        total_share += share
    if total_share > 1.0 + 1e-12:
        raise EngineInputError(
            f"infeasible shares: minimum shares sum to {total_share:g} > 1 "
            f"({', '.join(f'{g}={s:g}' for g, s in sorted(min_share.items()))})"
        )
    groups: dict[str, str] | None = None
    if min_share:
        groups = {}
        for c, _, _ in kept:
            if c not in group_of_candidate:
                raise EngineInputError(f"candidate {c!r}: no group given")
            groups[c] = group_of_candidate[c]
        for g, share in sorted(min_share.items()):
            reachable = [c for c, _, _ in kept if groups[c] == g and candidate_caps[c] > 0]
            if share > 0 and not reachable:
                raise EngineInputError(
                    f"infeasible shares: group {g!r} needs a share of {share:g} of proposals "
                    f"but none of its candidates has a positive-score pair and a cap above 0"
                )
    free = _solve_mip(kept, candidate_caps, role_caps, None, {})
    chosen = _solve_mip(kept, candidate_caps, role_caps, groups, min_share) if groups else free
    if free and not chosen:
        raise EngineInputError(
            "infeasible shares: they can only be met by proposing no one "
            f"({', '.join(f'{g}={s:g}' for g, s in sorted(min_share.items()))})"
        )
    proposals = tuple(kept[i] for i in chosen)
    return ExposureAllocation(
        proposals=proposals,
        total_score=float(math.fsum(p[2] for p in proposals)),
        unconstrained_total=float(math.fsum(kept[i][2] for i in free)),
    )
