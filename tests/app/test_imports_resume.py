"""Résumé upload → draft → review → confirm: the draft's content, and that nothing reaches
the profile until the candidate confirms."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from matchday.audits.models import AuditEntry
from matchday.imports.resume import MAX_TITLE_CHARS, achievement_from_bullet, parse_resume_text
from matchday.imports.views import SESSION_KEY
from matchday.talent.models import CandidateProfile
from tests import factories
from tests.resume_files import make_docx, make_pdf
from tests.resume_review import (
    _review_post,
)

RESUME = """Grace Hopper
Staff Infrastructure Engineer
grace@example.org · github.com/ghopper · https://grace.dev

Summary
I run GPU clusters on Kubernetes and keep training jobs fast and cheap.

Experience
Staff Infrastructure Engineer at Compiler Labs, Mar 2021 – Present
• Cut GPU idle time from 35% to 8% by moving training to Kubernetes with Ray
• Wrote Terraform modules for every cluster
Software Engineer | Navy Systems | 2016 – 2021
- Reduced build times by 4x with Bazel remote caching

Education
MSc in Mathematics, Yale University, 2016
"""


TODAY = date(2026, 1, 1)


def test_work_history_is_read_with_employer_title_and_dates():
    draft = parse_resume_text(RESUME, today=TODAY)
    assert [(e["employer"], e["title"], e["start"], e["end"]) for e in draft["experiences"]] == [
        ("Compiler Labs", "Staff Infrastructure Engineer", "2021-03-01", ""),
        ("Navy Systems", "Software Engineer", "2016-01-01", "2021-01-01"),
    ]
    assert draft["experiences"][0]["description"].startswith("• Cut GPU idle time")


def test_headline_summary_links_and_education_are_drafted():
    draft = parse_resume_text(RESUME, today=TODAY)
    assert draft["profile"]["headline"] == "Staff Infrastructure Engineer"
    assert draft["profile"]["summary"].startswith("I run GPU clusters")
    assert draft["links"] == [
        {"kind": "code", "title": "", "url": "https://github.com/ghopper"},
        {"kind": "portfolio", "title": "", "url": "https://grace.dev"},
    ]
    assert draft["education"] == [
        {"school": "Yale University", "degree": "MSc", "field": "Mathematics", "end_year": 2016}
    ]


def test_skills_are_taxonomy_ids_with_the_line_they_were_found_on():
    draft = parse_resume_text(RESUME, today=TODAY)
    skills = {s["skill_id"]: s for s in draft["skills"]}
    assert {"kubernetes", "ray", "terraform", "bazel"} <= set(skills)
    assert "Bazel remote caching" in skills["bazel"]["evidence"]
    # Years come from the jobs that mention the skill: Navy Systems ran 5 years.
    assert skills["bazel"]["years"] == "5.0"
    assert skills["bazel"]["level"] == 4


def test_bullets_with_measured_results_become_problem_decision_result_drafts():
    draft = parse_resume_text(RESUME, today=TODAY)
    parts = [(a["title"], a["problem"], a["decision"], a["result"]) for a in draft["achievements"]]
    assert parts == [
        (
            "Cut GPU idle time from 35% to 8%",
            "GPU idle time at Compiler Labs stood at 35%",
            "Moving training to Kubernetes with Ray",
            "Cut GPU idle time from 35% to 8%",
        ),
        (
            "Reduced build times by 4x",
            "Build times at Navy Systems had to come down",
            "Bazel remote caching",
            "Reduced build times by 4x",
        ),
    ]  # "Wrote Terraform modules" has no measured result: no draft
    # Suggestions: none takes a profile slot unless the candidate ticks it.
    assert [a["keep"] for a in draft["achievements"]] == [False, False]


@pytest.mark.parametrize(
    ("bullet", "context", "expected"),
    [
        (
            "Introduced int8 quantisation, cutting p95 latency by 60%",
            "Acme",
            (
                "Cutting p95 latency by 60%",
                "P95 latency at Acme had to come down",
                "Introduced int8 quantisation",
                "Cutting p95 latency by 60%",
            ),
        ),
        (
            "Built a feature store that reduced training data prep from 3 days to 4 hours",
            "",
            (
                "Reduced training data prep from 3 days to 4 hours",
                "Training data prep stood at 3 days",
                "Built a feature store",
                "Reduced training data prep from 3 days to 4 hours",
            ),
        ),
        (  # says nothing about how: the decision stays empty for the candidate to write
            "Served 2M users a day on 40 GPUs",
            "Orbit",
            (
                "Served 2M users a day on 40 GPUs",
                "At Orbit: Served 2M users a day on 40 GPUs",
                "",
                "Served 2M users a day on 40 GPUs",
            ),
        ),
    ],
)
def test_achievement_drafts_split_what_the_bullet_says(bullet, context, expected):
    draft = achievement_from_bullet(bullet, context=context)
    assert (draft["title"], draft["problem"], draft["decision"], draft["result"]) == expected


def test_long_titles_are_cut_at_a_word_boundary_never_mid_word():
    bullet = (
        "Increased retrieval recall at ten for the enterprise semantic search product from "
        "0.61 to 0.78 using hybrid BM25 and dense retrieval"
    )
    draft = achievement_from_bullet(bullet)
    assert draft["result"] == (
        "Increased retrieval recall at ten for the enterprise semantic search product from "
        "0.61 to 0.78"
    )
    assert draft["decision"] == "Hybrid BM25 and dense retrieval"
    title = draft["title"]
    assert len(title) <= MAX_TITLE_CHARS and "…" not in title
    assert draft["result"].startswith(title) and draft["result"][len(title)] == " "
    assert title.split()[-1] not in {"for", "the", "from", "at"}


def test_years_of_experience_are_summed_from_the_jobs():
    draft = parse_resume_text(RESUME, today=TODAY)
    # 4.8 years at Compiler Labs + 5.0 at Navy Systems, to the nearest half year.
    assert draft["profile"]["years_experience"] == "10.0"


def _snapshot(profile: CandidateProfile) -> tuple:
    profile.refresh_from_db()
    return (
        profile.headline,
        profile.summary,
        str(profile.years_experience),
        profile.skills.count(),
        profile.achievements.count(),
        profile.links.count(),
        profile.experiences.count(),
        profile.education.count(),
    )


@pytest.fixture
def fresh_candidate(db):
    return factories.CandidateProfileFactory(headline="", summary="").user


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("grace.txt", RESUME.encode()),
        ("grace.pdf", make_pdf(RESUME.replace("–", "-").replace("•", "-").splitlines())),
        ("grace.docx", make_docx(RESUME.splitlines())),
    ],
    ids=["txt", "pdf", "docx"],
)
def test_upload_makes_a_draft_and_saves_nothing(client, fresh_candidate, name, data):
    profile = fresh_candidate.candidate_profile
    before = _snapshot(profile)
    client.force_login(fresh_candidate)
    response = client.post(reverse("imports:upload"), {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:review")
    draft = client.session[SESSION_KEY]
    assert draft["experiences"][0]["employer"] == "Compiler Labs"
    review = client.get(reverse("imports:review"))
    assert review.status_code == 200
    assert b"Compiler Labs" in review.content
    assert _snapshot(profile) == before
    assert not AuditEntry.objects.filter(action="profile.import").exists()


def test_hostile_upload_is_refused_with_its_message_and_no_draft(client, fresh_candidate):
    client.force_login(fresh_candidate)
    response = client.post(
        reverse("imports:upload"), {"file": SimpleUploadedFile("cv.pdf", b"not a pdf at all")}
    )
    assert response.status_code == 422
    assert "The file&#x27;s content is not a PDF file" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_oversized_upload_is_refused_by_the_form(client, fresh_candidate, settings):
    settings.MATCHDAY_RESUME_MAX_BYTES = 100
    client.force_login(fresh_candidate)
    response = client.post(
        reverse("imports:upload"), {"file": SimpleUploadedFile("cv.txt", b"x" * 101)}
    )
    assert response.status_code == 422
    assert "The file is 101 bytes; the limit is 100 bytes." in response.content.decode()


def test_confirming_the_review_writes_every_section_once(client, fresh_candidate):
    profile = fresh_candidate.candidate_profile
    client.force_login(fresh_candidate)
    client.post(reverse("imports:upload"), {"file": SimpleUploadedFile("g.txt", RESUME.encode())})
    data = _review_post(client)
    data["profile-headline"] = "Staff infra engineer, GPU clusters"
    data["experiences-1-DELETE"] = "on"  # leave Navy Systems out
    data["achievements-0-keep"] = data["achievements-1-keep"] = "on"  # both suggestions
    response = client.post(reverse("imports:review"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == reverse("talent:profile")
    profile.refresh_from_db()
    assert profile.headline == "Staff infra engineer, GPU clusters"
    assert list(profile.experiences.values_list("employer", flat=True)) == ["Compiler Labs"]
    assert profile.experiences.get().start == date(2021, 3, 1)
    assert set(profile.skills.values_list("skill_id", flat=True)) >= {"kubernetes", "bazel"}
    assert profile.skills.get(skill_id="bazel").years == Decimal("5.0")
    assert profile.achievements.count() == 2
    assert profile.links.count() == 2
    assert profile.education.get().school == "Yale University"
    entry = AuditEntry.objects.get(action="profile.import")
    assert entry.subject_user == fresh_candidate
    assert SESSION_KEY not in client.session


def test_invalid_review_rerenders_with_422_and_saves_nothing(client, fresh_candidate):
    profile = fresh_candidate.candidate_profile
    before = _snapshot(profile)
    client.force_login(fresh_candidate)
    client.post(reverse("imports:upload"), {"file": SimpleUploadedFile("g.txt", RESUME.encode())})
    data = _review_post(client)
    data["experiences-0-end"] = "2001-01-01"  # before its start
    data["achievements-0-result"] = ""
    response = client.post(reverse("imports:review"), data)
    assert response.status_code == 422
    assert "The end is before the start." in response.content.decode()
    assert _snapshot(profile) == before


def test_achievement_cap_is_enforced_on_confirm(client, candidate):
    profile = candidate.candidate_profile  # already holds 2 achievements
    before = _snapshot(profile)
    client.force_login(candidate)
    client.post(reverse("imports:upload"), {"file": SimpleUploadedFile("g.txt", RESUME.encode())})
    review = client.get(reverse("imports:review")).content.decode()
    assert "has room for 1 more" in review
    data = _review_post(client)
    data["achievements-0-keep"] = data["achievements-1-keep"] = "on"
    response = client.post(reverse("imports:review"), data)
    assert response.status_code == 422
    assert "keep at most 1 of the imported ones" in response.content.decode()
    assert _snapshot(profile) == before  # all or nothing


def test_unticked_achievement_suggestions_fill_no_slot(client, candidate):
    profile = candidate.candidate_profile  # already holds 2 achievements
    client.force_login(candidate)
    client.post(reverse("imports:upload"), {"file": SimpleUploadedFile("g.txt", RESUME.encode())})
    data = _review_post(client)
    data["achievements-0-result"] = ""  # an unticked suggestion is not checked either
    response = client.post(reverse("imports:review"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert profile.achievements.count() == 2
    assert profile.experiences.count() == 2


def test_a_ticked_suggestion_needs_its_required_parts(client, fresh_candidate):
    client.force_login(fresh_candidate)
    client.post(reverse("imports:upload"), {"file": SimpleUploadedFile("g.txt", RESUME.encode())})
    data = _review_post(client)
    data["achievements-0-keep"] = "on"
    data["achievements-0-problem"] = ""
    response = client.post(reverse("imports:review"), data)
    assert response.status_code == 422
    assert "untick “Add to my profile”" in response.content.decode()
    assert not fresh_candidate.candidate_profile.achievements.exists()


def test_discarding_the_draft_saves_nothing(client, fresh_candidate):
    profile = fresh_candidate.candidate_profile
    before = _snapshot(profile)
    client.force_login(fresh_candidate)
    client.post(reverse("imports:upload"), {"file": SimpleUploadedFile("g.txt", RESUME.encode())})
    client.post(reverse("imports:discard"))
    assert SESSION_KEY not in client.session
    assert client.get(reverse("imports:review")).status_code == 302
    assert _snapshot(profile) == before


def test_company_members_and_partners_cannot_import(client, company_member, partner):
    for user in (company_member, partner):
        client.force_login(user)
        assert client.get(reverse("imports:upload")).status_code == 403
