"""Form helpers shared by every page: service errors land on the field they name.

A view that calls a service with a form's data shows the service's ``ValidationError`` one
way: :func:`apply_service_errors` puts it on the form (keyed errors on their fields,
the rest as the form's non-field errors). A page that re-renders the form shows them there; a
page that redirects flashes the form's errors with :func:`flash_errors` (which also flashes
the refusal of an action that has no form).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def apply_service_errors(
    form: forms.BaseForm, exc: ValidationError, *, default_field: str | None = None
) -> None:
    """Attach a service's ``ValidationError`` to ``form``: keyed errors on their fields
    (when the form has that field), everything else on ``default_field`` (or as a
    non-field error)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(default_field if default_field in form.fields else None, exc.messages)


def error_messages(source: forms.BaseForm | ValidationError) -> list[str]:
    """What to flash for ``source``: each of a form's errors (after its field's label), or
    the messages of a ``ValidationError``."""
    if isinstance(source, ValidationError):
        return list(source.messages)
    shown = []
    for field, errors in source.errors.items():
        label = source.fields[field].label if field in source.fields else None
        text = " ".join(errors)
        shown.append(f"{label}: {text}" if label else text)
    return shown


def flash_errors(request: HttpRequest, source: forms.BaseForm | ValidationError) -> None:
    """Flash ``source``'s errors (see :func:`error_messages`) for the page redirected to."""
    for text in error_messages(source):
        messages.error(request, text)


def split_list(value: str) -> list[str]:
    """``"Berlin, Paris;  Lisbon"`` -> ``["Berlin", "Paris", "Lisbon"]`` (order kept, no blanks,
    no duplicates)."""
    items = [part.strip() for part in value.replace(";", ",").split(",")]
    return list(dict.fromkeys(item for item in items if item))


class CommaListField(forms.CharField):
    """A list of short strings typed as one comma-separated line."""

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    def to_python(self, value):
        return split_list(super().to_python(value) or "")


def status_for(*forms_: forms.BaseForm | None) -> int:
    """422 when any bound form on the page is invalid (so nothing typed is lost), else 200."""
    return 422 if any(f is not None and f.is_bound and f.errors for f in forms_) else 200
