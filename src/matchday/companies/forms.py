"""Forms of the company pages: company details, members, vetting, and the role editor.

The rules live in ``companies.services`` and ``core.money``; these forms parse what was
typed and call the same validators so their messages land inline on the right field.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from matchday.accounts.forms import SignUpForm
from matchday.companies.interview_templates import template_choices
from matchday.companies.models import (
    MAX_STEP_LINKS,
    TOO_MANY_STEP_LINKS,
    VETTING_CHECKLIST,
    Company,
    InterviewStep,
    Role,
    RoleSkill,
)
from matchday.companies.services import DUPLICATE_ROLE_SKILL, ROLE_FIELDS, ROLE_LEVEL_UNKNOWN
from matchday.core.choices import (
    SKILL_LEVEL_CHOICES,
    CompanySize,
    CompanyStage,
    Domain,
    Level,
    currency_choices,
)
from matchday.core.fields import validate_public_url
from matchday.core.forms import CommaListField
from matchday.core.money import validate_pay_band
from matchday.core.timezones import zone_choices
from matchday.talent.forms import SkillField, resolve_skill
from matchday.taxonomy.services import skill_lookup

YEARS_RANGE_REVERSED = "The maximum years must be at least the minimum ({min})."
WEIGHT_CHOICES = [(i, str(i)) for i in range(1, 6)]


class CompanyForm(forms.ModelForm):
    domains = forms.MultipleChoiceField(
        choices=Domain.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Company
        fields = ["name", "website", "size", "stage", "domains", "description", "timezone"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["timezone"] = forms.ChoiceField(
            label="Time zone",
            required=False,
            choices=[("", "UTC"), *zone_choices()],
            help_text=Company._meta.get_field("timezone").help_text,
        )

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class MemberAddForm(forms.Form):
    full_name = forms.CharField(max_length=150)
    email = forms.EmailField()
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="A first password for your colleague (at least 10 characters).",
    )


class CompanyVetForm(forms.Form):
    """Checklist + notes; the decision comes from the button pressed."""

    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("reject", "Reject")])
    notes = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when rejecting; the company sees it.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label in VETTING_CHECKLIST.items():
            self.fields[f"check_{key}"] = forms.BooleanField(required=False, label=label)

    def checklist(self) -> dict[str, bool]:
        return {key: bool(self.cleaned_data.get(f"check_{key}")) for key in VETTING_CHECKLIST}

    def checklist_fields(self):
        return [self[f"check_{key}"] for key in VETTING_CHECKLIST]


class RoleForm(forms.ModelForm):
    accepted_levels = forms.MultipleChoiceField(
        label="Also open to",
        choices=Level.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Other levels you would also hire at; the role's own level always counts.",
        # The service's message, with Django's placeholder for the refused value.
        error_messages={
            "invalid_choice": ROLE_LEVEL_UNKNOWN.format(
                level="%(value)s", choices=", ".join(Level.values)
            )
        },
    )
    allowed_timezones = CommaListField(
        required=False, max_length=1000, help_text="IANA names, comma-separated."
    )
    cities = CommaListField(required=False, max_length=1000, help_text="Comma-separated.")
    pay_currency = forms.ChoiceField(label="Currency", choices=())

    class Meta:
        model = Role
        fields = list(ROLE_FIELDS)
        labels = {
            "pay_min": "Pay band minimum",
            "pay_max": "Pay band maximum",
            "pay_period": "Period",
            "years_min": "Years of experience, minimum",
            "years_max": "Years of experience, maximum",
            "allowed_countries": "Countries remote hires may work from",
        }
        help_texts = {"allowed_countries": "Hold Ctrl (⌘ on a Mac) to choose several."}
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in [
                "description",
                "responsibilities",
                "equity",
                "benefits",
                "interview_overview",
            ]
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pay_currency"].choices = [("", "—"), *currency_choices()]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if {"pay_min", "pay_max", "pay_currency"} <= set(data):
            try:
                validate_pay_band(
                    pay_min=data["pay_min"],
                    pay_max=data["pay_max"],
                    currency=data["pay_currency"],
                )
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    self.add_error(field, messages)
        years_min, years_max = data.get("years_min"), data.get("years_max")
        if years_min is not None and years_max is not None and years_max < years_min:
            self.add_error("years_max", YEARS_RANGE_REVERSED.format(min=years_min))
        return data

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class RoleSkillForm(forms.Form):
    skill = SkillField(required=False)
    kind = forms.ChoiceField(choices=RoleSkill.Kind.choices, initial=RoleSkill.Kind.REQUIRED)
    min_level = forms.TypedChoiceField(
        label="Minimum level", choices=SKILL_LEVEL_CHOICES, coerce=int, initial=3
    )
    weight = forms.TypedChoiceField(choices=WEIGHT_CHOICES, coerce=int, initial=1)

    def clean_skill(self) -> str:
        name = self.cleaned_data["skill"].strip()
        return resolve_skill(name) if name else ""


class BaseRoleSkillFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        seen: dict[str, str] = {}
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form):
                continue
            name = form.cleaned_data.get("skill")
            if not name:
                continue
            skill_id = skill_lookup(name).skill_id
            if skill_id in seen:
                typed = form.data.get(form.add_prefix("skill"), skill_id)
                form.add_error("skill", DUPLICATE_ROLE_SKILL.format(skill=typed))
            seen[skill_id] = skill_id
        if any(self.errors):
            raise ValidationError("Each skill may appear only once; see the marked rows.")

    def service_data(self) -> list[dict[str, Any]]:
        return [
            {
                "skill_id": form.cleaned_data["skill"],
                "kind": form.cleaned_data["kind"],
                "min_level": form.cleaned_data["min_level"],
                "weight": form.cleaned_data["weight"],
            }
            for form in self.forms
            if form.cleaned_data.get("skill")
            and not (self.can_delete and self._should_delete_form(form))
        ]


RoleSkillFormSet = forms.formset_factory(
    RoleSkillForm, formset=BaseRoleSkillFormSet, extra=3, can_delete=True, max_num=40
)


class StepLinksField(forms.CharField):
    """Up to ``MAX_STEP_LINKS`` public http(s) links, typed one per line."""

    widget = forms.Textarea(attrs={"rows": 2})

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(value)
        return value

    def to_python(self, value) -> list[str]:
        text = super().to_python(value) or ""
        return list(dict.fromkeys(line.strip() for line in text.splitlines() if line.strip()))

    def validate(self, value: list[str]) -> None:
        if len(value) > MAX_STEP_LINKS:
            raise ValidationError(TOO_MANY_STEP_LINKS)
        errors = []
        for url in value:
            try:
                validate_public_url(url)
            except ValidationError as exc:
                errors += [f"{url[:80]}: {message}" for message in exc.messages]
        if errors:
            raise ValidationError(errors)


class InterviewStepForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(max_length=120, required=False)
    format = forms.ChoiceField(choices=[("", "—"), *InterviewStep.Format.choices], required=False)
    duration_minutes = forms.IntegerField(
        label="Minutes", min_value=5, max_value=600, initial=60, required=False
    )
    interviewers = forms.CharField(
        label="Who interviews",
        max_length=200,
        required=False,
        help_text="Roles, not names: “hiring manager and a staff engineer”.",
    )
    description = forms.CharField(label="What happens", max_length=2000, required=False)
    assesses = forms.CharField(
        label="What it assesses",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    preparation = forms.CharField(
        label="What to prepare",
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Candidates read this from the moment their intro is released.",
    )
    links = StepLinksField(
        label="Links to public material",
        max_length=2600,
        required=False,
        help_text=f"One http(s) link per line, up to {MAX_STEP_LINKS}.",
    )


class BaseInterviewStepFormSet(forms.BaseFormSet):
    def service_data(self) -> list[dict[str, Any]]:
        return [
            {
                **({"id": form.cleaned_data["id"]} if form.cleaned_data.get("id") else {}),
                "name": form.cleaned_data["name"],
                "format": form.cleaned_data.get("format", ""),
                "description": form.cleaned_data.get("description", ""),
                "duration_minutes": form.cleaned_data.get("duration_minutes") or 60,
                "interviewers": form.cleaned_data.get("interviewers", ""),
                "assesses": form.cleaned_data.get("assesses", ""),
                "preparation": form.cleaned_data.get("preparation", ""),
                "links": form.cleaned_data.get("links") or [],
            }
            for form in self.ordered_forms
            if form.cleaned_data.get("name")
        ]


class InterviewTemplateForm(forms.Form):
    """Start the interview process from a role family's template (a GET form)."""

    template = forms.ChoiceField(
        label="Start the interview process from a template",
        choices=[("", "—"), *template_choices()],
        required=False,
    )


InterviewStepFormSet = forms.formset_factory(
    InterviewStepForm,
    formset=BaseInterviewStepFormSet,
    extra=2,
    can_order=True,
    can_delete=True,
    max_num=20,
)


def role_skill_initial(role: Role) -> list[dict[str, Any]]:
    return [
        {"skill": rs.skill.label, "kind": rs.kind, "min_level": rs.min_level, "weight": rs.weight}
        for rs in role.skills.all()
    ]


STEP_INITIAL_FIELDS = (
    "name", "format", "description", "duration_minutes", "interviewers", "assesses",
    "preparation", "links",
)  # fmt: skip


def interview_step_initial(role: Role) -> list[dict[str, Any]]:
    return [
        {"id": s.pk, **{f: getattr(s, f) for f in STEP_INITIAL_FIELDS}, "ORDER": i + 1}
        for i, s in enumerate(role.interview_steps.all())
    ]


def template_step_initial(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A template's steps as the formset's initial rows (new steps: no ids)."""
    return [
        {**{f: s.get(f, "") for f in STEP_INITIAL_FIELDS}, "ORDER": i + 1}
        for i, s in enumerate(steps)
    ]


class CompanySignUpForm(SignUpForm):
    company_name = forms.CharField(max_length=120)
    website = forms.URLField(max_length=300, assume_scheme="https")
    size = forms.ChoiceField(choices=CompanySize.choices)
    stage = forms.ChoiceField(choices=CompanyStage.choices)
    domains = forms.MultipleChoiceField(
        choices=Domain.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=4000
    )

    field_order = [
        "company_name",
        "website",
        "size",
        "stage",
        "domains",
        "description",
        "full_name",
        "email",
        "password",
    ]
