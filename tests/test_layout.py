"""Tests stay tests: shared helpers live in helper modules (tests/factories.py, tests/market.py,
…), never in a ``test_*.py`` module that other modules import as a library."""

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent
IMPORT_OF_A_TEST_MODULE = re.compile(r"^\s*(from|import)\s+tests(\.\w+)*\.test_\w+", re.M)
# (In code, not in the source of another process: no quote before it on its line.)
WORKER_COMMAND_IN_PROCESS = re.compile(r"^[^\"'#\n]*\bcall_command\(\s*[\"']db_worker[\"']", re.M)


def test_no_test_module_is_imported_by_another_module():
    offenders = [
        f"{path.relative_to(TESTS)}: {match.group(0).strip()}"
        for path in sorted(TESTS.rglob("*.py"))
        for match in IMPORT_OF_A_TEST_MODULE.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_check_finds_such_an_import():
    assert IMPORT_OF_A_TEST_MODULE.search("from tests.app.test_market import build_market")
    assert not IMPORT_OF_A_TEST_MODULE.search("from tests.market import build_market")


def test_the_worker_runs_in_a_test_process_only_through_run_worker_here():
    """Django's ``call_command`` of the worker in a test closes the test's connection inside its
    transaction (fatal on PostgreSQL, unnoticed on SQLite): ``tests.workers.run_worker_here``
    runs it without that."""
    offenders = [
        str(path.relative_to(TESTS))
        for path in sorted(TESTS.rglob("*.py"))
        if path.name != "workers.py"
        and WORKER_COMMAND_IN_PROCESS.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
    assert WORKER_COMMAND_IN_PROCESS.search('    call_command(\n    "db_worker", batch=True)')
    assert not WORKER_COMMAND_IN_PROCESS.search("""  "call_command('db_worker')\\n"],""")
