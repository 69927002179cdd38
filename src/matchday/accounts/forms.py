from django import forms


class SignUpForm(forms.Form):
    """What every sign-up asks; ``CompanySignUpForm`` (companies) adds the company."""

    full_name = forms.CharField(
        max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=False),
        help_text="At least 10 characters, not a common password.",
    )


class TimezoneForm(forms.Form):
    def __init__(self, *args, default: str, **kwargs):
        super().__init__(*args, **kwargs)
        from matchday.core.timezones import zone_choices

        self.fields["timezone"] = forms.ChoiceField(
            label="Your time zone",
            required=False,
            choices=[("", f"Automatic ({default})"), *zone_choices()],
        )
