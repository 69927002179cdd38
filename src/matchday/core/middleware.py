"""Responses with personal data are never stored by browsers or shared caches."""

from __future__ import annotations

from django.utils.cache import patch_cache_control


class PrivatePagesNoStoreMiddleware:
    """``Cache-Control: private, no-store`` on every response to a signed-in person (pages
    and API alike) and on the account pages (log-in, password reset links, two factors)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = (user is not None and user.is_authenticated) or (
            getattr(request, "auth", None) is not None
        )
        if signed_in or request.path.startswith("/accounts/"):
            patch_cache_control(response, private=True, no_store=True)
            response.headers.pop("Expires", None)
        return response


class ViewerTimezoneMiddleware:
    """Activate the signed-in person's own zone (``core.timezones.zone_name_for``) for the
    request: pages show times there (``{{ when|local }}``) and forms read typed times there
    (a company member schedules an interview in their own zone)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils import timezone

        from matchday.core.timezones import zone_for

        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            timezone.activate(zone_for(user))
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
