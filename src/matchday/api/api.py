"""The REST API: one ``NinjaAPI`` under ``/api/v1/``, its routers, auth and error bodies.

OpenAPI 3.1 (what django-ninja 1.7 emits) at ``/api/v1/openapi.json``; interactive docs at
``/api/v1/docs`` (Swagger UI served from django-ninja's own static files, no CDN).
"""

from __future__ import annotations

from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from ninja import NinjaAPI

from matchday.api.auth import api_auth
from matchday.api.errors import install_error_handlers
from matchday.api.routers import intros, matchdays, me, notes, profile, roles, vetting
from matchday.api.throttles import AccountThrottle

DESCRIPTION = """\
Matchday's REST API. Every operation behaves exactly like the corresponding page: the same
services, rules and scoping.

**Authentication**: `Authorization: Bearer <key>` or `X-API-Key: <key>` with a key created
at `/settings/api-keys/`, or the browser session plus the `X-CSRFToken` header.

**Errors** always have the body `{"detail": "...", "errors": [{"field": "...", "message":
"..."}]}`: 401 unauthenticated, 403 not allowed, 404 not found or outside your scope, 422
invalid input (field-level messages), 429 too many requests (with a `Retry-After` header
giving the seconds to wait; limits per client address and per account).

**Lists** take `limit` (1–100, default 20) and `offset`, and return
`{"items", "total", "limit", "offset"}`.
"""


# The interactive docs (public, like the schema they render) run Swagger UI from ninja's
# static files; its React code sets inline styles and SVG data: images.
SWAGGER_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}


class MatchdayAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        """Operation ids are the endpoint functions' names (``list_roles``), unique by test."""
        return operation.view_func.__name__


api = MatchdayAPI(
    title="Matchday API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    auth=api_auth,
    docs_decorator=csp_override(SWAGGER_CSP),
    throttle=[AccountThrottle("per_account_minute"), AccountThrottle("per_account_hour")],
)
install_error_handlers(api)
for module in (me, profile, roles, vetting, matchdays, intros, notes):
    api.add_router("", module.router)
