"""The audit log's filters, in people's words: what happened and what it was about."""

from django import forms
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured


def target_label(target_type: str) -> str:
    """``"matchdays.proposal"`` -> ``"Proposal"``; an unknown type is shown as stored."""
    try:
        model = apps.get_model(target_type)
    except (LookupError, ValueError, ImproperlyConfigured):
        return target_type
    return str(model._meta.verbose_name).capitalize()


# The apps whose rows the audit log is about (Django's own tables never are).
OWN_APPS = (
    "accounts", "talent", "companies", "matchdays", "followup", "audits", "notifications", "api",
    "taxonomy", "imports",
)  # fmt: skip


def _target_type_choices() -> list:
    """Matchday's own records by their names; everything else (sign-in, Django's tables,
    which the admin can also touch) in a group of its own."""

    def named(models) -> list[tuple[str, str]]:
        pairs = [(m._meta.label_lower, target_label(m._meta.label_lower)) for m in models]
        return sorted(pairs, key=lambda c: (c[1], c[0]))

    models = apps.get_models()
    own = named(m for m in models if m._meta.app_label in OWN_APPS)
    other = named(m for m in models if m._meta.app_label not in OWN_APPS)
    return [("", "Anything"), *own, ("Other records", other)]


class AuditFilterForm(forms.Form):
    action = forms.CharField(
        label="What happened",
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"placeholder": "e.g. proposal.approve"}),
        help_text="The start of an action is enough: “candidate.vet” finds approvals and rejections.",
    )
    target_type = forms.ChoiceField(label="About", required=False, choices=_target_type_choices)
    # Set by the links in the table ("entries about this proposal"), never typed.
    target_id = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
