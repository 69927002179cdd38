"""API keys: created once and shown once, stored hashed, revoked for good; the three ways
to authenticate and the settings page that manages keys."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from matchday.api import services
from matchday.api.auth import CSRF_FAILED, INVALID_KEY
from matchday.api.errors import NOT_AUTHENTICATED
from matchday.api.models import ApiKey
from matchday.audits.models import AuditEntry
from tests import factories
from tests.api.helpers import ApiClient, api_as, key_for

pytestmark = pytest.mark.django_db


def test_created_key_is_stored_only_as_its_sha256_digest(candidate):
    key, raw = services.api_key_create(user=candidate, name="ATS sync")
    row = ApiKey.objects.get(pk=key.pk)
    assert row.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert row.key_hash != raw
    assert raw not in {row.key_hash, row.prefix, row.name}
    assert re.fullmatch(r"md_[a-z2-9]{8}_[A-Za-z0-9_-]{43}", raw)
    assert raw.startswith(row.prefix + "_")
    assert AuditEntry.objects.filter(action="api_key.create", subject_user=candidate).count() == 1


def test_key_without_a_name_is_refused(candidate):
    with pytest.raises(Exception) as exc:
        services.api_key_create(user=candidate, name="   ")
    assert exc.value.message_dict == {"name": [services.KEY_NEEDS_NAME]}


@pytest.mark.parametrize("header", ["bearer", "x-api-key"])
def test_a_key_authenticates_by_either_header(candidate, header):
    response = api_as(candidate, header=header).get("/me")
    assert response.status_code == 200
    body = response.json()
    assert (body["email"], body["persona"]) == (candidate.email, "candidate")
    assert body["via"].startswith("api key md_")


def test_use_records_last_used_at_at_most_once_a_minute(candidate):
    key, raw = services.api_key_create(user=candidate, name="cron")
    t0 = timezone.now()
    assert services.api_key_authenticate(raw=raw, now=t0) == candidate
    assert ApiKey.objects.get(pk=key.pk).last_used_at == t0
    services.api_key_authenticate(raw=raw, now=t0 + timedelta(seconds=30))
    assert ApiKey.objects.get(pk=key.pk).last_used_at == t0
    services.api_key_authenticate(raw=raw, now=t0 + timedelta(minutes=2))
    assert ApiKey.objects.get(pk=key.pk).last_used_at == t0 + timedelta(minutes=2)


def test_revoked_key_is_refused_with_401(candidate):
    key, raw = services.api_key_create(user=candidate, name="old")
    client = ApiClient(raw)
    assert client.get("/me").status_code == 200
    services.api_key_revoke(key=key, by=candidate)
    response = client.get("/me")
    assert response.status_code == 401
    assert response.json() == {"detail": INVALID_KEY, "errors": []}
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


@pytest.mark.parametrize("header", ["bearer", "x-api-key"])
@pytest.mark.parametrize("raw", ["md_aaaaaaaa_" + "x" * 43, "not-a-key", "md_"])
def test_unknown_key_is_refused_with_401(db, header, raw):
    response = ApiClient(raw, header=header).get("/me")
    assert response.status_code == 401
    assert response.json() == {"detail": INVALID_KEY, "errors": []}


def test_key_of_a_deactivated_user_is_refused(candidate):
    raw = key_for(candidate)
    candidate.is_active = False
    candidate.save()
    assert ApiClient(raw).get("/me").status_code == 401


def test_no_credentials_is_401_with_the_error_body(db):
    response = ApiClient().get("/me/profile")
    assert response.status_code == 401
    assert response.json() == {"detail": NOT_AUTHENTICATED, "errors": []}


def test_bad_key_does_not_fall_back_to_the_browser_session(candidate):
    client = Client()
    client.force_login(candidate)
    assert client.get("/api/v1/me").status_code == 200
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer md_nope"})
    assert response.status_code == 401


def test_a_user_can_revoke_only_their_own_keys(candidate, partner):
    key, _raw = services.api_key_create(user=candidate, name="mine")
    from django.http import Http404

    with pytest.raises(Http404):
        services.api_key_revoke(key=key, by=partner)
    assert ApiKey.objects.get(pk=key.pk).revoked_at is None


# --- the browser session -------------------------------------------------------------------


def test_session_get_needs_no_csrf_token(candidate):
    client = Client(enforce_csrf_checks=True)
    client.force_login(candidate)
    response = client.get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["via"] == "session"


def test_session_post_without_csrf_token_is_refused(company_member):
    role = factories.RoleFactory(company=company_member.company)
    client = Client(enforce_csrf_checks=True)
    client.force_login(company_member)
    response = client.post(
        f"/api/v1/roles/{role.pk}/open", data="{}", content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json() == {"detail": CSRF_FAILED, "errors": []}
    role.refresh_from_db()
    assert role.status == "draft"


def test_session_post_with_csrf_token_is_accepted(company_member):
    role = factories.RoleFactory(company=company_member.company)
    client = Client(enforce_csrf_checks=True)
    client.force_login(company_member)
    client.get("/settings/api-keys/")  # any page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(
        f"/api/v1/roles/{role.pk}/open",
        data="{}",
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "open"


def test_api_key_post_needs_no_csrf_token(company_member):
    role = factories.RoleFactory(company=company_member.company)
    response = api_as(company_member).post(f"/roles/{role.pk}/open")
    assert response.status_code == 200
    assert response.json()["status"] == "open"


# --- the settings page ---------------------------------------------------------------------


def test_settings_page_shows_a_new_key_once_and_then_only_its_prefix(candidate):
    client = Client()
    client.force_login(candidate)
    response = client.post("/settings/api-keys/", {"name": "Zapier"})
    assert response.status_code == 201
    assert set(response["Cache-Control"].split(", ")) == {"no-store", "private"}
    raw = response.context["new_key"]
    assert raw.encode() in response.content
    key = ApiKey.objects.get(user=candidate)
    assert key.key_hash == services.hash_key(raw)
    again = client.get("/settings/api-keys/")
    assert raw.encode() not in again.content
    assert key.prefix.encode() in again.content
    assert b"Zapier" in again.content
    assert ApiClient(raw).get("/me").status_code == 200


def test_settings_page_revokes_a_key(candidate):
    key, raw = services.api_key_create(user=candidate, name="old")
    client = Client()
    client.force_login(candidate)
    response = client.post(f"/settings/api-keys/{key.pk}/revoke/")
    assert response.status_code == 302
    assert ApiKey.objects.get(pk=key.pk).revoked_at is not None
    assert ApiClient(raw).get("/me").status_code == 401


def test_settings_page_cannot_revoke_another_users_key(candidate, partner):
    key, _raw = services.api_key_create(user=candidate, name="mine")
    client = Client()
    client.force_login(partner)
    assert client.post(f"/settings/api-keys/{key.pk}/revoke/").status_code == 404
    assert ApiKey.objects.get(pk=key.pk).revoked_at is None


def test_settings_page_lists_only_the_users_own_keys(candidate, partner):
    services.api_key_create(user=candidate, name="candidate-key")
    services.api_key_create(user=partner, name="partner-key")
    client = Client()
    client.force_login(partner)
    content = client.get("/settings/api-keys/").content
    assert b"partner-key" in content
    assert b"candidate-key" not in content


def test_settings_page_needs_login(db):
    response = Client().get("/settings/api-keys/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
