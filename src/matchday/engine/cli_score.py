"""``python -m matchday.engine score INPUT.json``: scored, explained (candidate, role) pairs.

Reads candidates, roles and exchange rates (``schemas/score-input.schema.json``), scores
every pair, keeps the top-k per role and per candidate, and writes them with their
explanations (``schemas/score-output.schema.json``; see ``docs/engine-format.md``).
Skills may be given by taxonomy id or any alias; a name the taxonomy does not know is kept
as given and matched by name and by meaning (``docs/engine-scoring.md``, "Open
vocabulary"); only a name with no letters or digits, or longer than 120 characters, exits
with code 2 naming the entry.
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jsonschema

from matchday.engine import ENGINE_VERSION
from matchday.engine.batch import score_batch
from matchday.engine.explain import render_sentences
from matchday.engine.io import EngineInputError, input_hash, read_json, write_json
from matchday.engine.scoring import ScoringWeights
from matchday.engine.seniority import infer_level
from matchday.engine.taxonomy import MAX_NAME_CHARS, Taxonomy, load_taxonomy, name_key
from matchday.engine.types import (
    LEVELS,
    Candidate,
    Money,
    Rates,
    RequiredSkill,
    Role,
    SkillClaim,
)
from matchday.engine.vocabulary import SkillFrequencies, clean_name

__all__ = ["add_parser", "parse_input", "run", "score_document"]

SCHEMA_DIR = Path(__file__).parent / "schemas"
NDIGITS = 6


@functools.cache
def _schema(name: str) -> dict[str, Any]:
    with open(SCHEMA_DIR / f"{name}.schema.json", encoding="utf-8") as fh:
        schema: dict[str, Any] = json.load(fh)
    return schema


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "score",
        help="score and explain every eligible (candidate, role) pair",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("input", metavar="INPUT.json")
    parser.add_argument("--top-k-per-role", type=int, default=50)
    parser.add_argument("--top-k-per-candidate", type=int, default=10)
    parser.add_argument(
        "--audience",
        choices=("candidate", "company", "partner"),
        default="partner",
        help="who the 'sentences' of each pair are written for (default: partner)",
    )
    parser.add_argument("-o", "--output", metavar="OUT.json", help="default: stdout")
    parser.set_defaults(func=run)


def _where(kind: str, index: int, raw: Mapping[str, Any]) -> str:
    return f"{kind}[{index}] (id {raw.get('id')!r})"


def _money(raw: Mapping[str, Any]) -> Money:
    return Money(int(raw["amount"]), str(raw["currency"]), raw.get("period", "year"))


def _skill(tax: Taxonomy, name: str, where: str) -> str:
    """The taxonomy id of ``name``, or the name itself (cleaned) when the taxonomy does not
    know it: unknown skills are kept and matched by name and meaning
    (:mod:`matchday.engine.vocabulary`). Only a name that cannot be a skill is refused."""
    result = tax.normalize(name, suggest=False)
    if result.skill_id is not None:
        return result.skill_id
    if not name_key(name) or len(name) > MAX_NAME_CHARS:
        raise EngineInputError(f"{where}: not a skill name {name!r}: {tax.normalize(name).reason}")
    return clean_name(name)


def _candidate(tax: Taxonomy, raw: Mapping[str, Any], where: str) -> Candidate:
    claims = []
    for k, item in enumerate(raw["skills"]):
        skill_id = _skill(tax, item["skill"], f"{where} skills[{k}]")
        claims.append(
            SkillClaim(
                skill_id,
                item["level"],
                float(item.get("years", 0.0)),
                item.get("evidence", ""),
            )
        )
    min_pay = raw.get("min_pay")
    level = raw.get("level")
    inferred = level is None
    if level is None:
        level = infer_level(
            raw.get("titles", []), float(raw["years_experience"]), raw.get("achievements_text", "")
        )[0]
    return Candidate(
        id=raw["id"],
        skills=tuple(claims),
        years_experience=float(raw["years_experience"]),
        level=level,
        country=raw["country"],
        city=raw.get("city", ""),
        timezone=float(raw.get("timezone", 0.0)),
        remote_preference=raw.get("remote_preference", "remote"),
        acceptable_countries=frozenset(raw.get("acceptable_countries", ())),
        acceptable_cities=frozenset(raw.get("acceptable_cities", ())),
        work_authorization=frozenset(raw.get("work_authorization", ())),
        role_types=frozenset(raw.get("role_types", ())),
        domains=frozenset(raw.get("domains", ())),
        company_stages=frozenset(raw.get("company_stages", ())),
        company_sizes=frozenset(raw.get("company_sizes", ())),
        min_pay=None if min_pay is None else _money(min_pay),
        dealbreakers=frozenset(raw.get("dealbreakers", ())),
        preference_weights=dict(raw.get("preference_weights", {})),
        achievements_text=raw.get("achievements_text", ""),
        summary_text=raw.get("summary_text", ""),
        experience_text=raw.get("experience_text", ""),
        level_inferred=inferred,
    )


def _requirements(
    tax: Taxonomy, items: list[Mapping[str, Any]], where: str
) -> tuple[RequiredSkill, ...]:
    return tuple(
        RequiredSkill(
            _skill(tax, item["skill"], f"{where}[{k}]"),
            item.get("min_level", 1),
            float(item.get("weight", 1.0)),
        )
        for k, item in enumerate(items)
    )


def _role(tax: Taxonomy, raw: Mapping[str, Any], where: str) -> Role:
    tz = raw.get("timezone_range")
    years_max = raw.get("years_max")
    return Role(
        id=raw["id"],
        company_id=raw["company_id"],
        title=raw["title"],
        level=raw.get("level")
        or infer_level(
            [raw["title"]],
            float(raw["years_min"]) or None if "years_min" in raw else None,
            raw.get("description", ""),
        )[0],
        role_type=raw["role_type"],
        pay_band_min=_money(raw["pay_band_min"]),
        pay_band_max=_money(raw["pay_band_max"]),
        required_skills=_requirements(
            tax, raw.get("required_skills", []), f"{where} required_skills"
        ),
        nice_to_have=_requirements(tax, raw.get("nice_to_have", []), f"{where} nice_to_have"),
        # a level the engine had to infer is no hard filter: open to every level unless told
        allowed_levels=tuple(raw.get("allowed_levels", () if "level" in raw else LEVELS)),
        domains=frozenset(raw.get("domains", ())),
        company_stage=raw.get("company_stage", ""),
        company_size=raw.get("company_size", ""),
        location_policy=raw.get("location_policy", "remote"),
        allowed_countries=frozenset(raw.get("allowed_countries", ())),
        timezone_range=None if tz is None else (float(tz[0]), float(tz[1])),
        cities=frozenset(raw.get("cities", ())),
        years_min=float(raw.get("years_min", 0.0)),
        years_max=None if years_max is None else float(years_max),
        description=raw.get("description", ""),
    )


def parse_input(
    doc: Any, taxonomy: Taxonomy | None = None
) -> tuple[list[Candidate], list[Role], Rates, ScoringWeights]:
    """Validate a score-input document and build the engine's dataclasses.

    Raises :class:`EngineInputError` naming the entry (``candidates[3] (id 'c4')
    skills[1]: not a skill name '+++' ...``).
    """
    tax = taxonomy or load_taxonomy()
    validator = jsonschema.Draft202012Validator(_schema("score-input"))
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        err = errors[0]
        path = "/".join(str(p) for p in err.absolute_path) or "(top level)"
        raise EngineInputError(f"{path}: {err.message}")
    rates_raw = doc["rates"]
    rates = Rates(
        base=rates_raw["base"],
        to_base=dict(rates_raw.get("to_base", {})),
        **{
            k: float(rates_raw[k])
            for k in ("hours_per_year", "days_per_year", "months_per_year")
            if k in rates_raw
        },
    )
    try:
        weights = ScoringWeights(**doc.get("weights", {}))
    except TypeError as exc:
        raise EngineInputError(f"weights: {exc}") from None
    candidates: list[Candidate] = []
    roles: list[Role] = []
    builders: tuple[tuple[str, Any, Any, list[Any]], ...] = (
        ("candidates", doc["candidates"], _candidate, candidates),
        ("roles", doc["roles"], _role, roles),
    )
    for kind, items, build, out in builders:
        seen: set[str] = set()
        for index, raw in enumerate(items):
            where = _where(kind, index, raw)
            if raw["id"] in seen:
                raise EngineInputError(f"{where}: duplicate id")
            seen.add(raw["id"])
            try:
                out.append(build(tax, raw, where))
            except EngineInputError as exc:
                msg = str(exc)
                raise EngineInputError(
                    msg if msg.startswith(where) else f"{where}: {msg}"
                ) from None
    # every currency must convert: fail here, naming the entry, not mid-scoring
    for index, cand in enumerate(candidates):
        if cand.min_pay is not None and cand.min_pay.currency not in rates.to_base:
            raise EngineInputError(
                f"candidates[{index}] (id {cand.id!r}) min_pay: no exchange rate for "
                f"{cand.min_pay.currency!r}"
            )
    for index, role in enumerate(roles):
        if role.pay_band_max.currency not in rates.to_base:
            raise EngineInputError(
                f"roles[{index}] (id {role.id!r}) pay band: no exchange rate for "
                f"{role.pay_band_max.currency!r}"
            )
    return candidates, roles, rates, weights


def score_document(
    doc: Any,
    *,
    top_k_per_role: int = 50,
    top_k_per_candidate: int = 10,
    audience: str = "partner",
    taxonomy: Taxonomy | None = None,
    encoder: Any = None,
) -> dict[str, Any]:
    """The scored-pairs document for a score-input document (what the CLI writes)."""
    tax = taxonomy or load_taxonomy()
    enc = encoder
    if enc is None:
        from matchday.engine.encoder import get_encoder

        enc = get_encoder()
    candidates, roles, rates, weights = parse_input(doc, tax)
    result = score_batch(
        candidates,
        roles,
        taxonomy=tax,
        frequencies=SkillFrequencies.of(tax, candidates, roles),
        encoder=enc,
        rates=rates,
        weights=weights,
        top_k_per_role=top_k_per_role,
        top_k_per_candidate=top_k_per_candidate,
        explain=True,
    )
    rank_role = {
        (p.candidate_id, p.role_id): p.rank for ps in result.top_by_role.values() for p in ps
    }
    rank_cand = {
        (p.candidate_id, p.role_id): p.rank for ps in result.top_by_candidate.values() for p in ps
    }
    pairs: list[dict[str, Any]] = []
    for key, ps in result.explained.items():
        pairs.append(
            {
                "candidate_id": ps.candidate_id,
                "role_id": ps.role_id,
                "score": round(ps.score, NDIGITS),
                "role_fit": round(ps.role_fit, NDIGITS),
                "candidate_fit": round(ps.candidate_fit, NDIGITS),
                "eligible": ps.eligible,
                "rank_in_role": rank_role.get(key),
                "rank_for_candidate": rank_cand.get(key),
                "explanation": ps.explanation.to_dict(NDIGITS),
                "sentences": render_sentences(ps.explanation, audience),  # type: ignore[arg-type]
            }
        )
    pairs.sort(key=lambda p: (p["role_id"], -p["score"], p["candidate_id"]))
    return {
        "engine_version": ENGINE_VERSION,
        "input_hash": input_hash(doc),
        "kind": "scored-pairs",
        "encoder": str(getattr(enc, "name", type(enc).__name__)),
        "taxonomy_version": str(getattr(tax, "version", "")),
        "audience": audience,
        "weights": weights.to_dict(),
        "options": {
            "top_k_per_role": top_k_per_role,
            "top_k_per_candidate": top_k_per_candidate,
        },
        "counts": {
            "candidates": len(candidates),
            "roles": len(roles),
            "pairs_scored": result.pairs_scored,
            "eligible_pairs": result.eligible_pairs,
            "pairs_returned": len(pairs),
        },
        "pairs": pairs,
    }


def run(args: argparse.Namespace) -> int:
    if args.top_k_per_role < 0 or args.top_k_per_candidate < 0:
        raise EngineInputError("--top-k-per-role and --top-k-per-candidate must be >= 0")
    doc = read_json(args.input)
    out = score_document(
        doc,
        top_k_per_role=args.top_k_per_role,
        top_k_per_candidate=args.top_k_per_candidate,
        audience=args.audience,
    )
    if args.output and args.output != "-":
        with open(args.output, "w", encoding="utf-8") as fh:
            write_json(out, fh)
    else:
        write_json(out, sys.stdout)
    return 0
