"""Before release nothing a candidate can reach says what a company decided: their pages,
the API, their messages and their data export are the same whether the company was
interested, passed or has not decided; the release then tells them."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from matchday.followup import services as followup
from matchday.matchdays import services
from matchday.notifications.models import Message
from matchday.talent import rights
from tests.market import (
    BEFORE_DEADLINE,
    RELEASE,
    open_interest_window,
)

pytestmark = pytest.mark.django_db


def _everything_the_candidate_sees(client, user) -> str:
    client.force_login(user)
    pages = [
        client.get(reverse(name)).content.decode()
        for name in ("followup:my_matchday", "notifications:list", "talent:profile")
    ]
    api = client.get("/api/v1/intros").content.decode()
    export = json.dumps(rights.candidate_data_export(user=user, by=user), default=str)
    mail = " ".join(m.subject + m.body for m in Message.objects.filter(recipient=user))
    return "\n".join([*pages, api, export, mail])


def test_candidate_learns_of_interest_only_at_release(client, django_capture_on_commit_callbacks):
    market, md = open_interest_window(django_capture_on_commit_callbacks)
    p = md.proposals.filter(role=market.role_a1).order_by("pk").first()
    user = p.candidate.user
    before = _everything_the_candidate_sees(client, user)
    with django_capture_on_commit_callbacks(execute=True):
        services.interest_express(
            proposal=p,
            by=market.member_a,
            offered_salary=123456,
            note="SECRET-NOTE",
            now=BEFORE_DEADLINE,
        )
    during = _everything_the_candidate_sees(client, user)
    for secret in ("123456", "123,456", "SECRET-NOTE", '"interested"'):
        assert secret not in during
    assert during.replace(str(p.candidate_id), "").count(market.role_a1.company.name) == (
        before.replace(str(p.candidate_id), "").count(market.role_a1.company.name)
    )
    with django_capture_on_commit_callbacks(execute=True):
        followup.matchday_release(matchday=md, now=RELEASE)
    after = _everything_the_candidate_sees(client, user)
    assert "123,456" in after and market.role_a1.company.name in after
