"""Every persona's main pages and the API lists: queries pinned exactly, and the same
whatever the number of rows they list (tests/querycounts.py). A signed-in page's count
includes the inbox's unread count (one query)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from matchday.matchdays.models import CurationRun, MatchDay, Proposal
from matchday.notifications.models import Message
from tests import factories
from tests.api.helpers import key_for
from tests.followup_factories import ProposalFactory, released_intro
from tests.querycounts import assert_pinned_queries

pytestmark = pytest.mark.django_db


class World:
    """A partner, a vetted company with a member, a candidate, and a Match Day in review;
    :meth:`add` adds ``n`` of everything the pages list."""

    def __init__(self) -> None:
        self.partner = factories.PartnerFactory()
        self.member = factories.CompanyMemberFactory(company__vetted=True)
        self.company = self.member.company
        self.candidate = factories.CandidateProfileFactory(active=True)
        self.review_md = MatchDay.objects.create(
            name="In review",
            release_at="2031-08-01T09:00:00Z",
            interest_deadline="2031-07-28T09:00:00Z",
            status=MatchDay.Status.REVIEW,
        )
        self.interest_md = MatchDay.objects.create(
            name="Interest open",
            release_at="2031-09-01T09:00:00Z",
            interest_deadline="2031-08-28T09:00:00Z",
            status=MatchDay.Status.INTEREST,
        )
        self.role = factories.RoleFactory(company=self.company, open=True)
        self.add(2)

    def add(self, n: int) -> None:
        for _ in range(n):
            md = MatchDay.objects.create(  # the Match Day lists, each with a finished run
                name="More",
                release_at="2031-10-01T09:00:00Z",
                interest_deadline="2031-09-28T09:00:00Z",
            )
            CurationRun.objects.create(
                matchday=md, status=CurationRun.Status.SUCCEEDED, requested_by=self.partner
            )
            factories.CandidateProfileFactory(submitted=True)  # vetting queue
            factories.CompanyMemberFactory()  # a company to vet
            other = factories.CandidateProfileFactory(active=True)
            role = factories.RoleFactory(company=self.company, open=True)
            ProposalFactory(  # review
                matchday=self.review_md,
                role=role,
                candidate=other,
                status=Proposal.Status.PENDING,
            )
            ProposalFactory(matchday=self.interest_md, role=self.role, candidate=other)
            intro = released_intro(  # the candidate's intros, the company's pipeline
                candidate=self.candidate,
                role=factories.RoleFactory(company=self.company, open=True),
            )
            assert intro.candidate_id == self.candidate.pk
            for user in (self.candidate.user, self.member, self.partner):
                Message.objects.create(
                    recipient=user,
                    to_email=user.email,
                    kind=Message.Kind.OTHER,
                    subject="Hello",
                    body="Body",
                )


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_every_personas_main_pages():
    w = World()
    cand, member, partner = (_client(u) for u in (w.candidate.user, w.member, w.partner))
    pages = {
        # candidate
        "candidate profile": (cand, reverse("talent:profile"), 10),
        "candidate Match Day": (cand, reverse("followup:my_matchday"), 16),
        "candidate controls": (cand, reverse("followup:controls"), 12),
        # company
        "company page": (member, reverse("companies:detail", args=[w.company.pk]), 6),
        "company roles": (member, reverse("companies:role_list"), 6),
        "company shortlists": (member, reverse("matchdays:shortlists"), 7),
        "company shortlist": (member, reverse("matchdays:shortlist", args=[w.role.pk]), 13),
        "company pipeline": (member, reverse("followup:pipeline"), 9),
        # talent partner
        "candidate vetting": (partner, reverse("talent:vetting_queue"), 4),
        "candidate search": (partner, reverse("talent:candidate_search"), 6),
        "company vetting": (partner, reverse("companies:vetting_queue"), 4),
        "Match Days": (partner, reverse("matchdays:list"), 4),
        "Match Day": (partner, reverse("matchdays:detail", args=[w.review_md.pk]), 7),
        "review": (partner, reverse("matchdays:review", args=[w.review_md.pk]), 11),
        "oversight": (partner, reverse("followup:oversight"), 8),
        "reports": (partner, reverse("followup:report_list"), 4),
        "audit log": (partner, reverse("audits:list"), 5),
        "emails": (partner, reverse("notifications:list"), 5),
    }
    assert_pinned_queries(pages, lambda: w.add(3))


def test_api_lists():
    w = World()

    def api(user) -> Client:
        return Client(headers={"Authorization": f"Bearer {key_for(user)}"})

    cand, member, partner = (api(u) for u in (w.candidate.user, w.member, w.partner))
    pages = {
        "candidate intros": (cand, "/api/v1/intros", 7),
        "company intros": (member, "/api/v1/intros", 7),
        "company roles": (member, "/api/v1/roles", 6),
        "partner Match Days": (partner, "/api/v1/matchdays", 4),
        "candidates to vet": (partner, "/api/v1/vetting/candidates", 5),
        "companies to vet": (partner, "/api/v1/vetting/companies", 3),
    }
    assert_pinned_queries(pages, lambda: w.add(3))


class _RowByRow:
    """A client whose one "page" reads each user's groups with a query per user."""

    def get(self, url, **extra):
        from types import SimpleNamespace

        from matchday.accounts.models import User

        for user in User.objects.order_by("pk"):
            list(user.groups.all())
        return SimpleNamespace(status_code=200)


def test_a_query_per_row_breaks_the_pin():
    """The pin is no fixture: a page that reads a row per listed row fails it, and so does a
    pin one above the page's count."""
    for _ in range(2):
        factories.UserFactory()
    with pytest.raises(AssertionError, match="users: 3 queries, 6 after more rows, pinned at 3"):
        assert_pinned_queries(
            {"users": (_RowByRow(), "/", 3)}, lambda: [factories.UserFactory() for _ in range(3)]
        )
    w = World()
    partner = Client(headers={"Authorization": f"Bearer {key_for(w.partner)}"})
    with pytest.raises(AssertionError, match="partner Match Days: 4 queries, 4 after more rows"):
        assert_pinned_queries(
            {"partner Match Days": (partner, "/api/v1/matchdays", 5)}, lambda: None
        )
