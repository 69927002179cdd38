"""Shared helpers for the engine's JSON input/output: canonical encoding, hashing, errors.

Every command of ``python -m matchday.engine`` reads JSON, and records a hash of its input
and the engine version in its output, so a Match Day can be replayed byte for byte.

>>> input_hash({"b": 1, "a": [1, 2]}) == input_hash({"a": [1, 2], "b": 1})
True
"""

from __future__ import annotations

import hashlib
import io
import json
from typing import Any

import orjson

__all__ = [
    "EngineInputError",
    "canonical_json",
    "dump_json",
    "input_hash",
    "parse_json",
    "read_json",
    "write_json",
]


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


def read_json(path: str, *, allow_nan: bool = False) -> Any:
    """Read a JSON file, turning syntax errors into :class:`EngineInputError`.

    Parsed with orjson (several times faster than the standard library on the large pair
    files of a Match Day); a file orjson refuses is parsed again with the standard
    library, whose message names the line and column, and which reads ``NaN`` and
    ``Infinity`` when ``allow_nan`` is set (so the caller can name the entry holding one).
    """
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError as exc:
        raise EngineInputError(f"{path}: cannot read: {exc.strerror}") from exc
    return parse_json(raw, path, allow_nan=allow_nan)


def parse_json(raw: bytes, source: str, *, allow_nan: bool = False) -> Any:
    """Parse JSON bytes as :func:`read_json` does; ``source`` names them in errors."""
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        pass
    try:
        text = raw.decode("utf-8")
        if allow_nan:
            return json.loads(text)
        return json.loads(text, parse_constant=_refuse_constant)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise EngineInputError(f"{source}: not valid JSON: {exc}") from exc


def dump_json(obj: Any) -> bytes:
    """``obj`` as stable, indented UTF-8 JSON with a final newline (byte-identical for equal
    input; keys sorted). orjson: a Match Day's curation output is hundreds of megabytes."""
    return orjson.dumps(obj, option=_DUMP_OPTIONS)


_DUMP_OPTIONS = (
    orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE | orjson.OPT_NON_STR_KEYS
)


def write_json(obj: Any, fh: Any) -> None:
    """Write :func:`dump_json` of ``obj`` to a binary or a text file."""
    data = dump_json(obj)
    if not isinstance(fh, io.TextIOBase):
        fh.write(data)
        return
    buffer = getattr(fh, "buffer", None)
    if buffer is None:  # an in-memory text file
        fh.write(data.decode("utf-8"))
        return
    fh.flush()
    buffer.write(data)
    buffer.flush()


def _refuse_constant(name: str) -> Any:
    raise EngineInputError(f"{name} is not allowed in engine input")
