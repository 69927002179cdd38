"""Shared by the API tests: keys for personas and a JSON client that sends them."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from matchday.api.services import api_key_create

BASE = "/api/v1"


def key_for(user, name: str = "tests") -> str:
    _key, raw = api_key_create(user=user, name=name)
    return raw


class ApiClient:
    """Calls the API with an API key, JSON in and out."""

    def __init__(self, key: str | None = None, *, header: str = "bearer") -> None:
        self.client = Client()
        self.headers: dict[str, str] = {}
        if key is not None:
            if header == "bearer":
                self.headers["Authorization"] = f"Bearer {key}"
            else:
                self.headers["X-API-Key"] = key

    def _send(self, method: str, path: str, body: Any = None, **params: Any):
        kwargs: dict[str, Any] = {"headers": self.headers}
        if body is not None:
            kwargs["data"] = json.dumps(body)
            kwargs["content_type"] = "application/json"
        url = BASE + path
        if params:
            from urllib.parse import urlencode

            url += "?" + urlencode(params)
        return getattr(self.client, method)(url, **kwargs)

    def get(self, path: str, **params: Any):
        return self._send("get", path, **params)

    def post(self, path: str, body: Any = None):
        return self._send("post", path, {} if body is None else body)

    def patch(self, path: str, body: Any):
        return self._send("patch", path, body)

    def delete(self, path: str):
        return self._send("delete", path)


def api_as(user, **kwargs: Any) -> ApiClient:
    return ApiClient(key_for(user), **kwargs)


def seed_matchday(*, member, candidate_user, status: str = "review"):
    """A Match Day in review with one pending proposal, and one released intro of
    ``candidate_user`` for a role of ``member``'s company. Returns (matchday, proposal, intro)."""
    from datetime import timedelta

    from django.utils import timezone

    from matchday.followup.models import Intro
    from matchday.matchdays.models import MatchDay, Proposal
    from tests import factories

    now = timezone.now()
    md = MatchDay.objects.create(
        name="June",
        release_at=now + timedelta(days=7),
        interest_deadline=now + timedelta(days=5),
        status=status,
    )
    role = factories.RoleFactory(company=member.company, open=True)
    profile = candidate_user.candidate_profile
    other = factories.CandidateProfileFactory(active=True)
    pending = Proposal.objects.create(
        matchday=md,
        candidate=other,
        role=role,
        score=0.8,
        role_fit=0.8,
        candidate_fit=0.7,
        engine_version="test",
        input_hash="sha256:0",
    )
    released = Proposal.objects.create(
        matchday=md,
        candidate=profile,
        role=role,
        score=0.9,
        role_fit=0.9,
        candidate_fit=0.9,
        engine_version="test",
        input_hash="sha256:0",
        status="approved",
    )
    intro = Intro.objects.create(
        matchday=md,
        proposal=released,
        candidate=profile,
        role=role,
        offered_salary=110000,
        released_at=now,
    )
    return md, pending, intro
