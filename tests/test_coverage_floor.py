"""scripts/coverage_floor.py: which drops fail CI, and how the floors rise."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "coverage_floor.py"
spec = importlib.util.spec_from_file_location("coverage_floor", SCRIPT)
coverage_floor = importlib.util.module_from_spec(spec)
spec.loader.exec_module(coverage_floor)

FLOORS = {"total": 80.0, "files": {"a.py": 90, "b.py": 50, "gone.py": 70}}


def test_a_file_below_its_floor_fails_but_one_statement_short_does_not():
    files = {"a.py": (85.0, 100), "b.py": (49.0, 50)}  # a: 5 points short; b: one statement
    assert coverage_floor.problems(85.0, files, FLOORS) == ["a.py: 85.0% is below its floor 90%"]


def test_a_total_below_its_floor_fails():
    [problem] = coverage_floor.problems(79.9, {}, FLOORS)
    assert problem.startswith("total coverage 79.90% is below its floor 80.0%")


def test_floors_rise_to_the_run_less_the_slack_and_never_fall():
    files = {"a.py": (99.5, 10), "b.py": (40.0, 10), "new.py": (75.0, 4)}
    new = coverage_floor.raised(92.35, files, FLOORS)
    assert new == {
        "total": 91.3,  # 92.35 less 1 point, rounded down to 0.1
        "files": {"a.py": 97, "b.py": 50, "new.py": 73},  # b keeps 50; gone.py is dropped
    }
