"""Imported data is validated like typed data: the ``meta.matchday`` extension's shape by
its schema, its values by the same model validation as the profile editor and the API
(``talent.services.profile_update`` / ``profile_check``). A bad file gets a clear message
and nothing is kept; rows stored before these rules never break a page or the API."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from matchday.imports import jsonresume
from matchday.imports.views import SESSION_KEY
from matchday.talent import preferences, services
from matchday.talent.models import CandidateProfile
from tests import factories
from tests.resume_review import _review_post

INVALID = "The file holds values a Matchday profile cannot take: {}."


def _upload(client, extension: dict):
    document = json.loads(jsonresume.SAMPLE_PATH.read_text())
    document["meta"] = {"version": "v1.0.0", "matchday": extension}
    upload = SimpleUploadedFile("resume.json", json.dumps(document).encode())
    return client.post(reverse("imports:upload_json"), {"json_file": upload})


@pytest.mark.parametrize(
    ("extension", "message"),
    [
        (
            {"profile": {"preference_weights": {"pay": -1}}},
            INVALID.format(
                "profile.preference_weights: A weight is a whole number from 0 to 3: pay: -1."
            ),
        ),
        (
            {"profile": {"role_types": 5}},
            INVALID.format("profile.role_types: Enter a list."),
        ),
        (
            {"profile": {"role_types": ["ml-engineer", "astronaut"], "timezone": "Mars/Olympus"}},
            INVALID.format(
                "profile.timezone: Unknown time zone 'Mars/Olympus'; use an IANA "
                "name such as Europe/Berlin.; profile.role_types: Not one of the "
                "choices: 'astronaut'."
            ),
        ),
        (
            {"skills": ["x"]},
            "The file is not a valid JSON Resume: 'x' is not of type 'object' "
            "(at meta/matchday/skills/0).",
        ),
        (
            {"links": [1]},
            "The file is not a valid JSON Resume: 1 is not of type 'object' "
            "(at meta/matchday/links/0).",
        ),
        (
            {"skills": [{"id": "python", "level": "abc"}]},
            "The file is not a valid JSON Resume: 'abc' is not of type 'integer' "
            "(at meta/matchday/skills/0/level).",
        ),
        (
            {"skills": [{"id": "python", "level": 9}]},
            INVALID.format("skills.0.level: Ensure this value is less than or equal to 5."),
        ),
        (
            {"links": [{"kind": "rocket", "url": "https://example.org"}]},
            INVALID.format("links.0.kind: Value 'rocket' is not a valid choice."),
        ),
        (
            "x",
            "The file is not a valid JSON Resume: 'x' is not of type 'object' (at meta/matchday).",
        ),
    ],
    ids=[
        "negative-weight",
        "role-types-not-a-list",
        "unknown-choice-and-timezone",
        "skill-not-an-object",
        "link-not-an-object",
        "level-not-a-number",
        "level-out-of-range",
        "unknown-link-kind",
        "extension-not-an-object",
    ],
)
def test_bad_extension_is_refused_with_a_clear_message_and_nothing_kept(
    client, candidate, extension, message
):
    profile = candidate.candidate_profile
    before = (profile.preference_weights, profile.role_types, profile.skills.count())
    client.force_login(candidate)
    response = _upload(client, extension)
    assert response.status_code == 422
    assert response.context["json_form"].errors["json_file"] == [message]
    assert SESSION_KEY not in client.session
    profile.refresh_from_db()
    assert (profile.preference_weights, profile.role_types, profile.skills.count()) == before


def test_a_good_extension_still_goes_to_review(client, candidate):
    client.force_login(candidate)
    response = _upload(client, {"profile": {"preference_weights": {"pay": 3}, "role_types": []}})
    assert response.status_code == 302
    assert client.session[SESSION_KEY]["profile"]["preference_weights"] == {"pay": 3}


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"preference_weights": {"pay": -1}},
            "preference_weights",
            "A weight is a whole number from 0 to 3: pay: -1.",
        ),
        (
            {"preference_weights": {"pay": True}},
            "preference_weights",
            "A weight is a whole number from 0 to 3: pay: True.",
        ),
        (
            {"preference_weights": {"salary": 1}},
            "preference_weights",
            "Not a preference: 'salary'.",
        ),
        ({"role_types": 5}, "role_types", "Enter a list."),
        ({"domains": ["health", "health"]}, "domains", "Listed more than once: 'health'."),
        ({"dealbreakers": ["pay", "vibes"]}, "dealbreakers", "Not one of the choices: 'vibes'."),
        (
            {"acceptable_cities": ["Berlin\r\nBcc: x"]},
            "acceptable_cities",
            "A city is a name of at most 100 characters on one line: 'Berlin\\r\\nBcc: x'.",
        ),
        ({"acceptable_cities": ["x"] * 51}, "acceptable_cities", "At most 50 cities."),
    ],
)
def test_the_one_profile_write_path_refuses_bad_preferences(candidate, data, field, message):
    profile = candidate.candidate_profile
    with pytest.raises(ValidationError) as info:
        services.profile_update(profile=profile, by=candidate, data=data)
    assert info.value.message_dict == {field: [message]}


def test_the_profile_editor_refuses_what_the_service_refuses(client, candidate):
    client.force_login(candidate)
    response = client.post(
        reverse("talent:section", args=["location"]),
        {
            "location-country": "DE",
            "location-remote_preference": "remote",
            "location-timezone": "Mars/Olympus",
            "location-location_weight": "1",
        },
    )
    assert response.status_code == 422
    message = preferences.UNKNOWN_TIMEZONE.format(tz="Mars/Olympus").replace("'", "&#x27;")
    assert message in response.content.decode()


def test_the_api_refuses_what_the_service_refuses(client, candidate):
    client.force_login(candidate)
    response = client.patch(
        "/api/v1/me/profile", {"timezone": "Mars/Olympus"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "timezone", "message": preferences.UNKNOWN_TIMEZONE.format(tz="Mars/Olympus")}
    ]


def test_a_stale_draft_with_bad_preferences_is_refused_on_confirm_not_a_500(client, candidate):
    client.force_login(candidate)
    assert _upload(client, {"profile": {"preference_weights": {"pay": 2}}}).status_code == 302
    session = client.session
    session[SESSION_KEY]["profile"]["preference_weights"] = {"pay": -1}
    session.save()
    response = client.post(reverse("imports:review"), _review_post(client))
    assert response.status_code == 422
    assert "A weight is a whole number from 0 to 3: pay: -1." in response.content.decode()
    candidate.candidate_profile.refresh_from_db()
    assert candidate.candidate_profile.preference_weights != {"pay": -1}


# -- rows stored before the validators --------------------------------------------------------

BAD_ROWS = [
    {"role_types": 5},
    {"preference_weights": {"pay": -1, "domain": 2}},
    {"preference_weights": [1]},
    {"dealbreakers": "pay"},
    {"acceptable_cities": [1, None, "Berlin"]},
    {"domains": {"a": 1}},
    {"company_sizes": [None, "11-50"]},
]


def _store(profile: CandidateProfile, bad: dict) -> None:
    CandidateProfile.objects.filter(pk=profile.pk).update(**bad)


@pytest.mark.parametrize(
    "bad", BAD_ROWS, ids=[next(iter(b)) + str(i) for i, b in enumerate(BAD_ROWS)]
)
def test_pages_exports_and_api_read_a_bad_stored_row(client, db, bad):
    profile = factories.CandidateProfileFactory(complete=True)
    _store(profile, bad)
    client.force_login(profile.user)
    for url in (
        reverse("talent:profile"),
        "/api/v1/me/profile",
        reverse("imports:export_jsonresume"),
        reverse("imports:my_data_export"),
    ):
        assert client.get(url).status_code == 200, url


def test_reading_a_bad_row_keeps_its_valid_values_and_the_next_save_repairs_it(client, db):
    profile = factories.CandidateProfileFactory(complete=True, role_types=["ml-engineer"])
    _store(
        profile, {"preference_weights": {"pay": -1, "domain": 2}, "company_sizes": [None, "11-50"]}
    )
    client.force_login(profile.user)
    body = client.get("/api/v1/me/profile").json()
    assert (body["preference_weights"], body["company_sizes"]) == ({"domain": 2}, ["11-50"])
    loaded = CandidateProfile.objects.get(pk=profile.pk)
    services.profile_update(profile=loaded, by=profile.user, data={"headline": "New"})
    raw = (
        CandidateProfile.objects.filter(pk=profile.pk)
        .values_list("preference_weights", "company_sizes")
        .get()
    )
    assert raw == ({"domain": 2}, ["11-50"])
