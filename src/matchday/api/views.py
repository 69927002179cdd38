"""The settings page where a user creates, lists and revokes their API keys."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from matchday.api import services
from matchday.api.forms import ApiKeyForm
from matchday.core.forms import apply_service_errors, flash_errors


def _page(request, form, *, new_key: str = "", status: int = 200):
    keys = services.api_keys_for(user=request.user)
    context = {"form": form, "keys": keys, "new_key": new_key}
    response = render(request, "api/keys.html", context, status=status)
    if new_key:
        response["Cache-Control"] = "no-store"  # the key is shown once; never cache the page
    return response


@login_required
def api_keys(request):
    if request.method != "POST":
        return _page(request, ApiKeyForm())
    form = ApiKeyForm(request.POST)
    if form.is_valid():
        try:
            _key, raw = services.api_key_create(user=request.user, name=form.cleaned_data["name"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return _page(request, ApiKeyForm(), new_key=raw, status=201)
    return _page(request, form, status=422)


@login_required
@require_POST
def api_key_revoke(request, pk: int):
    key = services.api_key_for(user=request.user, key_id=pk)
    try:
        services.api_key_revoke(key=key, by=request.user)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, f"Revoked “{key.name}” ({key.prefix}…).")
    return redirect("apikeys:list")
