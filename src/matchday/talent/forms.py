"""Forms of the candidate's profile editor and the partner's candidate pages.

Forms parse and check what the user typed; the services in ``talent.services`` do the
writes and own the rules, and their errors are attached back to these forms.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django_countries import countries

from matchday.core.choices import (
    SKILL_LEVEL_CHOICES,
    CompanySize,
    CompanyStage,
    Domain,
    Level,
    Preference,
    RoleType,
    currency_choices,
)
from matchday.core.forms import CommaListField
from matchday.talent.models import (
    Achievement,
    CandidateProfile,
    Education,
    Experience,
    Link,
    PartnerNote,
)
from matchday.talent.services import END_BEFORE_START, NEGATIVE_YEARS

WEIGHT_CHOICES = [(0, "0 — don't care"), (1, "1 — nice"), (2, "2 — important"), (3, "3 — very")]
PAY_NEEDS_CURRENCY = "Choose the currency of your minimum pay."


def resolve_skill(name: str) -> str:
    """What a skill field gives the services: the taxonomy id of a name the taxonomy knows
    (label, id or alias), else the typed name itself, cleaned; the services keep it as an
    open skill (``taxonomy.services.skill_lookup``). Only an empty name, one without letters
    or digits, or one that is too long is a ``ValidationError``."""
    from matchday.taxonomy.services import skill_lookup

    try:
        ref = skill_lookup(name)
    except ValidationError as exc:
        raise forms.ValidationError(exc.messages) from None
    return ref.skill_id if ref.known else ref.label


def skill_input(list_id: str = "skill-options") -> forms.TextInput:
    """A text input wired to the taxonomy autocomplete: htmx fills the ``<datalist>`` with
    id ``list_id`` (one per page, shared by every skill input on it)."""
    from django.urls import reverse_lazy

    return forms.TextInput(
        attrs={
            "autocomplete": "off",
            "list": list_id,
            "hx-get": reverse_lazy("taxonomy:autocomplete"),
            "hx-trigger": "input changed delay:150ms",
            "hx-target": f"#{list_id}",
            "hx-swap": "innerHTML",  # not inherited from a form that swaps its whole section
            "hx-sync": "this:replace",
            "placeholder": "Start typing: PyTorch, k8s, RAG…",
        }
    )


class SkillField(forms.CharField):
    """A typed skill name: a taxonomy skill's name or alias, or any other name, which is kept
    as a skill outside the taxonomy (never refused, never dropped)."""

    def __init__(self, **kwargs: Any) -> None:
        from matchday.taxonomy.services import MAX_SKILL_NAME_CHARS

        kwargs.setdefault("max_length", MAX_SKILL_NAME_CHARS)
        kwargs.setdefault("widget", skill_input())
        kwargs.setdefault(
            "help_text", "Pick a listed skill, or type any other skill name: it is kept as typed."
        )
        super().__init__(**kwargs)


class PreferenceFieldsMixin:
    """Adds, for each preference this section owns, a dealbreaker switch and a weight 0–3."""

    preference_keys: tuple[str, ...] = ()

    def add_preference_fields(self, profile: CandidateProfile) -> None:
        for key in self.preference_keys:
            label = Preference(key).label
            self.fields[f"{key}_dealbreaker"] = forms.BooleanField(
                required=False,
                label=f"{label}: a dealbreaker",
                initial=key in (profile.dealbreakers or []),
                widget=forms.CheckboxInput(attrs={"role": "switch"}),
                help_text="Roles that do not meet it are never proposed.",
            )
            self.fields[f"{key}_weight"] = forms.TypedChoiceField(
                choices=WEIGHT_CHOICES,
                coerce=int,
                label=f"{label}: weight when not a dealbreaker",
                initial=(profile.preference_weights or {}).get(key, 1),
            )

    def preference_data(self, profile: CandidateProfile) -> dict[str, Any]:
        data: dict[str, Any] = self.cleaned_data  # type: ignore[attr-defined]
        kept = [k for k in (profile.dealbreakers or []) if k not in self.preference_keys]
        chosen = [k for k in self.preference_keys if data.get(f"{k}_dealbreaker")]
        weights = dict(profile.preference_weights or {})
        weights.update({k: data[f"{k}_weight"] for k in self.preference_keys})
        return {"dealbreakers": kept + chosen, "preference_weights": weights}


class ProfileSectionForm(PreferenceFieldsMixin, forms.ModelForm):
    """One section of the profile; ``service_data()`` is what ``profile_update`` receives."""

    title = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_preference_fields(self.instance)

    def service_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self._meta.fields}
        if self.preference_keys:
            data.update(self.preference_data(self.instance))
        return data


class BasicsForm(ProfileSectionForm):
    title = "Basics"

    class Meta:
        model = CandidateProfile
        fields = ["headline", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}


class LocationForm(ProfileSectionForm):
    title = "Location and remote work"
    preference_keys = (Preference.LOCATION,)
    acceptable_cities = CommaListField(
        required=False, help_text="Comma-separated, e.g. Berlin, Amsterdam.", max_length=1000
    )

    class Meta:
        model = CandidateProfile
        fields = [
            "country",
            "city",
            "timezone",
            "remote_preference",
            "acceptable_countries",
            "acceptable_cities",
            "work_authorization",
        ]
        labels = {
            "acceptable_countries": "Countries you would work in",
            "work_authorization": "Countries where you are authorised to work",
            "remote_preference": "Remote preference",
            "timezone": "Time zone",
        }
        help_texts = {
            "acceptable_countries": "Hold Ctrl (⌘ on a Mac) to choose several.",
            "work_authorization": "Hold Ctrl (⌘ on a Mac) to choose several.",
        }


class ExperienceForm(ProfileSectionForm):
    title = "Experience and level"
    years_experience = forms.DecimalField(
        label="Years of experience",
        min_value=0,
        max_digits=4,
        decimal_places=1,
        error_messages={"min_value": NEGATIVE_YEARS},
    )

    class Meta:
        model = CandidateProfile
        fields = ["years_experience", "level"]


def _checkboxes(choices: Any, label: str) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        choices=choices, required=False, label=label, widget=forms.CheckboxSelectMultiple
    )


class WantsForm(ProfileSectionForm):
    title = "What you want"
    preference_keys = (
        Preference.ROLE_TYPE,
        Preference.DOMAIN,
        Preference.COMPANY_STAGE,
        Preference.COMPANY_SIZE,
        Preference.PAY,
    )
    role_types = _checkboxes(RoleType.choices, "Role types")
    domains = _checkboxes(Domain.choices, "Domains")
    company_stages = _checkboxes(CompanyStage.choices, "Company stages")
    company_sizes = _checkboxes(CompanySize.choices, "Company sizes")
    min_pay_amount = forms.IntegerField(
        label="Minimum pay", min_value=1, required=False, help_text="Whole units, before tax."
    )
    min_pay_currency = forms.ChoiceField(label="Currency", required=False, choices=())

    class Meta:
        model = CandidateProfile
        fields = [
            "role_types",
            "domains",
            "company_stages",
            "company_sizes",
            "min_pay_amount",
            "min_pay_currency",
            "min_pay_period",
        ]
        labels = {"min_pay_period": "Period"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["min_pay_currency"].choices = [("", "—"), *currency_choices()]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("min_pay_amount") is not None and not data.get("min_pay_currency"):
            self.add_error("min_pay_currency", PAY_NEEDS_CURRENCY)
        return data


SECTIONS: dict[str, type[ProfileSectionForm]] = {
    "basics": BasicsForm,
    "location": LocationForm,
    "experience": ExperienceForm,
    "wants": WantsForm,
}


class CandidateSkillForm(forms.Form):
    skill = SkillField()
    level = forms.TypedChoiceField(choices=SKILL_LEVEL_CHOICES, coerce=int, initial=3)
    years = forms.DecimalField(
        min_value=0,
        max_digits=4,
        decimal_places=1,
        initial=0,
        error_messages={"min_value": NEGATIVE_YEARS},
    )
    evidence = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Where you used it and what came of it.",
    )

    def clean_skill(self) -> str:
        return resolve_skill(self.cleaned_data["skill"])


class CandidateSkillEditForm(forms.Form):
    level = forms.TypedChoiceField(choices=SKILL_LEVEL_CHOICES, coerce=int)
    years = forms.DecimalField(
        min_value=0, max_digits=4, decimal_places=1, error_messages={"min_value": NEGATIVE_YEARS}
    )
    evidence = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class AchievementForm(forms.ModelForm):
    class Meta:
        model = Achievement
        fields = ["title", "problem", "constraints", "options", "decision", "result"]
        widgets = {
            name: forms.Textarea(attrs={"rows": 2})
            for name in ["problem", "constraints", "options", "decision", "result"]
        }
        help_texts = {
            "problem": "What was wrong, and for whom?",
            "constraints": "Budget, time, people, hardware…",
            "options": "What you weighed up.",
            "decision": "What you chose, and why.",
            "result": "A number: latency, cost, accuracy, time saved.",
        }


class WorkHistoryForm(forms.ModelForm):
    """One job of the candidate's work history."""

    class Meta:
        model = Experience
        fields = ["title", "employer", "start", "end", "description"]
        labels = {"title": "Job title", "start": "Started", "end": "Ended"}
        widgets = {
            "start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "end": "Leave empty while you work there.",
            "description": "What you did there; one line per point.",
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", END_BEFORE_START)
        return data


class EducationForm(forms.ModelForm):
    class Meta:
        model = Education
        fields = ["degree", "field", "school", "end_year"]
        labels = {"degree": "Degree or course", "field": "Field", "end_year": "Year finished"}
        widgets = {"end_year": forms.NumberInput(attrs={"min": 1950, "max": 2100})}

    def clean_end_year(self) -> int | None:
        year = self.cleaned_data.get("end_year")
        if year is not None and not 1950 <= year <= 2100:
            raise forms.ValidationError("Enter a year between 1950 and 2100.")
        return year


class LinkForm(forms.ModelForm):
    class Meta:
        model = Link
        fields = ["kind", "title", "url"]
        labels = {"url": "URL"}


class CandidateSearchForm(forms.Form):
    """The partner's candidate search; every field optional."""

    skill = SkillField(required=False, help_text="Taxonomy id or alias.")
    level = forms.ChoiceField(choices=[("", "Any level"), *Level.choices], required=False)
    country = forms.ChoiceField(choices=lambda: [("", "Any country"), *countries], required=False)
    status = forms.ChoiceField(
        choices=[("", "Any status"), *CandidateProfile.Status.choices], required=False
    )
    note = forms.CharField(
        label="Partner notes mention",
        max_length=100,
        required=False,
        help_text="Words from partners' notes, e.g. “product management”.",
    )

    def clean_skill(self) -> str:
        """The skill id to search for: a taxonomy skill, or the open skill of the name."""
        from matchday.taxonomy.services import skill_lookup

        name = self.cleaned_data["skill"].strip()
        if not name:
            return ""
        try:
            return skill_lookup(name).skill_id
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from None


class PartnerNoteForm(forms.ModelForm):
    class Meta:
        model = PartnerNote
        fields = ["topic", "body"]
        labels = {"body": "Note"}
        help_texts = {
            "body": "Partners only: never shown to companies or on the candidate's pages; "
            "it is in the candidate's data export and deleted with their account."
        }
        widgets = {"body": forms.Textarea(attrs={"rows": 3, "maxlength": 4000})}


class CandidateVetForm(forms.Form):
    # Sent by the button pressed ("approve" or "reject"), not rendered as a field.
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("reject", "Reject")])
    reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when rejecting; the candidate sees it.",
    )
