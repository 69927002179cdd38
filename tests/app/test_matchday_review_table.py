"""The review table at scale: filters, sort, pages, pinned query count, in-place decisions
with undo, bulk actions behind a confirmation, and per-role/per-candidate alternatives."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from matchday.audits.models import AuditEntry
from matchday.matchdays import services
from matchday.matchdays.forms import BULK_NONE_SELECTED
from matchday.matchdays.models import Alternate, Interest, MatchDay, Proposal
from matchday.matchdays.selectors import REVIEW_PAGE_SIZE
from tests import factories
from tests.followup_factories import MatchDayFactory, ProposalFactory
from tests.market import build_market, create_matchday, run_curation

pytestmark = pytest.mark.django_db


def _url(md, query: str = "") -> str:
    return reverse("matchdays:review", args=[md.pk]) + (f"?{query}" if query else "")


@pytest.fixture
def partner_client(client, partner):
    client.force_login(partner)
    return client


def _bulk_matchday(n: int, *, roles: int = 5) -> tuple[MatchDay, list[Proposal]]:
    """A Match Day in review with ``n`` pending proposals over a few roles and companies."""
    md = MatchDayFactory(status=MatchDay.Status.REVIEW)
    role_list = [factories.RoleFactory(open=True, title=f"Role {i}") for i in range(roles)]
    proposals = [
        ProposalFactory(
            matchday=md,
            role=role_list[i % roles],
            score=round(0.5 + (i % 50) / 100, 3),
            missing_required=i % 3,
            status=Proposal.Status.PENDING,
        )
        for i in range(n)
    ]
    return md, proposals


# -- pages, filters, sort ----------------------------------------------------------------

# session + user, Match Day, company and reviewer choices, status counts, the filtered
# count, the page's ids, then its rows (one joined query), the pending count, and the unread
# inbox count in the navigation.
REVIEW_QUERIES = 11


@pytest.mark.parametrize("n", [REVIEW_PAGE_SIZE + 10, 3 * REVIEW_PAGE_SIZE])
def test_review_page_runs_a_fixed_number_of_queries_whatever_the_size(
    partner_client, n, django_assert_num_queries
):
    md, _ = _bulk_matchday(n)
    with django_assert_num_queries(REVIEW_QUERIES):
        response = partner_client.get(_url(md))
    assert response.status_code == 200
    assert len(response.context["view"].page.object_list) == REVIEW_PAGE_SIZE
    assert response.context["view"].page.paginator.count == n
    assert response.content.decode().count('class="proposal proposal-pending"') == REVIEW_PAGE_SIZE


def test_review_page_pages_through_every_proposal_once(partner_client):
    md, proposals = _bulk_matchday(REVIEW_PAGE_SIZE + 7)
    seen = []
    for page in (1, 2):
        response = partner_client.get(_url(md, f"page={page}"))
        seen += [p.pk for p in response.context["view"].page.object_list]
    assert sorted(seen) == sorted(p.pk for p in proposals)


def test_filters_select_exactly_the_matching_proposals(partner_client):
    md, proposals = _bulk_matchday(30)
    a, b = proposals[0], proposals[1]
    rita = factories.PartnerFactory(full_name="Rita Reviewer")
    services.proposal_approve(proposal=a, by=rita)
    cases = {
        f"role={b.role_id}": {p.pk for p in proposals if p.role_id == b.role_id},
        f"candidate={b.candidate_id}": {b.pk},
        f"company={b.role.company_id}": {p.pk for p in proposals if p.role_id == b.role_id},
        "role_q=role 3": {p.pk for p in proposals if p.role.title == "Role 3"},
        f"candidate_q={b.candidate.user.full_name}": {b.pk},
        "status=approved": {a.pk},
        "min_score=0.7&max_score=0.75": {p.pk for p in proposals if 0.7 <= p.score <= 0.75},
        "missing=none": {p.pk for p in proposals if p.missing_required == 0},
        "missing=some": {p.pk for p in proposals if p.missing_required > 0},
        f"reviewer={rita.pk}": {a.pk},
    }
    for query, expected in cases.items():
        response = partner_client.get(_url(md, query))
        assert response.status_code == 200, query
        shown = {p.pk for p in response.context["view"].page.object_list}
        assert shown == expected, query


@pytest.mark.parametrize(
    ("sort", "key", "reverse"),
    [
        ("-score", lambda p: p.score, True),
        ("score", lambda p: p.score, False),
        ("candidate", lambda p: p.candidate.user.full_name, False),
        ("-missing", lambda p: p.missing_required, True),
        ("role", lambda p: p.role.title, False),
    ],
)
def test_sort_orders_the_table_by_the_chosen_column(partner_client, sort, key, reverse):
    md, _ = _bulk_matchday(20)
    response = partner_client.get(_url(md, f"sort={sort}"))
    rows = list(response.context["view"].page.object_list)
    assert [key(p) for p in rows] == sorted((key(p) for p in rows), reverse=reverse)


def test_column_headers_link_to_sorting_and_say_which_sort_is_active(partner_client):
    md, _ = _bulk_matchday(3)
    html = partner_client.get(_url(md, "sort=candidate&status=pending")).content.decode()
    base = f"/matchdays/{md.pk}/review/?status=pending&amp;sort="
    assert f'aria-sort="ascending"><a href="{base}-candidate"' in html
    assert f'aria-sort="none"><a href="{base}-score"' in html


@pytest.mark.parametrize(
    "query",
    [
        "role=99999999999999999999",
        "candidate=0",
        "company=-4",
        "reviewer=abc",
        "min_score=2",
        "status=bogus",
        "sort=password",
        "role_q=" + "x" * 101,
    ],
)
def test_out_of_range_filters_are_a_400_not_a_500(partner_client, query):
    md, _ = _bulk_matchday(3)
    response = partner_client.get(_url(md, query))
    assert response.status_code == 400
    assert response.context["view"] is None


def test_only_partners_open_the_review_table(client, company_member):
    md, _ = _bulk_matchday(2)
    client.force_login(company_member)
    assert client.get(_url(md)).status_code == 403


# -- decisions in place, and undo --------------------------------------------------------


def test_approve_in_place_returns_the_row_with_undo_and_fresh_counts(partner_client, partner):
    md, proposals = _bulk_matchday(3)
    p = proposals[0]
    response = partner_client.post(
        reverse("matchdays:approve", args=[p.pk]),
        {"next": _url(md, "status=pending")},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    p.refresh_from_db()
    assert response.status_code == 200
    assert (p.status, p.reviewed_by) == ("approved", partner)
    assert html.startswith(f'<tr id="proposal-{p.pk}" class="proposal proposal-approved"')
    assert 'data-action="undo"' in html and 'data-action="approve"' not in html
    assert f"Approved {p.candidate.user.full_name} for {p.role.title}." in html
    assert 'id="review-counts" hx-swap-oob="true"' in html
    assert 'Awaiting review <span class="count">2</span>' in html
    # the row's links keep the table's filters, not the POST URL
    assert f'value="{_url(md, "status=pending")}"' in html


def test_reject_in_place_without_a_reason_answers_422_with_the_message(partner_client):
    _md, proposals = _bulk_matchday(1)
    p = proposals[0]
    response = partner_client.post(
        reverse("matchdays:reject", args=[p.pk]), {"reason": "  "}, HTTP_HX_REQUEST="true"
    )
    p.refresh_from_db()
    assert response.status_code == 422
    assert p.status == "pending"
    assert services.REASON_REQUIRED in response.content.decode()


def test_undo_puts_a_decision_back_to_review_and_logs_what_was_undone(partner_client, partner):
    _md, proposals = _bulk_matchday(1)
    p = proposals[0]
    services.proposal_reject(proposal=p, by=partner, reason="Too junior")
    response = partner_client.post(reverse("matchdays:undo", args=[p.pk]), HTTP_HX_REQUEST="true")
    p.refresh_from_db()
    assert response.status_code == 200
    assert (p.status, p.reviewed_by, p.reviewed_at, p.review_reason) == ("pending", None, None, "")
    entry = AuditEntry.objects.get(action="proposal.undo", target_id=str(p.pk))
    assert entry.data["undone"]["status"] == "rejected"
    assert entry.data["undone"]["review_reason"] == "Too junior"
    assert 'data-action="approve"' in response.content.decode()


def test_undo_is_refused_once_the_company_decided(partner):
    _md, proposals = _bulk_matchday(1)
    p = proposals[0]
    services.proposal_approve(proposal=p, by=partner)
    Interest.objects.create(
        proposal=p, decision="passed", pass_reason="No", decided_at=timezone.now()
    )
    with pytest.raises(services.ValidationError) as exc:
        services.proposal_undo(proposal=p, by=partner)
    assert exc.value.messages == [services.UNDO_AFTER_COMPANY_DECISION]


def test_a_pending_proposal_has_nothing_to_undo(partner):
    _md, proposals = _bulk_matchday(1)
    with pytest.raises(services.ValidationError) as exc:
        services.proposal_undo(proposal=proposals[0], by=partner)
    assert exc.value.messages == [services.UNDO_NOT_DECIDED.format(status="awaiting review")]


def test_without_htmx_a_decision_redirects_back_to_the_filtered_table(partner_client):
    md, proposals = _bulk_matchday(2)
    back = _url(md, "status=pending&page=1")
    response = partner_client.post(
        reverse("matchdays:approve", args=[proposals[0].pk]), {"next": back}
    )
    assert response.status_code == 302 and response["Location"] == back


# -- bulk actions: a count and a confirmation -----------------------------------------------


def test_bulk_asks_to_confirm_with_the_count_and_decides_nothing_yet(partner_client):
    md, proposals = _bulk_matchday(12)
    response = partner_client.post(
        reverse("matchdays:bulk", args=[md.pk]), {"do": "approve-filtered", "missing": "none"}
    )
    expected = sum(1 for p in proposals if p.missing_required == 0)
    html = response.content.decode()
    assert response.status_code == 200
    assert f"<h1>Approve {expected} proposals?</h1>" in html
    assert "no missing requirements" in html
    assert f'name="expected" value="{expected}"' in html
    assert md.proposals.filter(status="approved").count() == 0


def test_bulk_confirmed_approves_exactly_the_matching_pending_proposals(partner_client):
    md, proposals = _bulk_matchday(12)
    expected = {p.pk for p in proposals if p.missing_required == 0}
    response = partner_client.post(
        reverse("matchdays:bulk", args=[md.pk]),
        {"do": "approve-filtered", "missing": "none", "expected": len(expected), "confirm": "1"},
    )
    assert response.status_code == 302
    assert response["Location"] == _url(md, "missing=none")
    assert set(md.proposals.filter(status="approved").values_list("pk", flat=True)) == expected
    assert AuditEntry.objects.filter(action="proposal.approve").count() == len(expected)


def test_bulk_refuses_when_the_selection_changed_since_the_confirmation(partner_client, partner):
    md, proposals = _bulk_matchday(6)
    services.proposal_approve(proposal=proposals[0], by=partner)  # someone else, meanwhile
    response = partner_client.post(
        reverse("matchdays:bulk", args=[md.pk]),
        {"do": "approve-filtered", "expected": 6, "confirm": "1"},
    )
    assert response.status_code == 422
    assert services.BULK_COUNT_CHANGED.format(n=5, s="s") in response.content.decode()
    assert md.proposals.filter(status="approved").count() == 1


def test_bulk_reject_of_ticked_rows_needs_a_reason_and_records_it(partner_client):
    md, proposals = _bulk_matchday(6)
    ticked = [proposals[1].pk, proposals[4].pk]
    url = reverse("matchdays:bulk", args=[md.pk])
    confirm = partner_client.post(url, {"do": "reject-selected", "ids": ticked})
    assert "<h1>Reject 2 proposals?</h1>" in confirm.content.decode()
    refused = partner_client.post(
        url,
        {
            "do": "reject-selected",
            "ids": ",".join(map(str, ticked)),
            "expected": 2,
            "confirm": "1",
            "reason": "",
        },
    )
    assert refused.status_code == 422
    assert services.REASON_REQUIRED in refused.content.decode()
    partner_client.post(
        url,
        {
            "do": "reject-selected",
            "ids": ",".join(map(str, ticked)),
            "expected": 2,
            "confirm": "1",
            "reason": "Company paused hiring",
        },
    )
    rejected = md.proposals.filter(status="rejected")
    assert sorted(rejected.values_list("pk", flat=True)) == sorted(ticked)
    assert set(rejected.values_list("review_reason", flat=True)) == {"Company paused hiring"}


def test_bulk_on_selected_rows_needs_a_selection(partner_client):
    md, _ = _bulk_matchday(2)
    response = partner_client.post(
        reverse("matchdays:bulk", args=[md.pk]), {"do": "approve-selected"}, follow=True
    )
    assert BULK_NONE_SELECTED in response.content.decode()
    assert md.proposals.filter(status="approved").count() == 0


def test_bulk_ignores_ticked_ids_of_another_matchday(partner_client):
    md, _ = _bulk_matchday(2)
    _other, other_proposals = _bulk_matchday(1)
    partner_client.post(
        reverse("matchdays:bulk", args=[md.pk]),
        {
            "do": "approve-selected",
            "ids": str(other_proposals[0].pk),
            "expected": 0,
            "confirm": "1",
        },
    )
    other_proposals[0].refresh_from_db()
    assert other_proposals[0].status == "pending"


# -- alternatives from the stored run ---------------------------------------------------------


@pytest.fixture
def tight(db, django_capture_on_commit_callbacks):
    """The seeded market curated with K = M = 1, so the run has alternates to offer."""
    market = build_market()
    md = create_matchday(market, candidate_cap=1, role_cap=1)
    run_curation(market, md, django_capture_on_commit_callbacks)
    return market, md


def test_curation_stores_the_best_eligible_pairs_it_did_not_propose(tight):
    market, md = tight
    run = md.runs.get()
    alternates = list(Alternate.objects.filter(run=run))
    proposed = set(md.proposals.values_list("candidate_id", "role_id"))
    assert run.stats["alternates"] == len(alternates) > 0
    assert not proposed & {(a.candidate_id, a.role_id) for a in alternates}
    assert market.hider.pk not in {
        a.candidate_id for a in alternates if a.role.company_id == market.member_a.company_id
    }
    assert market.paused.pk not in {a.candidate_id for a in alternates}


def test_a_rerun_keeps_only_the_latest_runs_alternates(tight, django_capture_on_commit_callbacks):
    market, md = tight
    first = md.runs.get()
    second = run_curation(market, md, django_capture_on_commit_callbacks)
    assert set(Alternate.objects.values_list("run_id", flat=True)) == {second.pk}
    assert first.pk != second.pk


def test_per_role_view_lists_the_next_best_candidates_with_their_capacity(client, tight):
    market, md = tight
    client.force_login(market.partner)
    response = client.get(_url(md, f"role={market.role_a1.pk}"))
    rows = response.context["view"].alternates
    expected = Alternate.objects.filter(role=market.role_a1).order_by("-score", "pk")
    assert [r.alternate.pk for r in rows] == [a.pk for a in expected]
    by_candidate = {r.alternate.candidate_id: (r.used, r.cap) for r in rows}
    for a in expected:
        used = md.proposals.filter(candidate_id=a.candidate_id, status="pending").count()
        assert by_candidate[a.candidate_id] == (used, 1)
    assert "Next best candidates for this role" in response.content.decode()


def test_per_candidate_view_lists_the_next_best_roles(client, tight):
    market, md = tight
    person = market.people[1].profile
    client.force_login(market.partner)
    response = client.get(_url(md, f"candidate={person.pk}"))
    roles = [r.alternate.role_id for r in response.context["view"].alternates]
    assert roles == list(
        Alternate.objects.filter(candidate=person)
        .order_by("-score", "pk")
        .values_list("role_id", flat=True)
    )
    assert "Next best roles for this candidate" in response.content.decode()
