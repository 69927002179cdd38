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
