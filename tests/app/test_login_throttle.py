"""Log-in brute force is throttled by django-axes: after AXES_FAILURE_LIMIT failures for one
(username, IP) pair, even the right password is refused until the cool-off ends."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, CandidateProfileFactory

pytestmark = pytest.mark.django_db


def _login(client, email, password):
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


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
        assert "Please enter a correct email address and password" in response.text
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
