"""gunicorn settings: ``gunicorn -c python:matchday.config.gunicorn matchday.config.wsgi``.

With ``PROMETHEUS_MULTIPROC_DIR`` set (an empty directory, emptied before each start), every
worker process writes its metrics there and any of them serves the sum on /metrics; a worker
that exits has its live gauges removed here.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
