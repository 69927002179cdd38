"""Recall and precision of the blind-view redactor on its labelled corpus.

Run: ``.venv/bin/python bench/redaction.py``

Reads ``src/matchday/matchdays/data/redaction_corpus.txt`` (achievement sentences with
labelled identity strings and technical phrases that must survive, under a handful of
invented candidate profiles), redacts each sentence with its profile's redactor and prints
recall (identity strings removed whole), precision (identity hits among all hits on labelled
strings), both per family, every miss and every damaged phrase, and the CPU seconds spent
(the first redactor builds the shared organisation and university lists once, shown apart).
A figure, not a test: ``tests/app/test_redaction.py`` holds the goal.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from matchday.matchdays import redaction, redaction_corpus


def main() -> None:
    cases = redaction_corpus.load()
    start = time.process_time()
    redaction._global_gazetteer()
    redaction.common_words()
    redaction.technical_terms()
    setup = time.process_time() - start
    start = time.process_time()
    f = redaction_corpus.evaluate(cases)
    run = time.process_time() - start
    print(
        f"corpus: {len(cases)} sentences, {f.identity} identity strings, "
        f"{f.phrases} technical phrases that must survive"
    )
    print(f"recall    {f.recall:.4f}  ({f.redacted}/{f.identity} identity strings removed whole)")
    print(f"precision {f.precision:.4f}  ({f.redacted} identity hits, {f.damaged} damaged phrases)")
    print(f"redacted characters outside identity labels: {f.stray_chars}")
    print("\nfamily      strings  missed  recall")
    for family, n in sorted(f.by_family.items()):
        missed = f.missed_by_family[family]
        print(f"{family:10} {n:8} {missed:7}  {(n - missed) / n:.3f}")
    print("\nmisses:" if f.misses else "\nmisses: none")
    for line in f.misses:
        print("  " + line)
    print("damaged phrases:" if f.false_positives else "damaged phrases: none")
    for line in f.false_positives:
        print("  " + line)
    print(
        f"\nCPU: {setup:.2f} s to load the shared lists (once per process), "
        f"{run:.2f} s for the corpus ({1000 * run / len(cases):.2f} ms per sentence)"
    )


if __name__ == "__main__":
    main()
