"""Human review and blind interest services: exact messages, filters, windows, ownership."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from matchday.audits.models import AuditEntry
from matchday.core.permissions import NOT_A_PARTNER, NOT_YOUR_COMPANY
from matchday.matchdays import services
from matchday.matchdays.models import Interest, Proposal
from tests.market import (
    BEFORE_DEADLINE,
    DEADLINE,
    build_market,
    create_matchday,
    make_person,
    run_curation,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def curated(db, django_capture_on_commit_callbacks):
    market = build_market()
    md = create_matchday(market, candidate_cap=3, role_cap=10)
    run_curation(market, md, django_capture_on_commit_callbacks)
    return market, md


@pytest.fixture
def window(curated):
    """Everything approved, interest window open; one proposal of company A's role A1."""
    market, md = curated
    services.proposals_bulk_approve(matchday=md, by=market.partner)
    services.matchday_open_interest(matchday=md, by=market.partner, now=BEFORE_DEADLINE)
    return market, md, md.proposals.filter(role=market.role_a1).first()


def test_approve_records_the_human_next_to_the_ai_score(curated):
    market, md = curated
    p = md.proposals.first()
    services.proposal_approve(proposal=p, by=market.partner, now=BEFORE_DEADLINE)
    p.refresh_from_db()
    assert (p.status, p.reviewed_by, p.reviewed_at) == ("approved", market.partner, BEFORE_DEADLINE)
    entry = AuditEntry.objects.get(action="proposal.approve", target_id=str(p.pk))
    assert entry.data["score"] == p.score
    assert entry.data["engine_version"] == p.engine_version


def test_reject_requires_a_reason(curated):
    market, md = curated
    with pytest.raises(ValidationError) as exc:
        services.proposal_reject(proposal=md.proposals.first(), by=market.partner, reason=" ")
    assert exc.value.message_dict == {"reason": [services.REASON_REQUIRED]}


def test_a_reviewed_proposal_cannot_be_reviewed_again(curated):
    market, md = curated
    p = md.proposals.first()
    services.proposal_reject(proposal=p, by=market.partner, reason="Not senior enough.")
    with pytest.raises(ValidationError) as exc:
        services.proposal_approve(proposal=p, by=market.partner)
    assert exc.value.messages == [services.PROPOSAL_ALREADY_REVIEWED.format(status="Rejected")]


def test_only_partners_review(curated):
    market, md = curated
    with pytest.raises(PermissionDenied, match=NOT_A_PARTNER):
        services.proposal_approve(proposal=md.proposals.first(), by=market.member_a)


@pytest.mark.parametrize(
    ("min_score", "no_missing", "use_role"),
    [(None, False, False), (0.5, False, False), (None, True, False), (0.0, False, True)],
)
def test_bulk_approve_applies_exactly_its_filters(curated, min_score, no_missing, use_role):
    market, md = curated
    p = md.proposals.order_by("pk").first()
    p.missing_required = 1
    p.save(update_fields=["missing_required"])
    role = market.role_a1 if use_role else None
    expected = {
        q.pk
        for q in md.proposals.all()
        if (min_score is None or q.score >= min_score)
        and (not no_missing or q.missing_required == 0)
        and (role is None or q.role_id == role.pk)
    }
    n = services.proposals_bulk_approve(
        matchday=md,
        by=market.partner,
        min_score=min_score,
        no_missing_requirements=no_missing,
        role=role,
    )
    approved = set(md.proposals.filter(status="approved").values_list("pk", flat=True))
    assert n == len(expected) == len(approved)
    assert approved == expected


def test_swap_scores_the_new_candidate_and_links_the_old_proposal(curated):
    market, md = curated
    old = md.proposals.filter(role=market.role_b1).order_by("score").first()
    proposed = set(md.proposals.filter(role=market.role_b1).values_list("candidate_id", flat=True))
    newcomer = make_person(20, skills={"pytorch": 5, "python": 5}).profile
    assert newcomer.pk not in proposed
    new = services.proposal_swap(
        proposal=old, by=market.partner, candidate=newcomer, reason="Stronger PyTorch evidence."
    )
    old.refresh_from_db()
    assert (old.status, old.review_reason) == ("swapped_out", "Stronger PyTorch evidence.")
    assert (new.source, new.replaces_id, new.status) == ("swap", old.pk, "approved")
    assert new.candidate_id == newcomer.pk and new.role_id == market.role_b1.pk
    assert 0 < new.score <= 1 and new.explanation["eligible"] is True
    assert new.input_hash.startswith("sha256:")


def test_swap_requires_a_reason_and_refuses_a_candidate_already_proposed(curated):
    market, md = curated
    a, b = md.proposals.filter(role=market.role_a1)[:2]
    with pytest.raises(ValidationError) as exc:
        services.proposal_swap(proposal=a, by=market.partner, candidate=b.candidate, reason="")
    assert exc.value.message_dict == {"reason": [services.REASON_REQUIRED]}
    with pytest.raises(ValidationError) as exc:
        services.proposal_swap(proposal=a, by=market.partner, candidate=b.candidate, reason="x")
    assert exc.value.message_dict == {"candidate": [services.SWAP_ALREADY_PROPOSED]}


def test_swap_refuses_a_candidate_who_hid_the_company(curated):
    market, md = curated
    p = md.proposals.filter(role=market.role_a1).first()
    with pytest.raises(ValidationError) as exc:
        services.proposal_swap(proposal=p, by=market.partner, candidate=market.hider, reason="x")
    assert exc.value.message_dict == {"candidate": [services.SWAP_CANDIDATE_HID_COMPANY]}


def test_swap_refuses_an_ineligible_candidate_with_the_engines_reasons(curated):
    market, md = curated
    p = md.proposals.filter(role=market.role_a1).first()
    far = make_person(21, skills={"pytorch": 5}).profile
    far.country, far.acceptable_countries, far.work_authorization = "BR", ["BR"], ["BR"]
    far.save()
    with pytest.raises(ValidationError) as exc:
        services.proposal_swap(proposal=p, by=market.partner, candidate=far, reason="x")
    [message] = exc.value.message_dict["candidate"]
    assert message.startswith("That candidate does not meet the role's hard requirements: ")


def test_interest_needs_a_salary_inside_the_band(window):
    market, _, p = window
    for salary, errors in [
        (None, {"offered_salary": [services.SALARY_REQUIRED]}),
        (
            99999,
            {
                "offered_salary": [
                    services.SALARY_OUTSIDE_BAND.format(
                        low="100,000", high="130,000", currency="EUR"
                    )
                ]
            },
        ),
        (
            130001,
            {
                "offered_salary": [
                    services.SALARY_OUTSIDE_BAND.format(
                        low="100,000", high="130,000", currency="EUR"
                    )
                ]
            },
        ),
    ]:
        with pytest.raises(ValidationError) as exc:
            services.interest_express(
                proposal=p, by=market.member_a, offered_salary=salary, now=BEFORE_DEADLINE
            )
        assert exc.value.message_dict == errors
    interest = services.interest_express(
        proposal=p, by=market.member_a, offered_salary=130000, note="Keen", now=BEFORE_DEADLINE
    )
    assert (interest.decision, interest.offered_salary, interest.note) == (
        "interested",
        130000,
        "Keen",
    )


def test_pass_requires_a_reason_and_can_replace_interest_before_the_deadline(window):
    market, _, p = window
    with pytest.raises(ValidationError) as exc:
        services.interest_pass(proposal=p, by=market.member_a, reason="", now=BEFORE_DEADLINE)
    assert exc.value.message_dict == {"reason": [services.REASON_REQUIRED]}
    services.interest_express(
        proposal=p, by=market.member_a, offered_salary=110000, now=BEFORE_DEADLINE
    )
    services.interest_pass(
        proposal=p, by=market.member_a, reason="Role filled.", now=BEFORE_DEADLINE
    )
    interest = Interest.objects.get(proposal=p)
    assert (interest.decision, interest.offered_salary, interest.pass_reason) == (
        "passed",
        None,
        "Role filled.",
    )


def test_nothing_changes_after_the_deadline(window):
    market, _, p = window
    services.interest_express(
        proposal=p, by=market.member_a, offered_salary=110000, now=BEFORE_DEADLINE
    )
    for call in (
        lambda: services.interest_pass(proposal=p, by=market.member_a, reason="x", now=DEADLINE),
        lambda: services.interest_express(
            proposal=p, by=market.member_a, offered_salary=120000, now=DEADLINE
        ),
    ):
        with pytest.raises(ValidationError) as exc:
            call()
        assert exc.value.messages == [services.INTEREST_DEADLINE_PASSED]
    assert Interest.objects.get(proposal=p).offered_salary == 110000


def test_interest_only_on_the_companys_own_roles(window):
    market, _, p = window
    with pytest.raises(PermissionDenied, match=NOT_YOUR_COMPANY):
        services.interest_express(
            proposal=p, by=market.member_b, offered_salary=110000, now=BEFORE_DEADLINE
        )


def test_interest_only_on_approved_proposals(curated):
    market, md = curated
    services.matchday_open_interest(
        matchday=md, by=market.partner, now=BEFORE_DEADLINE, unreviewed="leave_out"
    )
    p = md.proposals.filter(role=market.role_a1, status=Proposal.Status.PENDING).first()
    with pytest.raises(PermissionDenied, match=services.PROPOSAL_NOT_APPROVED):
        services.interest_express(
            proposal=p, by=market.member_a, offered_salary=110000, now=BEFORE_DEADLINE
        )


def test_interest_refused_once_the_matchday_is_stopped(window):
    market, md, p = window
    services.matchday_stop(matchday=md, by=market.partner, reason="Bias check failed.")
    with pytest.raises(ValidationError) as exc:
        services.interest_express(
            proposal=p, by=market.member_a, offered_salary=110000, now=BEFORE_DEADLINE
        )
    assert exc.value.messages == [services.MATCHDAY_STOPPED]


def test_interest_refused_before_the_window_opens(curated):
    market, md = curated
    p = md.proposals.filter(role=market.role_a1).first()
    services.proposal_approve(proposal=p, by=market.partner)
    with pytest.raises(ValidationError) as exc:
        services.interest_express(
            proposal=p, by=market.member_a, offered_salary=110000, now=BEFORE_DEADLINE
        )
    assert exc.value.messages == [services.INTEREST_WINDOW_NOT_OPEN]
