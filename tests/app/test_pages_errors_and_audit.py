"""Styled error pages with navigation, and the audit log's filters in people's words."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import path, reverse

from matchday.audits.services import audit_record
from matchday.config.urls import urlpatterns as site_urls
from matchday.core.permissions import NOT_A_PARTNER
from tests import factories

pytestmark = pytest.mark.django_db


def _boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", _boom), *site_urls]


def test_404_is_styled_with_the_navigation(client, partner):
    client.force_login(partner)
    response = client.get("/no/such/page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in html
    assert 'href="/matchdays/">Match Days</a>' in html  # the partner's navigation
    assert 'id="nav-toggle"' in html


def test_403_is_styled_says_why_and_keeps_the_navigation(client, company_member):
    client.force_login(company_member)
    response = client.get(reverse("matchdays:list"))
    html = response.content.decode()
    assert response.status_code == 403
    assert "<h1>You may not open this page</h1>" in html
    assert f"<p>{NOT_A_PARTNER}</p>" in html
    assert ">Shortlists</a>" in html  # the company member's navigation


@override_settings(ROOT_URLCONF=__name__)
def test_500_is_styled_and_says_nothing_was_lost():
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Something went wrong on our side</h1>" in html
    assert 'class="brand"' in html and "Log in" in html


def test_audit_filters_speak_of_records_by_name_not_content_type(client, partner):
    client.force_login(partner)
    html = client.get(reverse("audits:list")).content.decode()
    assert '<label for="id_target_type">About</label>' in html
    assert '<option value="matchdays.proposal">Proposal</option>' in html
    assert '<option value="matchdays.matchday">Match day</option>' in html
    assert "Target id" not in html
    assert 'type="hidden" name="target_id"' in html


def test_audit_entries_about_one_record_say_so_and_link_back_to_all(client, partner):
    profile = factories.CandidateProfileFactory()
    audit_record(actor=partner, action="candidate.vet.approve", target=profile)
    audit_record(actor=partner, action="candidate.note", target=factories.CandidateProfileFactory())
    client.force_login(partner)
    response = client.get(
        reverse("audits:list") + f"?target_type=talent.candidateprofile&target_id={profile.pk}"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 1
    assert f"Only entries about Candidate profile #{profile.pk}" in html
    assert f"Candidate profile #{profile.pk}</a>" in html
    assert "talent.candidateprofile #" not in html
