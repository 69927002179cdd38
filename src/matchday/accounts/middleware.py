"""Talent partners and company members set up a second factor before anything else."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from matchday.core.errors import error_body

MFA_REQUIRED = (
    "Set up two-factor authentication to continue: scan the code with an authenticator app "
    "and enter the six digits it shows."
)
# Pages a person without a second factor may still reach: setting one up, leaving, and
# the account pages allauth needs on the way (email verification, re-authentication).
_ALLOWED_PREFIXES = ("/accounts/", "/static/")
_SESSION_KEY = "matchday_mfa_enrolled"


def must_enrol(user) -> bool:
    """Whether ``user`` must have a second factor (TOTP or a security key) and has none."""
    from allauth.mfa.models import Authenticator

    if not (user.is_authenticated and user.persona in settings.MATCHDAY_MFA_REQUIRED_PERSONAS):
        return False
    strong = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    return not Authenticator.objects.filter(user=user, type__in=strong).exists()


def remember_enrolment(sender, request, user, **kwargs) -> None:
    """On log-in, note in the session whether the person is enrolled (saves a query a page).

    Connected to ``user_logged_in``. The flag cannot go stale: the MFA adapter refuses to
    remove the last second factor of a person who must have one.
    """
    if request is not None and hasattr(request, "session"):
        request.session[_SESSION_KEY] = not must_enrol(user)


class RequireMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if not user.is_authenticated or request.session.get(_SESSION_KEY):
            return self.get_response(request)
        if not must_enrol(user):
            request.session[_SESSION_KEY] = True
            return self.get_response(request)
        if request.path.startswith(_ALLOWED_PREFIXES):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse(error_body(MFA_REQUIRED), status=403)
        target = reverse("mfa_activate_totp")
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        messages.warning(request, MFA_REQUIRED)
        return redirect(target)
