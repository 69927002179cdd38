"""Explanations of a pair score, and their rendering in plain sentences per persona.

An :class:`Explanation` lists the constraints checked, the required and nice-to-have
skills the candidate matched (with their evidence, level and years), the adjacent skills
that earned partial credit and how much, the missing requirements, and each component's
contribution. The contributions add up to the score (exactly in floating point up to
~1e-12; after :meth:`Explanation.to_dict` rounds to 6 decimals, to within 1e-6 per
component).

>>> e = Explanation(candidate_id="c1", role_id="r1", eligible=True, score=0.5,
...     role_fit=0.5, candidate_fit=0.5, constraints=(), skills=(),
...     contributions=(Contribution("required_skills", "role", 1.0, 0.5, 0.5),))
>>> render_sentences(e, audience="partner")[0]
'Score 0.500 (role fit 0.500, candidate fit 0.500); eligible: all hard constraints pass.'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from matchday.engine.vocabulary import GENERIC_MEAN

__all__ = [
    "COMPONENT_LABELS",
    "ConstraintCheck",
    "Contribution",
    "Explanation",
    "SkillCredit",
    "render_sentences",
]

Audience = Literal["candidate", "company", "partner"]

COMPONENT_LABELS: dict[str, str] = {
    "required_skills": "required skills",
    "nice_to_have": "nice-to-have skills",
    "experience": "experience",
    "seniority": "seniority",
    "text_similarity": "profile text vs role text",
    "domain": "domain preference",
    "company_stage": "company stage preference",
    "company_size": "company size preference",
    "pay": "pay headroom",
}


@dataclass(frozen=True, slots=True)
class ConstraintCheck:
    """One hard constraint: its name, whether it passed, and why."""

    name: str
    passed: bool
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "passed": self.passed, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class SkillCredit:
    """How one skill the role asks for was (or was not) met.

    ``kind`` is ``"required"`` or ``"nice_to_have"``. ``match`` is ``"exact"`` (the
    candidate has the skill), ``"name"`` (the same name outside the taxonomy, written
    differently), ``"child"`` (a more specific skill satisfies it), ``"adjacent"`` (a
    related skill earns partial credit at its strength), ``"meaning"`` (a skill whose name
    is close in meaning, outside the taxonomy on at least one side, earns credit at the
    encoder's similarity) or ``"missing"``. ``credit`` = ``strength`` x ``level_factor``
    in [0, 1]. ``informativeness`` in [floor, 1] is how much the requirement counts (below
    1: it is common among the run's profiles and roles, which name it in ``share`` of
    cases); coverage is ``sum(weight x informativeness x credit) / sum(weight)``.
    """

    skill_id: str
    label: str
    kind: str
    min_level: int
    weight: float
    match: str
    via_skill_id: str | None
    via_label: str | None
    strength: float
    level_factor: float
    credit: float
    candidate_level: int | None
    years: float | None
    evidence: str
    informativeness: float = 1.0
    share: float = 0.0

    def to_dict(self, ndigits: int = 6) -> dict[str, Any]:
        return {
            "skill_id": self.skill_id,
            "label": self.label,
            "kind": self.kind,
            "min_level": self.min_level,
            "weight": round(self.weight, ndigits),
            "match": self.match,
            "via_skill_id": self.via_skill_id,
            "via_label": self.via_label,
            "strength": round(self.strength, ndigits),
            "level_factor": round(self.level_factor, ndigits),
            "credit": round(self.credit, ndigits),
            "candidate_level": self.candidate_level,
            "years": None if self.years is None else round(self.years, ndigits),
            "evidence": self.evidence,
            "informativeness": round(self.informativeness, ndigits),
            "share": round(self.share, ndigits),
        }


@dataclass(frozen=True, slots=True)
class Contribution:
    """A score component: its value in [0, 1], its share of the score, and the product.

    ``contribution`` = ``value`` x ``share`` x ``gate``; the shares of an eligible pair sum
    to 1 and the contributions sum to the score. ``gate`` is 1, except for the context
    components (experience, seniority, the candidate's preferences:
    :data:`~matchday.engine.scoring.GATED_COMPONENTS`), which count only as far as the
    role's required skills are met: their gate is the required skills' coverage.
    """

    component: str
    side: str
    value: float
    share: float
    contribution: float
    gate: float = 1.0

    def to_dict(self, ndigits: int = 6) -> dict[str, Any]:
        return {
            "component": self.component,
            "side": self.side,
            "value": round(self.value, ndigits),
            "share": round(self.share, ndigits),
            "gate": round(self.gate, ndigits),
            "contribution": round(self.contribution, ndigits),
        }


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why a (candidate, role) pair scored what it scored."""

    candidate_id: str
    role_id: str
    eligible: bool
    score: float
    role_fit: float
    candidate_fit: float
    constraints: tuple[ConstraintCheck, ...]
    skills: tuple[SkillCredit, ...]
    contributions: tuple[Contribution, ...]
    #: Stated reasons of soft components (e.g. under- or over-qualification).
    notes: tuple[str, ...] = ()

    @property
    def matched(self) -> tuple[SkillCredit, ...]:
        """Skills met by the candidate's own skill or a more specific one."""
        return tuple(s for s in self.skills if s.match in ("exact", "name", "child"))

    @property
    def adjacent(self) -> tuple[SkillCredit, ...]:
        """Skills that earned partial credit through a related skill or one close in meaning."""
        return tuple(s for s in self.skills if s.match in ("adjacent", "meaning"))

    @property
    def missing(self) -> tuple[SkillCredit, ...]:
        """Skills the candidate shows no credit for."""
        return tuple(s for s in self.skills if s.match == "missing")

    @property
    def failed_constraints(self) -> tuple[ConstraintCheck, ...]:
        return tuple(c for c in self.constraints if not c.passed)

    def to_dict(self, ndigits: int = 6) -> dict[str, Any]:
        """A JSON-safe dict with floats rounded to ``ndigits`` decimals."""
        return {
            "candidate_id": self.candidate_id,
            "role_id": self.role_id,
            "eligible": self.eligible,
            "score": round(self.score, ndigits),
            "role_fit": round(self.role_fit, ndigits),
            "candidate_fit": round(self.candidate_fit, ndigits),
            "constraints": [c.to_dict() for c in self.constraints],
            "matched": [s.to_dict(ndigits) for s in self.matched],
            "adjacent": [s.to_dict(ndigits) for s in self.adjacent],
            "missing": [s.to_dict(ndigits) for s in self.missing],
            "contributions": [c.to_dict(ndigits) for c in self.contributions],
            "notes": list(self.notes),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Explanation:
        """Rebuild an explanation from its :meth:`to_dict` form (as stored by the app)."""
        skills = [
            SkillCredit(**s)
            for key in ("matched", "adjacent", "missing")
            for s in data.get(key, [])
        ]
        return cls(
            candidate_id=str(data["candidate_id"]),
            role_id=str(data["role_id"]),
            eligible=bool(data["eligible"]),
            score=float(data["score"]),
            role_fit=float(data["role_fit"]),
            candidate_fit=float(data["candidate_fit"]),
            constraints=tuple(ConstraintCheck(**c) for c in data.get("constraints", [])),
            skills=tuple(skills),
            contributions=tuple(Contribution(**c) for c in data.get("contributions", [])),
            notes=tuple(str(n) for n in data.get("notes", [])),
        )


def _pct(x: float) -> str:
    return f"{round(100 * x)}%"


def _level_note(s: SkillCredit) -> str:
    if s.candidate_level is None:
        return ""
    parts = [f"level {s.candidate_level}"]
    if s.years:
        parts.append(f"{s.years:g} year" + ("" if s.years == 1 else "s"))
    return " (" + ", ".join(parts) + ")"


def _short_level(s: SkillCredit) -> bool:
    return s.level_factor < 1.0


def render_sentences(explanation: Explanation, audience: Audience = "candidate") -> list[str]:  # noqa: C901 - complexity 20, to split into named steps
    """Plain sentences for a candidate, a company member or a talent partner.

    Companies see skills, evidence and the fit only (the shortlist is blind: nothing
    about where the candidate lives or what they asked to be paid beyond "meets the
    band"). Candidates read "you"; partners also get every component's number.
    """
    if audience not in ("candidate", "company", "partner"):
        raise ValueError(f"unknown audience {audience!r}")
    e = explanation
    out: list[str] = []
    required = [s for s in e.skills if s.kind == "required"]
    met = [s for s in required if s.match != "missing"]
    if audience == "partner":
        verdict = (
            "eligible: all hard constraints pass."
            if e.eligible
            else "not eligible: "
            + "; ".join(f"{c.name} failed ({c.reason})" for c in e.failed_constraints)
            + "."
        )
        out.append(
            f"Score {e.score:.3f} (role fit {e.role_fit:.3f}, candidate fit "
            f"{e.candidate_fit:.3f}); {verdict}"
        )
        for c in e.contributions:
            label = COMPONENT_LABELS.get(c.component, c.component)
            gated = f" x required-skill fit {c.gate:.3f}" if c.gate < 1.0 else ""
            out.append(
                f"{label.capitalize()}: {c.value:.3f} x share {c.share:.3f}{gated} = "
                f"{c.contribution:.3f}."
            )
    elif not e.eligible:
        if audience == "candidate":
            out.append(
                "This role does not fit your hard requirements: "
                + "; ".join(c.reason for c in e.failed_constraints)
                + "."
            )
        else:
            out.append("This candidate does not meet the role's hard requirements.")
    elif audience == "candidate":
        out.append(
            f"You meet {len(met)} of the {len(required)} required skills; overall fit "
            f"{_pct(e.score)} (how you fit the role {_pct(e.role_fit)}, how the role fits "
            f"your wishes {_pct(e.candidate_fit)})."
        )
    else:
        out.append(
            f"Meets {len(met)} of {len(required)} required skills; overall fit "
            f"{_pct(e.role_fit)} against the role's requirements."
        )
    you = audience == "candidate"
    for s in e.matched:
        who = "Your" if you else "Their"
        via = f" through {s.via_label}" if s.match == "child" and s.via_label else ""
        line = f"{who} {s.label}{via}{_level_note(s)} meets the {s.kind.replace('_', '-')} skill"
        if _short_level(s):
            line += f", below the requested level {s.min_level} ({_pct(s.credit)} credit)"
        line += "."
        if s.evidence and audience != "candidate":
            line += f' Evidence: "{s.evidence}"'
        out.append(line)
    for s in e.adjacent:
        who = "Your" if you else "Their"
        line = f"{who} {s.via_label} experience counts {_pct(s.credit)} towards {s.label}"
        if s.match == "meaning":
            line += f" (matched by meaning: {s.label} ≈ {s.via_label}, similarity {s.strength:.2f}"
        else:
            line += f" (related at {_pct(s.strength)}"
        if _short_level(s):
            line += f", level below the requested {s.min_level}"
        line += ")."
        if s.evidence and audience != "candidate":
            line += f' Evidence: "{s.evidence}"'
        out.append(line)
    for s in e.missing:
        kind = "required" if s.kind == "required" else "nice-to-have"
        if you:
            out.append(
                f"The role asks for {s.label} (level {s.min_level}, {kind}), which is not on "
                "your profile."
            )
        else:
            out.append(f"Missing {kind} skill: {s.label} (level {s.min_level}).")
    if e.eligible:
        out.extend(e.notes)
    generic = [s for s in e.skills if s.informativeness < 1.0]
    if generic:
        listed = ", ".join(
            f"{s.label} counts {_pct(s.informativeness)} (named by {_pct(s.share)})"
            for s in generic
        )
        out.append(
            f"Down-weighted as generic, being common among this run's profiles and roles: {listed}."
        )
        for kind, name in (("required", "required"), ("nice_to_have", "nice-to-have")):
            items = [s for s in e.skills if s.kind == kind]
            total = sum(s.weight for s in items)
            effective = sum(s.weight * s.informativeness for s in items)
            if total > 0 and effective / total < GENERIC_MEAN:
                out.append(
                    f"The role's {name} skills are mostly generic, so their coverage counts at "
                    f"most {_pct(effective / total / GENERIC_MEAN)}."
                )
    if audience == "partner":
        for check in e.constraints:
            mark = "passed" if check.passed else "FAILED"
            out.append(f"Constraint {check.name} {mark}: {check.reason}.")
    elif audience == "candidate" and e.eligible:
        checked = ", ".join(c.name.replace("_", " ") for c in e.constraints)
        out.append(f"Checked against your requirements: {checked}.")
        pay = next((c for c in e.constraints if c.name == "pay"), None)
        if pay is not None:
            out.append(pay.reason[0].upper() + pay.reason[1:] + ".")
    elif audience == "company" and e.eligible:
        out.append(
            "Meets the role's pay band, location, work authorisation, role type and "
            "level requirements."
        )
    return out
