"""JSON Resume: the official sample imports cleanly, exports validate against the v1 schema,
and export → import into a fresh user loses nothing."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from matchday.imports import jsonresume
from matchday.imports.services import profile_import_apply
from matchday.talent.models import CandidateProfile
from matchday.talent.services import PROFILE_FIELDS, education_save, experience_save
from tests import factories


def _sample() -> dict:
    return json.loads(jsonresume.SAMPLE_PATH.read_text(encoding="utf-8"))


def test_schema_allows_additional_properties_in_meta():
    assert jsonresume.schema()["properties"]["meta"]["additionalProperties"] is True


def test_official_sample_is_valid_and_imports_cleanly():
    document = _sample()
    jsonresume.validate(document)
    draft = jsonresume.import_document(document)
    assert draft["profile"]["headline"] == "Programmer"
    assert draft["profile"]["city"] == "San Francisco"
    assert draft["profile"]["country"] == "US"
    [job] = draft["experiences"]
    assert {k: job[k] for k in ("employer", "title", "start", "end")} == {
        "employer": "Pied Piper",
        "title": "CEO/President",
        "start": "2013-12-01",
        "end": "2014-12-01",
    }
    # The description carries the sample's summary and each highlight as a bullet.
    work = document["work"][0]
    assert job["description"].startswith(work["summary"][:60])
    for highlight in work["highlights"]:
        assert f"• {highlight}" in job["description"]
    assert draft["education"] == [
        {
            "school": "University of Oklahoma",
            "degree": "Bachelor",
            "field": "Information Technology",
            "end_year": 2014,
        }
    ]
    # Names the taxonomy knows become its skills; the others are kept as written.
    assert [(s["skill_id"], s.get("outside_taxonomy", False)) for s in draft["skills"]] == [
        ("html-css", False),
        ("javascript", False),
        ("Web Development", True),
        ("Compression", True),
        ("Mpeg", True),
        ("MP4", True),
        ("GIF", True),
        ("GoogleMaps", True),
        ("Chrome Extension", True),
    ]
    assert draft["warnings"] == []
    urls = [link["url"] for link in draft["links"]]
    assert "http://richardhendricks.example.com" in urls
    assert "http://missdirection.example.com" in urls


def test_official_sample_saves_through_the_services(candidate):
    profile = factories.CandidateProfileFactory(
        user=factories.UserFactory(), headline="", summary=""
    )
    draft = jsonresume.import_document(_sample())
    counts = profile_import_apply(profile=profile, by=profile.user, draft=draft)
    assert counts["experiences"] == 1 and counts["education"] == 1
    assert counts["skills"] == 9
    kept = dict(profile.skills.values_list("skill__label", "skill__source"))
    assert kept["JavaScript"] == "taxonomy"
    assert (kept["Chrome Extension"], kept["MP4"]) == ("open", "open")
    profile.refresh_from_db()
    assert profile.headline == "Programmer"
    assert profile.country.code == "US"


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ([], jsonresume.NOT_OBJECT),
        (
            {"basics": {"email": "not-an-email"}},
            "'not-an-email' is not a 'email' (at basics/email)",
        ),
        ({"work": [{"startDate": "May 2020"}]}, "does not match"),
        ({"skills": "python"}, "'python' is not of type 'array' (at skills)"),
    ],
    ids=["not-object", "bad-email", "bad-date", "wrong-type"],
)
def test_invalid_documents_are_refused_naming_the_problem(document, message):
    with pytest.raises(jsonresume.JsonResumeError) as info:
        jsonresume.validate(document)
    assert message in str(info.value)


def test_not_json_is_refused():
    with pytest.raises(jsonresume.JsonResumeError) as info:
        jsonresume.loads(b"{not json")
    assert str(info.value).startswith("The file is not valid JSON:")


def _full_profile() -> CandidateProfile:
    profile = factories.CandidateProfileFactory(
        complete=True,
        acceptable_cities=["Berlin", "Amsterdam"],
        company_stages=["series-a", "growth"],
        company_sizes=["51-200"],
        dealbreakers=["pay", "location"],
        preference_weights={"domain": 3, "company_size": 0},
        role_types=["ml-engineer", "llm-engineer"],
        domains=["devtools", "health"],
        years_experience=Decimal("7.5"),
        level="staff",
        min_pay_amount=120000,
        min_pay_currency="EUR",
        min_pay_period="year",
        remote_preference="hybrid",
    )
    factories.LinkFactory(
        candidate=profile, kind="publication", title="Paper", url="https://arxiv.org/abs/1"
    )
    factories.LinkFactory(candidate=profile, kind="talk", title="", url="https://youtu.be/x")
    user = profile.user
    experience_save(
        profile=profile,
        by=user,
        data={
            "employer": "Acme AI",
            "title": "ML Engineer",
            "start": "2019-04-01",
            "end": "",
            "description": "• Cut latency by 60%",
        },
    )
    experience_save(
        profile=profile,
        by=user,
        data={
            "employer": "Initech",
            "title": "",
            "start": "2015-01-01",
            "end": "2019-03-01",
            "description": "",
        },
    )
    education_save(
        profile=profile,
        by=user,
        data={
            "school": "TU Berlin",
            "degree": "MSc",
            "field": "Computer Science",
            "end_year": 2015,
        },
    )
    education_save(profile=profile, by=user, data={"school": "Open University", "end_year": None})
    return profile


def _comparable(profile: CandidateProfile) -> dict:
    profile.refresh_from_db()
    fields = {}
    for name in PROFILE_FIELDS:
        value = getattr(profile, name)
        if name in ("acceptable_countries", "work_authorization"):
            value = [country.code for country in value]
        fields[name] = getattr(value, "code", value)
    return {
        "profile": fields,
        "skills": sorted(profile.skills.values_list("skill_id", "level", "years", "evidence")),
        # In order; positions themselves are renumbered 0, 1, 2 on import.
        "achievements": list(
            profile.achievements.values_list(
                "title", "problem", "constraints", "options", "decision", "result"
            )
        ),
        "links": sorted(profile.links.values_list("kind", "title", "url")),
        "experiences": sorted(
            profile.experiences.values_list("employer", "title", "start", "end", "description"),
            key=str,
        ),
        "education": sorted(
            profile.education.values_list("school", "degree", "field", "end_year"), key=str
        ),
    }


def test_export_then_import_into_a_fresh_user_loses_nothing(db):
    source = _full_profile()
    document = jsonresume.export_profile(source)
    jsonresume.validate(json.loads(json.dumps(document)))
    fresh = factories.CandidateProfileFactory(
        user=factories.UserFactory(),
        headline="",
        summary="",
        city="",
        country="",
        acceptable_countries=[],
        work_authorization=[],
        role_types=[],
        domains=[],
        years_experience=0,
        level="",
        min_pay_amount=None,
        min_pay_currency="",
    )
    draft = jsonresume.import_document(json.loads(json.dumps(document)))
    assert draft["warnings"] == []
    profile_import_apply(profile=fresh, by=fresh.user, draft=draft)
    expected, got = _comparable(source), _comparable(fresh)
    for section in expected:
        assert got[section] == expected[section], section
    assert expected["experiences"][0][3] is None or expected["experiences"][1][3] is None
    assert any(e[2] == date(2019, 4, 1) for e in got["experiences"])


def test_export_keeps_preferences_in_the_meta_extension(candidate):
    document = jsonresume.export_profile(candidate.candidate_profile)
    extension = document["meta"]["matchday"]
    assert extension["profile"]["min_pay_amount"] == 90000
    assert extension["profile"]["role_types"] == ["ml-engineer"]
    assert len(extension["achievements"]) == 2
    assert document["basics"]["email"] == candidate.email


def test_json_resume_upload_goes_to_review_without_saving(client, candidate):
    profile = candidate.candidate_profile
    skills_before = profile.skills.count()
    client.force_login(candidate)
    body = jsonresume.SAMPLE_PATH.read_bytes()
    response = client.post(
        reverse("imports:upload_json"), {"json_file": SimpleUploadedFile("resume.json", body)}
    )
    assert response.status_code == 302
    review = client.get(reverse("imports:review"))
    assert b"Pied Piper" in review.content
    assert profile.skills.count() == skills_before


def test_invalid_json_resume_upload_is_refused_with_422(client, candidate):
    client.force_login(candidate)
    body = json.dumps({"basics": {"email": "nope"}}).encode()
    response = client.post(
        reverse("imports:upload_json"), {"json_file": SimpleUploadedFile("r.json", body)}
    )
    assert response.status_code == 422
    assert "is not a valid JSON Resume" in response.content.decode()


def test_export_download_is_valid_json_resume(client, candidate):
    client.force_login(candidate)
    response = client.get(reverse("imports:export_jsonresume"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="resume.json"'
    jsonresume.validate(json.loads(response.content))
