"""Posting a reviewed résumé draft, shared by the import tests."""

from __future__ import annotations

from django.urls import reverse


def _review_post(client) -> dict[str, str]:
    """The review form as the browser would submit it, unchanged."""
    response = client.get(reverse("imports:review"))
    form = response.context
    data: dict[str, str] = {}
    profile_form = form["profile_form"]
    for field in profile_form:
        value = field.value()
        if field.widget_type == "checkbox":
            if value:
                data[field.html_name] = "on"
        elif value is not None:
            data[field.html_name] = str(value)
    for _, _, formset in form["sections"]:
        for field in formset.management_form:
            data[field.html_name] = str(field.value())
        for sub in formset.forms:
            for field in sub:
                if field.name == "DELETE" or field.field.disabled:
                    continue
                value = field.value()
                data[field.html_name] = "" if value is None else str(value)
    return data
