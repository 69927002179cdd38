"""Profile sections that save on their own (htmx answers with one section), work history
and education as the candidate's to edit (with limits), and shown to talent partners."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from matchday.talent import services
from matchday.talent.models import Education, Experience
from tests import factories

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_an_htmx_skill_add_answers_with_the_skills_section_and_the_status_only(client, candidate):
    client.force_login(candidate)
    response = client.post(
        reverse("talent:skill_add"), {"skill": "Ray", "level": "4", "years": "2"}, **HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="skills"')
    assert "Ray added." in html and "level 4 — advanced" in html
    assert 'id="status"' in html and 'hx-swap-oob="true"' in html
    assert 'id="section-basics"' not in html  # the headline's section is left as typed


def test_an_invalid_htmx_add_keeps_the_typed_values_with_422(client, candidate):
    client.force_login(candidate)
    response = client.post(
        reverse("talent:experience_add"),
        {
            "job-employer": "Acme AI",
            "job-title": "ML Engineer",
            "job-start": "2022-01-01",
            "job-end": "2021-01-01",
        },
        **HTMX,
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "The end is before the start." in html and 'value="Acme AI"' in html
    assert not candidate.candidate_profile.experiences.exists()


def test_without_htmx_a_save_redirects_to_its_section(client, candidate):
    client.force_login(candidate)
    response = client.post(
        reverse("talent:education_add"), {"edu-school": "TU Berlin", "edu-end_year": "2019"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("talent:profile") + "#education"
    page = client.get(reverse("talent:profile")).content.decode()
    assert "Education added." in page and "TU Berlin (2019)" in page


def test_work_history_is_capped(candidate):
    profile = candidate.candidate_profile
    Experience.objects.bulk_create(
        [
            Experience(candidate=profile, employer=f"Firm {i}")
            for i in range(services.MAX_EXPERIENCES)
        ]
    )
    with pytest.raises(ValidationError, match="at most 40 jobs"):
        services.experience_save(profile=profile, by=candidate, data={"employer": "One more"})
    assert profile.experiences.count() == services.MAX_EXPERIENCES


def test_education_is_capped_and_the_page_says_so(client, candidate):
    profile = candidate.candidate_profile
    Education.objects.bulk_create(
        [Education(candidate=profile, school=f"School {i}") for i in range(services.MAX_EDUCATION)]
    )
    client.force_login(candidate)
    response = client.post(reverse("talent:education_add"), {"edu-school": "One more"}, **HTMX)
    assert response.status_code == 422
    assert "A profile holds at most 20 degrees" in response.content.decode()
    assert profile.education.count() == services.MAX_EDUCATION


def test_a_job_is_edited_and_its_dates_checked_by_the_service(candidate):
    profile = candidate.candidate_profile
    job = services.experience_save(
        profile=profile,
        by=candidate,
        data={"employer": "Acme AI", "title": "ML Engineer", "start": "2020-02-01", "end": ""},
    )
    services.experience_save(profile=profile, by=candidate, experience=job, data={"title": "Lead"})
    job.refresh_from_db()
    assert (job.title, job.start, job.end) == ("Lead", date(2020, 2, 1), None)
    with pytest.raises(ValidationError):
        services.experience_save(
            profile=profile, by=candidate, experience=job, data={"end": "2019-01-01"}
        )


def test_nobody_else_edits_or_removes_a_candidates_rows(client, candidate):
    profile = candidate.candidate_profile
    job = profile.experiences.create(employer="Acme AI")
    degree = profile.education.create(school="TU Berlin")
    other = factories.CandidateProfileFactory().user
    client.force_login(other)
    for name, pk in (("experience_delete", job.pk), ("education_delete", degree.pk)):
        assert client.post(reverse(f"talent:{name}", args=[pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        services.experience_delete(experience=job, by=other)
    assert profile.experiences.count() == 1 and profile.education.count() == 1


def test_the_partners_vetting_page_shows_work_history_education_and_level_names(client, partner):
    profile = factories.CandidateProfileFactory(submitted=True, complete=True)
    profile.experiences.create(
        employer="Orbit Labs",
        title="Staff Engineer",
        start=date(2019, 5, 1),
        description="• Ran the GPU fleet",
    )
    profile.education.create(school="ETH Zürich", degree="MSc", field="Robotics", end_year=2018)
    client.force_login(partner)
    html = client.get(reverse("talent:candidate_detail", args=[profile.pk])).content.decode()
    assert "Staff Engineer at Orbit Labs" in html and "May 2019 – present" in html
    assert "MSc in Robotics, ETH Zürich (2018)" in html
    level = profile.skills.first().level_label
    assert f"<td>{level}</td>" in html
