"""One error body for every failure: ``{"detail": str, "errors": [{"field", "message"}]}``.

``field`` is the input field at fault (dotted for nested input, e.g. ``skills.2.skill``) or
``null`` when the error concerns the request as a whole. Status codes follow the pages:
unauthenticated 401, not allowed 403 (``PermissionDenied``), not found or outside the
caller's scope 404, invalid input 422 (Django's ``ValidationError`` from the services and
the request's own schema validation alike), too many requests 429, an unexpected error 500,
and 503 with ``Retry-After`` while the database is unavailable (:func:`server_error`, the
site's 500 handler, answers with this body for every ``/api/`` path, also when the error
happens before the API is reached, e.g. in the rate-limit middleware).
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse, JsonResponse
from django.template import loader
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from matchday.core.errors import error_body

SERVER_ERROR = "Something went wrong on our side; it has been logged. Please try again."
DATABASE_UNAVAILABLE = (
    "The service is briefly unavailable (its database is not answering). Try again in a moment."
)
# Seconds a client is asked to wait (Retry-After) while the database is unavailable.
RETRY_AFTER_SECONDS = 5
NOT_AUTHENTICATED = "Authentication required: send an API key or log in."
NOT_FOUND = "Not found."
INVALID_INPUT = "Invalid input."
BAD_BODY = "The request body is not valid JSON."
_LOCATIONS = {"body", "query", "path", "header", "cookie", "form", "file"}
# Names of the single body parameter of our operations; they are not part of a field path.
_BODY_PARAMS = {"payload", "filters", "page"}


def _field_of(loc: Any) -> str | None:
    parts = [str(p) for p in (loc or ())]
    if parts and parts[0] in _LOCATIONS:
        parts = parts[1:]
    if parts and parts[0] in _BODY_PARAMS:
        parts = parts[1:]
    return ".".join(parts) or None


def django_validation_errors(exc: DjangoValidationError) -> list[dict[str, Any]]:
    """Field-level messages of a Django ``ValidationError``; ``__all__`` becomes ``null``."""
    if hasattr(exc, "error_dict"):
        return [
            {"field": None if field == "__all__" else field, "message": message}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    return [{"field": None, "message": message} for message in exc.messages]


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(DjangoValidationError)
    def on_validation(request, exc: DjangoValidationError):
        errors = django_validation_errors(exc)
        general = [e["message"] for e in errors if e["field"] is None]
        detail = " ".join(general) if general and len(general) == len(errors) else INVALID_INPUT
        return api.create_response(request, error_body(detail, errors), status=422)

    @api.exception_handler(NinjaValidationError)
    def on_schema_validation(request, exc: NinjaValidationError):
        errors = [
            {"field": _field_of(e.get("loc")), "message": e.get("msg", "")} for e in exc.errors
        ]
        return api.create_response(request, error_body(INVALID_INPUT, errors), status=422)

    @api.exception_handler(PermissionDenied)
    def on_permission_denied(request, exc: PermissionDenied):
        detail = str(exc) or "You are not allowed to do this."
        return api.create_response(request, error_body(detail), status=403)

    @api.exception_handler(AuthenticationError)
    def on_unauthenticated(request, exc: AuthenticationError):
        detail = exc.message if exc.message != "Unauthorized" else NOT_AUTHENTICATED
        response = api.create_response(request, error_body(detail), status=401)
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response

    @api.exception_handler(Throttled)
    def on_throttled(request, exc: Throttled):
        from matchday.api.throttles import too_many

        return too_many(exc.wait)  # ninja sets the same Retry-After again

    @api.exception_handler(HttpError)
    def on_http_error(request, exc: HttpError):
        if exc.status_code == 400:
            return api.create_response(
                request, error_body(BAD_BODY, [{"field": None, "message": str(exc)}]), status=400
            )
        return api.create_response(request, error_body(str(exc)), status=exc.status_code)

    @api.exception_handler(Http404)
    def on_not_found(request, exc: Http404):
        return api.create_response(request, error_body(NOT_FOUND), status=404)

    @api.exception_handler(ObjectDoesNotExist)
    def on_does_not_exist(request, exc: ObjectDoesNotExist):
        return api.create_response(request, error_body(NOT_FOUND), status=404)


def server_error(request) -> HttpResponse:
    """The site's 500 handler (``handler500``): the API's JSON error body under ``/api/``,
    a page elsewhere; 503 with ``Retry-After`` when the database is unavailable (down,
    restarting, unreachable), 500 otherwise. Renders without the request's context (no
    session, no user): the database may be what failed."""
    unavailable = isinstance(sys.exception(), OperationalError | InterfaceError)
    status = 503 if unavailable else 500
    if request.path.startswith("/api/"):
        detail = DATABASE_UNAVAILABLE if unavailable else SERVER_ERROR
        response: HttpResponse = JsonResponse(error_body(detail), status=status)
    else:
        template = loader.get_template("503.html" if unavailable else "500.html")
        response = HttpResponse(template.render(), status=status)
    if unavailable:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
