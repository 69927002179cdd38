"""Password reset by emailed link and password change (django-allauth's views), rate-limited,
audited, enumeration-safe, and lifting the lock-out a reset proves unnecessary."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from matchday.audits.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db

NEW = "a-brand-new-passphrase-42"


def _reset_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", message.body).group(1)


def _request_reset(client, email, **extra):
    # Emails are sent by a task enqueued when the request's transaction commits.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("account_reset_password"), {"email": email}, **extra)


def test_a_reset_link_sets_a_new_password(client, candidate):
    response = _request_reset(client, candidate.email)
    assert response["Location"] == reverse("account_reset_password_done")
    (message,) = mail.outbox
    assert message.to == [candidate.email]
    form_page = client.get(_reset_link(message), follow=True)
    assert form_page.status_code == 200
    done = client.post(form_page.request["PATH_INFO"], {"password1": NEW, "password2": NEW})
    assert done["Location"] == reverse("account_reset_password_from_key_done")
    candidate.refresh_from_db()
    assert candidate.check_password(NEW) and not candidate.check_password(factories.PASSWORD)
    assert AuditEntry.objects.filter(actor=candidate, action="account.password.reset").exists()
    # The link works once.
    again = client.get(_reset_link(message), follow=True)
    assert "token_fail" in again.context or "invalid" in again.text.lower()


def test_a_reset_for_an_unknown_address_answers_the_same(client, candidate):
    known = _request_reset(client, candidate.email)
    unknown = _request_reset(client, "nobody@example.org")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])


def test_a_reset_password_must_pass_the_validators(client, candidate):
    _request_reset(client, candidate.email)
    form_page = client.get(_reset_link(mail.outbox[0]), follow=True)
    name = candidate.full_name.replace(" ", "")
    response = client.post(form_page.request["PATH_INFO"], {"password1": name, "password2": name})
    assert response.status_code == 200
    assert response.context["form"].errors["password1"]


def test_resets_for_one_address_are_rate_limited(client, candidate, settings):
    per_key = int(settings.ACCOUNT_RATE_LIMITS["reset_password"].split(",")[2].split("/")[0])
    for i in range(per_key):
        _request_reset(client, candidate.email, REMOTE_ADDR=f"198.51.100.{i + 1}")
    assert len(mail.outbox) == per_key
    refused = _request_reset(client, candidate.email, REMOTE_ADDR="203.0.113.7")
    assert len(mail.outbox) == per_key
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) == 3600


def test_a_reset_lifts_the_lock_out_of_the_account(client, candidate, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("account_login"), {"login": candidate.email, "password": "wrong"})
    locked = client.post(reverse("account_login"), {"login": candidate.email, "password": NEW})
    assert locked.status_code == 429
    _request_reset(client, candidate.email)
    form_page = client.get(_reset_link(mail.outbox[-1]), follow=True)
    client.post(form_page.request["PATH_INFO"], {"password1": NEW, "password2": NEW})
    response = client.post(reverse("account_login"), {"login": candidate.email, "password": NEW})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(candidate.pk)


def test_a_signed_in_person_changes_their_password(client, candidate):
    client.post(
        reverse("account_login"), {"login": candidate.email, "password": factories.PASSWORD}
    )
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": factories.PASSWORD, "password1": NEW, "password2": NEW},
    )
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.check_password(NEW)
    assert AuditEntry.objects.filter(actor=candidate, action="account.password.change").exists()
