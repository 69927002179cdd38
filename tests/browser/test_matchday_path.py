"""The whole Match Day path in real Chromium: partner creates a Match Day and runs curation,
reviews and approves; the company sees a blind shortlist and expresses interest; the Match
Day is released at its release time; the candidate accepts; the company schedules an
interview; the candidate downloads the calendar invite."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from matchday.followup.services import matchday_release
from matchday.matchdays.models import MatchDay
from matchday.talent.models import CandidateSkill
from tests import factories
from tests.browser.helpers import log_in, open_interest_window

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def market():
    partner = factories.PartnerFactory(full_name="Pat Partner")
    role = factories.RoleFactory(open=True, title="Senior ML Engineer", company__name="Tensorworks")
    member = factories.CompanyMemberFactory(company=role.company, full_name="Hana Hiring")
    profile = factories.CandidateProfileFactory(
        active=True, user__full_name="Ada Candidate", user__email="ada@example.org"
    )
    CandidateSkill.objects.update_or_create(
        candidate=profile, skill_id="pytorch", defaults={"level": 4, "years": Decimal("4")}
    )
    return partner, member, profile, role


def test_whole_matchday_path(page, market):
    partner, member, profile, _role = market
    day = (timezone.now() + timedelta(days=2)).replace(second=0, microsecond=0)

    # Partner: create the Match Day, run curation, approve, open the interest window.
    log_in(page, partner.email)
    open_interest_window(page, name="Spring Match Day", release=day, shortlisted="Ada Candidate")

    # Company: a blind shortlist, interest with an offered salary.
    log_in(page, member.email)
    page.goto("/matchdays/shortlists/")
    page.get_by_role("link", name="Senior ML Engineer").click()
    card = page.locator("article.blind-card")
    expect(card).to_have_count(1)
    assert "Ada Candidate" not in page.content() and "ada@example.org" not in page.content()
    card.get_by_label("Offered salary").fill("120000")
    card.get_by_role("button", name="Express interest").click()
    expect(page.locator("article.blind-card")).to_contain_text("Interested")

    # Release, with the clock at the release time.
    md = MatchDay.objects.get(name="Spring Match Day")
    assert len(matchday_release(matchday=md, now=md.release_at)) == 1

    # Candidate: the intro with its salary and reasons; accept.
    log_in(page, profile.user.email)
    page.get_by_role("link", name="My Match Day").click()
    intro = page.locator("article.intro")
    expect(intro).to_contain_text("Senior ML Engineer at Tensorworks")
    expect(intro).to_contain_text("Offered: 120,000 EUR per year")
    expect(intro.locator(".reasons li").first).to_contain_text("required skills")
    intro.get_by_role("button", name="Accept intro").click()
    expect(page.locator(".messages")).to_contain_text(
        "Accepted. Tensorworks can now see who you are"
    )

    # Company: identity revealed; schedule the screen.
    log_in(page, member.email)
    page.get_by_role("link", name="Pipeline").click()
    page.get_by_role("link", name="Ada Candidate").click()
    expect(page.locator(".identity")).to_contain_text("ada@example.org")
    slot = (timezone.now() + timedelta(days=3)).replace(hour=14, minute=0, second=0, microsecond=0)
    form = page.locator("#schedule-form")
    form.get_by_label("When (UTC)").fill(slot.strftime("%Y-%m-%dT%H:%M"))
    form.get_by_label("Minutes").fill("45")
    form.get_by_label("Location").fill("https://meet.example.org/ada")
    form.get_by_role("button", name="Save schedule").click()
    expect(page.locator(".messages")).to_contain_text(
        "Screen scheduled; the candidate has been told."
    )

    # Candidate: the status and the invite.
    log_in(page, profile.user.email)
    page.goto("/me/matchday/")
    expect(page.locator("ol.pipeline")).to_contain_text("Scheduled")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download calendar invite").click()
    path = info.value.path()
    cal = Calendar.from_ical(path.read_bytes())
    [event] = cal.walk("VEVENT")
    assert event.decoded("DTSTART") == slot
    assert event.decoded("DTEND") == slot + timedelta(minutes=45)
    assert str(event["LOCATION"]) == "https://meet.example.org/ada"
    assert "mailto:ada@example.org" in [str(a) for a in event["ATTENDEE"]]
    assert str(event["ORGANIZER"]) == f"mailto:{member.email}"

    # Partner: the Match Day report draws its funnel chart (Chart.js and the page's nonced
    # inline script under the Content-Security-Policy; any violation fails the test).
    log_in(page, partner.email)
    page.goto(f"/reports/matchdays/{md.pk}/")
    expect(page.locator("#funnel-chart")).to_be_visible()
    assert page.evaluate("() => Chart.getChart('funnel-chart').data.labels.length") > 0
