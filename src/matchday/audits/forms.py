from django import forms


class AuditFilterForm(forms.Form):
    action = forms.CharField(
        required=False, max_length=64, help_text="A prefix, e.g. candidate.vet or role."
    )
    target_type = forms.ChoiceField(label="Target", required=False, choices=())
    target_id = forms.CharField(label="Target id", required=False, max_length=64)

    def __init__(self, *args, target_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_type"].choices = [("", "Any")] + [(t, t) for t in target_types]
