"""Issue 10's walk in real Chromium: a brand-new candidate and a brand-new company sign up
through the pages and are carried through vetting, a Match Day's curation, interest,
release, acceptance, an interview and the hire. At every step the right person has the
right message in their inbox (opened in the browser, its link followed) and as a stored,
sent email whose link works in the browser too."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from matchday.accounts.models import User
from matchday.companies.models import Role
from matchday.followup.models import Intro, PipelineStep
from matchday.followup.services import matchday_release
from matchday.matchdays.models import MatchDay
from matchday.notifications.models import InboxItem, Message
from matchday.talent.models import CandidateProfile
from tests import factories
from tests.browser.helpers import (
    add_achievement,
    add_skill,
    confirm_email,
    enrol_totp,
    log_in,
    open_interest_window,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADA = "ada.walk@example.org"
ADA_PASSWORD = "analytical-engine-1843"
GRACE = "grace@walk-foundry.example"
GRACE_PASSWORD = "compiler-cobol-1959"


def told(page, email: str, subject: str, path: str) -> None:
    """``email``'s person got a message whose subject contains ``subject``: in the inbox
    (opened from the navigation, its button leads to ``path``) and as a stored email that was
    sent, whose link to ``path`` opens in the browser. The browser is signed in as them."""
    item = InboxItem.objects.filter(recipient__email=email, subject__contains=subject).first()
    assert item is not None, (
        f"no inbox message {subject!r} for {email}: "
        f"{list(InboxItem.objects.filter(recipient__email=email).values_list('subject', flat=True))}"
    )
    stored = Message.objects.get(pk=item.message_id)
    assert stored.sent_at is not None and stored.to_email == email
    sent = [m for m in mail.outbox if email in m.to and m.subject == stored.subject]
    assert sent, f"no email {stored.subject!r} to {email}"
    match = re.search(rf"https?://[^/\s]+({re.escape(path)}\S*)", sent[-1].body)
    assert match, sent[-1].body

    page.get_by_role("link", name=re.compile(r"^Inbox")).click()
    expect(page.locator("#nav-inbox .badge")).to_be_visible()  # unread
    page.get_by_role("link", name=item.subject).click()
    expect(page.get_by_role("heading", name=item.subject)).to_be_visible()
    page.locator("#inbox-act").click()
    expect(page).to_have_url(re.compile(re.escape(path) + "$"))

    page.goto(urlsplit(match.group(0)).path)  # the email's link
    expect(page).to_have_url(re.compile(re.escape(path) + "$"))
    expect(page.locator("h1").first).to_be_visible()


def test_a_new_candidate_and_a_new_company_are_told_at_every_step(page):
    partner = factories.PartnerFactory(full_name="Pat Partner")

    # --- the candidate signs up, fills the profile, submits -----------------------------------
    page.goto("/accounts/signup/candidate/")
    page.get_by_label("Full name").fill("Ada Walker")
    page.get_by_label("Email").fill(ADA)
    page.get_by_label("Password").fill(ADA_PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    confirm_email(page, ADA)
    expect(page).to_have_url(re.compile(r"/profile/$"))
    told(page, ADA, "Welcome to Matchday", "/profile/")

    basics = page.locator("#section-basics")
    basics.get_by_label("Headline").fill("ML engineer: training and serving")
    basics.get_by_role("button", name="Save basics").click()
    expect(page.locator("#section-basics .saved")).to_have_text("Saved.")
    location = page.locator("#section-location")
    location.get_by_label("Country", exact=True).select_option("DE")
    location.get_by_label("City").fill("Berlin")
    location.get_by_label("Time zone").fill("Europe/Berlin")
    location.get_by_role("button", name="Save location and remote work").click()
    expect(page.locator("#section-location .saved")).to_have_text("Saved.")
    experience = page.locator("#section-experience")
    experience.get_by_label("Years of experience").fill("6")
    experience.get_by_label("Level").select_option("senior")
    experience.get_by_role("button", name="Save experience and level").click()
    expect(page.locator("#section-experience .saved")).to_have_text("Saved.")
    wants = page.locator("#section-wants")
    wants.get_by_label("ML engineer", exact=True).check()
    wants.get_by_label("Minimum pay", exact=True).fill("90000")
    wants.get_by_label("Currency").select_option("EUR")
    wants.get_by_role("button", name="Save what you want").click()
    expect(page.locator("#section-wants .saved")).to_have_text("Saved.")
    add_skill(page, "pyto", "PyTorch", "4", "5")
    add_skill(page, "k8", "Kubernetes", "3", "3")
    add_skill(page, "pyth", "Python", "5", "6")
    add_achievement(page, "Cut serving cost", "GPU bills doubled each quarter.", "Cost fell 40%.")
    add_achievement(page, "Faster training", "Training took a week.", "Now 20 hours.")
    page.get_by_role("button", name="Submit for vetting").click()
    expect(page.get_by_test_id("profile-status")).to_have_text("Submitted for vetting")
    told(page, ADA, "We received your profile", "/profile/")

    # --- the company signs up (two factors), drafts a role --------------------------------------
    page.context.clear_cookies()
    page.goto("/accounts/signup/company/")
    page.get_by_label("Company name").fill("Walk Foundry")
    page.get_by_label("Website").fill("https://walk-foundry.example")
    page.get_by_label("Size").select_option("11-50")
    page.get_by_label("Stage").select_option("seed")
    page.get_by_label("Full name").fill("Grace Walker")
    page.get_by_label("Email").fill(GRACE)
    page.get_by_label("Password").fill(GRACE_PASSWORD)
    page.get_by_role("button", name="Create company account").click()
    confirm_email(page, GRACE)
    secret = enrol_totp(page, GRACE, GRACE_PASSWORD)
    page.goto("/")
    company_id = User.objects.get(email=GRACE).company_id
    told(page, GRACE, "awaits vetting", f"/companies/{company_id}/")

    page.goto("/companies/roles/")
    page.get_by_role("button", name="New role").click()
    page.get_by_label("Title").fill("Senior ML Engineer")
    page.get_by_label("Level", exact=True).select_option("senior")
    page.get_by_label("Role type").select_option("ml-engineer")
    page.get_by_role("group", name="The role").get_by_label("Description").fill(
        "Train and serve ranking models in PyTorch on Kubernetes."
    )
    page.get_by_label("Location policy").select_option("remote")
    page.get_by_label("Countries remote hires may work from").select_option(["DE", "NL"])
    page.get_by_label("Pay band minimum").fill("100000")
    page.get_by_label("Pay band maximum").fill("140000")
    page.get_by_label("Currency").select_option("EUR")
    page.locator("#id_skills-0-skill").fill("PyTorch")
    page.locator("#id_steps-0-name").fill("Systems design")
    page.get_by_role("button", name="Save draft role").click()
    expect(page.get_by_test_id("role-status")).to_have_text("Draft")
    role_url = urlsplit(page.url).path

    # --- the partner vets both -------------------------------------------------------------------
    log_in(page, partner.email)
    profile = CandidateProfile.objects.get(user__email=ADA)
    told(
        page,
        partner.email,
        "Ada Walker's profile awaits vetting",
        f"/profile/candidates/{profile.pk}/",
    )
    page.get_by_label("Reason").fill("Measured results, strong serving work.")
    page.get_by_role("button", name="Approve").click()
    expect(page.locator(".messages")).to_contain_text("Ada Walker approved.")
    told(page, partner.email, "Walk Foundry awaits vetting", f"/companies/{company_id}/")
    for checkbox in page.locator("#vet-title ~ form input[type=checkbox]").all():
        checkbox.check()
    page.get_by_label("Notes").fill("Registry checked; spoke to the CTO.")
    page.get_by_role("button", name="Approve").click()
    expect(page.locator(".messages")).to_contain_text("Walk Foundry approved.")

    # Observation 1: approval activated the candidate; they are told why and what next.
    assert CandidateProfile.objects.get(user__email=ADA).status == CandidateProfile.Status.ACTIVE
    log_in(page, ADA, ADA_PASSWORD)
    told(page, ADA, "You're in", "/profile/")
    expect(page.get_by_test_id("profile-status")).to_have_text("Active")

    log_in(page, GRACE, GRACE_PASSWORD, secret=secret)
    told(page, GRACE, "Walk Foundry is approved", "/companies/roles/")
    page.goto(role_url)
    page.get_by_role("button", name="Open role").click()
    expect(page.get_by_test_id("role-status")).to_have_text("Open")

    # --- the partner creates a Match Day: announced; curation, review, interest window ----------
    day = (timezone.now() + timedelta(days=2)).replace(second=0, microsecond=0)
    log_in(page, partner.email)
    open_interest_window(
        page,
        name="Walk Match Day",
        release=day,
        shortlisted="Ada Walker",
        counts={"count-active": "1", "count-vetted-inactive": "0"},
    )

    log_in(page, ADA, ADA_PASSWORD)
    told(page, ADA, "Walk Match Day: intros on", "/profile/")

    # --- the company: announced, shortlist ready with its deadline, interest ----------------------
    log_in(page, GRACE, GRACE_PASSWORD, secret=secret)
    told(page, GRACE, "Walk Match Day: shortlists before", "/companies/roles/")
    md = MatchDay.objects.get(name="Walk Match Day")
    role = Role.objects.get(company_id=company_id)
    told(page, GRACE, "your shortlist is ready", f"/matchdays/shortlists/roles/{role.pk}/")
    expect(page.locator(f"#interest-deadline-{md.pk}")).to_contain_text("decide by")
    card = page.locator("article.blind-card")
    card.get_by_label("Offered salary").fill("120000")
    card.get_by_role("button", name="Express interest").click()
    expect(page.locator("article.blind-card")).to_contain_text("Interested")

    # --- release: both sides told -------------------------------------------------------------------
    assert len(matchday_release(matchday=md, now=md.release_at)) == 1
    told(page, GRACE, "1 intro sent to candidates", "/pipeline/")

    log_in(page, ADA, ADA_PASSWORD)
    told(page, ADA, "1 introduction for you", "/me/matchday/")
    page.locator("article.intro").get_by_role("button", name="Accept intro").click()
    expect(page.locator(".messages")).to_contain_text("Accepted.")

    # --- the company: accepted; schedules the screen --------------------------------------------
    log_in(page, GRACE, GRACE_PASSWORD, secret=secret)
    intro = Intro.objects.get(role=role)
    told(page, GRACE, "Ada Walker accepted your intro", f"/pipeline/{intro.pk}/")
    slot = (timezone.now() + timedelta(days=3)).replace(hour=14, minute=0, second=0, microsecond=0)
    form = page.locator("#schedule-form")
    form.get_by_label("When (UTC)").fill(slot.strftime("%Y-%m-%dT%H:%M"))
    form.get_by_label("Minutes").fill("45")
    form.get_by_role("button", name="Save schedule").click()
    expect(page.locator(".messages")).to_contain_text("the candidate has been told")

    log_in(page, ADA, ADA_PASSWORD)
    told(page, ADA, "Screen with Walk Foundry scheduled", "/me/matchday/")

    # --- the screen took place (the clock moves past it); passed; interview passed -------------
    PipelineStep.objects.filter(intro=intro, kind="screen").update(
        scheduled_at=timezone.now() - timedelta(hours=2)
    )
    log_in(page, GRACE, GRACE_PASSWORD, secret=secret)
    page.goto(f"/pipeline/{intro.pk}/")
    for _ in ("screen", "systems design"):
        page.locator("#complete-form").get_by_role("button", name="Passed: next step").click()
        expect(page.locator(".messages")).to_be_visible()

    # --- the offer: made by the company, accepted by the candidate; the hire ----------------------
    form = page.locator("#offer-form")
    form.get_by_label("Amount").fill("125000")
    form.get_by_label("Start date").fill((timezone.localdate() + timedelta(days=45)).isoformat())
    form.get_by_label(re.compile("The candidate answers by")).fill(
        (timezone.now() + timedelta(days=4)).strftime("%Y-%m-%dT%H:%M")
    )
    form.get_by_role("button", name="Make offer").click()
    expect(page.locator(".messages")).to_contain_text("Offer made")

    log_in(page, ADA, ADA_PASSWORD)
    told(page, ADA, "next step, systems design", "/me/matchday/")
    told(page, ADA, "Offer from Walk Foundry", "/me/matchday/")
    page.get_by_role("button", name="Accept offer").click()
    expect(page.locator(".messages")).to_contain_text("Offer accepted.")

    log_in(page, GRACE, GRACE_PASSWORD, secret=secret)
    told(page, GRACE, "Ada Walker accepted your offer", f"/pipeline/{intro.pk}/")
    page.get_by_role("button", name="Mark hired").click()
    expect(page.locator("#intro-status")).to_have_text("Hired")

    log_in(page, ADA, ADA_PASSWORD)
    told(page, ADA, "Welcome to Walk Foundry", "/me/matchday/")
    intro.refresh_from_db()
    assert intro.status == Intro.Status.HIRED
