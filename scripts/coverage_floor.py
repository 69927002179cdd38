"""Report test coverage per file and hold it to a floor that may only go up.

``make test`` measures line coverage of ``src/matchday`` (pytest-cov, ``[tool.coverage]`` in
pyproject.toml) into ``.coverage``; this script prints the per-file report of that run and
checks it against ``scripts/coverage_floor.json``:

* the total may not fall below ``total``;
* no file may fall below its own floor, less one statement's worth (the few lines that run
  only sometimes, a retry or a timing branch, do not fail CI).

Floors trail the measured coverage by a fixed slack (``TOTAL_SLACK`` points for the total,
``FILE_SLACK`` per file, rounded down), so a change that adds a few untested lines to a
well-covered file still passes while a real drop fails. When coverage rises, raise the
floors in the same commit (they are never lowered; files that no longer exist are dropped;
new files get a floor at the next update)::

    make test && .venv/bin/python scripts/coverage_floor.py --update

Floors are measured on the README's test command (SQLite); PostgreSQL-only tests skip there.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
from pathlib import Path

import coverage

ROOT = Path(__file__).resolve().parent.parent
FLOORS = ROOT / "scripts" / "coverage_floor.json"
DATA = ROOT / ".coverage"
TOTAL_SLACK = 1.0
FILE_SLACK = 2


def measured() -> tuple[float, dict[str, tuple[float, int]]]:
    """The total percent and, per file, (percent, statements), after printing the report."""
    cov = coverage.Coverage(data_file=str(DATA), config_file=str(ROOT / "pyproject.toml"))
    cov.load()
    cov.report(file=sys.stdout)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "coverage.json"
        cov.json_report(outfile=str(out))
        report = json.loads(out.read_text())
    files = {
        path: (data["summary"]["percent_covered"], data["summary"]["num_statements"])
        for path, data in report["files"].items()
    }
    return report["totals"]["percent_covered"], files


def problems(total: float, files: dict[str, tuple[float, int]], floors: dict) -> list[str]:
    found = []
    if total < floors["total"]:
        found.append(f"total coverage {total:.2f}% is below its floor {floors['total']}%")
    for path, floor in sorted(floors["files"].items()):
        if path not in files:
            continue  # removed or renamed: --update drops its floor
        percent, statements = files[path]
        grace = 100.0 / statements if statements else 0.0
        if percent + grace < floor:
            found.append(f"{path}: {percent:.1f}% is below its floor {floor}%")
    return found


def raised(total: float, files: dict[str, tuple[float, int]], floors: dict) -> dict:
    """The floors raised to this run (never lowered); files that are gone are dropped."""
    return {
        "total": max(floors["total"], math.floor((total - TOTAL_SLACK) * 10) / 10),
        "files": {
            path: max(floors["files"].get(path, 0), max(0, math.floor(percent) - FILE_SLACK))
            for path, (percent, _) in sorted(files.items())
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="raise the floors to this run")
    args = parser.parse_args()
    if not DATA.exists():
        print("No coverage data (.coverage): run `make test` first.")
        return 2
    total, files = measured()
    floors = json.loads(FLOORS.read_text()) if FLOORS.exists() else {"total": 0, "files": {}}
    if args.update:
        new = raised(total, files, floors)
        FLOORS.write_text(json.dumps(new, indent=1, sort_keys=True) + "\n")
        print(f"coverage floors written: total {new['total']}%, {len(new['files'])} files")
        return 0
    found = problems(total, files, floors)
    for line in found:
        print(line)
    print(f"coverage: total {total:.2f}% (floor {floors['total']}%), {len(files)} files")
    if found:
        print("Coverage fell below its floor: test the code you changed.")
        return 1
    if raised(total, files, floors) != floors:
        print("Coverage rose: raise the floors with `scripts/coverage_floor.py --update`.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
