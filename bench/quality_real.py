"""Ranking quality on both labelled sets: the engine and the baselines in one run (issue 13).

    .venv/bin/python bench/quality_real.py [--markdown] [--dump-input PATH]

Sets: ``tests/engine/data/quality_real/`` (60 JSON Resume candidates x 40 JobPosting roles,
all pairs graded 0-3, see its README) and ``tests/engine/data/quality/`` (30 x 15 in the
engine's own format; its grades 2/1/unlisted are read as 3/2/0 so that one scale serves
both).

Rankings, each in both directions (a role ranks candidates, a candidate ranks roles):

- ``engine``: the current engine (``score_matrix``); only eligible pairs are retrieved, as
  the CLI and the app return only those. Its input for the real set is built the way an
  integrator builds it (``engine_input``): résumés go through the product's own JSON Resume
  import, skill names that are not in the taxonomy are kept (``--closed-vocabulary`` drops
  them, as the engine once required), job titles are given and the engine infers the
  level (``engine.seniority``), years come from job dates.
- ``bm25``: Okapi BM25 (rank-bm25) of the role's whole text against each candidate's whole
  text, and the other way round.
- ``cosine``: the engine's current encoder alone, on the engine's text vectors (its fields
  combined, ``engine.texts``: achievements, summary, experience and skills vs. role text
  and requirements) and on whole texts.
- ``jaccard``: overlap of skill names, each reduced to its taxonomy id when it has one and
  to its normalised name otherwise (so unknown names still count here).
- ``..., eligible pairs only``: the same baseline, retrieving only the pairs the engine finds
  eligible: what the engine's soft score adds over its own hard constraints.

Metrics (macro averages): NDCG@10 with gain 2^grade - 1 over the query's retrieved list
(queries with a pair graded above 0); precision@3 and recall@50 with "relevant" = grade
>= 2 (queries with a relevant pair; a list shorter than 3 counts its empty places as
misses); and the number of grade-0 pairs shown in any top 10 and any top 3 (all queries).
Ties keep input order.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt
from rank_bm25 import BM25Okapi

from matchday.engine.batch import encode_texts, score_matrix
from matchday.engine.cli_score import parse_input
from matchday.engine.encoder import TextEncoder, get_encoder
from matchday.engine.seniority import level_from_title
from matchday.engine.taxonomy import Taxonomy, load_taxonomy, name_key
from matchday.engine.types import LEVELS
from matchday.engine.vocabulary import SkillFrequencies
from matchday.imports.jsonresume import LEVEL_WORDS, import_document

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "tests" / "engine" / "data" / "quality_real"
OLD = ROOT / "tests" / "engine" / "data" / "quality"
# The set's "today": years of experience run to it, time zones are read at it.
REFERENCE_DATE = date(2026, 11, 15)
RATES = {"base": "USD", "to_base": {"EUR": 1.08, "GBP": 1.27, "CAD": 0.73, "INR": 0.012}}
ACHIEVEMENT_PARTS = ("title", "problem", "constraints", "options", "decision", "result")
RELEVANT = 2  # grade from which a pair counts as relevant for precision and recall

F = npt.NDArray[np.float64]


# ---------------------------------------------------------------- metrics


def ndcg_at(ranked: Sequence[int], grades: dict[int, int], k: int) -> float:
    """NDCG@k with gain 2^grade - 1; the ideal list is drawn from all of ``grades``.

    >>> round(ndcg_at([2, 0, 1], {0: 3, 1: 0, 2: 1}, 3), 4)
    0.7098
    """
    dcg = sum((2 ** grades.get(x, 0) - 1) / math.log2(r + 2) for r, x in enumerate(ranked[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(r + 2) for r, g in enumerate(ideal))
    return dcg / idcg if idcg > 0 else 0.0


def precision_at(ranked: Sequence[int], grades: dict[int, int], k: int) -> float:
    """Share of the first ``k`` places holding a pair graded >= RELEVANT (empty = miss)."""
    return sum(1 for x in ranked[:k] if grades.get(x, 0) >= RELEVANT) / k


def recall_at(ranked: Sequence[int], grades: dict[int, int], k: int) -> float:
    relevant = {x for x, g in grades.items() if g >= RELEVANT}
    return len(relevant & set(ranked[:k])) / len(relevant) if relevant else 0.0


def ranked_list(scores: npt.ArrayLike, retrieved: npt.ArrayLike | None = None) -> list[int]:
    """Indices of the retrieved items, best score first; ties keep input order."""
    s = np.asarray(scores, dtype=np.float64)
    idx = np.arange(len(s)) if retrieved is None else np.flatnonzero(retrieved)
    return [int(i) for i in idx[np.argsort(-s[idx], kind="stable")]]


METRICS = ("ndcg@10", "p@3", "r@50", "zeros@10", "zeros@3")


def evaluate(scores: F, retrieved: npt.NDArray[np.bool_] | None, grades: F) -> dict[str, float]:
    """Metrics of both directions for an N x M score matrix against N x M grades."""
    out: dict[str, float] = {}
    for side, s, r, g in (
        ("role", scores.T, None if retrieved is None else retrieved.T, grades.T),
        ("cand", scores, retrieved, grades),
    ):
        ndcg, prec, rec, zeros10, zeros3 = [], [], [], 0, 0
        for q in range(s.shape[0]):
            qg = {i: int(v) for i, v in enumerate(g[q])}
            ranked = ranked_list(s[q], None if r is None else r[q])
            zeros10 += sum(1 for i in ranked[:10] if qg[i] == 0)
            zeros3 += sum(1 for i in ranked[:3] if qg[i] == 0)
            if max(qg.values()) > 0:
                ndcg.append(ndcg_at(ranked, qg, 10))
            if max(qg.values()) >= RELEVANT:
                prec.append(precision_at(ranked, qg, 3))
                rec.append(recall_at(ranked, qg, 50))
        out |= {
            f"{side} ndcg@10": float(np.mean(ndcg)),
            f"{side} p@3": float(np.mean(prec)),
            f"{side} r@50": float(np.mean(rec)),
            f"{side} zeros@10": zeros10,
            f"{side} zeros@3": zeros3,
        }
    return out


# ---------------------------------------------------------------- the real set


@dataclass(frozen=True)
class LabelledSet:
    name: str
    candidate_ids: list[str]
    role_ids: list[str]
    grades: F  # candidates x roles
    engine_doc: dict[str, Any]  # score input
    candidate_text: list[str]  # whole texts
    role_text: list[str]
    candidate_skills: list[set[str]]  # skill keys for Jaccard
    role_skills: list[set[str]]
    notes: list[str]


def load_grades(path: Path, candidate_ids: list[str], role_ids: list[str]) -> F:
    ci = {c: i for i, c in enumerate(candidate_ids)}
    rj = {r: j for j, r in enumerate(role_ids)}
    grades = np.full((len(ci), len(rj)), np.nan)
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            grades[ci[row["candidate_id"]], rj[row["role_id"]]] = int(row["grade"])
    if np.isnan(grades).any():
        raise ValueError(f"{path}: {int(np.isnan(grades).sum())} pairs have no grade")
    return grades


def parse_date(value: str | None) -> date | None:
    """``2021``, ``2021-03`` or ``2021-03-04`` (JSON Resume's partial ISO dates)."""
    if not value:
        return None
    parts = [int(p) for p in value.split("-")]
    return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def years_from_work(work: Iterable[dict[str, Any]], today: date = REFERENCE_DATE) -> float:
    """Years covered by dated jobs (overlaps counted once); undated jobs count nothing."""
    spans = sorted(
        (start, parse_date(w.get("endDate")) or today)
        for w in work
        if (start := parse_date(w.get("startDate"))) is not None
    )
    days, reach = 0, None
    for start, end in spans:
        start = max(start, reach) if reach else start
        if end > start:
            days += (end - start).days
        reach = max(reach, end) if reach else end
    return round(days / 365.25, 1)


def neighbours(level: str) -> list[str]:
    i = LEVELS.index(level)
    return list(LEVELS[max(0, i - 1) : i + 2])


def utc_offset(zone: str, day: date = REFERENCE_DATE) -> float:
    moment = datetime(day.year, day.month, day.day, 12, tzinfo=UTC).astimezone(ZoneInfo(zone))
    offset = moment.utcoffset()
    assert offset is not None
    return offset.total_seconds() / 3600


def skill_names(value: str | list[str] | None) -> list[str]:
    if not value:
        return []
    items = value.split(",") if isinstance(value, str) else value
    return [s.strip() for s in items if s.strip()]


def resume_skill_names(doc: dict[str, Any]) -> list[str]:
    return [n for g in doc.get("skills", []) for n in (g.get("name", ""), *g.get("keywords", []))]


def _years_required(req: Any) -> tuple[float, float | None]:
    if isinstance(req, dict) and "monthsOfExperience" in req:
        return req["monthsOfExperience"] / 12, None
    text = str(req or "")
    if m := re.search(r"(\d+)\s*-\s*(\d+)\s*years", text):
        return float(m[1]), float(m[2])
    if m := re.search(r"(\d+)\+?\s*years", text):
        return float(m[1]), None
    return 0.0, None


def candidate_fields(doc: dict[str, Any], achievements: str) -> dict[str, str]:
    """The candidate's texts by field (the encoder comparison embeds them one by one)."""
    basics = doc["basics"]
    work = "\n".join(
        "\n".join(
            [
                f"{w.get('position', '')} at {w.get('name', '')}",
                w.get("summary", ""),
                *w.get("highlights", []),
            ]
        ).strip()
        for w in doc.get("work", [])
    )
    return {
        "achievements": achievements,
        "summary": f"{basics.get('label', '')}. {basics.get('summary', '')}".strip(),
        "experience": work,
        "skills": ", ".join(resume_skill_names(doc)),
    }


def role_fields(doc: dict[str, Any]) -> dict[str, str]:
    """The role's texts by field; ``description`` is what the app gives the engine."""
    ext = doc.get("matchday", {})
    description = "\n".join(  # as matchdays.adapters.role_text
        t for t in (doc["title"], doc.get("description", ""), doc.get("responsibilities", "")) if t
    )
    requirements = ", ".join(skill_names(doc.get("skills")) + ext.get("nice_to_have", []))
    return {
        "description": description,
        "title": doc["title"],
        "requirements": "\n".join(t for t in (requirements, doc.get("qualifications", "")) if t),
    }


def engine_candidate(
    doc: dict[str, Any], tax: Taxonomy, open_vocabulary: bool = True
) -> tuple[dict[str, Any], str]:
    """One engine candidate from a résumé, through the product's JSON Resume import."""
    ext = doc["meta"]["matchday"]
    prefs = ext["profile"]
    draft = import_document(doc)
    achievements = "\n\n".join(
        "\n".join(a[p] for p in ACHIEVEMENT_PARTS if a[p]) for a in draft["achievements"]
    )
    work = doc.get("work", [])
    years = years_from_work(work)
    # titles most recent first (current jobs, then by end date): the engine infers the level
    titles = [
        w.get("position", "")
        for w in sorted(work, key=lambda w: (not w.get("endDate"), w.get("endDate") or ""))[::-1]
        if w.get("position")
    ]
    location = doc["basics"]["location"]
    fields = candidate_fields(doc, achievements)
    skills = [
        {"skill": s["skill_id"], "level": s["level"], "evidence": s["evidence"]}
        for s in draft["skills"]
    ]
    if open_vocabulary:
        # names the taxonomy does not know, kept as given with their group's level (the
        # import's own rule for known names); the engine matches them by name and meaning
        # (the import keeps unknown names itself since the open-vocabulary import: compare
        # by name key, so a name is never listed twice)
        seen = {name_key(s["skill"]) for s in skills}
        for group in doc.get("skills", []):
            level_name = (group.get("level") or "").strip().lower()
            level = LEVEL_WORDS.get(level_name, 3)
            for name in (group.get("name", ""), *group.get("keywords", [])):
                if name and tax.normalize(name, suggest=False).skill_id is None:
                    key = name_key(name)
                    if key and key not in seen:
                        seen.add(key)
                        skills.append({"skill": name, "level": level, "evidence": ""})
    out: dict[str, Any] = {
        "id": ext["id"],
        "skills": skills,
        "years_experience": years,
        "titles": titles,
        "country": location["countryCode"],
        "city": location.get("city", ""),
        "timezone": utc_offset(prefs["timezone"]),
        "remote_preference": prefs["remote_preference"],
        "work_authorization": prefs.get("work_authorization", []),
        "acceptable_countries": prefs.get("acceptable_countries", []),
        "acceptable_cities": prefs.get("acceptable_cities", []),
        "role_types": prefs.get("role_types", []),
        "domains": prefs.get("domains", []),
        "achievements_text": achievements,
        "summary_text": fields["summary"],
        "experience_text": fields["experience"],
    }
    if "min_pay_amount" in prefs:
        out["min_pay"] = {
            "amount": prefs["min_pay_amount"],
            "currency": prefs["min_pay_currency"],
            "period": prefs["min_pay_period"],
        }
    return out, achievements


def engine_role(
    doc: dict[str, Any], tax: Taxonomy, open_vocabulary: bool = True
) -> tuple[dict[str, Any], list[str]]:
    """One engine role from a posting; returns it and the skill names the taxonomy does not
    know (kept as given with ``open_vocabulary``, else dropped)."""
    ext = doc.get("matchday", {})
    dropped: list[str] = []

    def known(names: list[str], min_level: int) -> list[dict[str, Any]]:
        out, seen = [], set()
        for name in names:
            skill_id = tax.normalize(name, suggest=False).skill_id
            if skill_id is None:
                dropped.append(name)
                if open_vocabulary and name_key(name) not in seen:
                    seen.add(name_key(name))
                    out.append({"skill": name, "min_level": min_level})
            elif skill_id not in seen:
                seen.add(skill_id)
                out.append({"skill": skill_id, "min_level": min_level})
        return out

    years_min, years_max = _years_required(doc.get("experienceRequirements"))
    # a level the title states is the role's, open to the neighbouring levels; otherwise the
    # engine infers one from years and text and filters on nothing (seniority stays soft)
    stated = level_from_title(doc["title"])
    salary = doc["baseSalary"]
    period = salary["value"]["unitText"].lower()
    remote = doc.get("jobLocationType") == "TELECOMMUTE"
    if remote:
        wanted = doc.get("applicantLocationRequirements", [])
        countries = [c["name"] for c in wanted if c["name"] != "Worldwide"]
        cities: list[str] = []
    else:
        places = doc["jobLocation"]
        places = places if isinstance(places, list) else [places]
        countries = sorted({p["address"]["addressCountry"] for p in places})
        cities = sorted({p["address"]["addressLocality"] for p in places})
    role: dict[str, Any] = {
        "id": doc["identifier"]["value"],
        "company_id": doc["hiringOrganization"]["name"],
        "title": doc["title"],
        **({"level": stated, "allowed_levels": neighbours(stated)} if stated else {}),
        "role_type": ext["role_type"],
        "location_policy": "remote" if remote else ext.get("location_policy", "onsite"),
        "allowed_countries": countries,
        "cities": cities,
        "required_skills": known(skill_names(doc.get("skills")), 1),
        "nice_to_have": known(ext.get("nice_to_have", []), 1),
        "years_min": years_min,
        "years_max": years_max,
        "pay_band_min": {
            "amount": salary["value"]["minValue"],
            "currency": salary["currency"],
            "period": period,
        },
        "pay_band_max": {
            "amount": salary["value"]["maxValue"],
            "currency": salary["currency"],
            "period": period,
        },
        "domains": ext.get("domains", []),
        "company_stage": ext.get("company_stage", ""),
        "description": role_fields(doc)["description"],
    }
    if "timezone_range" in ext:
        role["timezone_range"] = ext["timezone_range"]
    return role, dropped


def skill_key(name: str, tax: Taxonomy) -> str:
    return tax.normalize(name, suggest=False).skill_id or name_key(name)


def load_real(
    tax: Taxonomy, open_vocabulary: bool = True
) -> tuple[LabelledSet, dict[str, list[dict[str, str]]]]:
    """The real set as engine input, whole texts and skill keys; also per-field texts."""
    candidates = json.loads((REAL / "candidates.json").read_text(encoding="utf-8"))
    roles = json.loads((REAL / "roles.json").read_text(encoding="utf-8"))
    built = [engine_candidate(c, tax, open_vocabulary) for c in candidates]
    role_built = [engine_role(r, tax, open_vocabulary) for r in roles]
    cand_names = [resume_skill_names(c) for c in candidates]
    role_names = [
        skill_names(r.get("skills")) + r.get("matchday", {}).get("nice_to_have", []) for r in roles
    ]
    unknown_c = sum(
        1 for names in cand_names for n in names if tax.normalize(n, suggest=False).skill_id is None
    )
    unknown_r = sum(len(d) for _, d in role_built)
    cf = [candidate_fields(c, a) for c, (_, a) in zip(candidates, built, strict=True)]
    rf = [role_fields(r) for r in roles]
    doc = {"rates": RATES, "candidates": [c for c, _ in built], "roles": [r for r, _ in role_built]}
    cids = [c["id"] for c, _ in built]
    rids = [r["id"] for r, _ in role_built]
    notes = [
        f"skill names outside the taxonomy {'kept' if open_vocabulary else 'dropped'}: "
        f"{unknown_c} of {sum(map(len, cand_names))} in résumés, {unknown_r} of "
        f"{sum(map(len, role_names))} in postings",
    ]
    return LabelledSet(
        name="real 60x40",
        candidate_ids=cids,
        role_ids=rids,
        grades=load_grades(REAL / "labels.csv", cids, rids),
        engine_doc=doc,
        candidate_text=["\n".join(f.values()) for f in cf],
        role_text=["\n".join(f.values()) for f in rf],
        candidate_skills=[{skill_key(n, tax) for n in names} for names in cand_names],
        role_skills=[{skill_key(n, tax) for n in names} for names in role_names],
        notes=notes,
    ), {"candidates": cf, "roles": rf}


def load_old() -> LabelledSet:
    """The 30 x 15 set (engine format); grades 2/1/unlisted read as 3/2/0."""
    doc = json.loads((OLD / "input.json").read_text(encoding="utf-8"))
    raw = json.loads((OLD / "labels.json").read_text(encoding="utf-8"))["grades"]
    cids = [c["id"] for c in doc["candidates"]]
    rids = [r["id"] for r in doc["roles"]]
    grades = np.zeros((len(cids), len(rids)))
    for r, gs in raw.items():
        for c, g in gs.items():
            grades[cids.index(c), rids.index(r)] = {2: 3, 1: 2}[g]

    def skills_text(items: list[dict[str, Any]]) -> str:
        return ", ".join(s["skill"] for s in items)

    return LabelledSet(
        name="old 30x15",
        candidate_ids=cids,
        role_ids=rids,
        grades=grades,
        engine_doc=doc,
        candidate_text=[
            f"{c['achievements_text']}\n{skills_text(c['skills'])}" for c in doc["candidates"]
        ],
        role_text=[
            f"{r['title']}\n{r['description']}\n"
            f"{skills_text(r['required_skills'] + r['nice_to_have'])}"
            for r in doc["roles"]
        ],
        candidate_skills=[{s["skill"] for s in c["skills"]} for c in doc["candidates"]],
        role_skills=[
            {s["skill"] for s in r["required_skills"] + r["nice_to_have"]} for r in doc["roles"]
        ],
        notes=[],
    )


# ---------------------------------------------------------------- rankers


def tokens(text: str) -> list[str]:
    return re.findall(r"[a-z0-9][a-z0-9+#]*", text.lower())


def bm25_matrix(candidate_text: list[str], role_text: list[str], *, roles_query: bool) -> F:
    """N x M BM25 scores: roles as queries over candidates, or candidates over roles."""
    ct, rt = [tokens(t) for t in candidate_text], [tokens(t) for t in role_text]
    if roles_query:
        index = BM25Okapi(ct)
        return np.stack([index.get_scores(q) for q in rt], axis=1)
    index = BM25Okapi(rt)
    return np.stack([index.get_scores(q) for q in ct], axis=0)


def cosine_matrix(encoder: TextEncoder, left: list[str], right: list[str]) -> F:
    return np.asarray(encoder.encode(left) @ encoder.encode(right).T, dtype=np.float64)


def jaccard_matrix(left: list[set[str]], right: list[set[str]]) -> F:
    return np.array([[len(a & b) / len(a | b) if a | b else 0.0 for b in right] for a in left])


def engine_scores(doc: dict[str, Any], tax: Taxonomy) -> tuple[npt.NDArray[np.bool_], F]:
    cands, roles, rates, weights = parse_input(doc, tax)
    eligible, scores = score_matrix(
        cands,
        roles,
        taxonomy=tax,
        encoder=get_encoder(),
        rates=rates,
        weights=weights,
        frequencies=SkillFrequencies.of(tax, cands, roles),  # as curate and the CLI do
    )
    return eligible, scores.astype(np.float64)


def rankings(s: LabelledSet, tax: Taxonomy) -> list[tuple[str, dict[str, float]]]:
    eligible, engine = engine_scores(s.engine_doc, tax)
    enc = get_encoder()
    # the engine's own text vectors (its fields combined, engine.texts)
    cands, roles, _, _ = parse_input(s.engine_doc, tax)
    c_emb, r_emb = encode_texts(enc, cands, roles)
    bm_r = bm25_matrix(s.candidate_text, s.role_text, roles_query=True)
    bm_c = bm25_matrix(s.candidate_text, s.role_text, roles_query=False)
    cos_fields = np.asarray(c_emb @ r_emb.T, dtype=np.float64)
    cos_whole = cosine_matrix(enc, s.candidate_text, s.role_text)
    jac = jaccard_matrix(s.candidate_skills, s.role_skills)

    def both(role_side: F, cand_side: F, retrieved: npt.NDArray[np.bool_] | None) -> dict:
        r = evaluate(role_side, retrieved, s.grades)
        c = evaluate(cand_side, retrieved, s.grades)
        return {k: v for k, v in r.items() if k.startswith("role")} | {
            k: v for k, v in c.items() if k.startswith("cand")
        }

    rows = [
        ("the grades themselves (ceiling)", evaluate(s.grades, s.grades > 0, s.grades)),
        ("engine", evaluate(engine, eligible, s.grades)),
    ]
    for suffix, mask in (("", None), (", eligible pairs only", eligible)):
        rows += [
            (f"bm25{suffix}", both(bm_r, bm_c, mask)),
            (f"cosine, engine fields{suffix}", evaluate(cos_fields, mask, s.grades)),
            (f"cosine, whole texts{suffix}", evaluate(cos_whole, mask, s.grades)),
            (f"jaccard of skills{suffix}", evaluate(jac, mask, s.grades)),
        ]
    return rows


COLUMNS = (
    ("role NDCG@10", "role ndcg@10", "{:.3f}"),
    ("cand NDCG@10", "cand ndcg@10", "{:.3f}"),
    ("role P@3", "role p@3", "{:.3f}"),
    ("cand P@3", "cand p@3", "{:.3f}"),
    ("role R@50", "role r@50", "{:.3f}"),
    ("cand R@50", "cand r@50", "{:.3f}"),
    ("0s in top 10 (role/cand)", ("role zeros@10", "cand zeros@10"), "{:d}/{:d}"),
    ("0s in top 3 (role/cand)", ("role zeros@3", "cand zeros@3"), "{:d}/{:d}"),
)


def cell(row: dict[str, float], key: str | tuple[str, str], fmt: str) -> str:
    if isinstance(key, tuple):
        return fmt.format(*(int(row[k]) for k in key))
    return fmt.format(row[key])


def table(results: list[tuple[str, list[tuple[str, dict[str, float]]]]], markdown: bool) -> str:
    head = ["set", "ranking", *(c[0] for c in COLUMNS)]
    lines = []
    for set_name, rows in results:
        for name, row in rows:
            lines.append([set_name, name, *(cell(row, k, f) for _, k, f in COLUMNS)])
    if markdown:
        out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        out += ["| " + " | ".join(line) + " |" for line in lines]
        return "\n".join(out)
    widths = [max(len(str(x[i])) for x in [head, *lines]) for i in range(len(head))]
    fmt = "  ".join(f"{{:<{w}}}" if i < 2 else f"{{:>{w}}}" for i, w in enumerate(widths))
    return "\n".join(fmt.format(*line) for line in [head, *lines])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--dump-input", type=Path, help="write the real set's engine input here")
    parser.add_argument(
        "--closed-vocabulary",
        action="store_true",
        help="drop skill names outside the taxonomy (the engine's input before issue 13)",
    )
    args = parser.parse_args(argv)
    tax = load_taxonomy()
    real, _ = load_real(tax, open_vocabulary=not args.closed_vocabulary)
    if args.dump_input:
        args.dump_input.write_text(json.dumps(real.engine_doc, indent=1, sort_keys=True) + "\n")
    old = load_old()
    results = [(real.name, rankings(real, tax)), (old.name, rankings(old, tax))]
    for s in (real, old):
        relevant = int((s.grades >= RELEVANT).sum())
        print(
            f"{s.name}: {len(s.candidate_ids)} candidates x {len(s.role_ids)} roles, "
            f"{relevant} pairs graded >= {RELEVANT}, {int((s.grades == 0).sum())} graded 0"
        )
        for note in s.notes:
            print(f"  {note}")
    print(table(results, args.markdown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
