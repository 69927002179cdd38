"""Import drafts that read like the candidate wrote them: skill levels from the résumé's
evidence (years, recency, wording) on the profile's one scale, the location read into the
profile's own controls, and JSON Resume level words mapped onto the same scale."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from matchday.core.choices import SKILL_LEVEL_CHOICES, SkillLevel
from matchday.imports import forms as import_forms
from matchday.imports import jsonresume
from matchday.imports.resume import find_location, infer_level, parse_resume_text
from matchday.talent import forms as talent_forms
from tests import factories

TODAY = date(2026, 1, 1)

RESUME = """Lin Chen
Principal ML Engineer
lin@example.org · Lisbon, Portugal · github.com/linchen

Experience
Principal ML Engineer at Orbit Labs, Jan 2017 – Present
• Led the migration of all training to PyTorch across 40 GPUs
• Designed the Kubernetes platform our 12 teams deploy to
ML Engineer at Navy Systems, 2010 – 2013
• Built Hadoop jobs for nightly reports

Skills
Rust (familiar, side projects), Python
"""


@pytest.fixture
def levels():
    draft = parse_resume_text(RESUME, today=TODAY)
    return {s["skill_id"]: s for s in draft["skills"]}, draft


def test_levels_come_from_years_recency_and_wording_not_one_value_for_all(levels):
    skills, _ = levels
    # 9 years, in the current job, "Led …": expert.
    assert skills["pytorch"]["level"] == SkillLevel.EXPERT
    assert "9 years in dated jobs, used in the current one" in skills["pytorch"]["level_reason"]
    # Named only in the skills list with "familiar": learning.
    assert skills["rust"]["level"] == SkillLevel.LEARNING
    # Three years, last used 13 years ago: one level down from advanced.
    assert skills["hadoop"]["level"] == SkillLevel.INDEPENDENT
    assert "last used 13 years ago" in skills["hadoop"]["level_reason"]
    assert len({s["level"] for s in skills.values()}) >= 3


@pytest.mark.parametrize(
    ("years", "since", "wording", "level"),
    [
        (0, None, "", 2),  # named, no dated job: working knowledge
        (0.5, 0, "", 2),
        (2, 0, "", 3),
        (4, 0, "", 4),
        (12, 0, "", 4),  # years alone never make an expert
        (6, 0, "Architected the serving stack", 5),
        (6, 4, "Architected the serving stack", 4),  # not recent: no expert
        (2, 0, "Led the rewrite", 4),  # wording lifts one level
        (8, 0, "basic scripting", 2),  # wording caps it
        (4, 7, "", 3),  # stale: one level down
    ],
)
def test_infer_level(years, since, wording, level):
    assert infer_level(years=years, since_last_use=since, wording=wording)[0] == level


def test_country_and_city_are_read_from_the_header(levels):
    _, draft = levels
    assert (draft["profile"]["country"], draft["profile"]["city"]) == ("PT", "Lisbon")


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["Location: Zürich, Switzerland"], ("CH", "Zürich", "")),
        (["London, UK | +44 20 1234 5678"], ("GB", "London", "")),
        (["San Francisco, CA, USA"], ("US", "San Francisco", "")),
        (["ML Engineer, Germany"], ("DE", "", "")),  # a job title is not a city
        (["Senior Engineer at Acme"], ("", "", "")),
    ],
)
def test_find_location(lines, expected):
    assert find_location(lines) == expected


def test_a_us_state_is_read_as_the_united_states_with_a_note():
    code, city, note = find_location(["Austin, TX"])
    assert (code, city) == ("US", "Austin")
    assert "Austin, TX" in note
    draft = parse_resume_text("Sam Doe\nAustin, TX\n", today=TODAY)
    assert draft["profile"]["country"] == "US"
    assert any("United States" in w for w in draft["warnings"])


def test_one_level_scale_everywhere():
    assert talent_forms.CandidateSkillForm().fields["level"].choices == SKILL_LEVEL_CHOICES
    assert import_forms.SkillDraftForm().fields["level"].choices == SKILL_LEVEL_CHOICES
    from matchday.companies.forms import RoleSkillForm

    assert RoleSkillForm().fields["min_level"].choices == SKILL_LEVEL_CHOICES
    assert [label for _, label in SKILL_LEVEL_CHOICES] == [
        "1 — learning",
        "2 — working knowledge",
        "3 — independent",
        "4 — advanced",
        "5 — expert",
    ]


def test_the_import_review_asks_for_the_country_from_the_same_list_as_the_profile(client, db):
    user = factories.CandidateProfileFactory(headline="", country="", city="").user
    client.force_login(user)
    client.post(reverse("imports:upload"), {"file": SimpleUploadedFile("cv.txt", RESUME.encode())})
    page = client.get(reverse("imports:review"))
    form = page.context["profile_form"]
    profile_choices = talent_forms.LocationForm(instance=user.candidate_profile).fields["country"]
    assert dict(form.fields["country"].choices)["PT"] == "Portugal"
    assert {c for c, _ in form.fields["country"].choices} - {""} == {
        c for c, _ in profile_choices.choices
    } - {""}
    html = page.content.decode()
    assert '<select name="profile-country"' in html
    assert '<option value="PT" selected>Portugal</option>' in html
    assert re.search(
        r"Level suggested from: \d+ years in dated jobs, used in the current one", html
    )


def _json_resume(skills: list[dict], work: list[dict]) -> dict:
    return {"basics": {"name": "Kai"}, "skills": skills, "work": work}


def test_json_resume_levels_use_the_scale_and_infer_when_missing():
    document = _json_resume(
        skills=[
            {"name": "PyTorch", "level": "Master"},
            {"name": "Kubernetes", "level": "Advanced"},
            {"name": "Rust", "level": "Beginner"},
            {"name": "Python"},  # no level: inferred from the work history that names it
            {"name": "Go", "level": "Working knowledge"},  # our own label
        ],
        work=[
            {
                "name": "Orbit",
                "position": "Engineer",
                "startDate": "2024-01-01",
                "highlights": ["Rewrote the Python ingestion service"],
            }
        ],
    )
    draft = jsonresume.import_document(document, today=TODAY)
    levels = {s["skill_id"]: s["level"] for s in draft["skills"]}
    assert levels == {"pytorch": 5, "kubernetes": 4, "rust": 1, "python": 3, "go": 2}
    python = next(s for s in draft["skills"] if s["skill_id"] == "python")
    assert python["years"] == "2.0" and "used in the current one" in python["level_reason"]


def test_json_resume_export_writes_the_scale_labels(candidate):
    profile = candidate.candidate_profile
    document = jsonresume.export_profile(profile)
    labels = {s["level"] for s in document["skills"]}
    assert labels <= {label for _, label in SkillLevel.choices}
    assert labels


def test_json_resume_highlights_become_unticked_suggestions():
    document = _json_resume(
        skills=[],
        work=[
            {
                "name": "Orbit",
                "highlights": [
                    "Cut inference cost by 45% by batching requests",
                    "Mentored two engineers",
                ],
            }
        ],
    )
    draft = jsonresume.import_document(document, today=TODAY)
    assert draft["achievements"] == [
        {
            "title": "Cut inference cost by 45%",
            "problem": "Inference cost at Orbit had to come down",
            "constraints": "",
            "options": "",
            "decision": "Batching requests",
            "result": "Cut inference cost by 45%",
            "keep": False,
        }
    ]
