"""The one way a view shows a service's ``ValidationError``: on the form (``core.forms``)."""

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from matchday.core.forms import apply_service_errors, error_messages, flash_errors


class _Form(forms.Form):
    title = forms.CharField(label="Title")
    notes = forms.CharField(required=False)


def _bound() -> _Form:
    form = _Form({"title": "x"})
    assert form.is_valid()
    return form


def test_keyed_errors_go_on_their_fields_and_the_rest_on_the_form():
    form = _bound()
    apply_service_errors(form, ValidationError({"title": "Too long.", "owner": "Not a member."}))
    assert form.errors["title"] == ["Too long."]
    assert form.non_field_errors() == ["Not a member."]  # no such field: the form's own
    form = _bound()
    apply_service_errors(form, ValidationError("Refused."))
    assert form.non_field_errors() == ["Refused."]
    form = _bound()
    apply_service_errors(form, ValidationError("Too short."), default_field="notes")
    assert form.errors["notes"] == ["Too short."] and not form.non_field_errors()


def test_what_a_redirecting_page_flashes():
    form = _bound()
    apply_service_errors(form, ValidationError({"title": "Too long.", "notes": "Empty."}))
    assert error_messages(form) == ["Title: Too long.", "Empty."]
    assert error_messages(ValidationError(["One.", "Two."])) == ["One.", "Two."]
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    flash_errors(request, form)
    flash_errors(request, ValidationError("Refused."))
    assert [str(m) for m in get_messages(request)] == ["Title: Too long.", "Empty.", "Refused."]
