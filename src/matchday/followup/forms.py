from django import forms

from matchday.accounts.models import User
from matchday.companies.models import Company
from matchday.core.choices import currency_choices
from matchday.core.money import format_band
from matchday.followup.models import Intro
from matchday.talent.models import Demographics

PREFER_NOT = ("", "Prefer not to say")


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CloseForm(forms.Form):
    reason = forms.CharField(
        label="Reason the candidate will read",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class _MemberOwnerMixin:
    def _limit_owner(self, company) -> None:
        self.fields["owner"].queryset = User.objects.filter(
            company=company, persona=User.Persona.COMPANY, is_active=True
        ).order_by("full_name", "pk")


class StepUpdateForm(_MemberOwnerMixin, forms.Form):
    owner = forms.ModelChoiceField(queryset=User.objects.none(), required=False)
    notes = forms.CharField(
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Internal to your company.",
    )

    def __init__(self, *args, company, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_owner(company)


class ScheduleForm(_MemberOwnerMixin, forms.Form):
    # Naive input is read in the active zone: the member's own (ViewerTimezoneMiddleware).
    scheduled_at = forms.DateTimeField(
        label="When", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    duration_minutes = forms.IntegerField(label="Minutes", min_value=15, max_value=480)
    location = forms.CharField(
        required=False, max_length=300, help_text="A video link or an address."
    )
    owner = forms.ModelChoiceField(queryset=User.objects.none(), required=False)

    def __init__(self, *args, company, zone_name: str = "UTC", **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_owner(company)
        self.fields["scheduled_at"].label = f"When ({zone_name})"


class OfferForm(forms.Form):
    """The company's written offer; the expiry is read in the member's own zone."""

    amount = forms.IntegerField(label="Amount", min_value=1, max_value=100_000_000)
    currency = forms.ChoiceField(choices=currency_choices)
    start_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    expires_at = forms.DateTimeField(
        label="The candidate answers by",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    notes = forms.CharField(
        label="Notes for the candidate (optional)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Equity, benefits, conditions of the offer.",
    )
    outside_band_reason = forms.CharField(
        label="Reason to go outside the band",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required only when the amount is outside the role's band.",
    )

    def __init__(self, *args, role, zone_name: str = "UTC", **kwargs):
        kwargs.setdefault("initial", {}).setdefault("currency", role.pay_currency)
        super().__init__(*args, **kwargs)
        band = format_band(role.pay_min, role.pay_max, role.pay_currency, role.pay_period)
        self.fields["amount"].help_text = f"The role's band: {band}."
        self.fields["expires_at"].label = f"The candidate answers by ({zone_name})"


class CompleteForm(forms.Form):
    notes = forms.CharField(
        label="Notes (internal, optional)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class HideCompanyForm(forms.Form):
    company = forms.ModelChoiceField(
        queryset=Company.objects.none(), label="Company", empty_label="Choose a company…"
    )

    def __init__(self, *args, hidden_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = Company.objects.exclude(pk__in=hidden_ids).order_by(
            "name"
        )


class DemographicsForm(forms.Form):
    sex = forms.ChoiceField(
        choices=[PREFER_NOT, *Demographics.Sex.choices], required=False, label="Sex"
    )
    race_ethnicity = forms.ChoiceField(
        choices=[PREFER_NOT, *Demographics.RaceEthnicity.choices],
        required=False,
        label="Race/ethnicity",
    )


# The largest id a query string may name (a 64-bit primary key); larger is a 400, not a 500.
MAX_ID = 2**63 - 1


class OversightFilterForm(forms.Form):
    company = forms.IntegerField(
        label="Company", required=False, min_value=1, max_value=MAX_ID, widget=forms.Select
    )
    matchday = forms.IntegerField(
        label="Match Day", required=False, min_value=1, max_value=MAX_ID, widget=forms.Select
    )
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any"), *Intro.Status.choices]
    )
    overdue = forms.BooleanField(label="Overdue only", required=False)
    escalated = forms.BooleanField(label="Escalated only", required=False)

    def __init__(self, *args, companies=(), matchdays=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["company"].widget.choices = [("", "Any"), *companies]
        self.fields["matchday"].widget.choices = [("", "Any"), *matchdays]


class NudgeForm(forms.Form):
    note = forms.CharField(
        label="Note to the owner (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReassignForm(_MemberOwnerMixin, forms.Form):
    owner = forms.ModelChoiceField(
        label="New owner", queryset=User.objects.none(), empty_label="Choose a member…"
    )

    def __init__(self, *args, company, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_owner(company)
        self.fields["owner"].label_from_instance = lambda user: user.full_name or user.email
