"""Rate limits on the REST API (django-ninja's throttling, on the shared cache).

Two layers, both answering 429 with ``Retry-After`` and the API's JSON error body:

* :class:`ClientAddressThrottleMiddleware` counts every ``/api/`` request per client address
  (:func:`matchday.core.clientip.client_ip`) *before* authentication, so floods and key
  guessing are limited too;
* :class:`AccountThrottle` (the API's ``throttle=``) counts an authenticated caller's requests
  per account, whichever key or session they use.

Rates come from ``settings.MATCHDAY_API_RATE_LIMITS`` when a request is checked.
"""

from __future__ import annotations

import math

from django.conf import settings
from django.http import JsonResponse
from ninja.throttling import SimpleRateThrottle

from matchday.core.clientip import client_ip

TOO_MANY = "Too many requests: try again in {seconds} seconds."


class _SettingsThrottle(SimpleRateThrottle):
    """A ninja throttle whose rate is ``MATCHDAY_API_RATE_LIMITS[name]``, read per request."""

    def __init__(self, name: str):
        self.name = name
        self.scope = f"api-{name}"

    def allow_request(self, request) -> bool:
        self.rate = settings.MATCHDAY_API_RATE_LIMITS[self.name]
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_ident(self, request) -> str:
        return client_ip(request)


class ClientAddressThrottle(_SettingsThrottle):
    def get_cache_key(self, request) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class AccountThrottle(_SettingsThrottle):
    def get_cache_key(self, request) -> str | None:
        user = getattr(request, "auth", None)
        if user is None or getattr(user, "pk", None) is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": f"user-{user.pk}"}


def too_many(wait: float | None) -> JsonResponse:
    from matchday.api.errors import error_body

    seconds = max(1, math.ceil(wait or 1))
    response = JsonResponse(error_body(TOO_MANY.format(seconds=seconds)), status=429)
    response["Retry-After"] = str(seconds)
    return response


class ClientAddressThrottleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            throttle = ClientAddressThrottle("per_address")  # state is per request
            if not throttle.allow_request(request):
                return too_many(throttle.wait())
        return self.get_response(request)
