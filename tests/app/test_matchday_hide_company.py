"""Hiding a company takes effect at once, also in a Match Day under way: the pair leaves the
company's shortlist, the company cannot decide on it, a decision already made is withdrawn
(audited, the deciding member told, the candidate's own view none the wiser), and release
skips the pair."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from matchday.audits.models import AuditEntry
from matchday.followup import services as followup
from matchday.followup.models import Intro
from matchday.matchdays import selectors, services
from matchday.matchdays.models import Interest
from matchday.notifications.models import Message
from matchday.talent import rights
from tests.market import (
    BEFORE_DEADLINE,
    RELEASE,
    open_interest_window,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def window(django_capture_on_commit_callbacks):
    """Interest window open with everything approved; company A has two shortlisted people."""
    market, md = open_interest_window(django_capture_on_commit_callbacks)
    shown = md.proposals.filter(role=market.role_a1).order_by("pk")
    assert shown.count() >= 2
    return market, md, shown[0], shown[1]


def _hide(p, company, now=BEFORE_DEADLINE):
    profile = p.candidate
    followup.candidate_hide_company(profile=profile, by=profile.user, company=company, now=now)


def _card_ids(market, role):
    _, cards = selectors.shortlist(user=market.member_a, role_id=role.pk, now=BEFORE_DEADLINE)
    return [c.proposal_id for c in cards]


def test_hidden_pair_leaves_the_shortlist_at_once_and_returns_on_unhide(window):
    market, _md, p, other = window
    before = _card_ids(market, market.role_a1)
    assert p.pk in before and other.pk in before
    count = selectors.shortlist_roles(user=market.member_a).get(pk=market.role_a1.pk).n_shortlisted
    _hide(p, market.role_a1.company)
    assert _card_ids(market, market.role_a1) == [pk for pk in before if pk != p.pk]
    roles = selectors.shortlist_roles(user=market.member_a)
    assert roles.get(pk=market.role_a1.pk).n_shortlisted == count - 1
    followup.candidate_unhide_company(
        profile=p.candidate, by=p.candidate.user, company=market.role_a1.company
    )
    assert _card_ids(market, market.role_a1) == before


def test_company_cannot_decide_on_a_hidden_candidate(window):
    market, _md, p, _other = window
    _hide(p, market.role_a1.company)
    for call in (
        lambda: services.interest_express(
            proposal=p, by=market.member_a, offered_salary=110000, now=BEFORE_DEADLINE
        ),
        lambda: services.interest_pass(
            proposal=p, by=market.member_a, reason="Too senior", now=BEFORE_DEADLINE
        ),
    ):
        with pytest.raises(ValidationError) as exc:
            call()
        assert exc.value.messages == [services.CANDIDATE_NOT_AVAILABLE]
    assert not Interest.objects.filter(proposal=p).exists()


def test_decision_sent_from_an_open_page_gets_the_clear_error(client, window):
    market, _md, p, _other = window
    _hide(p, market.role_a1.company)
    client.force_login(market.member_a)
    page = client.get(reverse("matchdays:shortlist", args=[market.role_a1.pk]))
    assert f'id="card-{p.pk}"' not in page.content.decode()
    response = client.post(
        reverse("matchdays:interest", args=[p.pk]), {"offered_salary": "110000"}, follow=True
    )
    assert response.status_code == 200
    assert services.CANDIDATE_NOT_AVAILABLE in response.content.decode()
    assert not Interest.objects.filter(proposal=p).exists()


def test_existing_interest_is_withdrawn_audited_and_the_member_told(
    window, django_capture_on_commit_callbacks
):
    market, _md, p, other = window
    services.interest_express(
        proposal=p, by=market.member_a, offered_salary=120000, note="Keen", now=BEFORE_DEADLINE
    )
    services.interest_express(
        proposal=other, by=market.member_a, offered_salary=110000, now=BEFORE_DEADLINE
    )
    with django_capture_on_commit_callbacks(execute=True):
        _hide(p, market.role_a1.company)
    assert list(Interest.objects.filter(proposal__in=[p, other]).values_list("proposal_id")) == [
        (other.pk,)
    ]
    entry = AuditEntry.objects.get(action="interest.withdraw")
    assert (entry.target_id, entry.actor, entry.subject_user, entry.reason) == (
        str(p.pk),
        None,
        None,
        services.INTEREST_WITHDRAWN_REASON,
    )
    assert entry.data == {
        "decision": "interested",
        "offered_salary": 120000,
        "decided_by": market.member_a.pk,
        "decided_at": BEFORE_DEADLINE.isoformat(),
    }
    message = Message.objects.get(recipient=market.member_a, about__endswith=":withdrawn")
    assert message.subject == (
        f"March Match Day: a candidate for {market.role_a1.title} is no longer available"
    )
    assert p.candidate.user.full_name not in message.body
    # The candidate's own export does not reveal that this company had been interested.
    export = json.dumps(
        rights.candidate_data_export(user=p.candidate.user, by=p.candidate.user), default=str
    )
    assert "interest.withdraw" not in export and "120000" not in export


def test_release_skips_the_hidden_pair_and_keeps_the_others(window):
    market, md, p, other = window
    for proposal in (p, other):
        services.interest_express(
            proposal=proposal, by=market.member_a, offered_salary=110000, now=BEFORE_DEADLINE
        )
    _hide(p, market.role_a1.company)
    intros = followup.matchday_release(matchday=md, now=RELEASE)
    assert [i.proposal_id for i in intros] == [other.pk]
    assert not Intro.objects.filter(proposal=p).exists()


def test_hiding_another_company_changes_nothing(window):
    market, _md, p, _other = window
    services.interest_express(
        proposal=p, by=market.member_a, offered_salary=110000, now=BEFORE_DEADLINE
    )
    _hide(p, market.role_b1.company)
    assert p.pk in _card_ids(market, market.role_a1)
    assert Interest.objects.filter(proposal=p).exists()
