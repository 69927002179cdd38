"""The one JSON error body of the API, ``{"detail": str, "errors": [{"field", "message"}]}``.

It lives in ``core`` so that lower layers (the MFA middleware in ``accounts``) answer API
requests in the same shape without importing the ``api`` app; ``api.errors`` documents it.
"""

from __future__ import annotations

from typing import Any


def error_body(detail: str, errors: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"detail": detail, "errors": errors or []}
