"""``python -m matchday.engine allocate INPUT.json``: the Match Day shortlist under capacities.

INPUT is the output of ``score`` (``"kind": "scored-pairs"``, eligible pairs only), a file
of explicit pairs (``"kind": "pairs"``) or of preference lists (``"kind": "preferences"``).
The output records the policy, the caps, the input's hash and the engine version; the same
input always gives byte-identical output. Formats: ``docs/engine-format.md``, "allocate".
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from typing import Any

from matchday.engine import ENGINE_VERSION
from matchday.engine.allocate import AllocationInput, allocate, blocking_pairs
from matchday.engine.io import EngineInputError, input_hash, read_json, write_json

__all__ = ["add_parser", "build_output", "parse_input", "run"]

INPUT_KINDS = ("scored-pairs", "pairs", "preferences")


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "allocate",
        help="choose the proposals under candidate and role caps (optimal or stable)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("input", metavar="INPUT.json", help="scored pairs, pairs or preferences")
    parser.add_argument("--policy", choices=("optimal", "stable"), default="optimal")
    parser.add_argument(
        "--candidate-cap", type=int, required=True, metavar="K", help="proposals per candidate"
    )
    parser.add_argument("--role-cap", type=int, required=True, metavar="M", help="per role")
    parser.add_argument(
        "--explain-exclusions",
        action="store_true",
        help="list the better-scored pairs that were not chosen, and why",
    )
    parser.add_argument("-o", "--output", metavar="OUT.json", help="default: stdout")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    data = _read(args.input)
    inp = parse_input(data, candidate_cap=args.candidate_cap, role_cap=args.role_cap)
    out = build_output(data, inp, policy=args.policy, explain_exclusions=args.explain_exclusions)
    if args.output and args.output != "-":
        with open(args.output, "w", encoding="utf-8") as fh:
            write_json(out, fh)
    else:
        write_json(out, sys.stdout)
    return 0


def build_output(
    data: Any, inp: AllocationInput, *, policy: str, explain_exclusions: bool = False
) -> dict[str, Any]:
    """The output document for ``data`` (the parsed input file) allocated under ``policy``."""
    if policy not in ("optimal", "stable"):
        raise EngineInputError(f"unknown policy {policy!r}: expected 'optimal' or 'stable'")
    result = allocate(
        inp,
        "optimal" if policy == "optimal" else "stable",
        explain_exclusions=explain_exclusions,
    )
    out = result.to_dict()
    out.update(
        kind="allocation",
        engine_version=ENGINE_VERSION,
        input_hash=input_hash(data),
        input_kind=data["kind"],
        counts={
            "candidates": len(inp.candidate_ids),
            "roles": len(inp.role_ids),
            "acceptable_pairs": inp.n_pairs,
            "proposals": len(result.proposals),
            "blocking_pairs": len(blocking_pairs(inp, result)),
        },
    )
    return out


def parse_input(data: Any, *, candidate_cap: int, role_cap: int) -> AllocationInput:
    """Check the parsed JSON of an allocate input and build the :class:`AllocationInput`."""
    if not isinstance(data, dict):
        raise EngineInputError("input must be a JSON object with a 'kind'")
    kind = data.get("kind")
    if kind not in INPUT_KINDS:
        raise EngineInputError(
            f"input kind is {kind!r}: expected one of {', '.join(map(repr, INPUT_KINDS))}"
        )
    c_caps = _caps(data, "candidate_caps")
    r_caps = _caps(data, "role_caps")
    if kind == "preferences":
        return AllocationInput.from_preferences(
            _lists(data, "candidates"),
            _lists(data, "roles"),
            candidate_cap=candidate_cap,
            role_cap=role_cap,
            candidate_caps=c_caps,
            role_caps=r_caps,
        )
    pairs = data.get("pairs")
    if not isinstance(pairs, list):
        raise EngineInputError("'pairs' must be a list")
    # Column by column with C-level passes; a per-pair loop runs only to name a bad entry.
    if not set(map(type, pairs)) <= {dict}:
        bad = next(i for i, p in enumerate(pairs) if not isinstance(p, dict))
        raise EngineInputError(f"pairs[{bad}] must be an object")
    where = list(range(len(pairs)))
    if kind == "scored-pairs":
        where = [i for i, p in enumerate(pairs) if p.get("eligible") is True]
        pairs = [pairs[i] for i in where]
    columns: dict[str, list[Any]] = {}
    for key in ("candidate_id", "role_id"):
        col = columns[key] = [p.get(key) for p in pairs]
        if not set(map(type, col)) <= {str} or "" in set(col):
            bad = next(i for i, v in enumerate(col) if not isinstance(v, str) or not v)
            raise EngineInputError(f"pairs[{where[bad]}].{key} must be a non-empty string")
    for key in ("score", "candidate_fit", "role_fit"):
        col = columns[key] = [p.get(key) for p in pairs]
        kinds = set(map(type, col))
        if kinds <= {float, int}:
            continue
        for i, value in enumerate(col):
            _number(value, key, where[i], required=key == "score")
    return AllocationInput.from_pairs(
        columns["candidate_id"],
        columns["role_id"],
        columns["score"],
        columns["candidate_fit"],
        columns["role_fit"],
        candidate_cap=candidate_cap,
        role_cap=role_cap,
        candidate_caps=c_caps,
        role_caps=r_caps,
    )


def _read(path: str) -> Any:
    # NaN/Infinity parse here (stdlib fallback) so the error can name the pair holding it.
    return read_json(path, allow_nan=True)


def _number(value: Any, key: str, i: int, *, required: bool) -> None:
    if value is None:
        if required:
            raise EngineInputError(f"pairs[{i}].{key} is missing")
        return
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise EngineInputError(f"pairs[{i}].{key} must be a number, not {value!r}")


def _caps(data: Mapping[str, Any], key: str) -> dict[str, int] | None:
    caps = data.get(key)
    if caps is None:
        return None
    if not isinstance(caps, dict):
        raise EngineInputError(f"'{key}' must be an object mapping ids to caps")
    return caps


def _lists(data: Mapping[str, Any], key: str) -> dict[str, list[str]]:
    lists = data.get(key)
    if not isinstance(lists, dict):
        raise EngineInputError(f"'{key}' must be an object mapping ids to preference lists")
    for owner, items in lists.items():
        if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
            raise EngineInputError(f"{key}[{owner!r}] must be a list of ids")
    return lists
