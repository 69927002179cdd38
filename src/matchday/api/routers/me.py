"""Who the caller is: ``/me``."""

from __future__ import annotations

from ninja import Router, Schema

from matchday.api.schemas import responses

router = Router(tags=["me"])


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    persona: str
    company_id: int | None
    via: str


@router.get("/me", response=responses(MeOut), summary="The authenticated user")
def me(request):
    user = request.auth
    key = getattr(user, "api_key", None)
    return {
        "id": user.pk,
        "email": user.email,
        "full_name": user.full_name,
        "persona": user.persona,
        "company_id": user.company_id,
        "via": f"api key {key.prefix}" if key is not None else "session",
    }
