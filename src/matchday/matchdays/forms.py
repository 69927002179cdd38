"""Forms of the Match Day pages. They parse input; the services decide."""

from __future__ import annotations

import zoneinfo

from django import forms

from matchday.matchdays.models import MatchDay

TIMEZONE_CHOICES = [
    (z, z) for z in sorted(zoneinfo.available_timezones()) if "/" in z or z == "UTC"
]


class MatchDayForm(forms.Form):
    name = forms.CharField(max_length=120)
    release_at = forms.DateTimeField(
        label="Release date and time",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text="In the time zone below.",
    )
    interest_deadline = forms.DateTimeField(
        label="Interest deadline",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text="Companies decide before this moment (same time zone).",
    )
    release_timezone = forms.ChoiceField(choices=TIMEZONE_CHOICES, initial="UTC")
    candidate_cap = forms.IntegerField(label="K: proposals per candidate", min_value=1, initial=3)
    role_cap = forms.IntegerField(label="M: proposals per role", min_value=1, initial=10)
    policy = forms.ChoiceField(choices=MatchDay.Policy.choices, initial=MatchDay.Policy.OPTIMAL)

    def cleaned_for_service(self) -> dict:
        data = dict(self.cleaned_data)
        zone = zoneinfo.ZoneInfo(data["release_timezone"])
        for key in ("release_at", "interest_deadline"):
            data[key] = data[key].replace(tzinfo=None).replace(tzinfo=zone)
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class SwapForm(forms.Form):
    candidate = forms.IntegerField(label="Candidate profile id to swap in", min_value=1)
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class BulkApproveForm(forms.Form):
    min_score = forms.FloatField(label="Score at least", required=False, min_value=0, max_value=1)
    no_missing_requirements = forms.BooleanField(label="No missing requirements", required=False)
    role = forms.IntegerField(required=False, widget=forms.HiddenInput)


class InterestForm(forms.Form):
    offered_salary = forms.IntegerField(label="Offered salary", min_value=1)
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )
