"""How the API knows who is calling.

Three ways, tried in order: ``Authorization: Bearer <key>``, ``X-API-Key: <key>``, and the
browser session (the pages' own calls), which must then carry the CSRF token like any form
post. A key that is presented but unknown or revoked is refused outright (401) rather than
falling through to the session, so a broken integration never silently acts as whoever is
logged in in the same browser.
"""

from __future__ import annotations

from django.conf import settings
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, APIKeyHeader, HttpBearer
from ninja.utils import check_csrf

from matchday.api.services import api_key_authenticate

INVALID_KEY = "Invalid or revoked API key."
CSRF_FAILED = "CSRF check failed: send the X-CSRFToken header with session requests."


class BearerKey(HttpBearer):
    """``Authorization: Bearer md_…``"""

    def authenticate(self, request, token):
        user = api_key_authenticate(raw=token.strip())
        if user is None:
            raise AuthenticationError(401, INVALID_KEY)
        return user


class HeaderKey(APIKeyHeader):
    """``X-API-Key: md_…``"""

    param_name = "X-API-Key"

    def authenticate(self, request, key):
        if not key:
            return None
        user = api_key_authenticate(raw=key.strip())
        if user is None:
            raise AuthenticationError(401, INVALID_KEY)
        return user


class SessionCsrf(APIKeyCookie):
    """The logged-in browser session. Unsafe methods need the CSRF token, checked only once
    the session has identified a user (an anonymous request is a 401, not a CSRF error)."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=False)

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise HttpError(403, CSRF_FAILED)
        return user


api_auth = [BearerKey(), HeaderKey(), SessionCsrf()]
