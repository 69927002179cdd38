"""Rate limits on pages, through django-allauth's cache-backed limiter.

One table of limits (``ACCOUNT_RATE_LIMITS``), one notion of the client
(:func:`matchday.core.clientip.client_ip`, through the account adapter), one 429 page with
``Retry-After``. The REST API has its own throttles (``matchday.api.throttles``) because it
answers with the API's JSON error body.
"""

from __future__ import annotations

import math
from functools import wraps

from allauth.core.internal.ratelimit import parse_rates
from allauth.core.ratelimit import consume
from django.conf import settings

__all__ = ["allow", "rate_limited", "retry_after"]

# Which limit a page's URL name falls under, for allauth's own 429s.
URL_ACTIONS = {
    "account_login": "login",
    "login": "login",
    "account_signup": "signup",
    "signup_candidate": "signup",
    "signup_company": "signup",
    "account_reset_password": "reset_password",
    "account_reset_password_from_key": "reset_password_from_key",
    "account_change_password": "change_password",
    "account_reauthenticate": "reauthenticate",
    "account_email": "manage_email",
    "account_confirm_email": "confirm_email",
    "account_email_verification_sent": "confirm_email",
}
DEFAULT_RETRY_AFTER = 60


def allow(request, *, action: str, key: str | None = None) -> bool:
    """Count one ``action`` (a POST) by this client, by the signed-in user and by ``key``,
    as the action's limits say; ``False`` once any of them is used up."""
    user = request.user if request.user.is_authenticated else None
    return consume(request, action=action, key=key, user=user)


def retry_after(request, *, action: str | None = None) -> int:
    """Seconds after which every limit on ``action`` has room again (its longest window)."""
    if action is None:
        match = getattr(request, "resolver_match", None)
        action = URL_ACTIONS.get(match.url_name if match else "")
    rates = parse_rates(settings.ACCOUNT_RATE_LIMITS.get(action or "", ""))
    return math.ceil(max((rate.duration for rate in rates), default=DEFAULT_RETRY_AFTER))


def rate_limited(action: str):
    """View decorator: every POST counts against ``action``'s limits; past them, the 429
    page with ``Retry-After`` (and nothing of the request is read or parsed)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST" and not allow(request, action=action):
                from matchday.core.views import too_many_requests

                return too_many_requests(request, action=action)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
