"""Match Day operations, intros and pipeline steps through the API, per persona."""

import pytest

from matchday.api.errors import NOT_FOUND
from matchday.api.routers.intros import NO_INTROS
from matchday.core.permissions import NOT_A_CANDIDATE, NOT_A_COMPANY_MEMBER, NOT_A_PARTNER
from matchday.followup.models import Intro
from matchday.matchdays.models import MatchDay, Proposal
from matchday.matchdays.services import REASON_REQUIRED
from tests import factories
from tests.api.helpers import api_as, seed_matchday

pytestmark = pytest.mark.django_db


@pytest.fixture
def active_candidate(db):
    return factories.CandidateProfileFactory(active=True).user


@pytest.fixture
def seeded(company_member, active_candidate):
    return seed_matchday(member=company_member, candidate_user=active_candidate)


def test_partner_creates_lists_and_stops_a_matchday(partner):
    api = api_as(partner)
    created = api.post(
        "/matchdays",
        {
            "name": "July",
            "release_at": "2031-07-01T09:00:00+00:00",
            "interest_deadline": "2031-06-28T09:00:00+00:00",
            "candidate_cap": 2,
        },
    )
    assert created.status_code == 201, created.content
    md_id = created.json()["id"]
    assert created.json()["status"] == "draft"
    assert created.json()["latest_run"] is None
    assert api.get("/matchdays").json()["total"] == 1
    refused = api.post(f"/matchdays/{md_id}/stop", {"reason": " "})
    assert refused.status_code == 422
    assert REASON_REQUIRED in [e["message"] for e in refused.json()["errors"]]
    stopped = api.post(f"/matchdays/{md_id}/stop", {"reason": "Bad data"})
    assert stopped.json()["stop_reason"] == "Bad data"
    assert MatchDay.objects.get(pk=md_id).is_stopped


def test_partner_starts_curation_and_sees_the_queued_run(partner):
    md = MatchDay.objects.create(
        name="Aug", release_at="2031-08-01T09:00:00Z", interest_deadline="2031-07-28T09:00:00Z"
    )
    api = api_as(partner)
    response = api.post(f"/matchdays/{md.pk}/curation")
    assert response.status_code == 202, response.content
    run = response.json()
    assert run["status"] == "queued"
    assert api.get(f"/matchdays/{md.pk}").json()["latest_run"]["id"] == run["id"]


def test_partner_filters_proposals_and_reviews_them(partner, seeded):
    md, pending, _intro = seeded
    api = api_as(partner)
    assert api.get(f"/matchdays/{md.pk}/proposals").json()["total"] == 2
    only_pending = api.get(f"/matchdays/{md.pk}/proposals", status="pending").json()
    assert [p["id"] for p in only_pending["items"]] == [pending.pk]
    assert api.get(f"/matchdays/{md.pk}/proposals", min_score=0.85).json()["total"] == 1
    refused = api.post(f"/proposals/{pending.pk}/reject", {"reason": ""})
    assert refused.status_code == 422
    rejected = api.post(f"/proposals/{pending.pk}/reject", {"reason": "Wrong seniority"})
    assert rejected.status_code == 200
    assert Proposal.objects.get(pk=pending.pk).review_reason == "Wrong seniority"


@pytest.mark.parametrize("persona", ["candidate", "company_member"])
def test_only_partners_run_matchdays(request, persona, seeded):
    md, pending, _intro = seeded
    api = api_as(request.getfixturevalue(persona))
    for response in (
        api.get("/matchdays"),
        api.get(f"/matchdays/{md.pk}"),
        api.get(f"/matchdays/{md.pk}/proposals"),
        api.post(f"/proposals/{pending.pk}/approve", {}),
        api.post(f"/matchdays/{md.pk}/stop", {"reason": "x"}),
    ):
        assert response.status_code == 403
        assert response.json() == {"detail": NOT_A_PARTNER, "errors": []}
    assert Proposal.objects.get(pk=pending.pk).status == "pending"


def test_company_sees_the_intro_blind_until_the_candidate_accepts(
    company_member, active_candidate, seeded
):
    _md, _p, intro = seeded
    company, cand = api_as(company_member), api_as(active_candidate)
    assert company.get(f"/intros/{intro.pk}").json()["candidate_name"] is None
    mine = cand.get("/intros").json()
    assert [i["id"] for i in mine["items"]] == [intro.pk]
    assert mine["items"][0]["offered_salary"] == 110000
    accepted = cand.post(f"/intros/{intro.pk}/accept")
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "accepted"
    seen = company.get(f"/intros/{intro.pk}").json()
    assert seen["candidate_name"] == active_candidate.full_name
    [screen] = seen["steps"]
    assert screen["kind"] == "screen"
    # The pipeline: the candidate reads it, only the company moves it.
    assert cand.get(f"/intros/{intro.pk}/steps").json()[0]["id"] == screen["id"]
    assert cand.post(f"/steps/{screen['id']}/complete", {}).status_code == 403
    needs_time = company.post(f"/steps/{screen['id']}/schedule", {"scheduled_at": None})
    assert needs_time.status_code == 422
    scheduled = company.post(
        f"/steps/{screen['id']}/schedule", {"scheduled_at": "2031-07-02T15:00:00Z"}
    )
    assert scheduled.status_code == 200, scheduled.content
    assert scheduled.json()["status"] == "scheduled"
    early = company.post(f"/steps/{screen['id']}/complete", {})  # not held yet
    assert early.status_code == 422
    assert "once it has taken place" in early.json()["errors"][0]["message"]
    held = company.post(f"/steps/{screen['id']}/schedule", {"scheduled_at": "2021-07-02T15:00:00Z"})
    assert held.status_code == 200, held.content
    nxt = company.post(f"/steps/{screen['id']}/complete", {})
    assert nxt.status_code == 200
    assert nxt.json()["id"] != screen["id"]
    closed = company.post(f"/intros/{intro.pk}/close", {"reason": "Hired someone else"})
    assert closed.json()["status"] == "closed"


def test_candidate_declines_with_a_reason(active_candidate, seeded):
    _md, _p, intro = seeded
    response = api_as(active_candidate).post(
        f"/intros/{intro.pk}/decline", {"reason": "Relocating"}
    )
    assert response.json()["status"] == "declined"
    assert Intro.objects.get(pk=intro.pk).decline_reason == "Relocating"


def test_nobody_else_sees_or_answers_an_intro(candidate, seeded):
    _md, _p, intro = seeded
    other_member = factories.CompanyMemberFactory(company__vetted=True)
    for user in (candidate, other_member):
        api = api_as(user)
        assert api.get("/intros").json()["total"] == 0
        for response in (api.get(f"/intros/{intro.pk}"), api.get(f"/intros/{intro.pk}/steps")):
            assert response.status_code == 404
            assert response.json() == {"detail": NOT_FOUND, "errors": []}
    assert api_as(candidate).post(f"/intros/{intro.pk}/accept").status_code == 404
    member_accept = api_as(other_member).post(f"/intros/{intro.pk}/accept")
    assert member_accept.json() == {"detail": NOT_A_CANDIDATE, "errors": []}
    assert api_as(candidate).post(f"/intros/{intro.pk}/close", {"reason": "x"}).json() == {
        "detail": NOT_A_COMPANY_MEMBER,
        "errors": [],
    }
    assert Intro.objects.get(pk=intro.pk).status == "released"


def test_partners_have_no_intros(partner, seeded):
    response = api_as(partner).get("/intros")
    assert response.status_code == 403
    assert response.json() == {"detail": NO_INTROS, "errors": []}
