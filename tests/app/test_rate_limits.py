"""Rate limits on the API (per client address before authentication, per account after) and
on résumé upload: 429 with Retry-After, the API's JSON error body, the real client address."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from matchday.api.throttles import TOO_MANY
from tests import factories
from tests.api.helpers import key_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_api_limits(settings):
    settings.MATCHDAY_API_RATE_LIMITS = {
        "per_address": "6/m",
        "per_account_minute": "3/m",
        "per_account_hour": "100/h",
    }


def test_an_account_past_its_api_limit_gets_429_with_retry_after(client, small_api_limits):
    user = factories.CandidateProfileFactory().user
    auth = {"Authorization": f"Bearer {key_for(user)}"}
    other_key = key_for(user, name="second key")
    for _ in range(3):
        assert client.get("/api/v1/me", headers=auth, REMOTE_ADDR="198.51.100.1").status_code == 200
    refused = client.get("/api/v1/me", headers=auth, REMOTE_ADDR="198.51.100.2")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json() == {
        "detail": TOO_MANY.format(seconds=refused["Retry-After"]),
        "errors": [],
    }
    # Per account, whichever key: a second key of the same account is refused too.
    second = client.get("/api/v1/me", headers={"X-API-Key": other_key}, REMOTE_ADDR="198.51.100.3")
    assert second.status_code == 429
    someone_else = factories.CandidateProfileFactory().user
    ok = client.get(
        "/api/v1/me",
        headers={"Authorization": f"Bearer {key_for(someone_else)}"},
        REMOTE_ADDR="198.51.100.4",
    )
    assert ok.status_code == 200


def test_one_address_is_limited_before_authentication(client, small_api_limits):
    for _ in range(6):
        response = client.get(
            "/api/v1/me", headers={"Authorization": "Bearer md_guess"}, REMOTE_ADDR="6.6.6.6"
        )
        assert response.status_code == 401
    refused = client.get(
        "/api/v1/me", headers={"Authorization": "Bearer md_guess"}, REMOTE_ADDR="6.6.6.6"
    )
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/json"
    assert "Retry-After" in refused
    assert client.get("/api/v1/me", REMOTE_ADDR="203.0.113.7").status_code == 401


def test_api_address_limits_use_the_real_client_behind_a_trusted_proxy(
    client, settings, small_api_limits
):
    settings.MATCHDAY_TRUSTED_PROXIES = ["10.0.0.0/8"]
    via = {"REMOTE_ADDR": "10.0.0.5"}
    for _ in range(6):
        client.get("/api/v1/me", HTTP_X_FORWARDED_FOR="6.6.6.6", **via)
    assert client.get("/api/v1/me", HTTP_X_FORWARDED_FOR="6.6.6.6", **via).status_code == 429
    assert client.get("/api/v1/me", HTTP_X_FORWARDED_FOR="203.0.113.7", **via).status_code == 401


def test_resume_uploads_are_rate_limited_per_account(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "resume_upload": "2/h/user"}
    user = factories.CandidateProfileFactory().user
    client.force_login(user)

    def upload():
        text = SimpleUploadedFile("cv.txt", b"Ada Lovelace\nPython, PyTorch", "text/plain")
        return client.post(reverse("imports:upload"), {"file": text})

    assert upload().status_code == 302
    assert upload().status_code == 302
    refused = upload()
    assert refused.status_code == 429
    assert refused["Retry-After"] == "3600"
    assert "Too many requests" in refused.text
    json_refused = client.post(
        reverse("imports:upload_json"),
        {"json_file": SimpleUploadedFile("r.json", b"{}", "application/json")},
    )
    assert json_refused.status_code == 429
