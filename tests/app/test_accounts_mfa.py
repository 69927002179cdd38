"""Two-factor authentication (django-allauth MFA): required for talent partners and company
members before any page, optional for candidates; log-in with TOTP or a recovery code."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.urls import reverse

from matchday.accounts.middleware import MFA_REQUIRED
from matchday.audits.models import AuditEntry
from matchday.demo.logins import totp_now
from tests import factories

pytestmark = pytest.mark.django_db


def _password_step(client, user):
    return client.post(
        reverse("account_login"), {"login": user.email, "password": factories.PASSWORD}
    )


def _reauthenticate(client):
    """allauth asks for the password again before any change to second factors."""
    response = client.post(reverse("account_reauthenticate"), {"password": factories.PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize("factory", [factories.PartnerFactory, factories.CompanyMemberFactory])
def test_partners_and_company_members_reach_no_page_before_enrolling(client, factory):
    user = factory(mfa=False)
    client.force_login(user)
    home = client.get(reverse("core:home"), follow=True)
    assert home.redirect_chain[0][0] == reverse("mfa_activate_totp")
    assert MFA_REQUIRED in [str(m) for m in home.context["messages"]]
    for url in [reverse("audits:list"), reverse("apikeys:list"), "/admin/"]:
        assert client.get(url)["Location"] == reverse("mfa_activate_totp"), url
    htmx = client.get(reverse("apikeys:list"), headers={"HX-Request": "true"})
    assert (htmx.status_code, htmx["HX-Redirect"]) == (204, reverse("mfa_activate_totp"))
    api = client.get("/api/v1/me")
    assert (api.status_code, api.json()) == (403, {"detail": MFA_REQUIRED, "errors": []})
    assert client.get(reverse("mfa_index")).status_code == 200  # may still set it up


def test_candidates_need_no_second_factor(client, candidate):
    client.force_login(candidate)
    assert client.get(reverse("talent:profile")).status_code == 200


@pytest.mark.django_db(transaction=True)  # allauth reports the new factor after commit
def test_a_partner_enrols_an_authenticator_app_and_gets_recovery_codes(client, mailoutbox):
    partner = factories.PartnerFactory(mfa=False)
    assert _password_step(client, partner).status_code == 302  # no second factor yet
    _reauthenticate(client)
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    assert secret in page.text  # shown beside the QR code for manual entry
    wrong = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert wrong.status_code == 200 and not Authenticator.objects.filter(user=partner).exists()
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_now(secret)})
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    assert set(Authenticator.objects.filter(user=partner).values_list("type", flat=True)) == {
        "totp",
        "recovery_codes",
    }
    codes = client.get(reverse("mfa_view_recovery_codes"))
    assert len(re.findall(r"\b[0-9a-f]{8}\b", codes.text)) >= 10
    assert client.get(reverse("audits:list")).status_code == 200
    added = AuditEntry.objects.filter(actor=partner, action="account.mfa.add")
    assert sorted(e.data["type"] for e in added) == ["recovery_codes", "totp"]
    # The owner hears of every change to how they sign in.
    assert [m.to for m in mailoutbox] == [[partner.email]]


def test_log_in_asks_an_enrolled_person_for_the_code(client):
    partner = factories.PartnerFactory()
    response = _password_step(client, partner)
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("audits:list"))["Location"].startswith(reverse("account_login"))
    wrong = client.post(reverse("mfa_authenticate"), {"code": "123456"})
    assert "Incorrect code." in wrong.text
    assert "_auth_user_id" not in client.session
    done = client.post(reverse("mfa_authenticate"), {"code": totp_now(factories.TOTP_SECRET)})
    assert done.status_code == 302
    assert client.session["_auth_user_id"] == str(partner.pk)
    assert client.get(reverse("audits:list")).status_code == 200


def test_a_totp_code_cannot_be_replayed(client):
    partner = factories.PartnerFactory()
    code = totp_now(factories.TOTP_SECRET)
    _password_step(client, partner)
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    client.logout()
    _password_step(client, partner)
    replay = client.post(reverse("mfa_authenticate"), {"code": code})
    assert "Incorrect code." in replay.text
    assert "_auth_user_id" not in client.session


def test_a_recovery_code_logs_in_once(client):
    member = factories.CompanyMemberFactory(company__vetted=True)
    rc = RecoveryCodes(Authenticator.objects.get(user=member, type="recovery_codes"))
    code = rc.get_unused_codes()[0]
    _password_step(client, member)
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)
    client.logout()
    _password_step(client, member)
    assert "Incorrect code." in client.post(reverse("mfa_authenticate"), {"code": code}).text


def test_the_last_second_factor_of_a_partner_cannot_be_removed(client):
    partner = factories.PartnerFactory()
    _password_step(client, partner)
    client.post(reverse("mfa_authenticate"), {"code": totp_now(factories.TOTP_SECRET)})
    _reauthenticate(client)
    refused = client.post(reverse("mfa_deactivate_totp"))
    assert refused.status_code == 200
    assert refused.context["form"].errors
    assert Authenticator.objects.filter(user=partner, type="totp").exists()


def test_a_candidate_may_remove_their_authenticator_app(client):
    user = factories.CandidateProfileFactory(user__mfa=True).user
    _password_step(client, user)
    client.post(reverse("mfa_authenticate"), {"code": totp_now(factories.TOTP_SECRET)})
    _reauthenticate(client)
    assert client.post(reverse("mfa_deactivate_totp")).status_code == 302
    assert not Authenticator.objects.filter(user=user, type="totp").exists()
    assert AuditEntry.objects.filter(actor=user, action="account.mfa.remove").exists()


def test_security_keys_can_be_added_from_the_security_page(client):
    partner = factories.PartnerFactory()
    client.force_login(partner)
    page = client.get(reverse("mfa_index"))
    assert page.status_code == 200
    assert reverse("mfa_add_webauthn") in page.text


def test_the_admin_log_in_form_leads_to_the_one_log_in_page(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response["Location"] == reverse("account_login") + "?next=/admin/"


def test_second_factor_secrets_are_stored_encrypted_and_survive_a_key_rotation(client, settings):
    partner = factories.PartnerFactory()
    totp = Authenticator.objects.get(user=partner, type="totp")
    seed = Authenticator.objects.get(user=partner, type="recovery_codes").data["seed"]
    assert factories.TOTP_SECRET not in str(totp.data)
    assert totp.data["secret"].startswith("fernet:") and seed.startswith("fernet:")
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-rotated-secret-key-for-this-test-only"
    _password_step(client, partner)
    client.post(reverse("mfa_authenticate"), {"code": totp_now(factories.TOTP_SECRET)})
    assert client.session["_auth_user_id"] == str(partner.pk)
