from django import forms

from matchday.core.choices import CompanySize, CompanyStage, Domain


class CandidateSignUpForm(forms.Form):
    full_name = forms.CharField(
        max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=False),
        help_text="At least 10 characters, not a common password.",
    )


class CompanySignUpForm(CandidateSignUpForm):
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
