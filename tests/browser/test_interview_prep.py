"""Interview preparation in real Chromium: a company member (two-factor login) fills a role's
interview steps from the SRE template and edits the first step's prep; after the Match Day is
released the candidate reads every step's prep on the intro, and, once that step is
scheduled, in the downloaded calendar invite."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from matchday.companies.interview_templates import TEMPLATES
from matchday.followup import services as followup
from tests import factories
from tests.browser.helpers import log_in
from tests.followup_factories import interested_proposal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OWN_PREP = "Bring the timeline of one outage you led, with the numbers."
LINK = "https://sre.example.org/incident-review"


def test_company_edits_prep_from_a_template_and_the_candidate_reads_it(page):
    role = factories.RoleFactory(open=True, title="Staff SRE", company__name="Uptimely")
    member = factories.CompanyMemberFactory(company=role.company, full_name="Hana Hiring")

    # Company: start the process from the SRE template, edit the first step's prep, save.
    log_in(page, member.email)
    page.goto(f"/companies/roles/{role.pk}/edit/")
    page.get_by_label("Start the interview process from a template").select_option("infra-sre")
    page.get_by_role("button", name="Use template").click()
    template = TEMPLATES["infra-sre"]["steps"]
    expect(page.locator("#id_steps-0-name")).to_have_value(template[0]["name"])
    expect(page.locator("#id_steps-1-preparation")).to_have_value(template[1]["preparation"])
    page.locator("#id_steps-0-preparation").fill(OWN_PREP)
    page.locator("#id_steps-0-links").fill(LINK)
    page.get_by_role("button", name="Save role").click()
    expect(page.locator(".messages")).to_contain_text("“Staff SRE” saved.")
    preview = page.locator("[data-testid=prep]")
    expect(preview.locator("[data-testid=prep-step]")).to_have_count(len(template))
    expect(preview).to_contain_text(OWN_PREP)
    steps = list(role.interview_steps.values_list("name", "preparation"))
    assert steps[0] == (template[0]["name"], OWN_PREP)
    assert [name for name, _ in steps] == [s["name"] for s in template]

    # The Match Day is released: the candidate reads every step's prep on the intro.
    proposal = interested_proposal(
        role=role,
        candidate=factories.CandidateProfileFactory(
            active=True, user__full_name="Ada Candidate", user__email="ada@example.org"
        ),
    )
    now = timezone.now()
    [intro] = followup.matchday_release(matchday=proposal.matchday, now=now)
    log_in(page, "ada@example.org")
    page.goto("/me/matchday/")
    card = page.locator(f"#intro-{intro.pk}")
    prep = card.locator("details.intro-prep")
    expect(prep.locator("summary")).to_contain_text(
        f"How to prepare: {len(template)} interview steps"
    )
    expect(prep.locator("[data-testid=prep-step]")).to_have_count(len(template))
    expect(prep.locator("[data-testid=prep-step]").first).to_contain_text(OWN_PREP)
    expect(prep.get_by_role("link", name=LINK)).to_have_attribute(
        "rel", "noopener noreferrer nofollow"
    )
    expect(prep.locator("[data-testid=prep-step]").nth(1)).to_contain_text(
        template[1]["preparation"]
    )
    card.get_by_role("button", name="Accept intro").click()
    expect(page.locator(".messages")).to_contain_text("Accepted.")

    # The company passes the screen and schedules the first interview (its services).
    screen = intro.steps.get()
    interview = followup.step_complete(step=screen, by=member, now=now)
    slot = (now + timedelta(days=3)).replace(hour=14, minute=0, second=0, microsecond=0)
    followup.step_schedule(
        step=interview, by=member, scheduled_at=slot, duration_minutes=60, now=now
    )

    # The candidate downloads the invite: its description carries that step's prep.
    page.goto("/me/matchday/")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download calendar invite").click()
    [event] = Calendar.from_ical(info.value.path().read_bytes()).walk("VEVENT")
    description = str(event["DESCRIPTION"])
    assert event.decoded("DTSTART") == slot
    assert f"What to prepare: {OWN_PREP}" in description
    assert f"Material: {LINK}" in description
    assert template[1]["preparation"] not in description


def test_partner_keeps_a_note_beside_the_candidate_on_the_review_page(page):
    from matchday.matchdays.models import Proposal

    partner = factories.PartnerFactory(full_name="Pat Partner")
    proposal = interested_proposal(
        status=Proposal.Status.PENDING,
        candidate=factories.CandidateProfileFactory(active=True, user__full_name="Ada Candidate"),
    )
    note = "Infrastructure engineer moving into technical product management."

    log_in(page, partner.email)
    page.goto(f"/matchdays/{proposal.matchday_id}/review/?candidate={proposal.candidate_id}")
    notes = page.locator("[data-testid=partner-notes]")
    expect(notes).to_contain_text("No notes yet.")
    notes.get_by_label("Topic").select_option("direction")
    notes.get_by_label("Note", exact=True).fill(note)
    notes.get_by_role("button", name="Add note").click()
    expect(page.locator(".messages")).to_contain_text("Note saved.")
    assert f"candidate={proposal.candidate_id}" in page.url
    expect(page.locator("[data-testid=partner-note]")).to_contain_text(note)
    expect(page.locator("[data-testid=partner-note]")).to_contain_text("Career direction")
    expect(page.locator("[data-testid=row-partner-note]")).to_contain_text(note[:40])

    # Candidate search finds the candidate by the note's words and shows it.
    page.goto("/profile/candidates/")
    page.get_by_label("Partner notes mention").fill("product management")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("[data-testid=search-note]")).to_contain_text(note[:40])
