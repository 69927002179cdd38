"""The candidate's profile editor in real Chromium: each section saves on its own, so text
typed in another section survives; the page asks before leaving with unsaved text; work
history and education are the candidate's to see and edit."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from matchday.talent.models import CandidateProfile
from tests import factories
from tests.browser.helpers import log_in, pick_skill

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def candidate_user():
    return factories.CandidateProfileFactory(headline="Old headline").user


def test_adding_a_skill_keeps_a_typed_headline(page, candidate_user):
    log_in(page, candidate_user.email)
    page.goto("/profile/")
    headline = page.locator("#section-basics").get_by_label("Headline")
    headline.fill("Typed, not saved yet: LLM engineer")
    expect(page.locator("#section-basics")).to_have_attribute("data-unsaved", "true")

    pick_skill(page, "PyTor", "PyTorch")
    form = page.locator("#skill-add-form")
    form.get_by_label("Level").select_option("4")
    form.get_by_label("Years").fill("3")
    form.get_by_role("button", name="Add skill").click()
    expect(page.locator("#skills .saved")).to_have_text("PyTorch added.")
    expect(page.locator("#skills .skill-row")).to_contain_text("PyTorch — level 4 — advanced")

    # The skill is saved, the headline is still only typed: on the page, not in the database.
    expect(headline).to_have_value("Typed, not saved yet: LLM engineer")
    profile = CandidateProfile.objects.get(user=candidate_user)
    assert profile.headline == "Old headline"
    assert list(profile.skills.values_list("skill_id", "level")) == [("pytorch", 4)]

    # Leaving now asks first; staying keeps the text.
    dialogs = []

    def stay(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    page.get_by_role("link", name="My Match Day").click()
    expect(headline).to_have_value("Typed, not saved yet: LLM engineer")
    assert dialogs == ["beforeunload"]

    # Saved, the page lets the candidate go without asking.
    page.locator("#section-basics").get_by_role("button", name="Save basics").click()
    expect(page.locator("#section-basics .saved")).to_have_text("Saved.")
    page.get_by_role("link", name="My Match Day").click()
    expect(page).to_have_url(re.compile(r"/me/matchday/$"))
    assert dialogs == ["beforeunload"]
    profile.refresh_from_db()
    assert profile.headline == "Typed, not saved yet: LLM engineer"


def test_candidate_adds_edits_and_removes_work_history_and_education(page, console, candidate_user):
    log_in(page, candidate_user.email)
    page.goto("/profile/")
    summary = page.locator("#section-basics").get_by_label("Summary")
    summary.fill("Typed summary that must survive")

    job = page.locator("#experience-add-form")
    job.get_by_label("Job title").fill("ML Engineer")
    job.get_by_label("Employer").fill("Acme AI")
    job.get_by_label("Started").fill("2021-03-01")
    job.get_by_label("Ended").fill("2020-01-01")  # before the start: refused, text kept
    with console.expect_unprocessable(page):
        job.get_by_role("button", name="Add job").click()
    expect(page.locator("#work-history")).to_contain_text("The end is before the start.")
    expect(page.locator("#experience-add-form").get_by_label("Employer")).to_have_value("Acme AI")
    page.locator("#experience-add-form").get_by_label("Ended").fill("")
    page.locator("#experience-add-form").get_by_role("button", name="Add job").click()
    expect(page.locator("#work-history .saved")).to_have_text("Job added.")
    row = page.locator("#experience-list .experience-row")
    expect(row).to_contain_text("ML Engineer at Acme AI — Mar 2021 – present")

    row.locator("summary").click()
    row.get_by_label("Job title").fill("Senior ML Engineer")
    row.get_by_role("button", name="Save this job").click()
    expect(page.locator("#work-history .saved")).to_have_text("Job saved.")
    expect(page.locator("#experience-list")).to_contain_text("Senior ML Engineer at Acme AI")

    edu = page.locator("#education-add-form")
    edu.get_by_label("Degree or course").fill("MSc")
    edu.get_by_label("Field").fill("Computer Science")
    edu.get_by_label("School").fill("TU Berlin")
    edu.get_by_label("Year finished").fill("2019")
    edu.get_by_role("button", name="Add").click()
    expect(page.locator("#education-list")).to_contain_text(
        "MSc in Computer Science, TU Berlin (2019)"
    )
    expect(summary).to_have_value("Typed summary that must survive")

    page.locator("#experience-list summary").click()
    page.get_by_role("button", name="Remove Senior ML Engineer at Acme AI").click()
    expect(page.locator("#work-history .saved")).to_have_text("Job removed.")
    expect(page.locator("#experience-list")).to_have_count(0)
    profile = CandidateProfile.objects.get(user=candidate_user)
    assert not profile.experiences.exists()
    assert list(profile.education.values_list("school", "end_year")) == [("TU Berlin", 2019)]
    expect(summary).to_have_value("Typed summary that must survive")
