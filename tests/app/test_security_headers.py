"""Content-Security-Policy, Permissions-Policy, Cache-Control on private pages, and templates
that need no 'unsafe-inline'."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.api.helpers import key_for

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "matchday" / "templates"


def _csp(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in policy.split(";")) if d}


def test_pages_send_a_strict_content_security_policy(client):
    response = client.get(reverse("core:home"))
    response_policy = response["Content-Security-Policy"]
    csp = _csp(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]  # the nonce is added only where a page uses it
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in response_policy


def test_inline_scripts_carry_the_nonce_of_their_response(client, partner):
    client.force_login(partner)
    response = client.post(reverse("apikeys:list"), {"name": "ci"}, follow=True)
    nonce = _csp(response)["script-src"][1].removeprefix("'nonce-").removesuffix("'")
    scripts = re.findall(r"<script([^>]*)>", response.text)
    inline = [attrs for attrs in scripts if "src=" not in attrs and "application/json" not in attrs]
    assert inline and all(f'nonce="{nonce}"' in attrs for attrs in inline)


def test_permissions_policy_denies_powerful_features_but_webauthn(client):
    policy = client.get(reverse("core:home"))["Permissions-Policy"]
    assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy
    assert "publickey-credentials-get=(self)" in policy


def test_signed_in_pages_and_api_responses_are_not_stored(client, candidate):
    assert "no-store" not in client.get(reverse("core:home")).get("Cache-Control", "")
    assert "no-store" in client.get(reverse("account_login"))["Cache-Control"]
    client.force_login(candidate)
    page = client.get(reverse("talent:profile"))
    assert set(page["Cache-Control"].split(", ")) >= {"private", "no-store"}
    client.logout()
    api = client.get("/api/v1/me", headers={"Authorization": f"Bearer {key_for(candidate)}"})
    assert api.status_code == 200
    assert set(api["Cache-Control"].split(", ")) >= {"private", "no-store"}


def test_the_public_api_docs_have_their_own_policy(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    csp = _csp(response)
    assert csp["style-src"] == ["'self'", "'unsafe-inline'"]
    assert csp["script-src"] == ["'self'"]


def test_no_template_uses_inline_event_handlers_or_unnonced_inline_scripts():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        if re.search(r"\son[a-z]+\s*=", text) or re.search(r"\sstyle\s*=", text):
            offenders.append(f"{path.name}: inline handler or style attribute")
        for attrs in re.findall(r"<script([^>]*)>", text):
            if "src=" not in attrs and "application/json" not in attrs and "nonce=" not in attrs:
                offenders.append(f"{path.name}: inline <script> without nonce")
    assert offenders == []
