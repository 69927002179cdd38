"""Form helpers shared by every page: service errors land on the field they name."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


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
