"""Upload forms, the draft review formsets, and the account deletion confirmation."""

from __future__ import annotations

from typing import Any

from django import forms
from django_countries import countries

from matchday.core.choices import SKILL_LEVEL_CHOICES
from matchday.imports import limits
from matchday.imports.jsonresume import TOO_LARGE as JSON_TOO_LARGE
from matchday.imports.parsers import TOO_LARGE
from matchday.talent.models import Link

DELETE_PHRASE = "delete my account"
DELETE_PHRASE_WRONG = f'Type "{DELETE_PHRASE}" to confirm.'


def _max_bytes() -> int:
    return limits.current().resume_max_bytes


class ResumeUploadForm(forms.Form):
    file = forms.FileField(
        label="Résumé",
        help_text="PDF, Word (.docx) or plain text, up to 5 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.txt,.md"}),
    )

    def clean_file(self):
        f = self.cleaned_data["file"]
        # Checked before reading a byte: the upload handler may have spooled it to disk.
        if f.size > _max_bytes():
            raise forms.ValidationError(TOO_LARGE.format(size=f.size, limit=_max_bytes()))
        return f


class JsonResumeUploadForm(forms.Form):
    json_file = forms.FileField(
        label="JSON Resume file",
        help_text="A resume.json in the JSON Resume v1 format.",
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )

    def clean_json_file(self):
        f = self.cleaned_data["json_file"]
        limit = limits.current().json_max_bytes
        if f.size > limit:  # before reading a byte, like the résumé form
            raise forms.ValidationError(JSON_TOO_LARGE.format(size=f.size, limit=limit))
        return f


class ProfileDraftForm(forms.Form):
    headline = forms.CharField(max_length=160, required=False)
    summary = forms.CharField(
        max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    city = forms.CharField(max_length=100, required=False)
    # The same control as the profile's location section: the list of countries.
    country = forms.ChoiceField(choices=lambda: [("", "—"), *countries], required=False)
    years_experience = forms.DecimalField(
        max_digits=4, decimal_places=1, min_value=0, required=False, label="Years of experience"
    )
    apply_preferences = forms.BooleanField(
        required=False,
        initial=True,
        label="Also import the preferences in the file (role types, locations, minimum pay, …)",
    )

    def __init__(self, *args, has_preferences: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not has_preferences:
            del self.fields["apply_preferences"]


class ExperienceDraftForm(forms.Form):
    employer = forms.CharField(max_length=160)
    title = forms.CharField(max_length=160, required=False)
    start = forms.DateField(required=False, help_text="YYYY-MM-DD")
    end = forms.DateField(required=False, help_text="Empty while current.")
    description = forms.CharField(
        max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The end is before the start.")
        return data


class EducationDraftForm(forms.Form):
    school = forms.CharField(max_length=160)
    degree = forms.CharField(max_length=160, required=False)
    field = forms.CharField(max_length=160, required=False)
    end_year = forms.IntegerField(min_value=1900, max_value=2100, required=False)


class SkillDraftForm(forms.Form):
    skill_id = forms.CharField(widget=forms.HiddenInput)
    label = forms.CharField(label="Skill", disabled=True, required=False)
    level = forms.TypedChoiceField(choices=SKILL_LEVEL_CHOICES, coerce=int)
    years = forms.DecimalField(max_digits=4, decimal_places=1, min_value=0)
    evidence = forms.CharField(
        max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class LinkDraftForm(forms.Form):
    kind = forms.ChoiceField(choices=Link.Kind.choices)
    title = forms.CharField(max_length=160, required=False)
    url = forms.URLField(max_length=500, assume_scheme="https")


class AchievementDraftForm(forms.Form):
    """A drafted story is a suggestion: it reaches the profile (and takes one of its three
    slots) only when the candidate ticks it; an unticked one is not checked either."""

    KEEP_NEEDS = "Fill this in to keep the story, or untick “Add to my profile”."

    keep = forms.BooleanField(required=False, label="Add to my profile")
    title = forms.CharField(max_length=160, required=False)
    problem = forms.CharField(
        max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    constraints = forms.CharField(
        max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    options = forms.CharField(
        label="Options considered",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    decision = forms.CharField(
        max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    result = forms.CharField(
        label="Measured result",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        data = super().clean()
        if data.get("keep"):
            for name in ("title", "problem", "result"):
                if not data.get(name):
                    self.add_error(name, self.KEEP_NEEDS)
        return data


def _formset(form_class):
    return forms.formset_factory(form_class, extra=0, can_delete=True, max_num=200)


SECTIONS: dict[str, Any] = {
    "experiences": _formset(ExperienceDraftForm),
    "education": _formset(EducationDraftForm),
    "skills": _formset(SkillDraftForm),
    "links": _formset(LinkDraftForm),
    "achievements": forms.formset_factory(AchievementDraftForm, extra=0, max_num=200),
}
SECTION_TITLES = {
    "experiences": "Work history",
    "education": "Education",
    "skills": "Skills (mapped to the taxonomy, with the line they were found on)",
    "links": "Links",
    "achievements": "Achievement suggestions (tick the ones to add; a profile holds three)",
}


class DeleteAccountForm(forms.Form):
    confirm = forms.CharField(label=f'Type "{DELETE_PHRASE}" to confirm', max_length=40, strip=True)

    def clean_confirm(self):
        value = self.cleaned_data["confirm"]
        if value.lower() != DELETE_PHRASE:
            raise forms.ValidationError(DELETE_PHRASE_WRONG)
        return value
