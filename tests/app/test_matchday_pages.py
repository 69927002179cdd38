"""Match Day pages through HTTP: partner run/review pages, blind company shortlists, access."""

from __future__ import annotations

import gzip
import json

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from matchday.config.settings import base
from matchday.engine.io import input_hash
from matchday.matchdays import services
from matchday.matchdays.models import Interest, MatchDay, Proposal
from tests import factories
from tests.market import (
    BEFORE_DEADLINE,
    build_market,
    create_matchday,
    run_curation,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def market(db):
    return build_market()


@pytest.fixture
def curated(market, django_capture_on_commit_callbacks):
    md = create_matchday(market, candidate_cap=3, role_cap=10)
    run_curation(market, md, django_capture_on_commit_callbacks)
    return market, md


def _approve_all_and_open(market, md):
    services.proposals_bulk_approve(matchday=md, by=market.partner)
    services.matchday_open_interest(matchday=md, by=market.partner, now=BEFORE_DEADLINE)


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_partner_detail_page_shows_the_run_and_its_download(client, curated):
    market, md = curated
    run = md.runs.get()
    response = _get(client, market.partner, md.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Human review" in html
    for name in ("matchdays:run_input", "matchdays:run_output"):
        assert reverse(name, args=[run.pk]) in html
        download = client.get(reverse(name, args=[run.pk]))
        assert download.status_code == 200
        assert download["Content-Type"] == "application/gzip"
    assert "python -m matchday.engine curate INPUT.json -o OUT.json" in html


def test_media_files_live_under_the_var_dir_not_the_working_directory():
    assert settings.MEDIA_ROOT == base.MEDIA_ROOT == base.VAR_DIR / "media"
    assert settings.MEDIA_URL == "/media/"  # Django prefixes the script name to "media/"


def test_stored_engine_input_lands_in_media_root_and_downloads_from_disk(
    client, market, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    on_disk = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    with override_settings(
        MEDIA_ROOT=tmp_path / "media", STORAGES={**settings.STORAGES, "default": on_disk}
    ):
        md = create_matchday(market)
        run = run_curation(market, md, django_capture_on_commit_callbacks)
        stored = tmp_path / "media" / run.engine_input.name
        assert stored.is_file()
        assert not any(cwd.iterdir())
        response = _get(client, market.partner, reverse("matchdays:run_input", args=[run.pk]))
        body = b"".join(response.streaming_content)
    assert response.status_code == 200
    assert body == stored.read_bytes()
    assert input_hash(json.loads(gzip.decompress(body))) == run.input_hash


def test_running_progress_partial_polls_every_second_while_running(client, market):
    md = create_matchday(market)
    run = services.curation_start(matchday=md, by=market.partner)  # queued, never run
    response = _get(client, market.partner, reverse("matchdays:run_progress", args=[run.pk]))
    html = response.content.decode()
    assert 'hx-trigger="every 1s"' in html
    assert "Queued" in html


def test_finished_progress_partial_stops_polling(client, curated):
    market, md = curated
    run = md.runs.get()
    html = _get(client, market.partner, reverse("matchdays:run_progress", args=[run.pk])).content
    assert b"hx-trigger" not in html


def test_partner_creates_a_matchday_through_the_form(client, market):
    client.force_login(market.partner)
    response = client.post(
        reverse("matchdays:create"),
        {
            "name": "April Match Day",
            "release_at": "2031-04-07T09:00",
            "interest_deadline": "2031-04-04T17:00",
            "release_timezone": "Europe/Berlin",
            "candidate_cap": 3,
            "role_cap": 8,
            "policy": "stable",
        },
    )
    md = MatchDay.objects.get(name="April Match Day")
    assert response.status_code == 302 and response["Location"] == md.get_absolute_url()
    assert md.release_at.isoformat() == "2031-04-07T07:00:00+00:00"
    assert (md.candidate_cap, md.role_cap, md.policy) == (3, 8, "stable")


def test_review_per_candidate_lists_only_that_candidate(client, curated):
    market, md = curated
    person = market.people[0]
    response = _get(
        client,
        market.partner,
        reverse("matchdays:review", args=[md.pk]) + f"?candidate={person.profile.pk}",
    )
    shown = {p.candidate_id for p in response.context["view"].page.object_list}
    assert shown == {person.profile.pk}


def test_reject_through_the_page_requires_a_reason(client, curated):
    market, md = curated
    p = md.proposals.first()
    client.force_login(market.partner)
    response = client.post(reverse("matchdays:reject", args=[p.pk]), {"reason": ""}, follow=True)
    p.refresh_from_db()
    assert p.status == Proposal.Status.PENDING
    assert services.REASON_REQUIRED in response.content.decode()


def test_company_sees_nothing_before_the_interest_window_opens(client, curated):
    market, md = curated
    services.proposals_bulk_approve(matchday=md, by=market.partner)
    response = _get(
        client, market.member_a, reverse("matchdays:shortlist", args=[market.role_a1.pk])
    )
    assert response.status_code == 200
    assert response.context["cards"] == []


def test_blind_shortlist_contains_no_identity_in_its_html(client, curated):
    market, md = curated
    _approve_all_and_open(market, md)
    shown = md.proposals.filter(role__company=market.member_a.company)
    people = {p.profile.pk: p for p in market.people}
    assert shown.exists()
    for role in (market.role_a1, market.role_a2):
        response = _get(client, market.member_a, reverse("matchdays:shortlist", args=[role.pk]))
        html = response.content.decode()
        assert response.status_code == 200
        for proposal in shown.filter(role=role):
            person = people[proposal.candidate_id]
            forbidden = [
                person.full_name,
                *person.full_name.split(),
                person.email,
                person.link,
                person.employer,
                person.school,
                "Smalltown",
                "+49 30 1234 5678",
            ]
            for needle in forbidden:
                assert needle not in html, needle
            assert "[redacted]" in html
            assert f'id="card-{proposal.pk}"' in html


def test_blind_shortlist_shows_skills_achievements_location_band_and_fit(client, curated):
    market, md = curated
    _approve_all_and_open(market, md)
    response = _get(
        client, market.member_a, reverse("matchdays:shortlist", args=[market.role_a1.pk])
    )
    html = response.content.decode()
    assert "PyTorch" in html and "level 5" in html
    assert "Germany" in html
    assert "Failures fell 90%" in html
    assert "Meets 1 of 1 required skills" in html


def test_shortlist_query_count_is_constant(client, curated, django_assert_max_num_queries):
    market, md = curated
    _approve_all_and_open(market, md)
    client.force_login(market.member_a)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("matchdays:shortlist", args=[market.role_a1.pk]))
    assert len(response.context["cards"]) >= 3


def test_company_never_sees_another_companys_role_or_proposals(client, curated):
    market, md = curated
    _approve_all_and_open(market, md)
    client.force_login(market.member_b)
    assert client.get(reverse("matchdays:shortlist", args=[market.role_a1.pk])).status_code == 404
    other = md.proposals.filter(role=market.role_a1).first()
    response = client.post(
        reverse("matchdays:interest", args=[other.pk]), {"offered_salary": 110000}
    )
    assert response.status_code == 404
    assert not Interest.objects.exists()
    listed = client.get(reverse("matchdays:shortlists")).context["roles"]
    assert {r.pk for r in listed} == {market.role_b1.pk}


def test_company_never_sees_unapproved_proposals(client, curated):
    market, md = curated
    approved = md.proposals.filter(role=market.role_a1).first()
    services.proposal_approve(proposal=approved, by=market.partner)
    services.matchday_open_interest(
        matchday=md, by=market.partner, now=BEFORE_DEADLINE, unreviewed="leave_out"
    )
    response = _get(
        client, market.member_a, reverse("matchdays:shortlist", args=[market.role_a1.pk])
    )
    assert [c.proposal_id for c in response.context["cards"]] == [approved.pk]
    pending = md.proposals.filter(status=Proposal.Status.PENDING).first()
    assert (
        client.post(reverse("matchdays:pass", args=[pending.pk]), {"reason": "x"}).status_code
        == 404
    )


def test_company_expresses_interest_through_the_page(client, curated):
    market, md = curated
    _approve_all_and_open(market, md)
    p = md.proposals.filter(role=market.role_a1).first()
    client.force_login(market.member_a)
    # The page uses the real clock; the seeded deadline is in 2031.
    response = client.post(
        reverse("matchdays:interest", args=[p.pk]), {"offered_salary": 120000, "note": "Keen"}
    )
    assert response.status_code == 302
    assert (p.interest.decision, p.interest.offered_salary) == ("interested", 120000)


@pytest.mark.parametrize("persona", ["candidate", "company"])
def test_partner_pages_are_refused_to_other_personas(client, curated, persona):
    market, md = curated
    user = market.member_a if persona == "company" else market.people[0].profile.user
    client.force_login(user)
    for url in (
        reverse("matchdays:list"),
        md.get_absolute_url(),
        reverse("matchdays:review", args=[md.pk]),
        reverse("matchdays:run_input", args=[md.runs.get().pk]),
        reverse("matchdays:run_output", args=[md.runs.get().pk]),
    ):
        assert client.get(url).status_code == 403, url


def test_candidates_cannot_open_shortlists(client, market):
    client.force_login(factories.CandidateProfileFactory().user)
    assert client.get(reverse("matchdays:shortlists")).status_code == 403


def test_a_company_back_in_review_after_renaming_sees_no_shortlist(client, curated):
    from matchday.companies.services import company_update

    market, md = curated
    _approve_all_and_open(market, md)
    url = reverse("matchdays:shortlist", args=[market.role_a1.pk])
    assert _get(client, market.member_a, url).context["cards"] != []
    company_update(company=market.member_a.company, by=market.member_a, data={"name": "Renamed"})
    assert client.get(url).context["cards"] == []
    assert list(client.get(reverse("matchdays:shortlists")).context["roles"]) == []
    proposal = md.proposals.filter(role=market.role_a1).first()
    response = client.post(
        reverse("matchdays:interest", args=[proposal.pk]), {"offered_salary": 110000}
    )
    assert response.status_code == 404
