"""The offer in real Chromium: the company (in New York) makes a written offer, the
candidate (in Berlin) reads it in their own zone and accepts, the company records the hire,
and the candidate learns their search is paused and how to resume it."""

from __future__ import annotations

import re
import zoneinfo
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from matchday.core.timezones import format_in
from matchday.followup import services
from matchday.followup.models import Offer
from tests import factories
from tests.browser.helpers import log_in
from tests.followup_factories import released_intro

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def at_offer():
    intro = released_intro(
        candidate=factories.CandidateProfileFactory(
            active=True, user__full_name="Ada Candidate", user__email="ada@example.org"
        )
    )
    member = factories.CompanyMemberFactory(
        company=intro.role.company, full_name="Hana Hiring", timezone="America/New_York"
    )
    now = timezone.now()
    services.intro_accept(intro=intro, by=intro.candidate.user, now=now)
    services.step_complete(step=intro.steps.get(), by=member, now=now)  # the screen
    return intro, member


def test_offer_accepted_then_hired_then_paused(page, at_offer):
    intro, member = at_offer
    new_york = zoneinfo.ZoneInfo("America/New_York")
    expires = (timezone.now() + timedelta(days=4)).astimezone(new_york)
    expires = expires.replace(hour=17, minute=0, second=0, microsecond=0)
    start = (timezone.localdate() + timedelta(days=45)).isoformat()

    log_in(page, member.email)
    page.goto(f"/pipeline/{intro.pk}/")
    form = page.locator("#offer-form")
    expect(form).to_contain_text("100,000–130,000 EUR per year")
    form.get_by_label("Amount").fill("125000")
    form.get_by_label("Start date").fill(start)
    form.get_by_label("The candidate answers by (America/New_York)").fill(
        expires.strftime("%Y-%m-%dT%H:%M")
    )
    form.get_by_label("Notes for the candidate (optional)").fill("Includes a training budget.")
    form.get_by_role("button", name="Make offer").click()
    expect(page.locator(".messages")).to_contain_text("Offer made; the candidate has been told.")
    expect(page.locator("table.offers")).to_contain_text("125,000 EUR per year")
    expect(page.locator("table.offers")).to_contain_text("17:00 America/New_York")
    offer = Offer.objects.get()
    assert offer.expires_at == expires

    log_in(page, intro.candidate.user.email)
    page.goto("/me/matchday/")
    card = page.locator(f"#offer-{offer.pk}")
    expect(card.locator(".offer-amount")).to_have_text("125,000 EUR per year")
    expect(card.locator(".offer-expires")).to_have_text(format_in(expires, "Europe/Berlin"))
    expect(card).to_contain_text("Includes a training budget.")
    card.get_by_role("button", name="Accept offer").click()
    expect(page.locator(".messages")).to_contain_text("Offer accepted.")

    log_in(page, member.email)
    page.goto(f"/pipeline/{intro.pk}/")
    page.get_by_role("button", name="Mark hired").click()
    expect(page.locator(".messages")).to_contain_text("Hire recorded. Congratulations!")
    expect(page.locator("#intro-status")).to_have_text("Hired")

    log_in(page, intro.candidate.user.email)
    page.goto("/me/matchday/")
    expect(page.get_by_text("Your search is paused").first).to_be_visible()
    page.get_by_role("link", name="Resume it any time").click()
    expect(page).to_have_url(re.compile(r"/me/controls/$"))
