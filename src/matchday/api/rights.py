"""The API keys' share of a candidate's data rights (registered with ``talent.rights``)."""

from __future__ import annotations

from typing import Any

from matchday.api.models import ApiKey
from matchday.talent.models import CandidateProfile
from matchday.talent.rights import Erasure, RightsPart, values


def api_keys_export(user, profile: CandidateProfile) -> list[dict[str, Any]]:
    fields = ["name", "prefix", "created_at", "last_used_at", "revoked_at"]
    return [values(k, fields) for k in ApiKey.objects.filter(user=user)]


def erase(erasure: Erasure) -> None:
    ApiKey.objects.filter(user=erasure.user).delete()


RIGHTS = RightsPart(export={"api_keys": api_keys_export}, erase=erase)
