"""Résumé import in real Chromium: upload a DOCX résumé, review the draft (edit a field,
leave a job out), save, and find it on the profile."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from matchday.talent.models import CandidateProfile
from tests import factories
from tests.browser.helpers import log_in
from tests.resume_files import make_docx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESUME = [
    "Grace Hopper",
    "Staff Infrastructure Engineer",
    "Experience",
    "Staff Infrastructure Engineer at Compiler Labs, Mar 2021 - Present",
    "- Cut GPU idle time from 35% to 8% by moving training to Kubernetes with Ray",
    "Software Engineer | Navy Systems | 2016 - 2021",
    "- Wrote Terraform modules for every cluster",
]


def test_resume_upload_review_and_save(page, tmp_path):
    profile = factories.CandidateProfileFactory(headline="", user__email="grace@example.org")
    path = tmp_path / "grace.docx"
    path.write_bytes(make_docx(RESUME))

    log_in(page, "grace@example.org")

    page.get_by_role("link", name="Import résumé").click()
    page.get_by_label("Résumé").set_input_files(str(path))
    page.get_by_role("button", name="Read my résumé").click()
    page.wait_for_url("**/profile/import/review/")
    expect(page.get_by_role("heading", name="Review your import")).to_be_visible()
    assert page.locator("#id_experiences-0-employer").input_value() == "Compiler Labs"
    assert page.locator("#id_experiences-1-employer").input_value() == "Navy Systems"

    page.locator("#id_profile-headline").fill("Staff infra engineer, GPU clusters")
    page.locator("#id_experiences-1-DELETE").check()
    # The drafted story is a suggestion: split into its parts, kept only when ticked.
    assert page.locator("#id_achievements-0-decision").input_value() == (
        "Moving training to Kubernetes with Ray"
    )
    page.locator("#id_achievements-0-keep").check()
    # Nothing is saved before confirming.
    profile.refresh_from_db()
    assert profile.headline == "" and profile.experiences.count() == 0

    page.get_by_role("button", name="Save to my profile").click()
    page.wait_for_url("**/profile/")
    expect(page.get_by_role("status").filter(has_text="Imported:")).to_be_visible()

    profile = CandidateProfile.objects.get(pk=profile.pk)
    assert profile.headline == "Staff infra engineer, GPU clusters"
    assert list(profile.experiences.values_list("employer", flat=True)) == ["Compiler Labs"]
    assert {"kubernetes", "ray", "terraform"} <= set(
        profile.skills.values_list("skill_id", flat=True)
    )
    assert profile.achievements.filter(result__contains="35% to 8%").exists()
    # The imported work history is on the candidate's own profile page.
    expect(page.locator("#experience-list")).to_contain_text(
        "Staff Infrastructure Engineer at Compiler Labs — Mar 2021 – present"
    )
