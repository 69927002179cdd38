"""The candidate's profile editor through the test client."""

from __future__ import annotations

import pytest
from django.urls import reverse

from matchday.talent.forms import PAY_NEEDS_CURRENCY
from matchday.talent.models import CandidateProfile, CandidateSkill
from matchday.talent.preferences import UNKNOWN_TIMEZONE
from matchday.talent.services import DUPLICATE_SKILL, NEGATIVE_YEARS
from matchday.taxonomy.services import SKILL_NAME_NO_LETTERS
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def profile(client):
    profile = factories.CandidateProfileFactory(complete=True)
    client.force_login(profile.user)
    return profile


def test_invalid_section_is_rerendered_with_422_and_keeps_what_was_typed(client, profile):
    response = client.post(
        reverse("talent:section", args=["location"]),
        {
            "location-city": "Lisbon",
            "location-timezone": "Mars/Olympus",
            "location-country": "PT",
            "location-remote_preference": "hybrid",
            "location-location_weight": "2",
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'value="Lisbon"' in html
    assert UNKNOWN_TIMEZONE.format(tz="Mars/Olympus").replace("'", "&#x27;") in html
    assert 'aria-invalid="true"' in html
    profile.refresh_from_db()
    assert profile.city == "Berlin"


def test_htmx_section_save_returns_the_partial_and_updates_the_status_out_of_band(client, profile):
    response = client.post(
        reverse("talent:section", args=["wants"]),
        {
            "wants-role_types": ["llm-engineer"],
            "wants-min_pay_amount": "80000",
            "wants-min_pay_currency": "EUR",
            "wants-min_pay_period": "year",
            "wants-pay_dealbreaker": "on",
            **{
                f"wants-{k}_weight": "1"
                for k in ["role_type", "domain", "company_stage", "company_size", "pay"]
            },
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="section-wants"')
    assert 'hx-swap-oob="true"' in html
    profile.refresh_from_db()
    assert profile.role_types == ["llm-engineer"]
    assert profile.dealbreakers == ["pay"]


def test_minimum_pay_without_currency_is_refused_on_the_currency_field(client, profile):
    response = client.post(
        reverse("talent:section", args=["wants"]),
        {"wants-min_pay_amount": "80000", "wants-min_pay_period": "year"},
    )
    assert response.status_code == 422
    form = response.context["sections"][3][1]
    assert form.errors["min_pay_currency"] == [PAY_NEEDS_CURRENCY]
    assert form["min_pay_amount"].value() == "80000"


def test_negative_years_are_refused_with_the_services_message(client, profile):
    response = client.post(
        reverse("talent:section", args=["experience"]),
        {"experience-years_experience": "-1", "experience-level": "mid"},
    )
    assert response.status_code == 422
    assert response.context["sections"][2][1].errors["years_experience"] == [NEGATIVE_YEARS]


def test_skill_typed_as_an_alias_is_added_under_its_taxonomy_id(client, profile):
    CandidateSkill.objects.filter(candidate=profile, skill_id="kubernetes").delete()
    response = client.post(
        reverse("talent:skill_add"), {"skill": "k8s", "level": "3", "years": "2"}
    )
    assert response.status_code == 302
    row = CandidateSkill.objects.get(candidate=profile, skill_id="kubernetes")
    assert (row.level, str(row.years)) == (3, "2.0")


def test_unknown_skill_is_kept_as_typed_never_dropped(client, profile):
    response = client.post(
        reverse("talent:skill_add"), {"skill": "Basket  weaving ", "level": "3", "years": "1"}
    )
    assert response.status_code == 302
    row = CandidateSkill.objects.select_related("skill").get(
        candidate=profile, skill_id="~basketweaving"
    )
    assert (row.skill.label, row.skill.is_open, row.level) == ("Basket weaving", True, 3)
    page = client.get(reverse("talent:profile"))
    assert page.status_code == 200
    assert "Basket weaving" in page.content.decode()
    assert "(outside the taxonomy)" in page.content.decode()


def test_a_skill_name_without_letters_is_refused_with_a_message(client, profile):
    before = CandidateSkill.objects.filter(candidate=profile).count()
    response = client.post(reverse("talent:skill_add"), {"skill": "?!", "level": "3", "years": "1"})
    assert response.status_code == 422
    assert response.context["skill_form"].errors["skill"] == [SKILL_NAME_NO_LETTERS]
    assert CandidateSkill.objects.filter(candidate=profile).count() == before


def test_duplicate_skill_is_refused_with_a_message(client, profile):
    existing = profile.skills.select_related("skill").first()
    response = client.post(
        reverse("talent:skill_add"), {"skill": existing.skill.label, "level": "2", "years": "1"}
    )
    assert response.status_code == 422
    assert response.context["skill_form"].errors["skill"] == [
        DUPLICATE_SKILL.format(skill=existing.skill.label)
    ]


def test_submit_with_missing_parts_shows_what_is_missing(client):
    profile = factories.CandidateProfileFactory(headline="")
    client.force_login(profile.user)
    page = client.get(reverse("talent:profile"))
    assert page.context["missing"] == ["a headline", "at least 3 skills", "at least 2 achievements"]
    response = client.post(reverse("talent:submit"), follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Complete your profile before submitting: a headline, at least 3 skills, "
        "at least 2 achievements."
    ]
    profile.refresh_from_db()
    assert profile.status == CandidateProfile.Status.DRAFT


def test_complete_profile_submits_and_shows_the_partners_reason_after_rejection(
    client, profile, partner
):
    assert client.post(reverse("talent:submit")).status_code == 302
    profile.refresh_from_db()
    assert profile.status == CandidateProfile.Status.SUBMITTED
    client.force_login(partner)
    client.post(
        reverse("talent:candidate_vet", args=[profile.pk]),
        {"decision": "reject", "reason": "Add measured results."},
    )
    client.force_login(profile.user)
    html = client.get(reverse("talent:profile")).content.decode()
    assert "Not accepted" in html
    assert "Add measured results." in html


def test_a_fourth_achievement_form_is_not_offered(client, profile):
    factories.AchievementFactory(candidate=profile)
    response = client.get(reverse("talent:profile"))
    assert response.context["achievement_form"] is None
    assert "You have three achievements" in response.content.decode()


def test_vetted_candidate_activates_then_pauses(client):
    profile = factories.CandidateProfileFactory(complete=True, status="vetted")
    client.force_login(profile.user)
    client.post(reverse("talent:activate"))
    profile.refresh_from_db()
    assert profile.status == CandidateProfile.Status.ACTIVE
    client.post(reverse("talent:pause"))
    profile.refresh_from_db()
    assert profile.status == CandidateProfile.Status.PAUSED


def test_profile_page_query_count_does_not_grow_with_skills(
    client, profile, django_assert_max_num_queries
):
    for skill_id in ["ray", "vllm", "triton", "rust"]:
        factories.CandidateSkillFactory(candidate=profile, skill_id=skill_id)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("talent:profile")).status_code == 200
