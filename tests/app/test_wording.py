"""Human wording: names instead of stored codes, and money written one way on every page."""

import pytest
from django.template import Context, Template
from django.urls import reverse

from matchday.core.money import format_amount, format_band, format_pay
from tests import factories

pytestmark = pytest.mark.django_db
CODES = ("foundation-models", "ml-engineer", "series-a", "DE, FR", "devtools")


@pytest.fixture
def role():
    company = factories.CompanyFactory(
        vetted=True, stage="series-a", domains=["foundation-models", "devtools"]
    )
    return factories.RoleFactory(
        company=company, open=True, allowed_countries=["DE", "FR"], pay_min=150000, pay_max=190000
    )


def test_money_is_written_one_way():
    assert format_amount(150000, "EUR") == "150,000 EUR"
    assert format_band(150000, 190000, "EUR") == "150,000–190,000 EUR"
    assert format_band(150000, 190000, "EUR", "year") == "150,000–190,000 EUR per year"
    assert format_pay(800, "EUR", "day") == "800 EUR per day"


def test_the_filters_turn_codes_into_names():
    out = Template(
        '{% load present %}{{ d|labels:"domain" }}|{{ r|labels:"role_type" }}|{{ c|countries }}'
        '|{{ x|label:"stage" }}|{{ 150000|money:"EUR" }}'
    ).render(
        Context(
            {"d": ["foundation-models"], "r": ["ml-engineer"], "c": ["DE", "FR"], "x": "series-a"}
        )
    )
    assert out == "Foundation models|ML engineer|Germany, France|Series A|150,000 EUR"


def test_company_and_role_pages_show_names_and_one_money_format(client, role):
    member = factories.CompanyMemberFactory(company=role.company)
    client.force_login(member)
    company = client.get(reverse("companies:detail", args=[role.company_id])).content.decode()
    assert "Domains: Foundation models, Developer tools" in company
    page = client.get(reverse("companies:role_detail", args=[role.pk])).content.decode()
    assert "150,000–190,000 EUR" in page and "countries: Germany, France" in page
    listing = client.get(reverse("companies:role_list")).content.decode()
    assert "150,000–190,000 EUR per year" in listing
    for html in (company, page, listing):
        for code in CODES:
            assert code not in html, code


def test_the_partners_profile_view_shows_names(client, partner):
    profile = factories.CandidateProfileFactory(
        submitted=True,
        role_types=["ml-engineer"],
        domains=["foundation-models"],
        acceptable_countries=["DE", "FR"],
        company_stages=["series-a"],
    )
    client.force_login(partner)
    html = client.get(reverse("talent:candidate_detail", args=[profile.pk])).content.decode()
    assert "ML engineer" in html and "Foundation models" in html and "Germany, France" in html
    assert "90,000 EUR per year" in html
    for code in CODES:
        assert code not in html, code
