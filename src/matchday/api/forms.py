from django import forms


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        max_length=80,
        label="Key name",
        help_text="What this key is for, e.g. “ATS sync”. Only you see it.",
    )
