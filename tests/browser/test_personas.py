"""Each persona's main path in real Chromium, against the live server."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from playwright.sync_api import expect

from matchday.accounts.services import partner_create
from matchday.companies.models import Company, Role
from matchday.core.money import BAND_TOO_WIDE
from matchday.talent.models import CandidateProfile
from tests import factories
from tests.browser.helpers import add_achievement, add_skill, confirm_email, enrol_totp, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_candidate_signs_up_fills_the_profile_and_submits_it(page):
    page.goto("/")
    page.get_by_role("link", name="Join as a candidate").first.click()
    page.get_by_label("Full name").fill("Ada Lovelace")
    page.get_by_label("Email").fill("ada@example.org")
    page.get_by_label("Password").fill("analytical-engine-1843")
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()
    confirm_email(page, "ada@example.org")
    expect(page).to_have_url(re.compile(r"/profile/$"))
    expect(page.get_by_test_id("profile-status")).to_have_text("Draft")

    basics = page.locator("#section-basics")
    basics.get_by_label("Headline").fill("LLM engineer: retrieval and evaluation")
    basics.get_by_role("button", name="Save basics").click()  # htmx swap, no reload
    expect(page.locator("#section-basics .saved")).to_have_text("Saved.")
    expect(page.get_by_test_id("missing")).not_to_contain_text("a headline")

    location = page.locator("#section-location")
    location.get_by_label("Country", exact=True).select_option("GB")
    location.get_by_label("City").fill("London")
    location.get_by_label("Time zone").fill("Europe/London")
    location.get_by_label("Location / remote: a dealbreaker").check()
    location.get_by_role("button", name="Save location and remote work").click()
    expect(page.locator("#section-location .saved")).to_have_text("Saved.")

    experience = page.locator("#section-experience")
    experience.get_by_label("Years of experience").fill("7")
    experience.get_by_label("Level").select_option("senior")
    experience.get_by_role("button", name="Save experience and level").click()
    expect(page.locator("#section-experience .saved")).to_have_text("Saved.")

    wants = page.locator("#section-wants")
    wants.get_by_label("LLM / applied AI engineer").check()
    wants.get_by_label("Minimum pay", exact=True).fill("95000")
    wants.get_by_label("Currency").select_option("GBP")
    wants.get_by_label("Minimum pay: weight when not a dealbreaker").select_option("3")
    wants.get_by_role("button", name="Save what you want").click()
    expect(page.locator("#section-wants .saved")).to_have_text("Saved.")

    add_skill(page, "pyto", "PyTorch", "4", "5")
    add_skill(page, "k8", "Kubernetes", "3", "2")
    add_skill(page, "retrieval-aug", "RAG", "5", "2")  # found by its alias
    add_achievement(
        page, "Cut answer latency", "Chat answers took 9 s at p95.", "p95 fell to 2.1 s."
    )
    add_achievement(
        page, "Caught regressions", "Model updates broke answers silently.", "Caught 14 of 15."
    )

    expect(page.get_by_text("Your profile is complete.")).to_be_visible()
    page.get_by_role("button", name="Submit for vetting").click()
    expect(page.get_by_test_id("profile-status")).to_have_text("Submitted for vetting")

    profile = CandidateProfile.objects.get(user__email="ada@example.org")
    assert profile.status == CandidateProfile.Status.SUBMITTED
    assert profile.country == "GB"
    assert profile.dealbreakers == ["location"]
    assert profile.preference_weights["pay"] == 3
    assert sorted(profile.skills.values_list("skill_id", flat=True)) == [
        "kubernetes",
        "pytorch",
        "rag",
    ]
    assert profile.achievements.count() == 2


def test_company_signs_up_sees_the_band_error_then_drafts_a_role(page, console):
    page.goto("/accounts/signup/company/")
    page.get_by_label("Company name").fill("Tensor Foundry")
    page.get_by_label("Website").fill("https://tensorfoundry.example")
    page.get_by_label("Size").select_option("11-50")
    page.get_by_label("Stage").select_option("seed")
    page.get_by_label("Full name").fill("Grace Hopper")
    page.get_by_label("Email").fill("grace@tensorfoundry.example")
    page.get_by_label("Password").fill("compiler-cobol-1959")
    page.get_by_role("button", name="Create company account").click()
    confirm_email(page, "grace@tensorfoundry.example")
    # Company members must use two factors: the first stop is setting up the app.
    enrol_totp(page, "grace@tensorfoundry.example", "compiler-cobol-1959")
    page.goto("/")
    expect(page.get_by_test_id("company-status")).to_have_text("Pending review")

    page.get_by_role("link", name="Roles").first.click()
    page.get_by_role("button", name="New role").click()
    page.get_by_label("Title").fill("Senior Inference Engineer")
    page.get_by_label("Level", exact=True).select_option("senior")
    page.get_by_label("Role type").select_option("ml-engineer")
    page.get_by_role("group", name="The role").get_by_label("Description").fill(
        "Serve LLMs fast on our own GPUs."
    )
    page.get_by_label("Location policy").select_option("remote")
    page.get_by_label("Pay band minimum").fill("100000")
    page.get_by_label("Pay band maximum").fill("200000")
    page.get_by_label("Currency").select_option("EUR")
    page.locator("#id_skills-0-skill").fill("vLLM")
    page.locator("#id_steps-0-name").fill("Systems design")
    with console.expect_unprocessable(page):
        page.get_by_role("button", name="Save draft role").click()

    pay_max = page.get_by_label("Pay band maximum")
    expect(pay_max).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_pay_max_error")).to_have_text(BAND_TOO_WIDE.format(ratio="1.5"))
    expect(page.get_by_label("Title")).to_have_value("Senior Inference Engineer")
    expect(page.locator("#id_skills-0-skill")).to_have_value("vLLM")
    assert not Role.objects.exists()

    pay_max.fill("140000")
    page.get_by_role("button", name="Save draft role").click()
    expect(page.get_by_role("heading", name="Senior Inference Engineer")).to_be_visible()
    expect(page.get_by_test_id("role-status")).to_have_text("Draft")

    page.get_by_role("button", name="Open role").click()  # refused: not vetted yet
    expect(page.locator(".messages")).to_contain_text(
        "A role can only be opened once the company has been vetted."
    )
    role = Role.objects.get()
    assert (role.pay_min, role.pay_max, role.status) == (100000, 140000, Role.Status.DRAFT)
    assert list(role.skills.values_list("skill_id", flat=True)) == ["vllm"]
    assert list(role.interview_steps.values_list("name", flat=True)) == ["Systems design"]


def test_partner_vets_a_candidate_and_a_company_and_the_member_opens_the_role(page):
    pat = partner_create(email="pat@matchday.example", password="curation-first-1", full_name="Pat")
    TOTP.activate(pat, factories.TOTP_SECRET)
    candidate = factories.CandidateProfileFactory(submitted=True, user__full_name="Ada L")
    member = factories.CompanyMemberFactory(company__name="Tensor Foundry")
    role = factories.RoleFactory(company=member.company, title="Inference Engineer")

    log_in(page, "pat@matchday.example", "curation-first-1")
    expect(page.get_by_role("heading", name="Candidates to vet")).to_be_visible()
    page.get_by_role("link", name="Ada L").click()
    page.get_by_label("Reason").fill("Strong, measured achievements.")
    page.get_by_role("button", name="Approve").click()
    expect(page.locator(".messages")).to_contain_text("Ada L approved.")

    page.get_by_role("link", name="Companies to vet").click()
    page.get_by_role("link", name="Tensor Foundry").click()
    for checkbox in page.locator("#vet-title ~ form input[type=checkbox]").all():
        checkbox.check()
    page.get_by_label("Notes").fill("Checked the registry and spoke to the CTO.")
    page.get_by_role("button", name="Approve").click()
    expect(page.locator(".messages")).to_contain_text("Tensor Foundry approved.")
    page.get_by_role("button", name="Log out").click()

    log_in(page, member.email)
    expect(page.get_by_test_id("company-status")).to_have_text("Vetted")
    page.goto(role.get_absolute_url())
    page.get_by_role("button", name="Open role").click()
    expect(page.get_by_test_id("role-status")).to_have_text("Open")

    candidate.refresh_from_db()
    role.refresh_from_db()
    member.company.refresh_from_db()
    assert candidate.status == CandidateProfile.Status.ACTIVE  # approval activates
    assert member.company.vetting_status == Company.VettingStatus.VETTED
    assert role.status == Role.Status.OPEN
