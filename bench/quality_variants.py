"""Where the engine's grade-0 pairs in top-3 lists come from, and what would remove them.

    .venv/bin/python bench/quality_variants.py [--markdown]

On issue 13's labelled set (``tests/engine/data/quality_real/``, built as
``bench/quality_real.py`` builds it), every pair is scored by the engine's per-pair path and
its explanation's component values and shares are kept. The script then

1. counts the grade-0 pairs in the engine's role top-3 lists by their required-skill
   coverage, and the roles that cannot show three pairs without a grade-0 one (fewer than
   three eligible candidates graded 1 or more);
2. re-scores every pair under **candidate scoring rules** recomputed from those components
   (no engine change): hard floors on the required-skill coverage, a whole-score factor of
   the coverage, and "context gating" (experience, seniority and the candidate's
   preferences count in proportion to the required-skill coverage);
3. reports each rule on all 40 roles and on the two halves of the roles (even and odd
   positions in the set), so a rule that only helps one half shows it. No rule has a
   parameter fitted to the labels; the floors and factors are a grid, shown whole.

Engine 0.4.0 scores with the context-gating rule (its row equals the engine's own scores:
checked below); "no gating" is engine 0.3.0's rule.

Metrics are ``bench/quality_real.py``'s (NDCG@10 both directions, P@3, R@50, grade-0 pairs
in any top 3 / top 10), restricted to the engine's eligible pairs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import numpy.typing as npt

sys.path.insert(0, str(Path(__file__).resolve().parent))

import quality_real as q

from matchday.engine.batch import encode_texts
from matchday.engine.cli_score import parse_input
from matchday.engine.encoder import get_encoder
from matchday.engine.pipeline import skill_graph
from matchday.engine.scoring import ScoringWeights, score_pair_vectors
from matchday.engine.taxonomy import load_taxonomy

F = npt.NDArray[np.float64]
ROLE = ("required_skills", "nice_to_have", "experience", "seniority", "text_similarity")
CAND = ("domain", "company_stage", "company_size", "pay")
NAMES = ROLE + CAND


def components(s: q.LabelledSet) -> tuple[F, F, npt.NDArray[np.bool_], F]:
    """Values and shares (component x candidate x role), eligibility and engine scores (the
    rules below recompute the score from values and shares, without the engine's gates)."""
    tax = load_taxonomy()
    cands, roles, rates, weights = parse_input(s.engine_doc, tax)
    eligible, scores = q.engine_scores(s.engine_doc, tax)
    enc = get_encoder()
    graph = skill_graph(tax, cands, roles, enc)
    c_emb, r_emb = encode_texts(enc, cands, roles)
    w = weights or ScoringWeights()
    values = np.zeros((len(NAMES), len(cands), len(roles)))
    shares = np.zeros_like(values)
    for i, c in enumerate(cands):
        for j, r in enumerate(roles):
            ps = score_pair_vectors(
                c, r, c_emb[i], r_emb[j], taxonomy=graph, rates=rates, weights=w
            )
            for part in ps.explanation.contributions:
                k = NAMES.index(part.component)
                values[k, i, j], shares[k, i, j] = part.value, part.share
    return values, shares, eligible, scores


def rules(
    values: F, shares: F, eligible: npt.NDArray[np.bool_]
) -> dict[str, tuple[F, npt.NDArray[np.bool_]]]:
    cov = values[NAMES.index("required_skills")]
    total = (values * shares).sum(axis=0)

    def gated(names: tuple[str, ...], f: Callable[[F], F]) -> F:
        v = values.copy()
        for n in names:
            v[NAMES.index(n)] *= f(cov)
        return (v * shares).sum(axis=0)

    out: dict[str, tuple[F, npt.NDArray[np.bool_]]] = {
        "no gating (engine 0.3.0)": (total, eligible)
    }
    for t in (0.1, 0.2, 0.3):
        out[f"hard floor: coverage >= {t}"] = (total, eligible & (cov >= t))
    for t in (0.25, 0.5):
        out[f"score x min(1, coverage / {t})"] = (total * np.minimum(1.0, cov / t), eligible)
    out["gate experience, seniority by coverage"] = (
        gated(("experience", "seniority"), lambda c: c),
        eligible,
    )
    out["gate experience, seniority, candidate side by coverage (engine 0.4.0)"] = (
        gated(("experience", "seniority", *CAND), lambda c: c),
        eligible,
    )
    out["same, by sqrt(coverage)"] = (gated(("experience", "seniority", *CAND), np.sqrt), eligible)
    return out


def zero_report(
    s: q.LabelledSet, eligible: npt.NDArray[np.bool_], scores: F, values: F
) -> list[str]:
    cov = values[NAMES.index("required_skills")]
    g = s.grades
    buckets = {"< 0.1": 0, "0.1-0.2": 0, "0.2-0.5": 0, ">= 0.5": 0}
    impossible = 0
    for j in range(g.shape[1]):
        ranked = q.ranked_list(scores[:, j], eligible[:, j])
        if int(((g[:, j] > 0) & eligible[:, j]).sum()) < 3 and len(ranked) >= 3:
            impossible += 1
        for i in ranked[:3]:
            if g[i, j] == 0:
                c = cov[i, j]
                key = (
                    "< 0.1"
                    if c < 0.1
                    else "0.1-0.2"
                    if c < 0.2
                    else "0.2-0.5"
                    if c < 0.5
                    else ">= 0.5"
                )
                buckets[key] += 1
    return [
        "grade-0 pairs in role top-3 lists by their required-skill coverage: "
        + ", ".join(f"{k}: {v}" for k, v in buckets.items()),
        f"roles whose eligible list has fewer than 3 candidates graded >= 1 (so any 3 shown "
        f"include a grade-0 pair): {impossible} of {g.shape[1]}",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args(argv)
    s = q.load_real(load_taxonomy())[0]
    values, shares, eligible, scores = components(s)
    gated = rules(values, shares, eligible)[
        "gate experience, seniority, candidate side by coverage (engine 0.4.0)"
    ][0]
    gap = float(np.abs(np.where(eligible, gated - scores, 0.0)).max())
    print(f"largest gap between the gating rule and the engine's scores: {gap:.1e}")
    for line in zero_report(s, eligible, scores, values):
        print(line)
    m = s.grades.shape[1]
    halves = {"all": np.ones(m, bool), "even": np.arange(m) % 2 == 0, "odd": np.arange(m) % 2 == 1}
    head = [
        "rule",
        "roles",
        "role NDCG@10",
        "cand NDCG@10",
        "role P@3",
        "role R@50",
        "0s top 3 (role/cand)",
        "0s top 10 (role/cand)",
    ]
    rows = []
    for name, (sc, el) in rules(values, shares, eligible).items():
        for half, mask in halves.items():
            sub = np.flatnonzero(mask)
            r = q.evaluate(sc[:, sub], el[:, sub], s.grades[:, sub])
            rows.append(
                [
                    name,
                    half,
                    f"{r['role ndcg@10']:.3f}",
                    f"{r['cand ndcg@10']:.3f}",
                    f"{r['role p@3']:.3f}",
                    f"{r['role r@50']:.3f}",
                    f"{int(r['role zeros@3'])}/{int(r['cand zeros@3'])}",
                    f"{int(r['role zeros@10'])}/{int(r['cand zeros@10'])}",
                ]
            )
    if args.markdown:
        print("| " + " | ".join(head) + " |")
        print("|" + "---|" * len(head))
        for row in rows:
            print("| " + " | ".join(row) + " |")
    else:
        widths = [max(len(x[k]) for x in [head, *rows]) for k in range(len(head))]
        for row in [head, *rows]:
            print("  ".join(c.ljust(wd) for c, wd in zip(row, widths, strict=True)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
