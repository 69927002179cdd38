"""The Match Day report: funnel counts and impact ratios on a hand-computed case; candidate
controls (hide, pause, the voluntary survey)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from matchday.followup import selectors, services
from matchday.matchdays.models import Proposal
from matchday.talent.models import Demographics
from tests import factories
from tests.followup_factories import (
    RELEASE_AT,
    InterestFactory,
    MatchDayFactory,
    ProposalFactory,
    company_member_of,
    interested_proposal,
)

pytestmark = pytest.mark.django_db


def person(sex="", race=""):
    profile = factories.CandidateProfileFactory(active=True)
    if sex or race:
        Demographics.objects.create(candidate=profile, sex=sex, race_ethnicity=race)
    return profile


@pytest.fixture
def report_case(partner):
    """Six candidates on one Match Day, each stopping at a known stage:

    F1 (female, asian)   hired
    F2 (female, white)   interest received, then declined the intro
    F3 (female, —)       approved only
    M1 (male, white)     interviewed (screen done), then closed
    M2 (male, white)     proposed only (rejected in review)
    M3 (—, —)            intro accepted, nothing done yet; also a second, pending proposal
    """
    md = MatchDayFactory()
    f1, f2, f3 = person("female", "asian"), person("female", "white"), person("female")
    m1, m2, m3 = person("male", "white"), person("male", "white"), person()
    role = factories.RoleFactory(open=True)
    member = factories.CompanyMemberFactory(company=role.company)
    for p in (f1, f2, m1, m3):
        interested_proposal(matchday=md, candidate=p, role=role)
    ProposalFactory(matchday=md, candidate=f3, role=role)
    ProposalFactory(matchday=md, candidate=m2, role=role, status="rejected", review_reason="No.")
    ProposalFactory(matchday=md, candidate=m3, status=Proposal.Status.PENDING)
    intros = {i.candidate_id: i for i in services.matchday_release(matchday=md, now=RELEASE_AT)}
    at = RELEASE_AT + timedelta(hours=1)
    for p in (f1, m1, m3):
        services.intro_accept(intro=intros[p.pk], by=p.user, now=at)
    services.intro_decline(intro=intros[f2.pk], by=f2.user, now=at)
    # screen, offer (made and accepted), hire (the role has no interview steps)
    services.step_complete(step=intros[f1.pk].steps.get(status="open"), by=member, now=at)
    offer = services.offer_make(
        step=intros[f1.pk].steps.get(status="open"),
        by=member,
        amount=110000,
        start_date=date(2026, 5, 1),
        expires_at=at + timedelta(days=5),
        now=at,
    )
    services.offer_accept(offer=offer, by=f1.user, now=at)
    services.step_complete(step=intros[f1.pk].steps.get(status="open"), by=member, now=at)
    services.step_complete(step=intros[m1.pk].steps.get(), by=member, now=at)
    services.pipeline_close(intro=intros[m1.pk], by=member, reason="Not a fit.", now=at)
    return md


def test_report_counts_each_candidate_once_at_their_furthest_stage(partner, report_case):
    report = selectors.matchday_report(user=partner, matchday_id=report_case.pk)
    assert [(r["stage"], r["count"]) for r in report.stage_rows] == [
        ("proposed", 6),
        ("approved", 5),
        ("interest_received", 4),
        ("intro_accepted", 3),
        ("interviewed", 2),
        ("offered", 1),
        ("hired", 1),
    ]
    assert (report.audit.people, report.proposals) == (6, 7)


def test_report_impact_ratios_on_the_hand_computed_case(partner, report_case):
    report = selectors.matchday_report(user=partner, matchday_id=report_case.pk)
    # proposed -> approved: females 3/3 advanced, males 1/2 (M2 was rejected), M3 unknown.
    first = report.audit.transitions[0].report.sex
    assert [
        (r.category, r.count, r.selected, r.impact_ratio, r.adverse_impact) for r in first.rows
    ] == [
        ("Male", 2, 1, 0.5, True),
        ("Female", 3, 3, 1.0, False),
    ]
    assert first.unknown == 1
    # approved -> interest received: F3 stops; females 2/3, male 1/1 → ratio 2/3 < 0.8.
    second = report.audit.transitions[1].report.sex
    assert second.row("Female").impact_ratio == pytest.approx(2 / 3)
    assert second.adverse_categories == ("Female",)
    # interest received -> accepted, by race: asian 1/1, white 1/2 (F2 declined).
    race = report.audit.transitions[2].report.race_ethnicity
    assert [(r.category, r.selected, r.count, r.impact_ratio) for r in race.rows] == [
        ("White", 1, 2, 0.5),
        ("Asian", 1, 1, 1.0),
    ]
    # By race and intersection everyone known advanced (F3's race is unknown): no flag there.
    assert report.transitions[1]["adverse"] == ["Female"]


def test_report_page_renders_tables_and_chart_data(client, partner, report_case):
    client.force_login(partner)
    html = client.get(reverse("followup:report", args=[report_case.pk])).content.decode()
    assert '<script id="funnel-data" type="application/json">' in html
    assert '"counts": [6, 5, 4, 3, 2, 1, 1]' in html
    assert "adverse impact: Female</mark>" in html
    assert "vendor/chart.umd.min.js" in html


@pytest.mark.parametrize("who", ["candidate", "company_member"])
def test_only_partners_see_the_report(client, request, report_case, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("followup:report", args=[report_case.pk])).status_code == 403


def test_demographics_never_reach_the_company_pages(client, db):
    profile = person("female", "black")
    proposal = interested_proposal(candidate=profile)
    [intro] = services.matchday_release(matchday=proposal.matchday, now=RELEASE_AT)
    services.intro_accept(intro=intro, by=profile.user, now=RELEASE_AT)
    client.force_login(company_member_of(intro))
    response = client.get(reverse("followup:pipeline_intro", args=[intro.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert profile.user.full_name in html  # the page that would show them, shown
    assert "Female" not in html and "Black or African American" not in html


def test_candidate_hides_a_company_by_name(client, candidate):
    company = factories.CompanyFactory(name="Acme Robotics", vetted=True)
    client.force_login(candidate)
    response = client.post(reverse("followup:controls"), {"company": company.pk}, follow=True)
    assert "Acme Robotics will not be shown your profile." in response.content.decode()
    assert list(candidate.candidate_profile.hidden_companies.all()) == [company]
    client.post(reverse("followup:unhide", args=[company.pk]))
    assert not candidate.candidate_profile.hidden_companies.exists()


def test_candidate_pauses_and_resumes_from_the_controls_page(client):
    profile = factories.CandidateProfileFactory(active=True)
    client.force_login(profile.user)
    client.post(reverse("followup:pause"), {"action": "pause"})
    profile.refresh_from_db()
    assert profile.status == "paused"
    client.post(reverse("followup:pause"), {"action": "resume"})
    profile.refresh_from_db()
    assert profile.status == "active"


def test_voluntary_survey_saves_and_deletes_with_no_values_in_the_audit_log(client, candidate):
    from matchday.audits.models import AuditEntry

    client.force_login(candidate)
    client.post(reverse("followup:demographics"), {"sex": "female", "race_ethnicity": "asian"})
    row = Demographics.objects.get(candidate__user=candidate)
    assert (row.sex, row.race_ethnicity) == ("female", "asian")
    entry = AuditEntry.objects.get(action="demographics.update")
    assert "female" not in str(entry.data) and "asian" not in str(entry.data)
    client.post(reverse("followup:demographics"), {"sex": "", "race_ethnicity": ""})
    assert not Demographics.objects.filter(candidate__user=candidate).exists()


def test_passed_interest_counts_only_as_approved(partner):
    md = MatchDayFactory()
    p = ProposalFactory(matchday=md)
    InterestFactory(proposal=p, decision="passed", offered_salary=None, pass_reason="Too junior")
    assert selectors.proposal_stage(p) == "approved"
