"""The one way a service changes a row's fields: :func:`model_update`.

Every update service takes a dict of fields from a form, the API or an import. It sets only
the fields it allows, refuses any other field the same way (a ``ValidationError`` naming them:
nothing is ignored silently), validates the row with the model's own limits, and writes only
the columns that changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

UNKNOWN_FIELDS = "Unknown {what} fields: {fields}."


def fields_check(data: Mapping[str, Any], allowed: Iterable[str], *, what: str) -> None:
    """Refuse keys of ``data`` outside ``allowed``: a ``ValidationError`` naming them.

    >>> fields_check({"title": "x", "owner": 1}, ["title"], what="role")
    Traceback (most recent call last):
    ...
    django.core.exceptions.ValidationError: ['Unknown role fields: owner.']
    """
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError(UNKNOWN_FIELDS.format(what=what, fields=", ".join(sorted(unknown))))


def _columns(instance: models.Model, names: Iterable[str]) -> dict[str, str]:
    """``names`` that are columns of ``instance``'s table, with their attribute names."""
    fields = {f.name: f.attname for f in instance._meta.concrete_fields}
    return {name: fields[name] for name in names if name in fields}


def _stored(instance: models.Model, columns: dict[str, str]) -> dict[str, Any]:
    """The stored values of ``columns`` (none for a new row). Read from the database, not
    from ``instance``: a ModelForm bound to the instance has already set the new values on it."""
    if instance._state.adding or instance.pk is None:
        return {}
    manager = type(instance)._base_manager
    row = manager.filter(pk=instance.pk).values(*columns.values()).first() or {}
    return {name: row.get(attname) for name, attname in columns.items()}


def model_update[M: models.Model](
    instance: M,
    *,
    data: Mapping[str, Any],
    allowed: Iterable[str],
    what: str,
    prepare: Callable[[M], None] | None = None,
    derived: Iterable[str] = (),
    touch: Mapping[str, Any] | None = None,
    clean_exclude: Iterable[str] = (),
    save: bool = True,
) -> list[str]:
    """Set ``data`` on ``instance`` and save what changed; return the names of the fields
    that changed (empty: nothing did, nothing was written).

    - ``data`` may hold only fields in ``allowed`` (``fields_check``; the message names the
      ``what``), and none of them is skipped;
    - ``prepare`` then derives or checks values (normalising a currency, a date order, …)
      and may raise a ``ValidationError`` of its own; the fields it may set beyond ``data``
      are ``derived`` (never taken from ``data``, saved like the others when they change);
    - the row is validated by the model (``full_clean`` without ``clean_exclude``), so the
      model's limits apply on every write path; its cleaning may normalise values too;
    - ``touch`` values (a hand-kept ``updated_at``) are set and saved along only when
      something changed;
    - what changed is compared with the stored row (a ModelForm bound to ``instance`` has
      already set the new values on it). When anything did, the row is saved with
      ``update_fields``: the allowed and derived fields (so values the model repairs on
      reading are written back), ``touch`` and the ``auto_now`` fields; the columns the
      service does not own are never written. A new row is inserted whole. ``save=False``
      checks only.
    """
    allowed = tuple(allowed)
    fields_check(data, allowed, what=what)
    columns = _columns(instance, (*allowed, *(n for n in derived if n not in allowed)))
    before = _stored(instance, columns)
    for name, value in data.items():
        setattr(instance, name, value)
    if prepare is not None:
        prepare(instance)
    instance.full_clean(exclude=list(clean_exclude))
    changed = [
        name
        for name, attname in columns.items()
        if name not in before or getattr(instance, attname) != before[name]
    ]
    if not save:
        return changed
    if changed and touch:
        for name, value in touch.items():
            setattr(instance, name, value)
    if instance._state.adding:
        instance.save()
    elif changed:
        stamps = [f.name for f in instance._meta.concrete_fields if getattr(f, "auto_now", False)]
        instance.save(update_fields=[*columns, *stamps, *(touch or {})])
    return changed
