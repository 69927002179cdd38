from django import forms

from matchday.engine.taxonomy import CATEGORIES
from matchday.taxonomy.models import TaxonomyChange


class SkillNameMapForm(forms.Form):
    """One click on the partners' unmapped-names page: which name, and what it becomes."""

    skill = forms.CharField(max_length=80, widget=forms.HiddenInput)
    kind = forms.ChoiceField(choices=TaxonomyChange.Kind.choices, widget=forms.HiddenInput)
    target = forms.CharField(max_length=60, required=False)
    category = forms.ChoiceField(choices=[("", "—"), *((c, c) for c in CATEGORIES)], required=False)
