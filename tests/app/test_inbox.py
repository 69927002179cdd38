"""The in-app inbox (read/unread, unread count in the navigation), per-category email
choices, and the digest that turns several messages in one window into one email."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from matchday.notifications import inbox
from matchday.notifications.models import Category, InboxItem, Message
from tests import factories

pytestmark = pytest.mark.django_db


def outbox(commit):
    commit()
    return mail.outbox


def note(user, n=1, *, category=Category.MATCHDAY, now=None, link="/me/matchday/"):
    return inbox.notify(
        recipient=user,
        event="test_event",
        category=category,
        about=f"test:{n}",
        subject=f"Update {n}",
        body=f"Body {n}",
        link=link,
        now=now,
    )[0]


@pytest.fixture
def commit(db):
    """``commit()`` runs the on-commit callbacks registered so far (the emails, the
    announcement task), as the end of a real request's transaction would; tests run inside
    one transaction that never commits."""
    from django.db import connection

    start = len(connection.run_on_commit)
    done = 0

    def run():
        nonlocal done
        while start + done < len(connection.run_on_commit):
            _sids, callback, _robust = connection.run_on_commit[start + done]
            done += 1
            callback()

    yield run


def test_inbox_lists_own_messages_with_the_unread_count_in_the_navigation(client, candidate):
    other = factories.CandidateProfileFactory().user
    mine = [note(candidate, 1), note(candidate, 2)]
    theirs = note(other, 3)
    client.force_login(candidate)
    html = client.get(reverse("inbox:list")).content.decode()
    assert '<span class="badge" id="inbox-unread" aria-label="2 unread">2</span>' in html
    assert all(f'id="inbox-{i.pk}"' in html for i in mine)
    assert f'id="inbox-{theirs.pk}"' not in html

    page = client.get(reverse("inbox:item", args=[mine[0].pk])).content.decode()
    assert 'href="/me/matchday/"' in page and "Body 1" in page
    mine[0].refresh_from_db()
    assert mine[0].read_at is not None
    html = client.get(reverse("inbox:list")).content.decode()
    assert 'aria-label="1 unread">1</span>' in html
    assert client.get(reverse("inbox:item", args=[theirs.pk])).status_code == 404

    client.post(reverse("inbox:read_all"))
    assert not InboxItem.objects.filter(recipient=candidate, read_at=None).exists()
    assert 'id="inbox-unread"' not in client.get(reverse("inbox:list")).content.decode()


def test_unread_filter(client, candidate):
    read = note(candidate, 1)
    inbox.item_mark_read(item=read, by=candidate)
    unread = note(candidate, 2)
    client.force_login(candidate)
    html = client.get(reverse("inbox:list") + "?show=unread").content.decode()
    assert f'id="inbox-{unread.pk}"' in html and f'id="inbox-{read.pk}"' not in html


def test_every_message_is_emailed_with_its_link_and_stored(candidate, commit):
    item = note(candidate)
    assert item.email == InboxItem.Email.QUEUED and item.message is not None
    [email] = outbox(commit)
    assert email.subject == "Update 1"
    assert "http://127.0.0.1:8000/me/matchday/" in email.body
    assert reverse("inbox:list") in email.body  # where to change email settings


def test_the_same_event_twice_is_one_inbox_entry_and_one_email(candidate, commit):
    first = note(candidate)
    again, created = inbox.notify(
        recipient=candidate,
        event="test_event",
        category=Category.MATCHDAY,
        about="test:1",
        subject="Update 1",
        body="Body 1",
    )
    assert (again.pk, created) == (first.pk, False)
    assert len(outbox(commit)) == 1


def test_a_person_turns_a_category_off_and_keeps_the_inbox_entry(client, candidate, commit):
    client.force_login(candidate)
    page = client.get(reverse("inbox:settings")).content.decode()
    assert 'value="account" checked disabled' in page  # always emailed
    client.post(reverse("inbox:settings"), {"email": ["vetting", "intros", "pipeline"]})
    item = note(candidate, category=Category.MATCHDAY)
    assert item.email == InboxItem.Email.OFF and outbox(commit) == []
    note(candidate, 2, category=Category.INTROS)
    assert len(outbox(commit)) == 1


def test_account_and_security_cannot_be_turned_off(client, candidate, commit):
    client.force_login(candidate)
    client.post(reverse("inbox:settings"), {})  # everything unticked
    note(candidate, 1, category=Category.ACCOUNT)
    note(candidate, 2, category=Category.SECURITY)
    note(candidate, 3, category=Category.PIPELINE)
    assert [m.subject for m in outbox(commit)] == ["Update 1", "Update 2"]


@override_settings(MATCHDAY_EMAIL_DIGEST_MINUTES=15)
def test_several_messages_in_one_window_become_one_email(candidate, commit):
    t0 = timezone.now()
    note(candidate, 1, now=t0)  # the first goes out at once
    second = note(candidate, 2, now=t0 + timedelta(minutes=3))
    third = note(candidate, 3, now=t0 + timedelta(minutes=9), link="/profile/")
    note(candidate, 4, category=Category.ACCOUNT, now=t0 + timedelta(minutes=9))  # required: now
    assert [m.subject for m in outbox(commit)] == ["Update 1", "Update 4"]
    assert (second.email, third.email) == ("pending", "pending")

    assert inbox.digests_send(now=t0 + timedelta(minutes=10)) == 0  # the window is still open
    assert inbox.digests_send(now=t0 + timedelta(minutes=19)) == 1
    assert inbox.digests_send(now=t0 + timedelta(minutes=30)) == 0  # nothing twice
    digest = outbox(commit)[-1]
    assert digest.subject == "2 updates from Matchday"
    assert "Update 2" in digest.body and "Update 3" in digest.body
    assert "/me/matchday/" in digest.body and "/profile/" in digest.body
    stored = Message.objects.get(kind=Message.Kind.UPDATES)
    assert set(stored.inbox_items.values_list("pk", flat=True)) == {second.pk, third.pk}
    assert len(outbox(commit)) == 3


@override_settings(MATCHDAY_EMAIL_DIGEST_MINUTES=15)
def test_the_digest_counts_per_category(candidate, commit):
    t0 = timezone.now()
    note(candidate, 1, now=t0)
    other = note(candidate, 2, category=Category.PIPELINE, now=t0 + timedelta(minutes=1))
    assert other.email == InboxItem.Email.QUEUED and len(outbox(commit)) == 2


def test_a_link_must_be_a_path_on_this_site(candidate):
    for bad in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
        with pytest.raises(ValueError):
            note(candidate, link=bad)


def test_inbox_needs_a_sign_in(client):
    response = client.get(reverse("inbox:list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
