"""Explained scoring of one (candidate, role) pair: hard constraints first, then soft fit.

This is the reference path: plain Python, one pair at a time, easy to read. The batch
path (:mod:`matchday.engine.batch`) computes the same numbers for N x M pairs with numpy,
and a property test holds the two together.

Model (weights in :class:`ScoringWeights`, documented in ``docs/engine-scoring.md``):

* **Hard constraints** (:func:`check_constraints`): pay, remote arrangement, location,
  timezone, work authorisation, role type, level, and every preference the candidate
  marked as a dealbreaker. Any failure makes the pair ineligible (score 0).
* **Role fit** (does the candidate meet the role?): weighted required-skill coverage,
  nice-to-have coverage, experience fit, and text similarity between achievements and the
  role description. A skill's credit is ``strength x level_factor``: strength 1 for the
  skill itself or a more specific (child) skill, the adjacency strength for a related
  skill; the level factor loses ``level_step`` per level short of the minimum.
* **Candidate fit** (does the role meet the candidate's wishes?): domain, company stage,
  company size and pay headroom, weighted by the candidate's preference weights; only
  the wishes the candidate expressed count.
* **Score** = ``role_side x role_fit + candidate_side x candidate_fit``, normalised; the
  candidate side drops out for a candidate who expressed no wishes.

>>> from matchday.engine.types import Candidate, Money, Rates, Role, RequiredSkill, SkillClaim
>>> cand = Candidate("c1", (SkillClaim("pytorch", 4, 3.0),), 5.0, "senior", "DE")
>>> role = Role("r1", "co1", "ML engineer", "senior", "ml_engineering",
...     Money(90000, "EUR"), Money(120000, "EUR"), (RequiredSkill("pytorch", 3),))
>>> [c.name for c in check_constraints(cand, role, Rates("EUR")) if not c.passed]
[]
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from matchday.engine.explain import ConstraintCheck, Contribution, Explanation, SkillCredit
from matchday.engine.io import EngineInputError
from matchday.engine.texts import candidate_texts, combined_vectors, role_texts
from matchday.engine.types import Candidate, Money, Rates, RequiredSkill, Role, level_ordinal
from matchday.engine.vocabulary import (
    GENERIC_MEAN,
    OpenVocabulary,
    base_targets,
    informativeness,
    open_vocabulary,
)

__all__ = [
    "ACCEPTED_POLICIES",
    "CANDIDATE_COMPONENTS",
    "GATED_COMPONENTS",
    "ROLE_COMPONENTS",
    "ConstraintCheck",
    "PairScore",
    "ScoringWeights",
    "SkillGraph",
    "TextEncoder",
    "add_in_order",
    "check_constraints",
    "experience_fit",
    "level_factor",
    "pay_headroom",
    "score_pair",
    "seniority_fit",
    "similarity_rows",
    "skill_targets",
    "specificity_cap",
]

#: Which role location policies each candidate ``remote_preference`` accepts.
ACCEPTED_POLICIES: dict[str, frozenset[str]] = {
    "remote": frozenset({"remote"}),
    "hybrid": frozenset({"remote", "hybrid"}),
    "onsite": frozenset({"remote", "hybrid", "onsite"}),
}
ROLE_COMPONENTS: tuple[str, ...] = (
    "required_skills",
    "nice_to_have",
    "experience",
    "seniority",
    "text_similarity",
)
CANDIDATE_COMPONENTS: tuple[str, ...] = ("domain", "company_stage", "company_size", "pay")
#: Components that count only as far as the role's required skills are met ("context
#: gating"): years, level and the candidate's wishes make a relevant pair better; they do
#: not make an irrelevant one relevant. Their contribution is share x value x the required
#: skills' coverage (the gate); a role without required skills gates nothing.
GATED_COMPONENTS: frozenset[str] = frozenset(("experience", "seniority", *CANDIDATE_COMPONENTS))
_MATCH_RANK = {"exact": 0, "name": 1, "child": 2, "adjacent": 3, "meaning": 4}


class SkillGraph(Protocol):
    """What scoring needs from :class:`matchday.engine.taxonomy.Taxonomy`."""

    @property
    def by_id(self) -> Mapping[str, Any]: ...

    def ancestors(self, skill_id: str) -> frozenset[str]: ...

    def related(self, skill_id: str) -> Mapping[str, float]: ...


class TextEncoder(Protocol):
    """What scoring needs from :func:`matchday.engine.encoder.get_encoder`."""

    def encode(self, texts: list[str]) -> npt.NDArray[np.float32]: ...


@dataclass(frozen=True, slots=True)
class ScoringWeights:
    """Every weight and shape parameter of the score, with the defaults in use.

    Role side: ``required_skills``, ``nice_to_have``, ``experience``, ``seniority``,
    ``text_similarity`` (relative weights; a role without nice-to-have skills renormalises
    over the rest). ``seniority`` fit loses ``underqualified_step`` per level the candidate
    is below the role's level and ``overqualified_step`` per level above it.
    Sides: ``role_side`` and ``candidate_side`` (relative). Shapes: ``level_step`` credit
    lost per level short of the minimum; ``overqualified_years`` over the role's maximum
    that cost ``overqualified_floor``'s complement at most; ``pay_headroom_full`` the band
    maximum above the candidate's minimum, as a fraction of it, that counts as full
    headroom; ``default_preference_weight`` for a wish without an explicit weight.

    >>> ScoringWeights().required_skills
    0.55
    """

    required_skills: float = 0.55
    nice_to_have: float = 0.1
    experience: float = 0.15
    seniority: float = 0.1
    text_similarity: float = 0.2
    role_side: float = 0.7
    candidate_side: float = 0.3
    level_step: float = 0.25
    underqualified_step: float = 0.35
    overqualified_step: float = 0.25
    overqualified_years: float = 10.0
    overqualified_floor: float = 0.5
    pay_headroom_full: float = 0.25
    default_preference_weight: float = 1.0

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            if not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
                raise EngineInputError(f"weight {name} must be a finite number >= 0, got {value}")
        if self.experience + self.text_similarity <= 0:
            raise EngineInputError("weights experience and text_similarity cannot both be 0")
        if self.role_side <= 0:
            raise EngineInputError("weight role_side must be positive")
        if self.overqualified_years <= 0 or self.pay_headroom_full <= 0:
            raise EngineInputError("overqualified_years and pay_headroom_full must be positive")
        if (
            max(
                self.overqualified_floor,
                self.level_step,
                self.underqualified_step,
                self.overqualified_step,
            )
            > 1
        ):
            raise EngineInputError(
                "overqualified_floor, level_step, underqualified_step and overqualified_step "
                "must be at most 1"
            )

    def to_dict(self) -> dict[str, float]:
        return {k: float(v) for k, v in asdict(self).items()}


@dataclass(frozen=True, slots=True)
class PairScore:
    """The score of one pair with both sides and its explanation."""

    candidate_id: str
    role_id: str
    eligible: bool
    score: float
    role_fit: float
    candidate_fit: float
    explanation: Explanation


# -- hard constraints ----------------------------------------------------------------


def _fmt_money(amount: float, currency: str, period: str = "year") -> str:
    return f"{amount:,.0f} {currency}/{period}"


def _fmt_given(money: Money) -> str:
    return _fmt_money(money.amount, money.currency, money.period)


def _names(values: frozenset[str]) -> str:
    return ", ".join(sorted(values)) or "none"


def check_constraints(candidate: Candidate, role: Role, rates: Rates) -> list[ConstraintCheck]:
    """Check every hard constraint of a pair, each with a reason whether it passes or not.

    Always checks, in this order: ``pay`` (candidate minimum vs band maximum, or band
    minimum if pay is a dealbreaker, after currency and period conversion), ``remote``
    (arrangement), ``location``, ``timezone``, ``work_authorization``, ``role_type``,
    ``level``; then ``domain``, ``company_stage`` and ``company_size`` when the
    candidate marked them as dealbreakers.

    Examples
    --------
    >>> from matchday.engine.types import Candidate, Money, Rates, Role
    >>> cand = Candidate("c1", (), 5.0, "senior", "DE", min_pay=Money(150000, "USD"))
    >>> role = Role("r1", "co1", "SRE", "senior", "sre", Money(90000, "EUR"),
    ...     Money(120000, "EUR"))
    >>> check_constraints(cand, role, Rates("USD", {"EUR": 1.1}))[0].passed
    False
    """
    checks: list[ConstraintCheck] = []
    db = candidate.dealbreakers

    # pay
    if candidate.min_pay is None:
        checks.append(ConstraintCheck("pay", True, "no minimum pay was given"))
    else:
        want = rates.annual_base(candidate.min_pay)
        use_min = "pay" in db
        bound_money = role.pay_band_min if use_min else role.pay_band_max
        bound = rates.annual_base(bound_money)
        which = "band minimum" if use_min else "band maximum"
        both = (
            f"{which} {_fmt_given(bound_money)} ({_fmt_money(bound, rates.base)}) vs minimum "
            f"pay {_fmt_given(candidate.min_pay)} ({_fmt_money(want, rates.base)})"
        )
        if want <= bound:
            checks.append(ConstraintCheck("pay", True, f"the {both}: meets it"))
        else:
            checks.append(ConstraintCheck("pay", False, f"the {both}: below it"))

    # remote arrangement
    accepted = ACCEPTED_POLICIES[candidate.remote_preference]
    ok = role.location_policy in accepted
    checks.append(
        ConstraintCheck(
            "remote",
            ok,
            f"the role is {role.location_policy} and the candidate asks for "
            f"{candidate.remote_preference}"
            + ("" if ok else f", which accepts only {_names(accepted)}"),
        )
    )

    # location
    reach = candidate.reachable_countries
    if role.location_policy == "remote" or not role.cities:
        if not role.allowed_countries:
            checks.append(ConstraintCheck("location", True, "the role may be done from anywhere"))
        else:
            common = reach & role.allowed_countries
            ok = bool(common)
            reason = (
                f"the role allows {_names(role.allowed_countries)}; the candidate is in or "
                f"would move to {_names(reach)}"
            )
            checks.append(ConstraintCheck("location", ok, reason))
    else:
        common = candidate.reachable_cities & role.cities
        reason = (
            f"the office is in {_names(role.cities)}; the candidate is in or would move to "
            f"{_names(candidate.reachable_cities)}"
        )
        checks.append(ConstraintCheck("location", bool(common), reason))

    # timezone (remote roles with a range)
    if role.location_policy == "remote" and role.timezone_range is not None:
        lo, hi = role.timezone_range
        ok = lo <= candidate.timezone <= hi
        checks.append(
            ConstraintCheck(
                "timezone",
                ok,
                f"the role wants UTC{lo:+g}..UTC{hi:+g}; the candidate is at "
                f"UTC{candidate.timezone:+g}",
            )
        )
    else:
        checks.append(ConstraintCheck("timezone", True, "the role sets no timezone range"))

    # work authorisation
    auth = candidate.authorized_countries
    if role.location_policy == "remote":
        where = reach & auth
        if role.allowed_countries:
            where &= role.allowed_countries
        ok = bool(where)
        reason = (
            f"remote work from a country the candidate lives in or would move to and is "
            f"authorised in ({_names(where)})"
            if ok
            else f"the candidate is authorised in {_names(auth)}, none of which is a place "
            "they would work from that the role allows"
        )
    else:
        where = auth & role.allowed_countries
        ok = bool(where)
        reason = (
            f"the office countries are {_names(role.allowed_countries)}; the candidate is "
            f"authorised in {_names(auth)}"
        )
    checks.append(ConstraintCheck("work_authorization", ok, reason))

    # role type
    if not candidate.role_types:
        checks.append(ConstraintCheck("role_type", True, "the candidate accepts any role type"))
    else:
        ok = role.role_type in candidate.role_types
        checks.append(
            ConstraintCheck(
                "role_type",
                ok,
                f"the role is {role.role_type}; the candidate wants {_names(candidate.role_types)}",
            )
        )

    # level (a level inferred from titles and years is no hard filter)
    ok = candidate.level_inferred or candidate.level in role.allowed_levels
    checks.append(
        ConstraintCheck(
            "level",
            ok,
            f"the role is open to {', '.join(role.allowed_levels)}; the candidate is "
            f"{candidate.level}"
            + (
                ", inferred from titles and years, so not a hard filter"
                if candidate.level_inferred
                else ""
            ),
        )
    )

    # dealbreakers beyond the always-hard ones
    if "domain" in db:
        common = candidate.domains & role.domains if candidate.domains else role.domains | {"*"}
        ok = bool(common)
        checks.append(
            ConstraintCheck(
                "domain",
                ok,
                f"dealbreaker: the role's domains are {_names(role.domains)}; the candidate "
                f"wants {_names(candidate.domains) if candidate.domains else 'any'}",
            )
        )
    for name, value, wanted in (
        ("company_stage", role.company_stage, candidate.company_stages),
        ("company_size", role.company_size, candidate.company_sizes),
    ):
        if name in db:
            ok = not wanted or value in wanted
            checks.append(
                ConstraintCheck(
                    name,
                    ok,
                    f"dealbreaker: the company's {name.split('_')[1]} is {value or 'unknown'}; "
                    f"the candidate wants {_names(wanted) if wanted else 'any'}",
                )
            )
    return checks


# -- soft components -----------------------------------------------------------------


def level_factor(level: int, min_level: int, step: float) -> float:
    """Credit kept by a skill at ``level`` for a requirement of ``min_level``.

    >>> level_factor(2, 4, 0.25)
    0.5
    """
    return max(0.0, 1.0 - step * max(0, min_level - level))


def experience_fit(
    years: float, years_min: float, years_max: float | None, w: ScoringWeights
) -> float:
    """1 inside the role's range; ``years / years_min`` below; a mild cut above.

    >>> experience_fit(2.0, 4.0, None, ScoringWeights())
    0.5
    """
    below = 1.0 if years_min <= 0 else min(1.0, years / years_min)
    over = 0.0 if years_max is None else max(0.0, years - years_max)
    cut = min(1.0 - w.overqualified_floor, over / w.overqualified_years)
    return below * (1.0 - cut)


def seniority_fit(candidate_level: int, role_level: int, w: ScoringWeights) -> float:
    """1 at the role's level; less per level below (under-qualified) or above (over-).

    >>> seniority_fit(3, 2, ScoringWeights()), seniority_fit(0, 2, ScoringWeights())
    (0.75, 0.30000000000000004)
    """
    gap = candidate_level - role_level
    step = w.overqualified_step if gap > 0 else w.underqualified_step
    return max(0.0, 1.0 - step * abs(gap))


def seniority_note(candidate: Candidate, role: Role, fit: float) -> str:
    """The stated reason of the seniority fit, e.g. "staff for a senior role: over-qualified
    by 1 level (fit 75%)"."""
    gap = level_ordinal(candidate.level) - level_ordinal(role.level)
    if gap == 0:
        return f"{candidate.level} for a {role.level} role: the role's level"
    kind = "over" if gap > 0 else "under"
    levels = f"{abs(gap)} level" + ("" if abs(gap) == 1 else "s")
    return (
        f"{candidate.level} for a {role.level} role: {kind}-qualified by {levels} "
        f"(fit {round(100 * fit)}%)"
    )


def pay_headroom(want: float, band_max: float, w: ScoringWeights) -> float:
    """How far the band maximum clears the candidate's minimum, in [0, 1].

    >>> pay_headroom(100000.0, 125000.0, ScoringWeights())
    1.0
    """
    if want <= 0:
        return 1.0
    return min(1.0, max(0.0, (band_max - want) / (w.pay_headroom_full * want)))


def skill_targets(taxonomy: SkillGraph, skill_id: str) -> dict[str, tuple[float, str]]:
    """The skills that ``skill_id`` gives credit to: ``{target: (strength, match)}``.

    Itself (``exact``, 1), its ancestors (``child``: a child skill satisfies its parent,
    1), and related skills (``adjacent``, at their strength). Stronger matches win. With an
    :class:`~matchday.engine.vocabulary.OpenVocabulary`, also names outside the taxonomy:
    the same name (``name``, 1) and links by meaning (``meaning``, at their similarity).
    """
    if isinstance(taxonomy, OpenVocabulary):
        return taxonomy.targets(skill_id)
    return base_targets(taxonomy, skill_id)


def _label(taxonomy: SkillGraph, skill_id: str) -> str:
    skill = taxonomy.by_id.get(skill_id)
    return str(getattr(skill, "label", skill_id)) if skill is not None else skill_id


def _credit_skills(
    candidate: Candidate,
    wanted: Sequence[RequiredSkill],
    kind: str,
    taxonomy: SkillGraph,
    w: ScoringWeights,
) -> list[SkillCredit]:
    targets = [(claim, skill_targets(taxonomy, claim.skill_id)) for claim in candidate.skills]
    out: list[SkillCredit] = []
    for req in wanted:
        inform = informativeness(taxonomy, req.skill_id)
        share = taxonomy.share(req.skill_id) if isinstance(taxonomy, OpenVocabulary) else 0.0
        best: tuple[float, int, int] | None = None
        best_item: SkillCredit | None = None
        for order, (claim, reach) in enumerate(targets):
            hit = reach.get(req.skill_id)
            if hit is None:
                continue
            strength, match = hit
            lf = level_factor(claim.level, req.min_level, w.level_step)
            credit = strength * lf
            key = (-credit, _MATCH_RANK[match], order)
            if credit > 0 and (best is None or key < best):
                best = key
                best_item = SkillCredit(
                    skill_id=req.skill_id,
                    label=_label(taxonomy, req.skill_id),
                    kind=kind,
                    min_level=req.min_level,
                    weight=float(req.weight),
                    match=match,
                    via_skill_id=None if match == "exact" else claim.skill_id,
                    via_label=None if match == "exact" else _label(taxonomy, claim.skill_id),
                    strength=strength,
                    level_factor=lf,
                    credit=credit,
                    candidate_level=claim.level,
                    years=float(claim.years),
                    evidence=claim.evidence,
                    informativeness=inform,
                    share=share,
                )
        if best_item is None:
            best_item = SkillCredit(
                skill_id=req.skill_id,
                label=_label(taxonomy, req.skill_id),
                kind=kind,
                min_level=req.min_level,
                weight=float(req.weight),
                match="missing",
                via_skill_id=None,
                via_label=None,
                strength=0.0,
                level_factor=0.0,
                credit=0.0,
                candidate_level=None,
                years=None,
                evidence="",
                informativeness=inform,
                share=share,
            )
        out.append(best_item)
    return out


def add_in_order(values: Iterable[float]) -> float:
    """Left-to-right float sum: the one summation order of every total in the score.

    Python's ``sum`` compensates rounding (3.12+) and numpy reductions sum pairwise; the
    vectorised path (:mod:`matchday.engine.batch`) adds column after column, so both paths
    use plain left-to-right addition and agree to the last bit, not just to ~1e-16.

    >>> add_in_order([0.1, 0.2, 0.3])
    0.6000000000000001
    """
    total = 0.0
    for value in values:
        total += value
    return total


def _coverage(items: Sequence[SkillCredit]) -> float:
    total = add_in_order(s.weight for s in items)
    effective = add_in_order(s.weight * s.informativeness for s in items)
    if total <= 0 or effective <= 0:
        return 0.0
    return (
        add_in_order(s.weight * s.informativeness * s.credit for s in items)
        / effective
        * specificity_cap(effective, total)
    )


def specificity_cap(effective: float, total: float) -> float:
    """The most a role's skill coverage can be: 1, or less when its requirements are mostly
    generic (mean informativeness ``effective / total`` below ``GENERIC_MEAN``).

    >>> specificity_cap(1.0, 4.0)
    0.5
    """
    return min(1.0, effective / total / GENERIC_MEAN)


def similarity_rows(
    cand_vecs: npt.NDArray[np.float32], role_vecs: npt.NDArray[np.float32]
) -> npt.NDArray[np.float64]:
    """Row-wise cosine of L2-normalised embeddings in float64, clipped at 0.

    One definition for one pair and for a million: each row is reduced on its own (the
    same pairwise summation whatever the number of rows), so the batch path and
    :func:`text_similarity` give identical values.
    """
    prod = np.asarray(cand_vecs, dtype=np.float64) * np.asarray(role_vecs, dtype=np.float64)
    return np.asarray(np.maximum(prod.sum(axis=1), 0.0), dtype=np.float64)


def text_similarity(cand_vec: npt.NDArray[np.float32], role_vec: npt.NDArray[np.float32]) -> float:
    """Cosine of two L2-normalised embeddings, clipped at 0 (a zero row gives 0)."""
    return float(similarity_rows(cand_vec[None, :], role_vec[None, :])[0])


def candidate_preference_weights(candidate: Candidate, w: ScoringWeights) -> dict[str, float]:
    """The candidate-side components this candidate expressed, with their weights."""
    expressed = {
        "domain": bool(candidate.domains),
        "company_stage": bool(candidate.company_stages),
        "company_size": bool(candidate.company_sizes),
        "pay": candidate.min_pay is not None,
    }
    out: dict[str, float] = {}
    for name in CANDIDATE_COMPONENTS:
        weight = float(candidate.preference_weights.get(name, w.default_preference_weight))
        if expressed[name] and weight > 0:
            out[name] = weight
    return out


def role_component_weights(role: Role, w: ScoringWeights) -> dict[str, float]:
    """The role-side components this role has, with their weights."""
    out: dict[str, float] = {}
    if role.required_skills and w.required_skills > 0:
        out["required_skills"] = w.required_skills
    if role.nice_to_have and w.nice_to_have > 0:
        out["nice_to_have"] = w.nice_to_have
    if w.experience > 0:
        out["experience"] = w.experience
    if w.seniority > 0:
        out["seniority"] = w.seniority
    if w.text_similarity > 0:
        out["text_similarity"] = w.text_similarity
    return out


def score_pair_vectors(
    candidate: Candidate,
    role: Role,
    cand_vec: npt.NDArray[np.float32],
    role_vec: npt.NDArray[np.float32],
    *,
    taxonomy: SkillGraph,
    rates: Rates,
    weights: ScoringWeights,
) -> PairScore:
    """:func:`score_pair` with the two texts already encoded (used by the batch path)."""
    w = weights
    checks = check_constraints(candidate, role, rates)
    eligible = all(c.passed for c in checks)
    skills = _credit_skills(candidate, role.required_skills, "required", taxonomy, w)
    skills += _credit_skills(candidate, role.nice_to_have, "nice_to_have", taxonomy, w)

    role_values = {
        "required_skills": _coverage([s for s in skills if s.kind == "required"]),
        "nice_to_have": _coverage([s for s in skills if s.kind == "nice_to_have"]),
        "experience": experience_fit(candidate.years_experience, role.years_min, role.years_max, w),
        "seniority": seniority_fit(level_ordinal(candidate.level), level_ordinal(role.level), w),
        "text_similarity": text_similarity(cand_vec, role_vec),
    }
    role_w = role_component_weights(role, w)
    role_total = add_in_order(role_w.values())
    role_fit = add_in_order(role_w[c] * role_values[c] for c in role_w) / role_total

    cand_values: dict[str, float] = {}
    cand_w = candidate_preference_weights(candidate, w)
    if "domain" in cand_w:
        cand_values["domain"] = 1.0 if candidate.domains & role.domains else 0.0
    if "company_stage" in cand_w:
        cand_values["company_stage"] = (
            1.0 if role.company_stage in candidate.company_stages else 0.0
        )
    if "company_size" in cand_w:
        cand_values["company_size"] = 1.0 if role.company_size in candidate.company_sizes else 0.0
    if "pay" in cand_w and candidate.min_pay is not None:
        cand_values["pay"] = pay_headroom(
            rates.annual_base(candidate.min_pay), rates.annual_base(role.pay_band_max), w
        )
    cand_total = add_in_order(cand_w.values())
    candidate_fit = (
        add_in_order(cand_w[c] * cand_values[c] for c in cand_w) / cand_total
        if cand_total > 0
        else 1.0
    )

    side_c = w.candidate_side if cand_total > 0 else 0.0
    role_share = w.role_side / (w.role_side + side_c)
    cand_share = side_c / (w.role_side + side_c)

    contributions: list[Contribution] = []
    score = 0.0
    gate = role_values["required_skills"] if "required_skills" in role_w else 1.0
    if eligible:
        for c in ROLE_COMPONENTS:
            if c in role_w:
                share = role_share * role_w[c] / role_total
                g = gate if c in GATED_COMPONENTS else 1.0
                contributions.append(
                    Contribution(c, "role", role_values[c], share, share * role_values[c] * g, g)
                )
        for c in CANDIDATE_COMPONENTS:
            if c in cand_w:
                share = cand_share * cand_w[c] / cand_total
                contributions.append(
                    Contribution(
                        c, "candidate", cand_values[c], share, share * cand_values[c] * gate, gate
                    )
                )
        score = add_in_order(c.contribution for c in contributions)
    explanation = Explanation(
        candidate_id=candidate.id,
        role_id=role.id,
        eligible=eligible,
        score=score,
        role_fit=role_fit,
        candidate_fit=candidate_fit,
        constraints=tuple(checks),
        skills=tuple(skills),
        contributions=tuple(contributions),
        notes=(
            (f"Seniority: {seniority_note(candidate, role, role_values['seniority'])}.",)
            if "seniority" in role_w
            else ()
        ),
    )
    return PairScore(candidate.id, role.id, eligible, score, role_fit, candidate_fit, explanation)


def score_pair(
    candidate: Candidate,
    role: Role,
    *,
    taxonomy: SkillGraph,
    encoder: TextEncoder,
    rates: Rates,
    weights: ScoringWeights | None = None,
) -> PairScore:
    """Score one pair and explain it.

    Returns a :class:`PairScore` whose ``score`` is 0 when a hard constraint fails, and
    otherwise the sum of the explanation's contributions, in [0, 1].

    Examples
    --------
    >>> from matchday.engine.encoder import get_encoder
    >>> from matchday.engine.taxonomy import load_taxonomy
    >>> from matchday.engine.types import (Candidate, Money, Rates, Role, RequiredSkill,
    ...     SkillClaim)
    >>> cand = Candidate("c1", (SkillClaim("jax", 4, 3.0),), 5.0, "senior", "DE")
    >>> role = Role("r1", "co1", "ML engineer", "senior", "ml_engineering",
    ...     Money(90000, "EUR"), Money(120000, "EUR"), (RequiredSkill("pytorch", 3),))
    >>> ps = score_pair(cand, role, taxonomy=load_taxonomy(), encoder=get_encoder(),
    ...     rates=Rates("EUR"))
    >>> ps.eligible, [s.match for s in ps.explanation.skills]
    (True, ['adjacent'])
    """
    w = weights or ScoringWeights()
    c_vec = combined_vectors(encoder, [candidate_texts(candidate)])
    r_vec = combined_vectors(encoder, [role_texts(role)])
    vecs = (c_vec[0], r_vec[0])
    graph = open_vocabulary(taxonomy, [candidate], [role], encoder)
    return score_pair_vectors(
        candidate, role, vecs[0], vecs[1], taxonomy=graph, rates=rates, weights=w
    )
