"""The candidate's own profile: ``/me/profile``. Same rules as the profile page."""

from __future__ import annotations

from ninja import Router

from matchday.api import services
from matchday.api.schemas import ProfileOut, ProfilePatch, responses
from matchday.talent import selectors

router = Router(tags=["profile"])


@router.get("/me/profile", response=responses(ProfileOut), summary="Your candidate profile")
def get_profile(request):
    return selectors.own_profile(user=request.auth)


@router.patch(
    "/me/profile", response=responses(ProfileOut, body=True), summary="Update your profile"
)
def patch_profile(request, payload: ProfilePatch):
    """Change the fields sent. ``skills`` replaces your skills; name each by taxonomy id,
    label or alias ("k8s"); an unknown name is refused with a 422 naming it."""
    data = payload.dict(exclude_unset=True)
    data.pop("skills", None)
    skills = None if payload.skills is None else [s.dict() for s in payload.skills]
    if "years_experience" in data:
        from decimal import Decimal

        data["years_experience"] = Decimal(str(round(data["years_experience"], 1)))
    return services.profile_patch(user=request.auth, data=data, skills=skills)
