"""Text encoder throughput (not a test; prints figures).

    .venv/bin/python bench/encoder.py [--n 10000]

Encodes N short, distinct texts with the default encoder in one batch, and compares with
encoding them one call per text (the naive path) on a sample, in the same run.
"""

from __future__ import annotations

import argparse
import random
import sys
import time

from matchday.engine.encoder import get_encoder

VERBS = ["built", "trained", "deployed", "scaled", "designed", "migrated", "owned", "led"]
THINGS = [
    "a RAG pipeline", "transformer models in PyTorch", "Kubernetes clusters", "a feature store",
    "the LLM serving stack", "Spark ETL jobs", "an eval harness", "CUDA kernels",
    "the pricing page A/B test", "Terraform modules", "an on-call rotation", "Go services",
]  # fmt: skip
OUTCOMES = ["cutting latency", "saving cost", "lifting recall", "for 40 teams", "on 64 GPUs"]


def make_texts(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return [
        f"{rng.choice(VERBS)} {rng.choice(THINGS)} {rng.choice(OUTCOMES)} #{i}" for i in range(n)
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--sample", type=int, default=1_000, help="texts for the naive path")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    encoder = get_encoder()
    load_s = time.perf_counter() - started
    texts = make_texts(args.n)
    encoder.encode(texts[:100])  # warm up

    started = time.perf_counter()
    vectors = encoder.encode(texts)
    batch_s = time.perf_counter() - started
    batch_rate = args.n / batch_s

    sample = texts[: args.sample]
    started = time.perf_counter()
    for text in sample:
        encoder.encode([text])
    naive_s = time.perf_counter() - started
    naive_rate = len(sample) / naive_s

    print(f"encoder: {encoder.name} (dim {encoder.dim}), loaded in {load_s * 1000:.0f} ms")
    print(f"batch: {args.n:,} short texts in {batch_s:.2f} s = {batch_rate:,.0f} texts/s")
    print(
        f"one call per text: {len(sample):,} texts in {naive_s:.2f} s = {naive_rate:,.0f} texts/s"
    )
    print(f"ratio batch / per-text: {batch_rate / naive_rate:.1f}x")
    print(f"output: {vectors.shape} {vectors.dtype}, {vectors.nbytes / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
