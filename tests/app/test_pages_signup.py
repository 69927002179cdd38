"""Sign-up pages: accounts are created through the services; errors land on their fields and
nothing typed (except the password) is lost."""

import pytest
from django.urls import reverse

from matchday.accounts.models import User
from matchday.companies.models import Company

pytestmark = pytest.mark.django_db


def test_candidate_signs_up_and_lands_on_their_profile(client):
    response = client.post(
        reverse("accounts:signup_candidate"),
        {
            "full_name": "Ada Lovelace",
            "email": "ada@example.org",
            "password": "analytical-engine-1843",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="ada@example.org")
    assert user.persona == User.Persona.CANDIDATE
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_weak_password_is_refused_on_the_password_field_and_the_rest_is_kept(client):
    response = client.post(
        reverse("accounts:signup_candidate"),
        {"full_name": "Ada Lovelace", "email": "ada@example.org", "password": "password"},
    )
    assert response.status_code == 422
    assert response.context["form"].errors == {
        "password": [
            "This password is too short. It must contain at least 10 characters.",
            "This password is too common.",
        ]
    }
    assert 'value="ada@example.org"' in response.text
    assert 'value="Ada Lovelace"' in response.text
    assert not User.objects.exists()


def test_a_taken_email_is_refused_on_the_email_field(client):
    User.objects.create_user(
        email="ada@example.org", password="x", full_name="Ada", persona="candidate"
    )
    response = client.post(
        reverse("accounts:signup_candidate"),
        {"full_name": "Ada Two", "email": "ADA@example.org", "password": "analytical-engine-1843"},
    )
    assert response.status_code == 422
    assert response.context["form"].errors == {
        "email": ["An account with this email address already exists."]
    }


def test_company_sign_up_creates_a_company_pending_vetting_with_its_first_member(client):
    response = client.post(
        reverse("accounts:signup_company"),
        {
            "company_name": "Tensor Foundry", "website": "https://tensorfoundry.example",
            "size": "11-50", "stage": "seed", "domains": ["devtools"],
            "full_name": "Grace Hopper", "email": "grace@tensorfoundry.example",
            "password": "compilers-since-1952",
        },
    )  # fmt: skip
    assert response.status_code == 302
    company = Company.objects.get(name="Tensor Foundry")
    assert company.vetting_status == Company.VettingStatus.PENDING
    assert [m.email for m in company.members.all()] == ["grace@tensorfoundry.example"]
