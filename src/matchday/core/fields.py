"""Model fields for text people type, and the one check every service runs on it.

* :class:`LineField` — a name or a title: one line. Line breaks (CR, LF, U+2028, ...),
  tabs and control characters become single spaces, in ``full_clean`` *and* on every save,
  so a company name can never carry a CRLF into an e-mail header again.
* :class:`BoundedTextField` — free text whose ``max_length`` is enforced by ``full_clean``
  (Django's ``TextField`` only passes it to the form widget), with line endings normalised
  and control characters other than newline and tab removed.
* :func:`clean_value` — what a service calls on a text argument it stores without a full
  ``full_clean`` (a reason, a note): the model field's own cleaning and validators, so the
  limit is the model's, on every path (pages, API, imports, tasks).
* :func:`fit` — for text the system must store whatever it holds (an audit entry's copy of
  a reason, a message subject built from names): normalised the same way, then cut to the
  field's ``max_length``.

* :func:`validate_public_url` — a link people click: ``http``/``https`` only, a public host
  name (no IP address, no ``localhost``/``.local``/``.internal`` names), no credentials.

Both fields keep the migration identity of the Django field they extend (``deconstruct``
returns Django's path): they change Python-side behaviour only, not the schema.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any
from urllib.parse import urlsplit

from django.core import validators
from django.core.exceptions import ValidationError
from django.db import models

# C0 and C1 control characters, DEL.
_CONTROLS = "".join(map(chr, [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]))
_LINE_BREAKS_RE = re.compile(r"\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_SPACES_RE = re.compile(rf"[\s{re.escape(_CONTROLS)}]+")
_TEXT_CONTROLS = dict.fromkeys(ord(c) for c in _CONTROLS if c not in "\n\t")


def single_line(value: str) -> str:
    """``value`` on one line: every run of whitespace, line breaks and control characters
    becomes one space; stripped.

    >>> single_line("Acme\\r\\nBcc: victim@example.org\\x00 Inc ")
    'Acme Bcc: victim@example.org Inc'
    """
    return _SPACES_RE.sub(" ", value).strip()


def multi_line(value: str) -> str:
    """``value`` with ``\\n`` line endings and no control characters but newline and tab;
    stripped.

    >>> multi_line("Line one\\r\\nLine two\\x07\\u2028three ")
    'Line one\\nLine two\\nthree'
    """
    return _LINE_BREAKS_RE.sub("\n", value).translate(_TEXT_CONTROLS).strip()


class LineField(models.CharField):
    """A ``CharField`` for names and titles: always one line (see :func:`single_line`)."""

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        return single_line(value) if isinstance(value, str) else value

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = getattr(model_instance, self.attname)
        if isinstance(value, str):
            value = single_line(value)
            setattr(model_instance, self.attname, value)
        return value

    def deconstruct(self) -> Any:
        name, _, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs


class BoundedTextField(models.TextField):
    """A ``TextField`` whose ``max_length`` ``full_clean`` enforces, like a ``CharField``'s."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators.append(validators.MaxLengthValidator(self.max_length))

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        return multi_line(value) if isinstance(value, str) else value

    def deconstruct(self) -> Any:
        name, _, args, kwargs = super().deconstruct()
        return name, "django.db.models.TextField", args, kwargs


def clean_value(model: type[models.Model], field: str, value: Any, *, key: str = "") -> Any:
    """``value`` cleaned and validated by ``model``'s field ``field`` (its normalisation, its
    ``max_length``, its validators), or a ``ValidationError`` keyed by ``key`` (default: the
    field's name). ``None`` counts as empty text.

    >>> from matchday.matchdays.models import Interest
    >>> clean_value(Interest, "note", "  Keen\\r\\n ")
    'Keen'
    """
    model_field = model._meta.get_field(field)
    if value is None and isinstance(model_field, models.CharField | models.TextField):
        value = ""
    try:
        return model_field.clean(value, None)
    except ValidationError as exc:
        raise ValidationError({key or field: exc.messages}) from None


def fit(model: type[models.Model], field: str, value: str | None) -> str:
    """``value`` normalised as ``model``'s field ``field`` normalises it and cut to its
    ``max_length`` (ending in "…" when cut).

    >>> from matchday.notifications.models import Message
    >>> fit(Message, "subject", "New intro:\r\n" + "x" * 300)[-12:]
    'xxxxxxxxxxx…'
    """
    model_field = model._meta.get_field(field)
    text = model_field.to_python(value or "")
    limit = model_field.max_length
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def rows_on_one_line(model: type[models.Model], fields: list[str]) -> int:
    """Put ``fields`` of every stored row of ``model`` on one line (``single_line``), for the
    data migrations of fields that became :class:`LineField`; returns how many rows changed.
    Only rows holding a CR, LF or tab are read."""
    dirty = models.Q()
    for field in fields:
        for char in "\r\n\t":
            dirty |= models.Q(**{f"{field}__contains": char})
    changed = 0
    for row in model.objects.filter(dirty).iterator():
        for field in fields:
            setattr(row, field, single_line(getattr(row, field)))
        row.save(update_fields=fields)
        changed += 1
    return changed


PUBLIC_URL_MAX = 500
URL_NOT_PUBLIC = "Give a public http(s) link, for example https://example.org/guide."
URL_TOO_LONG = f"A link may be at most {PUBLIC_URL_MAX} characters."
_PRIVATE_SUFFIXES = (".local", ".localhost", ".internal", ".lan", ".home", ".corp", ".intranet")
_url_syntax = validators.URLValidator(schemes=["http", "https"])


def validate_public_url(value: str) -> None:
    """Refuse anything but a public ``http(s)`` link: another scheme (``javascript:``,
    ``file:``, ``data:``), credentials in the link, an IP address or a private host name.

    >>> validate_public_url("https://jobs.example.org/prep#system-design")
    >>> validate_public_url("javascript:alert(1)")
    Traceback (most recent call last):
    ...
    django.core.exceptions.ValidationError: ['Give a public http(s) link, for example https://example.org/guide.']
    """
    if len(value) > PUBLIC_URL_MAX:
        raise ValidationError(URL_TOO_LONG, code="url_too_long")
    try:
        _url_syntax(value)
    except ValidationError:
        raise ValidationError(URL_NOT_PUBLIC, code="not_public") from None
    parts = urlsplit(value)
    host = (parts.hostname or "").rstrip(".").lower()
    if parts.username or parts.password or "." not in host or host.endswith(_PRIVATE_SUFFIXES):
        raise ValidationError(URL_NOT_PUBLIC, code="not_public")
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return
    raise ValidationError(URL_NOT_PUBLIC, code="not_public")
