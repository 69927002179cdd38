"""Account security in real Chromium: a partner enrols an authenticator app, logs in with a
code and with a recovery code; a candidate resets a forgotten password by the emailed link."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import expect

from tests import factories
from tests.browser.helpers import enrol_totp, follow_emailed_link, log_in, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _password_step(page, email, password=factories.PASSWORD):
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_partner_enrols_totp_then_logs_in_with_a_code_and_with_a_recovery_code(page):
    partner = factories.PartnerFactory(mfa=False, email="pat@example.org")
    _password_step(page, partner.email)
    # Nothing but the set-up is reachable until a second factor exists.
    expect(page.locator(".messages")).to_contain_text("Set up two-factor authentication")
    page.goto("/audit/")
    expect(page).not_to_have_url(re.compile(r"/audit/"))
    secret = enrol_totp(page, partner.email, factories.PASSWORD)
    codes = page.get_by_label("Unused codes").input_value().split()
    assert len(codes) >= 10
    assert Authenticator.objects.filter(user=partner, type="totp").exists()
    page.goto("/audit/")
    expect(page.get_by_role("heading", name="Audit log")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    _password_step(page, partner.email)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.locator("input[name=code]").fill("000000")
    page.locator("input[name=code]").press("Enter")
    expect(page.get_by_text("Incorrect code.")).to_be_visible()
    page.locator("input[name=code]").fill(totp_code(partner.email, secret))
    page.locator("input[name=code]").press("Enter")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    _password_step(page, partner.email)
    page.locator("input[name=code]").fill(codes[0])
    page.locator("input[name=code]").press("Enter")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    page.goto("/audit/")
    expect(page.get_by_role("heading", name="Audit log")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    _password_step(page, partner.email)
    page.locator("input[name=code]").fill(codes[0])  # a recovery code works once
    page.locator("input[name=code]").press("Enter")
    expect(page.get_by_text("Incorrect code.")).to_be_visible()


def test_candidate_resets_a_forgotten_password_by_the_emailed_link(page):
    user = factories.CandidateProfileFactory(user__email="ada@example.org").user
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill("ada@example.org")
    page.get_by_role("button", name="Reset My Password").click()
    expect(page.get_by_role("heading", name="Password Reset")).to_be_visible()

    follow_emailed_link(page, "ada@example.org", "/accounts/password/reset/key/")
    page.get_by_label("New Password:", exact=True).fill("fresh-start-passphrase-7")
    page.get_by_label("New Password (again):").fill("fresh-start-passphrase-7")
    page.get_by_role("button", name="Change Password").click()
    expect(page.get_by_text("Your password is now changed.")).to_be_visible()

    log_in(page, "ada@example.org", "fresh-start-passphrase-7")
    user.refresh_from_db()
    assert user.check_password("fresh-start-passphrase-7")


def test_api_key_page_and_public_api_docs_work_under_their_content_security_policies(page):
    user = factories.CandidateProfileFactory(user__email="ada@example.org").user
    log_in(page, user.email)
    page.goto("/settings/api-keys/")
    page.get_by_label("Name").fill("laptop")
    page.get_by_role("button", name="Create key").click()
    field = page.get_by_label("Your new API key")
    field.focus()  # the nonced inline script selects the key for copying
    selected = page.evaluate(
        "() => [document.activeElement.selectionStart, document.activeElement.selectionEnd,"
        " document.activeElement.value.length]"
    )
    assert selected[0] == 0 and selected[1] == selected[2] > 20

    # Swagger UI's scripts run under the docs page's policy: they fetch the schema and
    # render it. (The schema is the whole API's: on a loaded machine it takes a while.)
    with page.expect_response(
        lambda r: r.url.endswith("/api/v1/openapi.json"), timeout=60_000
    ) as schema:
        page.goto("/api/v1/docs")
    assert schema.value.status == 200
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Matchday API", timeout=30_000)
