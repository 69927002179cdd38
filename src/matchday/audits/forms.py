from django import forms
from django.apps import apps


def _target_type_choices() -> list[tuple[str, str]]:
    labels = sorted(model._meta.label_lower for model in apps.get_models())
    return [("", "Any"), *((label, label) for label in labels)]


class AuditFilterForm(forms.Form):
    action = forms.CharField(
        required=False, max_length=64, help_text="A prefix, e.g. candidate.vet or role."
    )
    target_type = forms.ChoiceField(label="Target", required=False, choices=_target_type_choices)
    target_id = forms.CharField(label="Target id", required=False, max_length=64)
