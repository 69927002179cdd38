"""Log-in brute force: django-axes locks one (account, client address) pair after
AXES_FAILURE_LIMIT failures; allauth limits failures per client address across accounts
(password spraying) and per account across addresses. The client address is the real one
behind the configured trusted proxies, so a stranger behind the same proxy cannot lock a
person out, and a forged X-Forwarded-For moves nobody."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, CandidateProfileFactory

pytestmark = pytest.mark.django_db

WRONG = "The email address and/or password you specified are not correct."
TOO_MANY = "Too many failed login attempts. Try again later."
PROXY = "10.0.0.5"


def _login(client, email, password, **extra):
    return client.post(reverse("accounts:login"), {"login": email, "password": password}, **extra)


def _via_proxy(client_address):
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"{client_address}, {PROXY}"}


def test_the_right_password_logs_in(client):
    user = CandidateProfileFactory().user
    response = _login(client, user.email, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_repeated_failures_lock_the_account_out_even_with_the_right_password(client, settings):
    user = CandidateProfileFactory().user
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _login(client, user.email, "wrong-password")
        assert response.status_code == 200
        assert WRONG in response.text
    locked = _login(client, user.email, "wrong-password")
    assert locked.status_code == 429
    assert "Too many failed log-in attempts" in locked.text
    after = _login(client, user.email, PASSWORD)
    assert after.status_code == 429
    assert "_auth_user_id" not in client.session


def test_failures_for_one_user_do_not_lock_out_another(client, settings):
    victim = CandidateProfileFactory().user
    other = CandidateProfileFactory().user
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, victim.email, "wrong-password")
    assert _login(client, other.email, PASSWORD).status_code == 302


def test_an_attacker_behind_the_same_proxy_cannot_lock_the_victim_out(client, settings):
    settings.MATCHDAY_TRUSTED_PROXIES = ["10.0.0.0/8"]
    victim = CandidateProfileFactory().user
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        _login(client, victim.email, "wrong-password", **_via_proxy("198.51.100.66"))
    assert _login(client, victim.email, PASSWORD, **_via_proxy("198.51.100.66")).status_code == 429
    response = _login(client, victim.email, PASSWORD, **_via_proxy("203.0.113.7"))
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(victim.pk)


def test_a_forged_forwarded_for_does_not_escape_the_lock_out(client, settings):
    settings.MATCHDAY_TRUSTED_PROXIES = []  # direct connections: the header is the client's
    user = CandidateProfileFactory().user
    for i in range(settings.AXES_FAILURE_LIMIT):
        _login(
            client,
            user.email,
            "wrong",
            REMOTE_ADDR="198.51.100.66",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{i}",
        )
    response = _login(
        client, user.email, PASSWORD, REMOTE_ADDR="198.51.100.66", HTTP_X_FORWARDED_FOR="192.0.2.99"
    )
    assert response.status_code == 429


def test_password_spraying_across_accounts_from_one_address_is_stopped(client, settings):
    per_ip = int(settings.ACCOUNT_RATE_LIMITS["login_failed"].split(",")[0].split("/")[0])
    users = [CandidateProfileFactory().user for _ in range(per_ip + 1)]
    for user in users[:per_ip]:
        assert WRONG in _login(client, user.email, "Summer2026!").text
    sprayed = _login(client, users[-1].email, PASSWORD)
    assert TOO_MANY in sprayed.text
    assert "_auth_user_id" not in client.session
    elsewhere = _login(client, users[-1].email, PASSWORD, REMOTE_ADDR="203.0.113.7")
    assert elsewhere.status_code == 302


def test_one_account_is_capped_across_many_addresses(client, settings):
    per_account = int(settings.ACCOUNT_RATE_LIMITS["login_failed"].split(",")[1].split("/")[0])
    user = CandidateProfileFactory().user
    for i in range(per_account):
        _login(client, user.email, "wrong", REMOTE_ADDR=f"198.51.{i // 250}.{i % 250 + 1}")
    response = _login(client, user.email, PASSWORD, REMOTE_ADDR="203.0.113.7")
    assert TOO_MANY in response.text
