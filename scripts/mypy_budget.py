"""Type-check the project: the engine strictly (no error allowed), the apps gradually.

The apps' error count may only go down: it must not exceed ``[tool.matchday] mypy_budget``
in pyproject.toml; when it drops, lower the budget in the same commit.

    .venv/bin/python scripts/mypy_budget.py
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ERROR_LINE = re.compile(r"^(?P<path>[^:]+):\d+: error: ")


def main() -> int:
    budget = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["matchday"]["mypy_budget"]
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "src/matchday"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode not in (0, 1):  # 2: mypy itself failed (bad config, crash)
        sys.stdout.write(result.stdout + result.stderr)
        return 2
    errors = [m for line in result.stdout.splitlines() if (m := ERROR_LINE.match(line))]
    engine = [m for m in errors if m["path"].startswith("src/matchday/engine/")]
    apps = len(errors) - len(engine)
    for line in result.stdout.splitlines():
        if line.startswith("src/matchday/engine/"):
            print(line)
    print(f"mypy: engine (strict) {len(engine)} errors; apps {apps} errors, budget {budget}")
    if engine:
        print("The engine must type-check strictly with no error.")
        return 1
    if apps > budget:
        sys.stdout.write(result.stdout)
        print(f"The apps have {apps - budget} more type errors than the budget allows.")
        return 1
    if apps < budget:
        print(f"Fewer errors than the budget: lower [tool.matchday] mypy_budget to {apps}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
