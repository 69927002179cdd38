"""The REST API: one ``NinjaAPI`` under ``/api/v1/``, its routers, auth and error bodies.

OpenAPI 3.1 (what django-ninja 1.7 emits) at ``/api/v1/openapi.json``; interactive docs at
``/api/v1/docs`` (Swagger UI served from django-ninja's own static files, no CDN).
"""

from __future__ import annotations

from ninja import NinjaAPI

from matchday.api.auth import api_auth
from matchday.api.errors import install_error_handlers
from matchday.api.routers import intros, matchdays, me, profile, roles, vetting

DESCRIPTION = """\
Matchday's REST API. Every operation behaves exactly like the corresponding page: the same
services, rules and scoping.

**Authentication**: `Authorization: Bearer <key>` or `X-API-Key: <key>` with a key created
at `/settings/api-keys/`, or the browser session plus the `X-CSRFToken` header.

**Errors** always have the body `{"detail": "...", "errors": [{"field": "...", "message":
"..."}]}`: 401 unauthenticated, 403 not allowed, 404 not found or outside your scope, 422
invalid input (field-level messages).

**Lists** take `limit` (1–100, default 20) and `offset`, and return
`{"items", "total", "limit", "offset"}`.
"""


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
)
install_error_handlers(api)
for module in (me, profile, roles, vetting, matchdays, intros):
    api.add_router("", module.router)
