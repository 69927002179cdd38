"""Skill extraction quality on the hand-labelled snippets (not a test; prints figures).

    .venv/bin/python bench/extraction_quality.py [--errors]

Micro precision / recall / F1 over (snippet, skill id) pairs, where a snippet's prediction
is the set of distinct ids :func:`matchday.engine.extract.extract_skills` finds in it, plus
per-snippet false positives and false negatives, and extraction speed on a long text.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from matchday.engine.extract import extract_skills
from matchday.engine.taxonomy import load_taxonomy

SNIPPETS = (
    Path(__file__).resolve().parent.parent
    / "tests"
    / "engine"
    / "data"
    / ("extraction_snippets.json")
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="print every snippet's errors")
    args = parser.parse_args(argv)
    taxonomy = load_taxonomy()
    snippets = json.loads(SNIPPETS.read_text(encoding="utf-8"))
    tp = fp = fn = 0
    wrong = 0
    for i, snippet in enumerate(snippets):
        gold = set(snippet["skills"])
        found = {m.skill_id for m in extract_skills(snippet["text"], taxonomy)}
        tp += len(gold & found)
        fp += len(found - gold)
        fn += len(gold - found)
        if found != gold:
            wrong += 1
            if args.errors:
                print(f"#{i:02d} {snippet['text']}")
                print(f"     false positives: {sorted(found - gold)}")
                print(f"     missed:          {sorted(gold - found)}")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(f"snippets: {len(snippets)}  gold labels: {tp + fn}  predicted: {tp + fp}")
    print(f"micro precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}")
    print(f"snippets with any error: {wrong}/{len(snippets)}")

    text = "\n".join(s["text"] for s in snippets)
    long_text = "\n".join([text] * 10)  # ~ a 10-page résumé
    extract_skills("warm up", taxonomy)
    started = time.perf_counter()
    mentions = extract_skills(long_text, taxonomy)
    elapsed = time.perf_counter() - started
    print(
        f"speed: {len(long_text):,} characters, {len(mentions)} mentions "
        f"in {elapsed * 1000:.1f} ms ({len(long_text) / elapsed / 1e6:.2f} M chars/s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
