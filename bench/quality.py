"""Ranking quality on the hand-labelled set (tests/engine/data/quality/).

    .venv/bin/python bench/quality.py

Prints precision@3 and NDCG@5 per role (ranking candidates) and per candidate (ranking
roles), macro-averaged, for the engine's score and, in the same run, for a baseline that
ranks by the Jaccard overlap of skill ids (candidate skills vs role required + nice-to-have,
no constraints). Labels: 2 strong fit, 1 plausible, 0 otherwise (gain 2^grade - 1).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

from matchday.engine.batch import score_matrix
from matchday.engine.cli_score import parse_input
from matchday.engine.encoder import get_encoder
from matchday.engine.taxonomy import load_taxonomy

DATA = Path(__file__).resolve().parent.parent / "tests" / "engine" / "data" / "quality"


def precision_at(ranked: list[int], grades: dict[int, int], k: int) -> float:
    return sum(1 for x in ranked[:k] if grades.get(x, 0) > 0) / k


def ndcg_at(ranked: list[int], grades: dict[int, int], k: int) -> float:
    dcg = sum((2 ** grades.get(x, 0) - 1) / math.log2(r + 2) for r, x in enumerate(ranked[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(r + 2) for r, g in enumerate(ideal))
    return dcg / idcg if idcg > 0 else 0.0


def rank(scores: np.ndarray) -> list[int]:
    # stable: ties keep input order
    return [int(i) for i in np.argsort(-scores, kind="stable")]


def evaluate(matrix: np.ndarray, labels: dict[tuple[int, int], int]) -> dict[str, float]:
    n, m = matrix.shape
    out: dict[str, list[float]] = {
        "role_p@3": [],
        "role_ndcg@5": [],
        "cand_p@3": [],
        "cand_ndcg@5": [],
    }
    for j in range(m):
        grades = {i: g for (i, jj), g in labels.items() if jj == j}
        if grades:
            ranked = rank(matrix[:, j])
            out["role_p@3"].append(precision_at(ranked, grades, 3))
            out["role_ndcg@5"].append(ndcg_at(ranked, grades, 5))
    for i in range(n):
        grades = {j: g for (ii, j), g in labels.items() if ii == i}
        if grades:
            ranked = rank(matrix[i, :])
            out["cand_p@3"].append(precision_at(ranked, grades, 3))
            out["cand_ndcg@5"].append(ndcg_at(ranked, grades, 5))
    return {k: float(np.mean(v)) for k, v in out.items()} | {
        "roles": len(out["role_p@3"]),
        "candidates": len(out["cand_p@3"]),
    }


def main() -> None:
    doc = json.loads((DATA / "input.json").read_text())
    raw_labels = json.loads((DATA / "labels.json").read_text())["grades"]
    tax = load_taxonomy()
    cands, roles, rates, weights = parse_input(doc, tax)
    ci = {c.id: i for i, c in enumerate(cands)}
    rj = {r.id: j for j, r in enumerate(roles)}
    labels = {(ci[c], rj[r]): g for r, gs in raw_labels.items() for c, g in gs.items()}

    eligible, scores = score_matrix(
        cands, roles, taxonomy=tax, encoder=get_encoder(), rates=rates, weights=weights
    )
    engine = np.where(eligible, scores, -1.0)
    jac = np.zeros((len(cands), len(roles)))
    for i, c in enumerate(cands):
        cs = {s.skill_id for s in c.skills}
        for j, r in enumerate(roles):
            rs = {s.skill_id for s in (*r.required_skills, *r.nice_to_have)}
            jac[i, j] = len(cs & rs) / len(cs | rs) if cs | rs else 0.0

    rows = [("engine", evaluate(engine, labels)), ("jaccard baseline", evaluate(jac, labels))]
    print(
        f"labelled pairs: {len(labels)} relevant of {len(cands)} x {len(roles)}; "
        f"eligible pairs: {int(eligible.sum())}"
    )
    print(
        f"{'ranking':<18} {'role P@3':>9} {'role NDCG@5':>12} {'cand P@3':>9} {'cand NDCG@5':>12}"
    )
    for name, r in rows:
        print(
            f"{name:<18} {r['role_p@3']:>9.3f} {r['role_ndcg@5']:>12.3f} "
            f"{r['cand_p@3']:>9.3f} {r['cand_ndcg@5']:>12.3f}"
        )
    print(
        f"(macro over {rows[0][1]['roles']} roles and {rows[0][1]['candidates']} candidates "
        "with at least one relevant pair; P@3 is capped by 1-2 relevant per role: max "
        f"{np.mean([min(3, len(g)) / 3 for g in raw_labels.values()]):.3f})"
    )


if __name__ == "__main__":
    main()
