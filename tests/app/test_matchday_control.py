"""Match Day control: times in the future at creation, moving the release time and the
deadline before they pass, releasing early behind a confirmation, the explicit choice for
unreviewed proposals when the interest window opens, and a Match Day page that updates
itself when a curation run finishes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from matchday.audits.models import AuditEntry
from matchday.followup import services as followup
from matchday.matchdays import services
from matchday.matchdays.models import MatchDay, Proposal
from matchday.notifications.models import Message
from tests.followup_factories import (
    MatchDayFactory,
    ProposalFactory,
    interested_proposal,
)
from tests.market import (
    BEFORE_DEADLINE,
    DEADLINE,
    RELEASE,
    build_market,
    create_matchday,
    run_curation,
)

pytestmark = pytest.mark.django_db
NOW = datetime(2031, 2, 1, 12, 0, tzinfo=UTC)


# -- creation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("release", "deadline", "errors"),
    [
        (
            NOW - timedelta(hours=1),
            NOW - timedelta(days=1),
            {"release_at": [services.RELEASE_IN_PAST]},
        ),
        (
            NOW + timedelta(days=3),
            NOW - timedelta(minutes=1),
            {"interest_deadline": [services.DEADLINE_IN_PAST]},
        ),
    ],
)
def test_creation_refuses_times_in_the_past(partner, release, deadline, errors):
    with pytest.raises(ValidationError) as exc:
        services.matchday_create(
            by=partner, name="Late", release_at=release, interest_deadline=deadline, now=NOW
        )
    assert exc.value.message_dict == errors
    assert not MatchDay.objects.exists()


def test_creation_form_shows_the_past_release_on_its_field(client, partner):
    client.force_login(partner)
    response = client.post(
        reverse("matchdays:create"),
        {
            "name": "Yesterday",
            "release_at": "2020-01-07T09:00",
            "interest_deadline": "2020-01-04T17:00",
            "release_timezone": "Europe/Berlin",
            "candidate_cap": 3,
            "role_cap": 8,
            "policy": "optimal",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"release_at": [services.RELEASE_IN_PAST]}
    assert not MatchDay.objects.exists()


# -- moving the times ------------------------------------------------------------------------


@pytest.fixture
def market(db):
    return build_market()


def test_partner_moves_release_and_deadline_with_an_audit_entry(market):
    md = create_matchday(market)
    new_release, new_deadline = RELEASE + timedelta(days=7), DEADLINE + timedelta(days=6)
    services.matchday_reschedule(
        matchday=md,
        by=market.partner,
        release_at=new_release,
        interest_deadline=new_deadline,
        now=BEFORE_DEADLINE,
    )
    md.refresh_from_db()
    assert (md.release_at, md.interest_deadline) == (new_release, new_deadline)
    entry = AuditEntry.objects.get(action="matchday.reschedule")
    assert entry.data == {
        "release_at": {"from": RELEASE.isoformat(), "to": new_release.isoformat()},
        "interest_deadline": {"from": DEADLINE.isoformat(), "to": new_deadline.isoformat()},
    }
    assert entry.actor == market.partner


@pytest.mark.parametrize(
    ("now", "release", "deadline", "errors"),
    [
        # the deadline has passed: it stays, but the release can still move
        (
            DEADLINE + timedelta(hours=1),
            RELEASE,
            DEADLINE + timedelta(hours=5),
            {"interest_deadline": [services.DEADLINE_PASSED]},
        ),
        # a new time in the past
        (
            BEFORE_DEADLINE,
            RELEASE,
            BEFORE_DEADLINE - timedelta(minutes=5),
            {"interest_deadline": [services.DEADLINE_IN_PAST]},
        ),
        # the release time has passed
        (
            RELEASE + timedelta(minutes=1),
            RELEASE + timedelta(days=1),
            DEADLINE,
            {"release_at": [services.RELEASE_PASSED]},
        ),
        # the deadline after the release
        (
            BEFORE_DEADLINE,
            RELEASE,
            RELEASE + timedelta(hours=1),
            {"interest_deadline": [services.DEADLINE_AFTER_RELEASE]},
        ),
    ],
)
def test_times_move_only_before_they_pass_and_only_into_the_future(
    market, now, release, deadline, errors
):
    md = create_matchday(market)
    with pytest.raises(ValidationError) as exc:
        services.matchday_reschedule(
            matchday=md,
            by=market.partner,
            release_at=release,
            interest_deadline=deadline,
            now=now,
        )
    assert exc.value.message_dict == errors
    md.refresh_from_db()
    assert (md.release_at, md.interest_deadline) == (RELEASE, DEADLINE)
    assert not AuditEntry.objects.filter(action="matchday.reschedule").exists()


def test_release_moves_after_the_deadline_passed(market):
    md = create_matchday(market)
    later = RELEASE + timedelta(days=1)
    services.matchday_reschedule(
        matchday=md,
        by=market.partner,
        release_at=later,
        interest_deadline=DEADLINE,
        now=DEADLINE + timedelta(hours=1),
    )
    md.refresh_from_db()
    assert md.release_at == later


def test_a_released_matchday_cannot_be_rescheduled(partner):
    md = MatchDayFactory(status=MatchDay.Status.RELEASED)
    with pytest.raises(ValidationError) as exc:
        services.matchday_reschedule(
            matchday=md,
            by=partner,
            release_at=md.release_at + timedelta(days=1),
            interest_deadline=md.interest_deadline,
            now=md.release_at - timedelta(days=9),
        )
    assert exc.value.messages == [services.RESCHEDULE_NOT_ALLOWED.format(status="Released")]


def test_only_partners_reschedule(market):
    md = create_matchday(market)
    with pytest.raises(PermissionDenied):
        services.matchday_reschedule(
            matchday=md, by=market.member_a, release_at=RELEASE, interest_deadline=DEADLINE
        )


def test_companies_deciding_are_told_when_their_deadline_moves(
    market, django_capture_on_commit_callbacks
):
    md = create_matchday(market, candidate_cap=3, role_cap=10)
    run_curation(market, md, django_capture_on_commit_callbacks)
    services.proposals_bulk_approve(matchday=md, by=market.partner, role=market.role_a1)
    services.matchday_open_interest(
        matchday=md, by=market.partner, unreviewed="leave_out", now=BEFORE_DEADLINE
    )
    later = DEADLINE + timedelta(hours=12)
    services.matchday_reschedule(
        matchday=md,
        by=market.partner,
        release_at=RELEASE,
        interest_deadline=later,
        now=BEFORE_DEADLINE,
    )
    told = Message.objects.filter(subject__contains="interest deadline moved")
    assert [m.recipient for m in told] == [market.member_a]  # B has nothing approved
    assert "Sat 1 Mar 2031, 21:00" in told.get().subject


def test_timing_form_on_the_page_takes_times_in_the_matchdays_zone(client, market):
    md = create_matchday(market, release_timezone="Europe/Berlin")
    client.force_login(market.partner)
    page = client.get(md.get_absolute_url())
    assert page.context["reschedule_form"].initial == {
        "release_at": "2031-03-03T10:00",
        "interest_deadline": "2031-03-01T10:00",
    }
    response = client.post(
        reverse("matchdays:reschedule", args=[md.pk]),
        {"release_at": "2031-03-10T10:00", "interest_deadline": "2031-03-08T10:00"},
    )
    assert response.status_code == 302
    md.refresh_from_db()
    assert md.release_at == datetime(2031, 3, 10, 9, 0, tzinfo=UTC)


def test_timing_form_errors_land_on_their_field_with_422(client, market):
    md = create_matchday(market)
    client.force_login(market.partner)
    response = client.post(
        reverse("matchdays:reschedule", args=[md.pk]),
        {"release_at": "2031-03-10T10:00", "interest_deadline": "2031-03-11T10:00"},
    )
    assert response.status_code == 422
    assert response.context["reschedule_form"].errors == {
        "interest_deadline": [services.DEADLINE_AFTER_RELEASE]
    }


# -- releasing early ---------------------------------------------------------------------------


@pytest.fixture
def window():
    """In the interest window, a week before its release: one intro would go out."""
    soon = timezone.now() + timedelta(days=7)
    md = MatchDayFactory(
        status=MatchDay.Status.INTEREST, release_at=soon, interest_deadline=soon - timedelta(days=1)
    )
    interested_proposal(matchday=md, offered_salary=120000)
    ProposalFactory(matchday=md)  # approved, no decision yet
    ProposalFactory(matchday=md, status=Proposal.Status.PENDING)
    return md


def test_release_before_its_time_needs_the_early_confirmation(window, partner):
    before = window.release_at - timedelta(days=3)
    with pytest.raises(ValidationError):
        followup.matchday_release(matchday=window, by=partner, now=before)
    intros = followup.matchday_release(matchday=window, by=partner, now=before, early=True)
    window.refresh_from_db()
    assert len(intros) == 1
    assert (window.status, window.released_at) == ("released", before)
    entry = AuditEntry.objects.get(action="matchday.release")
    assert entry.data["early"] is True and entry.actor == partner


def test_only_a_partner_releases_early(window):
    with pytest.raises(PermissionDenied):
        followup.matchday_release(
            matchday=window, by=None, early=True, now=window.release_at - timedelta(days=1)
        )
    assert window.intros.count() == 0


def test_release_page_confirms_with_the_counts_before_releasing(client, partner, window):
    client.force_login(partner)
    url = reverse("followup:release", args=[window.pk])
    page = client.get(url)
    preview = page.context["preview"]
    assert (preview.intros, preview.undecided, preview.pending, preview.early) == (1, 1, 1, True)
    assert "This releases before the scheduled time." in page.content.decode()
    assert client.post(url).status_code == 200  # an old "Release now" form: confirm first
    assert window.intros.count() == 0
    response = client.post(url, {"confirm": "1"})
    assert response.status_code == 302 and response["Location"] == window.get_absolute_url()
    assert window.intros.count() == 1


def test_release_page_counts_leave_out_pairs_the_candidate_hid(client, partner, window):
    hidden = interested_proposal(matchday=window, offered_salary=110000)
    hidden.candidate.hidden_companies.add(hidden.role.company)
    client.force_login(partner)
    preview = client.get(reverse("followup:release", args=[window.pk])).context["preview"]
    assert preview.intros == 1


# -- opening the interest window with proposals unreviewed -------------------------------------


@pytest.fixture
def review_md():
    md = MatchDayFactory(
        status=MatchDay.Status.REVIEW, release_at=RELEASE, interest_deadline=DEADLINE
    )
    for status in ["pending", "pending", "pending", "approved", "rejected"]:
        ProposalFactory(
            matchday=md, status=status, review_reason="No." if status == "rejected" else ""
        )
    return md


def test_opening_with_unreviewed_proposals_needs_an_explicit_choice(review_md, partner):
    with pytest.raises(ValidationError) as exc:
        services.matchday_open_interest(matchday=review_md, by=partner, now=BEFORE_DEADLINE)
    assert exc.value.message_dict == {
        "unreviewed": [services.OPEN_INTEREST_UNREVIEWED.format(n=3, s="s")]
    }
    review_md.refresh_from_db()
    assert review_md.status == "review"


@pytest.mark.parametrize(
    ("choice", "reason", "statuses"),
    [
        ("approve", "", {"approved": 4, "rejected": 1}),
        ("reject", "Not enough signal", {"approved": 1, "rejected": 4}),
        ("leave_out", "", {"pending": 3, "approved": 1, "rejected": 1}),
    ],
)
def test_each_choice_does_what_it_says_and_is_audited(review_md, partner, choice, reason, statuses):
    services.matchday_open_interest(
        matchday=review_md, by=partner, unreviewed=choice, reason=reason, now=BEFORE_DEADLINE
    )
    review_md.refresh_from_db()
    counts = {}
    for status in review_md.proposals.values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    assert (review_md.status, counts) == ("interest", statuses)
    entry = AuditEntry.objects.get(action="matchday.open_interest")
    assert entry.data == {"pending": 3, "unreviewed": choice}


def test_rejecting_the_rest_needs_a_reason(review_md, partner):
    with pytest.raises(ValidationError) as exc:
        services.matchday_open_interest(
            matchday=review_md, by=partner, unreviewed="reject", now=BEFORE_DEADLINE
        )
    assert exc.value.message_dict == {"reason": [services.REASON_REQUIRED]}
    assert review_md.proposals.filter(status="pending").count() == 3


def test_open_interest_page_shows_the_counts_and_refuses_without_a_choice(
    client, partner, review_md
):
    client.force_login(partner)
    url = reverse("matchdays:open_interest", args=[review_md.pk])
    page = client.get(url)
    assert "3 proposals still await review." in page.content.decode()
    refused = client.post(url, {})
    assert refused.status_code == 422
    assert refused.context["form"].errors == {"unreviewed": ["This field is required."]}
    review_md.refresh_from_db()
    assert review_md.status == "review"


def test_without_pending_proposals_the_window_opens_without_a_choice(client, partner):
    md = MatchDayFactory(status=MatchDay.Status.REVIEW)
    ProposalFactory(matchday=md)
    md.release_at = md.interest_deadline = datetime(2031, 3, 3, tzinfo=UTC)
    md.save()
    client.force_login(partner)
    response = client.post(reverse("matchdays:open_interest", args=[md.pk]), {})
    md.refresh_from_db()
    assert response.status_code == 302 and md.status == "interest"


# -- the page keeps itself up to date ------------------------------------------------------------


def test_matchday_page_polls_while_curating_and_shows_the_result_when_done(client, market):
    md = create_matchday(market, candidate_cap=3, role_cap=10)
    run = services.curation_start(matchday=md, by=market.partner)  # queued, not yet run
    client.force_login(market.partner)
    live = reverse("matchdays:live", args=[md.pk])
    during = client.get(md.get_absolute_url()).content.decode()
    assert f'hx-get="{live}" hx-trigger="every 1s"' in during
    assert '<strong id="phase">Curation running</strong>' in during
    services.curation_run_execute(run_id=run.pk)
    after = client.get(live).content.decode()
    n = md.proposals.count()
    assert n > 0
    assert "hx-trigger" not in after
    assert '<strong id="phase">Human review</strong>' in after
    assert f'<dd id="proposal-counts">{n} ({n} awaiting review' in after
