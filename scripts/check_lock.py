"""Check that the hashed lock files agree with pyproject.toml's pins (offline, in `make lint`).

Every dependency pyproject.toml pins (``name==version``) must be in ``requirements/run.lock``
(the app's) and ``requirements/test.lock`` (the app's and the test extra's) at that version.
After changing a pin, regenerate both (a few minutes, needs PyPI)::

    make lock
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^\s*([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==([^\s;\\]+)")


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(requirements: list[str]) -> dict[str, str]:
    return {canonical(m[1]): m[2] for r in requirements if (m := PIN.match(r))}


def locked(path: Path) -> dict[str, str]:
    return pins(path.read_text().splitlines())


def main() -> int:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    run = pins(project["dependencies"])
    test = {**run, **pins(project["optional-dependencies"]["test"])}
    problems = []
    for lock_name, wanted in (("run.lock", run), ("test.lock", test)):
        have = locked(ROOT / "requirements" / lock_name)
        for name, version in sorted(wanted.items()):
            if have.get(name) != version:
                found = have.get(name, "missing")
                problems.append(
                    f"requirements/{lock_name}: {name} is {found}, pyproject pins {version}"
                )
    for line in problems:
        print(line)
    if problems:
        print("Regenerate the lock files: make lock")
        return 1
    print(f"lock files agree with pyproject.toml ({len(run)} + {len(test) - len(run)} pins)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
