"""Parse untrusted files in a child process that can be stopped, never in the web worker.

``resume_draft`` and ``json_resume_draft`` start ``python -m matchday.imports.sandbox``,
hand it the bytes and the :class:`~matchday.imports.limits.ImportLimits`, and return the
review draft it builds (or raise the refusal it reports). The child:

* imports only the parsers (no Django, no settings, no database connection, and an
  environment without the web process's secrets);
* then limits itself with ``resource.setrlimit``: CPU seconds (``RLIMIT_CPU``: SIGXCPU,
  then SIGKILL a second later), address space (``RLIMIT_AS``: allocations fail with
  ``MemoryError``), no core files, bounded output;
* runs the structural checks of ``parsers`` / ``jsonresume`` and the draft builders.

The parent waits at most ``import_wall_seconds`` of wall time, then kills it. Whatever
happens, nothing is written anywhere: the draft only reaches the session, and the profile
only after the candidate confirms it. Each way of stopping has its own message naming the
limit. ``run`` also reports the child's own CPU seconds and peak resident memory (from
``wait4``), which ``bench/hostile_files.py`` prints.

Needs a POSIX system (``resource``, ``wait4``); Linux also gives ``pidfd_open`` for a wait
without polling.
"""

from __future__ import annotations

import json
import logging
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from typing import Any

from matchday.imports import limits as import_limits
from matchday.imports.limits import MB, ImportLimits

logger = logging.getLogger(__name__)

CPU_EXCEEDED = "Reading the file needed more than {seconds} s of processing time; it was refused."
MEMORY_EXCEEDED = "Reading the file needed more than {mb} MB of memory; it was refused."
WALL_EXCEEDED = "Reading the file took longer than {seconds} s; it was refused."
CRASHED = "The file could not be read safely (the reader stopped unexpectedly); it was refused."
TRUNCATED = "The résumé was long; only its first part was read. Check the draft."

JOBS = ("resume", "jsonresume")
MAX_OUTPUT_BYTES = 16 * MB


@dataclass(frozen=True)
class Outcome:
    """What one run of the child gave: a draft or a refusal message, and what it cost."""

    draft: dict[str, Any] | None
    error: str | None
    cpu_seconds: float  # user + system CPU of the child, as the kernel counted it
    peak_mb: float  # the child's peak resident set size
    exit_status: int


def resume_draft(
    *, filename: str, data: bytes, limits: ImportLimits | None = None
) -> dict[str, Any]:
    """The review draft of an uploaded résumé file; ``ResumeFileError`` when refused."""
    from matchday.imports.parsers import ResumeFileError

    outcome = run("resume", data=data, filename=filename, limits=limits)
    if outcome.error is not None:
        raise ResumeFileError(outcome.error)
    assert outcome.draft is not None
    return outcome.draft


def json_resume_draft(*, data: bytes, limits: ImportLimits | None = None) -> dict[str, Any]:
    """The review draft of an uploaded JSON Resume; ``JsonResumeError`` when refused."""
    from matchday.imports.jsonresume import JsonResumeError

    outcome = run("jsonresume", data=data, limits=limits)
    if outcome.error is not None:
        raise JsonResumeError(outcome.error)
    assert outcome.draft is not None
    return outcome.draft


def _child_env() -> dict[str, str]:
    """Just enough to start Python and import the package, nothing of the web process's."""
    paths = [p for p in sys.path if p and os.path.isdir(p)]
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": os.pathsep.join(paths),
        "LANG": "C.UTF-8",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
    }


def run(
    job: str, *, data: bytes, filename: str = "", limits: ImportLimits | None = None
) -> Outcome:
    """Run ``job`` (``"resume"`` or ``"jsonresume"``) on ``data`` in a limited child process."""
    if job not in JOBS:
        raise ValueError(f"unknown job {job!r}")
    limits = limits or import_limits.current()
    header = {"job": job, "filename": filename, "size": len(data), "limits": limits.as_dict()}
    with (
        tempfile.TemporaryFile() as stdin,
        tempfile.TemporaryFile() as stdout,
        tempfile.TemporaryFile() as stderr,
    ):
        stdin.write(json.dumps(header).encode() + b"\n")
        stdin.write(data)
        stdin.seek(0)
        proc = subprocess.Popen(
            [sys.executable, "-m", "matchday.imports.sandbox"],
            stdin=stdin,
            stdout=stdout,
            stderr=stderr,
            env=_child_env(),
            cwd=tempfile.gettempdir(),
            close_fds=True,
        )
        status, usage, timed_out = _wait(proc, limits.import_wall_seconds)
        cpu = usage.ru_utime + usage.ru_stime
        # An upper bound (it includes the parent's peak, see _peak_kb), replaced by the
        # child's own figure when it reports one.
        peak_mb = usage.ru_maxrss / 1024
        stdout.seek(0)
        raw = stdout.read(MAX_OUTPUT_BYTES + 1)
        stderr.seek(0)
        errors = stderr.read()[-4000:].decode("utf-8", "replace")

    def refused(message: str) -> Outcome:
        return Outcome(None, message, cpu, peak_mb, status)

    if timed_out:
        return refused(WALL_EXCEEDED.format(seconds=limits.import_wall_seconds))
    killed = -status if status < 0 else 0
    if killed == signal.SIGXCPU or (killed == signal.SIGKILL and cpu >= limits.import_cpu_seconds):
        return refused(CPU_EXCEEDED.format(seconds=limits.import_cpu_seconds))
    try:
        result = json.loads(raw) if status == 0 and len(raw) <= MAX_OUTPUT_BYTES else None
    except ValueError:
        result = None
    if not isinstance(result, dict):
        logger.warning("import sandbox (%s) stopped with status %s: %s", job, status, errors)
        return refused(CRASHED)
    if isinstance(result.get("peak_kb"), int):
        peak_mb = result["peak_kb"] / 1024
    if result.get("error") is not None:
        return refused(str(result["error"]))
    return Outcome(result["draft"], None, cpu, peak_mb, status)


def _wait(proc: subprocess.Popen, timeout: float) -> tuple[int, Any, bool]:
    """Reap ``proc`` within ``timeout`` seconds (killing it after) with ``wait4``, which
    also gives its resource usage: ``(exit code, rusage, timed out)``."""
    deadline = time.monotonic() + timeout
    try:
        pidfd: int | None = os.pidfd_open(proc.pid)
    except (AttributeError, OSError):
        pidfd = None
    timed_out = False
    try:
        while True:
            left = deadline - time.monotonic()
            if pidfd is not None and left > 0:
                select.select([pidfd], [], [], left)
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() >= deadline:
                proc.kill()
                _, status, usage = os.wait4(proc.pid, 0)
                timed_out = True
                break
            if pidfd is None:
                time.sleep(0.005)
    finally:
        if pidfd is not None:
            os.close(pidfd)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, usage, timed_out


# -- the child ----------------------------------------------------------------------------


def _peak_kb() -> int | None:
    """This process's peak resident set (Linux ``VmHWM``). ``ru_maxrss`` is no use here: a
    child started with vfork inherits its parent's figure through ``exec``."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def _limit_self(limits: ImportLimits) -> None:
    import resource

    def cap(which: int, value: int) -> None:
        _, hard = resource.getrlimit(which)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        resource.setrlimit(which, (value, value))

    used = resource.getrusage(resource.RUSAGE_SELF)
    cpu = int(used.ru_utime + used.ru_stime + limits.import_cpu_seconds + 1)
    _, hard_cpu = resource.getrlimit(resource.RLIMIT_CPU)
    if hard_cpu == resource.RLIM_INFINITY or hard_cpu > cpu:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    cap(resource.RLIMIT_AS, limits.import_memory_mb * MB)
    cap(resource.RLIMIT_CORE, 0)
    cap(resource.RLIMIT_FSIZE, MAX_OUTPUT_BYTES)


def _resume_job(header: dict[str, Any], data: bytes, limits: ImportLimits) -> dict[str, Any]:
    from matchday.imports.parsers import extract_text
    from matchday.imports.resume import parse_resume_text

    extracted = extract_text(filename=header["filename"], data=data, limits=limits)
    draft = parse_resume_text(extracted.text)
    if extracted.truncated:
        draft["warnings"].append(TRUNCATED)
    return draft


def _jsonresume_job(header: dict[str, Any], data: bytes, limits: ImportLimits) -> dict[str, Any]:
    from matchday.imports.jsonresume import import_document, loads

    return import_document(loads(data, limits), limits)


def _preload(job: str) -> None:
    """Import (and load) what ``job`` needs before the limits apply: trusted work."""
    from matchday.engine.taxonomy import load_taxonomy

    load_taxonomy()
    if job == "resume":
        import docx  # noqa: F401
        import pypdf  # noqa: F401
        from lxml import etree  # noqa: F401

        import matchday.imports.parsers  # noqa: F401
    else:
        from matchday.imports.jsonresume import schema

        schema()


def main() -> None:
    from matchday.imports.jsonresume import JsonResumeError
    from matchday.imports.parsers import ResumeFileError

    stdin = sys.stdin.buffer
    header = json.loads(stdin.readline())
    data = stdin.read(int(header["size"]))
    limits = ImportLimits(**header["limits"])
    job = header["job"]
    _preload(job)
    _limit_self(limits)
    try:
        handler = _resume_job if job == "resume" else _jsonresume_job
        result: dict[str, Any] = {"draft": handler(header, data, limits)}
    except (ResumeFileError, JsonResumeError) as exc:
        result = {"error": str(exc)}
    except MemoryError:
        result = {"error": MEMORY_EXCEEDED.format(mb=limits.import_memory_mb)}
    except RecursionError:
        result = {"error": CRASHED}
    del data
    result["peak_kb"] = _peak_kb()
    sys.stdout.write(json.dumps(result))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
