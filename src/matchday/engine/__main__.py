"""Command line: ``python -m matchday.engine {score,allocate,curate,audit} ...``.

Each sub-command lives in its own ``cli_<name>.py`` module that exposes
``add_parser(subparsers)``; the parser it adds sets ``func(args) -> int``.
Bad input exits with code 2 and a message naming the offending entry.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from matchday.engine import ENGINE_VERSION
from matchday.engine.io import EngineInputError

SUBCOMMAND_MODULES = ("cli_score", "cli_allocate", "cli_curate", "cli_audit")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m matchday.engine", description=__doc__)
    parser.add_argument("--version", action="version", version=f"matchday-engine {ENGINE_VERSION}")
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name in SUBCOMMAND_MODULES:
        try:
            module = importlib.import_module(f"matchday.engine.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"matchday.engine.{name}":
                raise
            continue
        module.add_parser(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except EngineInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (`... | head`): not an error of ours. Point stdout at devnull
        # so the interpreter's final flush does not raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
