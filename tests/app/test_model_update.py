"""``core.services.model_update``: the one way update services set fields."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from matchday.companies.models import Company
from matchday.core.services import UNKNOWN_FIELDS, model_update
from tests import factories

ALLOWED = ("name", "website", "description")


@pytest.mark.django_db
def test_sets_allowed_fields_and_writes_only_the_columns_the_service_owns():
    company = factories.CompanyFactory(description="Old.")
    with CaptureQueriesContext(connection) as queries:
        changed = model_update(
            company,
            data={"name": company.name, "description": "New."},
            allowed=ALLOWED,
            what="company",
        )
    assert changed == ["description"]
    [update] = [q["sql"] for q in queries if q["sql"].startswith("UPDATE")]
    assert '"description"' in update and '"updated_at"' in update
    assert '"vetting_status"' not in update and '"size"' not in update


@pytest.mark.django_db
def test_a_change_already_set_on_the_instance_still_counts():
    """A ModelForm bound to the row sets the new values on it before the service runs."""
    company = factories.CompanyFactory(description="Old.")
    company.description = "New."
    assert model_update(company, data={"description": "New."}, allowed=ALLOWED, what="c") == [
        "description"
    ]
    company.refresh_from_db()
    assert company.description == "New."
    company.refresh_from_db()
    assert company.description == "New."


@pytest.mark.django_db
def test_nothing_changed_writes_nothing():
    company = factories.CompanyFactory()
    with CaptureQueriesContext(connection) as queries:
        changed = model_update(company, data={"name": company.name}, allowed=ALLOWED, what="x")
    assert changed == []
    assert not [q for q in queries if q["sql"].startswith("UPDATE")]


@pytest.mark.django_db
def test_unknown_fields_are_refused_before_anything_is_set():
    company = factories.CompanyFactory(description="Old.")
    with pytest.raises(ValidationError) as exc:
        model_update(
            company,
            data={"description": "New.", "vetting_status": "vetted", "zz": 1},
            allowed=ALLOWED,
            what="company",
        )
    assert exc.value.messages == [
        UNKNOWN_FIELDS.format(what="company", fields="vetting_status, zz")
    ]
    assert company.description == "Old."
    company.refresh_from_db()
    assert company.vetting_status == Company.VettingStatus.PENDING


@pytest.mark.django_db
def test_model_limits_apply_and_nothing_is_saved_when_invalid():
    company = factories.CompanyFactory(description="Old.")
    with pytest.raises(ValidationError) as exc:
        model_update(company, data={"description": "x" * 4001}, allowed=ALLOWED, what="c")
    assert "description" in exc.value.message_dict
    company.refresh_from_db()
    assert company.description == "Old."


@pytest.mark.django_db
def test_prepare_derives_values_and_cleaning_normalises_them():
    company = factories.CompanyFactory()

    def prepare(c: Company) -> None:
        c.website = c.website.lower()

    changed = model_update(
        company,
        data={"name": "  Acme\r\nLabs ", "website": "HTTPS://ACME.EXAMPLE"},
        allowed=ALLOWED,
        what="company",
        prepare=prepare,
    )
    assert sorted(changed) == ["name", "website"]
    company.refresh_from_db()
    assert (company.name, company.website) == ("Acme Labs", "https://acme.example")


@pytest.mark.django_db
def test_a_new_row_is_inserted_whole():
    company = Company(size="51-200", stage="series-b")
    changed = model_update(
        company,
        data={"name": "New Co", "website": "https://new.example"},
        allowed=ALLOWED,
        what="company",
    )
    assert sorted(changed) == sorted(ALLOWED)  # a new row: every field is new
    assert Company.objects.get(pk=company.pk).name == "New Co"


@pytest.mark.django_db
def test_derived_fields_are_saved_when_prepare_changes_them_but_never_taken_from_data():
    company = factories.CompanyFactory()

    def prepare(c: Company) -> None:
        c.vetting_status = Company.VettingStatus.VETTED

    changed = model_update(
        company,
        data={"description": "New."},
        allowed=ALLOWED,
        what="company",
        prepare=prepare,
        derived=["vetting_status"],
    )
    assert changed == ["description", "vetting_status"]
    company.refresh_from_db()
    assert company.vetting_status == Company.VettingStatus.VETTED
    with pytest.raises(ValidationError):
        model_update(
            company,
            data={"vetting_status": "pending"},
            allowed=ALLOWED,
            what="company",
            derived=["vetting_status"],
        )


@pytest.mark.django_db
def test_touch_values_are_saved_only_with_a_change():
    company = factories.CompanyFactory(description="Old.")
    stamp = company.vetting_notes + "touched"
    model_update(
        company,
        data={"description": "Old."},
        allowed=ALLOWED,
        what="c",
        touch={"vetting_notes": stamp},
    )
    company.refresh_from_db()
    assert company.vetting_notes != stamp
    changed = model_update(
        company,
        data={"description": "New."},
        allowed=ALLOWED,
        what="c",
        touch={"vetting_notes": stamp},
    )
    assert changed == ["description"]
    company.refresh_from_db()
    assert company.vetting_notes == stamp


# -- every update service through it --------------------------------------------------------


def _profile_services(profile):
    from matchday.talent import services as talent

    user = profile.user
    achievement = factories.AchievementFactory(candidate=profile)
    job = talent.experience_save(profile=profile, by=user, data={"employer": "Acme"})
    school = talent.education_save(profile=profile, by=user, data={"school": "Uni"})
    return {
        "profile": lambda d: talent.profile_update(profile=profile, by=user, data=d),
        "achievement": lambda d: talent.achievement_save(
            profile=profile, by=user, achievement=achievement, data=d
        ),
        "work history": lambda d: talent.experience_save(
            profile=profile, by=user, experience=job, data=d
        ),
        "education": lambda d: talent.education_save(
            profile=profile, by=user, education=school, data=d
        ),
    }


def _company_services(member):
    from matchday.companies import services as companies

    role = factories.RoleFactory(company=member.company)
    step = factories.InterviewStepFactory(role=role)
    return {
        "company": lambda d: companies.company_update(company=member.company, by=member, data=d),
        "role": lambda d: companies.role_update(role=role, by=member, data=d),
        "interview step": lambda d: companies.interview_step_update(step=step, by=member, data=d),
    }


@pytest.mark.django_db
def test_every_update_service_refuses_unknown_fields_the_same_way():
    profile = factories.CandidateProfileFactory(complete=True)
    member = factories.CompanyMemberFactory(company__vetted=True)
    services = {**_profile_services(profile), **_company_services(member)}
    for what, update in services.items():
        with pytest.raises(ValidationError) as exc:
            update({"owner_id": 1})
        expected = UNKNOWN_FIELDS.format(what=what, fields="owner_id")
        assert expected in exc.value.messages, what


@pytest.mark.django_db
def test_a_company_update_that_changes_nothing_writes_nothing():
    from matchday.companies import services as companies

    member = factories.CompanyMemberFactory(company__vetted=True)
    company = member.company
    before = Company.objects.values_list("updated_at", flat=True).get(pk=company.pk)
    companies.company_update(company=company, by=member, data={"name": company.name})
    assert Company.objects.values_list("updated_at", flat=True).get(pk=company.pk) == before
    companies.company_update(company=company, by=member, data={"description": "Changed."})
    company.refresh_from_db()
    assert company.updated_at > before and company.is_vetted  # not its identity: still vetted
