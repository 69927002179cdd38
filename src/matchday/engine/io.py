"""Shared helpers for the engine's JSON input/output: canonical encoding, hashing, errors.

Every command of ``python -m matchday.engine`` reads JSON, and records a hash of its input
and the engine version in its output, so a Match Day can be replayed byte for byte.

>>> input_hash({"b": 1, "a": [1, 2]}) == input_hash({"a": [1, 2], "b": 1})
True
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

__all__ = ["EngineInputError", "canonical_json", "input_hash", "read_json", "write_json"]


class EngineInputError(ValueError):
    """Bad input to the engine. The message names the offending entry.

    The command line turns it into a message on stderr and exit code 2.
    """


def canonical_json(obj: Any) -> str:
    """Serialise ``obj`` deterministically (sorted keys, no spaces, NaN refused)."""
    return json.dumps(
        obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def input_hash(obj: Any) -> str:
    """``sha256:<hex>`` of the canonical JSON of ``obj``."""
    return "sha256:" + hashlib.sha256(canonical_json(obj).encode("utf-8")).hexdigest()


def read_json(path: str) -> Any:
    """Read a JSON file, turning syntax errors into :class:`EngineInputError`."""
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise EngineInputError(f"{path}: not valid JSON: {exc}") from exc
    except OSError as exc:
        raise EngineInputError(f"{path}: cannot read: {exc.strerror}") from exc


def write_json(obj: Any, fh: Any) -> None:
    """Write ``obj`` as stable, indented JSON (byte-identical for equal input)."""
    fh.write(json.dumps(obj, sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False))
    fh.write("\n")


def _refuse_constant(name: str) -> Any:
    raise EngineInputError(f"{name} is not allowed in engine input")
