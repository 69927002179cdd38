"""The talent partner's cockpit in real Chromium: reviewing a Match Day page by page with
filters and the keyboard, bulk actions behind a confirmation, and swapping through the
picker."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from matchday.followup import services as followup
from matchday.matchdays import services
from matchday.matchdays.models import MatchDay, Proposal
from matchday.notifications.models import Message
from tests import factories
from tests.browser.helpers import log_in
from tests.followup_factories import (
    MatchDayFactory,
    ProposalFactory,
    company_member_of,
    interested_proposal,
    released_intro,
)
from tests.market import build_market, create_matchday
from tests.reminder_times import ACCEPTED_AT, DUE, ESCALATE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def big_review():
    """A Match Day in review with 75 pending proposals over 3 roles."""
    partner = factories.PartnerFactory(full_name="Pat Partner")
    md = MatchDayFactory(status=MatchDay.Status.REVIEW, name="Big Match Day")
    roles = [factories.RoleFactory(open=True, title=f"Role {i}") for i in range(3)]
    for i in range(75):
        ProposalFactory(
            matchday=md,
            role=roles[i % 3],
            score=round(0.5 + i / 200, 3),
            missing_required=i % 2,
            status=Proposal.Status.PENDING,
        )
    return partner, md


def rows(page):
    return page.locator("#review-table tbody tr.proposal")


def test_partner_reviews_page_by_page_with_filters_keyboard_and_bulk(page, big_review):
    partner, md = big_review
    log_in(page, partner.email)
    page.goto(f"/matchdays/{md.pk}/review/")
    expect(rows(page)).to_have_count(50)
    expect(page.locator("#review-status")).to_contain_text("75 proposals match; showing 1–50.")
    page.get_by_role("link", name="Next").click()
    expect(rows(page)).to_have_count(25)

    # Filter: no missing requirements, sorted by score ascending.
    page.get_by_label("Missing requirements").select_option("none")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("#review-status")).to_contain_text("38 proposals match")
    page.get_by_role("link", name="Score").click()  # toggles to ascending
    expect(page).to_have_url(re.compile(r"missing=none.*sort=score"))
    first = rows(page).first
    expect(first).to_contain_text("0.500")

    # Keyboard: approve the current row, it moves on; undo; reject with a reason.
    expect(first).to_have_class(re.compile(r"\bcurrent\b"))
    page.keyboard.press("a")
    expect(first).to_contain_text("Approved")
    expect(rows(page).nth(1)).to_have_class(re.compile(r"\bcurrent\b"))
    expect(page.locator("#review-counts")).to_contain_text("Approved 1")
    page.keyboard.press("k")
    page.keyboard.press("u")
    expect(first).to_contain_text("Awaiting review")
    # From here htmx settles slowly, as on a loaded machine, so the keys pressed right after
    # the rejection below land while its swap is still settling.
    page.evaluate("htmx.config.defaultSettleDelay = 600")
    page.keyboard.press("r")
    reason = first.get_by_label(re.compile("Reason for rejecting"))
    expect(reason).to_be_focused()
    reason.fill("Pay expectations far above the band")
    reason.press("Enter")
    expect(first).to_contain_text("Rejected")
    expect(first).to_contain_text("Pay expectations far above the band")

    # Bulk: tick two rows with x, approve them behind a confirmation. The keys are pressed
    # while the rejection is still settling: the page queues them until the current row has
    # moved on to the next proposal awaiting review, so they tick rows 2 and 3, never the
    # rejected row.
    page.keyboard.press("x")
    page.keyboard.press("j")
    page.keyboard.press("x")
    expect(page.locator("#selected-count")).to_have_text("2 selected")
    expect(rows(page).nth(2)).to_have_class(re.compile(r"\bcurrent\b"))
    checked = [rows(page).nth(i).locator("input.select-row").is_checked() for i in range(3)]
    assert checked == [False, True, True]
    page.get_by_role("button", name="Approve selected").click()
    expect(page.locator("h1")).to_have_text("Approve 2 proposals?")
    page.get_by_role("button", name="Yes, approve 2").click()
    expect(page.locator(".messages")).to_contain_text("Approved 2 proposals.")
    expect(page).to_have_url(re.compile(r"missing=none"))
    assert md.proposals.filter(status="approved").count() == 2
    assert md.proposals.filter(status="rejected").count() == 1

    # Bulk on everything that matches: the count is on the button and on the confirmation.
    page.get_by_role("button", name="Approve all 35 pending that match").click()
    expect(page.locator("h1")).to_have_text("Approve 35 proposals?")
    page.get_by_role("link", name="Cancel").click()
    expect(page.locator("#review-status")).to_contain_text("38 proposals match")
    assert md.proposals.filter(status="approved").count() == 2


def test_partner_swaps_through_the_picker(page):
    market = build_market()
    md = create_matchday(market, candidate_cap=1, role_cap=1)
    services.curation_start(matchday=md, by=market.partner)
    log_in(page, market.partner.email)
    page.goto(f"/matchdays/{md.pk}/review/?role={market.role_a1.pk}")
    alternates = page.locator("#alternates tbody tr")
    expect(alternates).to_have_count(3)
    expect(alternates.first).to_contain_text("1 of 1 (full)")  # Zebulon1 is at K
    # The first blind preview in a process builds the redactor's organisation index (about
    # 3 s of CPU, more on a loaded machine): allow the page that long to answer.
    rows(page).first.get_by_role("link", name="Details & swap").click(timeout=60_000)
    expect(page.locator("h1")).to_contain_text("for ML Engineer A1")
    options = page.locator("#swap tr.swap-option")
    blocked = options.filter(has_text="Zebulon1 Quillfeather1")
    expect(blocked).to_contain_text("No capacity left (1 of K = 1 in use).")
    expect(blocked.get_by_role("button", name="Swap in")).to_be_disabled()
    page.get_by_label("Why swap?").fill("The proposed candidate is not available")
    options.filter(has_text="Zebulon3 Quillfeather3").get_by_role("button", name="Swap in").click()
    expect(page.locator(".messages")).to_contain_text("Swapped in Zebulon3 Quillfeather3")
    expect(page).to_have_url(re.compile(rf"/matchdays/{md.pk}/review/\?role={market.role_a1.pk}"))
    new = md.proposals.get(source="swap")
    expect(page.locator(f"#proposal-{new.pk}")).to_contain_text("Approved")
    expect(page.locator(f"#proposal-{new.replaces_id}")).to_contain_text("Swapped out")


def test_partner_moves_the_release_time_and_releases_early(page):
    partner = factories.PartnerFactory()
    soon = timezone.now() + timedelta(days=5)
    md = MatchDayFactory(
        status=MatchDay.Status.INTEREST,
        name="Winter Match Day",
        release_timezone="Europe/Berlin",
        release_at=soon,
        interest_deadline=soon - timedelta(days=1),
    )
    interested_proposal(matchday=md, offered_salary=130000)
    ProposalFactory(matchday=md)  # approved, the company has not decided
    log_in(page, partner.email)
    page.goto(f"/matchdays/{md.pk}/")
    later = (
        (soon + timedelta(days=2))
        .astimezone(ZoneInfo("Europe/Berlin"))
        .replace(hour=10, minute=0, second=0, microsecond=0)
    )
    form = page.locator("#reschedule-form")
    form.get_by_label("Release date and time").fill(later.strftime("%Y-%m-%dT%H:%M"))
    form.get_by_role("button", name="Save timing").click()
    expect(page.locator(".messages")).to_contain_text("Timing saved.")
    expect(page.locator("#release-at")).to_contain_text(later.strftime("%a %-d %b %Y, 10:00"))
    expect(page.locator("#release-at")).to_contain_text("(Europe/Berlin)")

    page.get_by_role("button", name="Release now…").click()
    expect(page.locator("h1")).to_have_text("Release Winter Match Day early?")
    expect(page.locator("#release-intros")).to_have_text("1")
    expect(page.locator("#release-undecided")).to_contain_text("1")
    expect(page.get_by_role("alert")).to_contain_text("This releases before the scheduled time.")
    page.get_by_role("button", name="Yes, release early now").click()
    expect(page.locator(".messages")).to_contain_text("Released 1 intros")
    expect(page.locator("#phase")).to_have_text("Released")


def test_partner_handles_an_escalation_from_its_message(page):
    intro = released_intro()
    company_member_of(intro, full_name="Olga Owner")
    company_member_of(intro, full_name="Mo Member")
    partner = factories.PartnerFactory(full_name="Pat Partner")
    followup.intro_accept(intro=intro, by=intro.candidate.user, now=ACCEPTED_AT)
    followup.send_reminders(now=DUE)
    followup.send_reminders(now=ESCALATE)
    escalation = Message.objects.get(kind="escalation", recipient=partner)
    link = re.search(r"https?://\S+/oversight/\S+", escalation.body).group(0)

    log_in(page, partner.email)
    page.goto(urlsplit(link).path)  # the link the email carries
    expect(page.locator("h1")).to_contain_text(intro.candidate.user.full_name)
    expect(page.locator("#steps")).to_contain_text("Olga Owner")
    page.locator("#nudge-form").get_by_label("Note to the owner (optional)").fill(
        "The candidate is waiting since last week."
    )
    page.get_by_role("button", name="Nudge").click()
    expect(page.locator(".messages")).to_contain_text("Nudged")
    page.locator("#reassign-form").get_by_label("New owner").select_option(label="Mo Member")
    page.get_by_role("button", name="Reassign").click()
    expect(page.locator(".messages")).to_contain_text("Mo Member now owns the screen.")
    expect(page.locator("#steps")).to_contain_text("Mo Member")
    page.locator("#close-form").get_by_label("Reason the candidate will read").fill(
        "The company did not schedule the screen in time."
    )
    page.get_by_role("button", name="Close with this reason").click()
    expect(page.locator("#intro-status")).to_have_text("Closed")

    # The list: filter to escalated intros of this company.
    page.get_by_role("link", name="← Intros and pipelines").click()
    page.get_by_label("Company").select_option(label=intro.role.company.name)
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("#oversight tbody tr")).to_have_count(1)
    expect(page.locator("#oversight")).to_contain_text("Closed")
