import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from matchday.accounts.models import User
from matchday.audits.models import AuditEntry
from matchday.companies import services as company_services
from matchday.companies.models import Company, Role
from matchday.companies.services import company_sign_up
from matchday.core.money import BAND_MIN_ABOVE_MAX, BAND_TOO_WIDE
from matchday.talent import services as talent_services
from matchday.talent.models import CandidateProfile
from matchday.talent.services import candidate_sign_up
from tests import factories

pytestmark = pytest.mark.django_db


def test_candidate_sign_up_creates_a_draft_profile_and_an_audit_entry():
    user = candidate_sign_up(
        email="Ada@Example.org", password="a-long-passphrase", full_name="Ada L"
    )
    assert user.email == "ada@example.org"
    assert user.persona == User.Persona.CANDIDATE
    assert user.candidate_profile.status == CandidateProfile.Status.DRAFT
    assert AuditEntry.objects.filter(action="candidate.sign_up", subject_user=user).count() == 1


def test_sign_up_with_a_taken_email_is_refused_with_a_message():
    candidate_sign_up(email="ada@example.org", password="a-long-passphrase", full_name="Ada")
    with pytest.raises(ValidationError) as exc:
        candidate_sign_up(email="ADA@example.org", password="a-long-passphrase", full_name="Ada")
    assert exc.value.message_dict == {
        "email": ["An account with this email address already exists."]
    }


def test_company_sign_up_creates_a_company_pending_vetting():
    user = company_sign_up(
        email="cto@acme.test",
        password="a-long-passphrase",
        full_name="C T O",
        company_name="Acme AI",
        website="https://acme.test",
        size="11-50",
        stage="seed",
    )
    assert user.company.vetting_status == Company.VettingStatus.PENDING
    assert list(user.company.members.all()) == [user]


def test_passwords_are_hashed_with_argon2_in_production_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    user = candidate_sign_up(email="a@b.org", password="a-long-passphrase", full_name="A B")
    assert user.password.startswith("argon2$argon2id$")


def test_company_member_without_company_violates_constraint():
    with pytest.raises(IntegrityError):
        User.objects.create_user(email="x@y.org", password="pw", full_name="X", persona="company")


@pytest.mark.parametrize(
    ("pay_min", "pay_max", "field", "message"),
    [
        (120000, 100000, "pay_max", BAND_MIN_ABOVE_MAX.format(min=120000, max=100000)),
        (100000, 160000, "pay_max", BAND_TOO_WIDE.format(ratio="1.5")),
    ],
)
def test_role_pay_band_rules_are_enforced(company_member, pay_min, pay_max, field, message):
    role = factories.RoleFactory(company=company_member.company)
    with pytest.raises(ValidationError) as exc:
        company_services.role_update(
            role=role, by=company_member, data={"pay_min": pay_min, "pay_max": pay_max}
        )
    assert exc.value.message_dict[field] == [message]


def test_unknown_currency_is_refused(company_member):
    role = factories.RoleFactory(company=company_member.company)
    with pytest.raises(ValidationError) as exc:
        company_services.role_update(role=role, by=company_member, data={"pay_currency": "XYZ"})
    assert exc.value.message_dict["pay_currency"][0].startswith("Unknown currency 'XYZ'")


def test_a_role_of_an_unvetted_company_cannot_open(pending_company_member):
    role = factories.RoleFactory(company=pending_company_member.company)
    with pytest.raises(ValidationError) as exc:
        company_services.role_open(role=role, by=pending_company_member)
    assert exc.value.messages == [company_services.COMPANY_NOT_VETTED]


def test_a_vetted_company_opens_its_role(company_member):
    role = factories.RoleFactory(company=company_member.company)
    company_services.role_open(role=role, by=company_member)
    role.refresh_from_db()
    assert role.status == Role.Status.OPEN
    assert role.published_at is not None


def test_a_member_cannot_edit_another_companys_role(company_member):
    other_role = factories.RoleFactory()
    with pytest.raises(PermissionDenied):
        company_services.role_update(role=other_role, by=company_member, data={"title": "x"})


def test_duplicate_skill_is_refused(candidate):
    profile = candidate.candidate_profile
    talent_services.candidate_skill_set(profile=profile, by=candidate, skill_id="rust", level=3)
    with pytest.raises(ValidationError) as exc:
        talent_services.candidate_skill_set(
            profile=profile, by=candidate, skill_id="rust", level=4, create_only=True
        )
    assert exc.value.message_dict["skill"] == [
        "Rust is already on your profile; edit its level instead."
    ]


def test_negative_years_are_refused(candidate):
    with pytest.raises(ValidationError) as exc:
        talent_services.candidate_skill_set(
            profile=candidate.candidate_profile, by=candidate, skill_id="rust", level=3, years=-1
        )
    assert exc.value.message_dict["years"] == [talent_services.NEGATIVE_YEARS]


def test_submit_then_partner_rejects_with_reason_then_resubmit(candidate, partner):
    profile = talent_services.candidate_submit(profile=candidate.candidate_profile, by=candidate)
    assert profile.status == CandidateProfile.Status.SUBMITTED
    with pytest.raises(ValidationError):
        talent_services.candidate_reject(profile=profile, by=partner, reason="  ")
    talent_services.candidate_reject(profile=profile, by=partner, reason="Add measured results.")
    profile.refresh_from_db()
    assert (profile.status, profile.vetting_reason) == ("rejected", "Add measured results.")
    talent_services.candidate_submit(profile=profile, by=candidate)
    talent_services.candidate_approve(profile=profile, by=partner)
    profile.refresh_from_db()
    assert profile.status == CandidateProfile.Status.ACTIVE  # approval activates
    assert profile.vetted_by == partner


def test_incomplete_profile_cannot_be_submitted(db):
    user = candidate_sign_up(email="new@example.org", password="a-long-passphrase", full_name="N")
    with pytest.raises(ValidationError) as exc:
        talent_services.candidate_submit(profile=user.candidate_profile, by=user)
    assert exc.value.messages[0].startswith("Complete your profile before submitting: a headline")


def test_a_candidate_cannot_vet(candidate):
    profile = factories.CandidateProfileFactory(submitted=True)
    with pytest.raises(PermissionDenied):
        talent_services.candidate_approve(profile=profile, by=candidate)


def test_the_audit_log_is_append_only(candidate):
    talent_services.candidate_submit(profile=candidate.candidate_profile, by=candidate)
    entry = AuditEntry.objects.get(action="candidate.submit")
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
