"""Every persona's main pages on a 390 px wide phone in real Chromium: no horizontal overflow
(measured: ``document.documentElement.scrollWidth <= innerWidth``), the navigation collapsed
behind its Menu button, and a screenshot of each page in ``test-results/screenshots-390/``."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from matchday.followup import services as followup
from matchday.matchdays.models import MatchDay, Proposal
from tests import factories
from tests.browser.helpers import log_in
from tests.followup_factories import (
    MatchDayFactory,
    ProposalFactory,
    company_member_of,
    released_intro,
)
from tests.reminder_times import ACCEPTED_AT, DUE, ESCALATE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots-390"
PHONE = {"width": 390, "height": 844}


def log_in_on_phone(page, email: str) -> None:
    """Sign in (the helper checks for the Log out button, which a phone hides behind Menu),
    then turn the window into a page."""
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, email)
    page.set_viewport_size(PHONE)


def fits(page, name: str) -> None:
    """No horizontal overflow on this page; keep a screenshot of it."""
    page.wait_for_load_state("load")
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    assert width[0] <= width[1], f"{name}: page is {width[0]} px wide in a {width[1]} px window"


def menu_collapses(page) -> None:
    links = page.locator("#nav-links")
    toggle = page.get_by_role("button", name="Menu")
    expect(toggle).to_be_visible()
    expect(links).to_be_hidden()
    toggle.click()
    expect(links).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    toggle.click()
    expect(links).to_be_hidden()


@pytest.fixture
def world():
    """A released, accepted intro with an escalated screen, and a Match Day in review."""
    intro = released_intro(candidate__user__full_name="Ada Lovelace-Byron")
    member = company_member_of(intro, full_name="Olga Owner")
    partner = factories.PartnerFactory(full_name="Pat Partner")
    followup.intro_accept(intro=intro, by=intro.candidate.user, now=ACCEPTED_AT)
    followup.send_reminders(now=DUE)
    followup.send_reminders(now=ESCALATE)
    review = MatchDayFactory(status=MatchDay.Status.REVIEW, name="Spring review")
    for _ in range(8):
        ProposalFactory(matchday=review, status=Proposal.Status.PENDING, missing_required=1)
    return intro, member, partner, review


def test_candidate_pages_fit_a_phone(page, world):
    intro, *_ = world
    profile = intro.candidate
    profile.user.set_password(factories.PASSWORD)
    profile.user.save()
    log_in_on_phone(page, profile.user.email)
    page.goto("/")
    menu_collapses(page)
    fits(page, "candidate-home-profile")
    page.goto("/me/matchday/")
    fits(page, "candidate-my-matchday")


def test_company_pages_fit_a_phone(page, world):
    intro, member, *_ = world
    log_in_on_phone(page, member.email)
    page.goto("/")
    menu_collapses(page)
    fits(page, "company-home")
    page.goto("/pipeline/")
    fits(page, "company-pipeline")
    page.goto(f"/pipeline/{intro.pk}/")
    fits(page, "company-pipeline-detail")


def test_partner_pages_fit_a_phone(page, world):
    intro, _member, partner, review = world
    log_in_on_phone(page, partner.email)
    page.goto("/")
    menu_collapses(page)
    fits(page, "partner-home-vetting")
    pages = {
        "partner-companies-to-vet": "/companies/vetting/",
        "partner-matchday": f"/matchdays/{review.pk}/",
        "partner-review-table": f"/matchdays/{review.pk}/review/",
        "partner-oversight": "/oversight/",
        "partner-oversight-intro": f"/oversight/intros/{intro.pk}/",
        "partner-report": f"/reports/matchdays/{intro.matchday_id}/",
        "partner-audit-log": "/audit/",
    }
    for name, url in pages.items():
        page.goto(url)
        fits(page, name)
