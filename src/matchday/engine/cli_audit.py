"""``python -m matchday.engine audit FUNNEL.csv``: impact ratios at every funnel stage.

The CSV has one row per person: ``person_id,furthest_stage,sex,race_ethnicity[,score]``.
A blank sex or race/ethnicity (or ``unknown``) is an unknown category. Prints a readable
text table and writes JSON (see ``docs/engine-format.md``, section "audit").
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
from typing import Any

from matchday.engine import ENGINE_VERSION
from matchday.engine.fairness import (
    ADVERSE_IMPACT_THRESHOLD,
    FUNNEL_STAGES,
    RACE_ETHNICITY_CATEGORIES,
    SEX_CATEGORIES,
    SMALL_CATEGORY_SHARE,
    FunnelPerson,
    funnel_audit,
)
from matchday.engine.io import EngineInputError, input_hash, write_json

__all__ = ["add_parser", "read_funnel_csv", "run"]

REQUIRED_COLUMNS = ("person_id", "furthest_stage", "sex", "race_ethnicity")
UNKNOWN_VALUES = frozenset({"", "unknown"})
SEX_VALUES = {c.lower(): c for c in SEX_CATEGORIES}
RACE_VALUES = {c.lower(): c for c in RACE_ETHNICITY_CATEGORIES} | {
    "native hawaiian or pacific islander": "Native Hawaiian or Other Pacific Islander",
    "american indian or alaska native": "Native American or Alaska Native",
}
JSON_SECTION_MARK = "=== JSON ==="


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "audit",
        help="impact ratios (NYC Local Law 144 method) at every funnel stage",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("funnel", metavar="FUNNEL.csv", help="one row per person")
    parser.add_argument(
        "--json",
        metavar="OUT.json",
        help="write the JSON here ('-' for stdout, the text table then goes to stderr); "
        f"without it, the JSON follows the text table on stdout after a '{JSON_SECTION_MARK}' line",
    )
    parser.add_argument(
        "--exclude-small-categories",
        action="store_true",
        help=f"leave categories under {SMALL_CATEGORY_SHARE * 100:g}%% of the data out of the impact "
        "ratios (their count and rate are still shown)",
    )
    parser.set_defaults(func=run)


def _category(value: str, allowed: dict[str, str], where: str, column: str) -> str | None:
    text = " ".join(value.split())
    if text.lower() in UNKNOWN_VALUES:
        return None
    try:
        return allowed[text.lower()]
    except KeyError:
        expected = ", ".join(sorted(set(allowed.values())))
        raise EngineInputError(
            f"{where}: unknown {column} {value!r} (expected one of: {expected}; "
            "or blank for unknown)"
        ) from None


def read_funnel_csv(path: str) -> tuple[list[FunnelPerson], list[dict[str, str]]]:
    """Parse and check the funnel CSV; returns the people and the raw rows (for the hash)."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            columns = [c.strip() for c in reader.fieldnames or []]
            missing = [c for c in REQUIRED_COLUMNS if c not in columns]
            if missing:
                raise EngineInputError(f"{path}: missing column(s): {', '.join(missing)}")
            reader.fieldnames = columns
            raw = [{k: (v or "") for k, v in row.items() if k is not None} for row in reader]
    except OSError as exc:
        raise EngineInputError(f"{path}: cannot read: {exc.strerror}") from exc
    except (csv.Error, UnicodeDecodeError) as exc:
        raise EngineInputError(f"{path}: not a readable UTF-8 CSV file: {exc}") from exc
    has_score = "score" in columns
    stages = {s: s for s in FUNNEL_STAGES}
    seen: dict[str, int] = {}
    people = []
    scored_rows: list[int] = []
    for line, row in enumerate(raw, start=2):
        person_id = row["person_id"].strip()
        where = f"{path}, row {line}" + (f" (person {person_id!r})" if person_id else "")
        if not person_id:
            raise EngineInputError(f"{where}: empty person_id")
        if person_id in seen:
            raise EngineInputError(
                f"{where}: duplicate person id (first seen on row {seen[person_id]})"
            )
        seen[person_id] = line
        stage_text = row["furthest_stage"].strip().lower().replace(" ", "_").replace("-", "_")
        if stage_text not in stages:
            raise EngineInputError(
                f"{where}: unknown stage {row['furthest_stage']!r} "
                f"(expected one of: {', '.join(FUNNEL_STAGES)})"
            )
        score: float | None = None
        score_text = row.get("score", "").strip() if has_score else ""
        if score_text:
            try:
                score = float(score_text)
            except ValueError:
                raise EngineInputError(f"{where}: score {score_text!r} is not a number") from None
            if not math.isfinite(score):
                raise EngineInputError(f"{where}: score {score_text!r} is not a finite number")
            scored_rows.append(line)
        people.append(
            FunnelPerson(
                person_id=person_id,
                furthest_stage=stages[stage_text],
                sex=_category(row["sex"], SEX_VALUES, where, "sex"),
                race_ethnicity=_category(
                    row["race_ethnicity"], RACE_VALUES, where, "race_ethnicity"
                ),
                score=score,
            )
        )
    if scored_rows and len(scored_rows) != len(people):
        line = next(i for i, p in enumerate(people, start=2) if p.score is None)
        raise EngineInputError(
            f"{path}, row {line} (person {people[line - 2].person_id!r}): "
            "score is blank while other rows have one (give every row a score, or none)"
        )
    return people, raw


def build_output(
    people: list[FunnelPerson], raw: list[dict[str, str]], *, exclude_small: bool
) -> tuple[dict[str, Any], str]:
    """The JSON document and the text rendering of an audit."""
    audit = funnel_audit(people, exclude_small=exclude_small)
    document: dict[str, Any] = {
        "command": "audit",
        "engine_version": ENGINE_VERSION,
        "input_hash": input_hash(raw),
        "method": "NYC Local Law 144 (6 RCNY 5-300 ff.); EEOC four-fifths rule",
        "options": {
            "exclude_small_categories": exclude_small,
            "small_share": SMALL_CATEGORY_SHARE,
            "adverse_impact_threshold": ADVERSE_IMPACT_THRESHOLD,
            "scoring_rate": "share of the category scoring strictly above the whole "
            "sample's median score",
        },
        "stages": list(FUNNEL_STAGES),
        **audit.to_dict(),
    }
    return document, audit.to_text()


def run(args: argparse.Namespace) -> int:
    people, raw = read_funnel_csv(args.funnel)
    document, text = build_output(people, raw, exclude_small=args.exclude_small_categories)
    if args.json == "-":
        print(text, file=sys.stderr)
        write_json(document, sys.stdout)
    elif args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            write_json(document, fh)
        print(text)
    else:
        print(text)
        print()
        print(JSON_SECTION_MARK)
        write_json(document, sys.stdout)
    return 0
