"""Sign-up pages: accounts are created through the services, the address is verified by an
emailed link, and the page never tells whether an address is already registered."""

import re

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from matchday.accounts.models import User
from matchday.companies.models import Company

pytestmark = pytest.mark.django_db

ADA = {
    "full_name": "Ada Lovelace",
    "email": "ada@example.org",
    "password": "analytical-engine-1843",
}
SENT = reverse("account_email_verification_sent")


def _sign_up(client, path, data):
    # Emails are sent by a task enqueued when the request's transaction commits.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(path, data)


def _link(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", message.body).group(1)


def test_candidate_signs_up_verifies_the_address_and_lands_on_their_profile(client):
    response = _sign_up(client, reverse("signup_candidate"), ADA)
    assert (response.status_code, response["Location"]) == (302, SENT)
    user = User.objects.get(email="ada@example.org")
    assert user.persona == User.Persona.CANDIDATE
    assert "_auth_user_id" not in client.session  # not before the address is verified
    # The verification link, and the welcome with the next step (issue 10).
    assert sorted(m.subject for m in mail.outbox) == [
        "Welcome to Matchday: complete your profile",
        "[Matchday] Please Confirm Your Email Address",
    ]
    (message,) = [m for m in mail.outbox if "/accounts/confirm-email/" in m.body]
    assert message.to == ["ada@example.org"]
    link = _link(message)
    assert client.get(link).status_code == 200  # a page with a button; GET changes nothing
    assert "_auth_user_id" not in client.session
    response = client.post(link)
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get(response["Location"], follow=True).request["PATH_INFO"] == reverse(
        "talent:profile"
    )


def test_an_unverified_account_cannot_log_in_and_is_sent_a_new_link(client):
    client.post(reverse("signup_candidate"), ADA)
    mail.outbox.clear()
    response = client.post(
        reverse("account_login"), {"login": ADA["email"], "password": ADA["password"]}
    )
    assert (response.status_code, response["Location"]) == (302, SENT)
    assert "_auth_user_id" not in client.session


def test_a_weak_password_is_refused_on_the_password_field_and_the_rest_is_kept(client):
    response = client.post(
        reverse("signup_candidate"),
        {"full_name": "Ada Lovelace", "email": "ada@example.org", "password": "password"},
    )
    assert response.status_code == 422
    assert response.context["form"].errors == {
        "password": [
            "This password is too short. It must contain at least 10 characters.",
            "This password is too common.",
        ]
    }
    assert 'value="ada@example.org"' in response.text
    assert 'value="Ada Lovelace"' in response.text
    assert not User.objects.exists()


def test_a_password_like_the_full_name_is_refused(client):
    response = client.post(reverse("signup_candidate"), {**ADA, "password": "AdaLovelace1815"})
    assert response.status_code == 422
    assert response.context["form"].errors == {
        "password": ["The password is too similar to the full name."]
    }


def test_a_taken_email_looks_exactly_like_a_new_one_and_mails_the_owner(client):
    User.objects.create_user(
        email="ada@example.org", password="x", full_name="Ada", persona="candidate"
    )
    response = _sign_up(client, reverse("signup_candidate"), {**ADA, "email": "ADA@example.org"})
    assert (response.status_code, response["Location"]) == (302, SENT)
    assert User.objects.count() == 1
    (message,) = mail.outbox
    assert message.to == ["ada@example.org"]
    assert "already" in message.subject.lower() or "already" in message.body.lower()
    assert "/accounts/password/reset/" in message.body
    page = client.get(SENT)
    assert page.status_code == 200


def test_a_taken_email_with_a_weak_password_gets_the_same_errors_as_a_new_one(client):
    User.objects.create_user(
        email="ada@example.org", password="x", full_name="Ada", persona="candidate"
    )
    response = client.post(reverse("signup_candidate"), {**ADA, "password": "password"})
    assert response.status_code == 422
    assert set(response.context["form"].errors) == {"password"}
    assert mail.outbox == []


def test_company_sign_up_creates_a_company_pending_vetting_with_its_first_member(client):
    response = _sign_up(
        client,
        reverse("signup_company"),
        {
            "company_name": "Tensor Foundry",
            "website": "https://tensorfoundry.example",
            "size": "11-50",
            "stage": "seed",
            "domains": ["devtools"],
            "full_name": "Grace Hopper",
            "email": "grace@tensorfoundry.example",
            "password": "compilers-since-1952",
        },
    )
    assert (response.status_code, response["Location"]) == (302, SENT)
    company = Company.objects.get(name="Tensor Foundry")
    assert company.vetting_status == Company.VettingStatus.PENDING
    assert [m.email for m in company.members.all()] == ["grace@tensorfoundry.example"]
    # The verification link and the welcome (partners, none here, would hear it awaits vetting).
    assert [m.to for m in mail.outbox] == [["grace@tensorfoundry.example"]] * 2


def test_sign_ups_from_one_address_are_rate_limited_with_retry_after(client, settings):
    per_minute = int(settings.ACCOUNT_RATE_LIMITS["signup"].split("/")[0])
    for i in range(per_minute):
        response = client.post(reverse("signup_candidate"), {**ADA, "email": f"bot{i}@example.org"})
        assert response.status_code == 302
    refused = client.post(reverse("signup_candidate"), {**ADA, "email": "x@example.org"})
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) == 3600  # the longest window of the sign-up limits
    assert User.objects.count() == per_minute
    other = client.post(
        reverse("signup_candidate"),
        {**ADA, "email": "y@example.org"},
        REMOTE_ADDR="203.0.113.9",
    )
    assert other.status_code == 302
