"""Insert many new rows fast: one prepared INSERT run per row by the driver (``executemany``).

``QuerySet.bulk_create`` compiles each batch into one statement with a placeholder per value,
in Python; at a Match Day's 300,000 proposal and alternate rows that compilation is most of
the time spent storing them (measured with ``bench/matchday_run.py`` at 100,000 x 10,000).
Here the statement is built once and the driver binds each row (SQLite's C loop, psycopg's
pipeline), with every value prepared exactly as ``save()`` prepares it (``pre_save`` then
``get_db_prep_save``: ``auto_now_add``, JSON, time zones). Like ``bulk_create`` it sends no
signals and calls no ``save()``; it is atomic; unlike it, the instances' primary keys stay unset.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connections, models, router, transaction
from django.db.models.fields import AutoFieldMixin


def insert_rows(objs: Sequence[models.Model], *, batch_size: int = 5000) -> int:
    """Insert unsaved instances of one model; returns how many rows were inserted."""
    if not objs:
        return 0
    model = type(objs[0])
    if any(type(obj) is not model for obj in objs):
        raise TypeError("insert_rows takes instances of one model")
    opts = model._meta
    if opts.parents:
        raise TypeError(f"{opts.label} inherits from a concrete model: use bulk_create")
    fields = [f for f in opts.local_concrete_fields if not isinstance(f, AutoFieldMixin)]
    connection = connections[router.db_for_write(model)]
    qn = connection.ops.quote_name
    # Table and column names come from the model's own metadata, quoted; values are bound.
    columns = ", ".join(qn(f.column) for f in fields if f.column is not None)
    sql = (
        f"INSERT INTO {qn(opts.db_table)} ({columns}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    # One transaction for the call (a savepoint inside the caller's): in autocommit each row
    # would otherwise be its own commit, each waiting for PostgreSQL's WAL flush.
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for start in range(0, len(objs), batch_size):
            cursor.executemany(
                sql,
                [
                    [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
                    for obj in objs[start : start + batch_size]
                ],
            )
    return len(objs)
