import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from matchday.notifications.models import Message
from matchday.notifications.services import message_deliver, message_queue

pytestmark = pytest.mark.django_db


def queue(user, about="matchdays.matchday:1"):
    return message_queue(
        recipient=user, kind=Message.Kind.DIGEST, about=about, subject="Hi", body="Body"
    )


def test_queueing_twice_stores_and_sends_once(candidate, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first, created = queue(candidate)
        again, created_again = queue(candidate)
    assert (created, created_again, first.pk) == (True, False, again.pk)
    assert [m.to for m in mail.outbox] == [[candidate.email]]
    first.refresh_from_db()
    assert first.send_count == 1


def test_sending_waits_until_the_transaction_commits(candidate, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queue(candidate)
    assert len(callbacks) == 1 and mail.outbox == []


def test_a_failed_send_is_kept_for_a_resend(candidate):
    message, _ = queue(candidate)
    broken = {"default": {"BACKEND": "tests.app.test_notifications_delivery.BrokenBackend"}}
    with override_settings(MAILERS=broken):
        message_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert (message.sent_at, message.send_count, message.last_error) == (
        None,
        0,
        "ConnectionRefusedError: SMTP down",
    )


def test_partner_lists_and_resends_messages(
    client, partner, candidate, django_capture_on_commit_callbacks
):
    message, _ = queue(candidate)
    client.force_login(partner)
    html = client.get(reverse("notifications:list") + "?kind=digest").content.decode()
    assert f'id="message-{message.pk}"' in html and candidate.email in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notifications:resend", args=[message.pk]), follow=True)
    assert f"Queued to be sent again to {candidate.email}." in response.content.decode()
    message.refresh_from_db()
    assert message.send_count == 1 and len(mail.outbox) == 1


@pytest.mark.parametrize("who", ["candidate", "company_member"])
def test_only_partners_see_stored_messages(client, request, who, partner):
    message, _ = queue(partner)
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("notifications:list")).status_code == 403
    assert client.post(reverse("notifications:resend", args=[message.pk])).status_code == 403
