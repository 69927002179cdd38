"""What each side needs to decide: the candidate's intro card before accepting (accepting
reveals who they are), the company's view once they have, and human wording on both."""

from datetime import timedelta

import pytest
from django.urls import reverse

from matchday.companies.models import RoleSkill
from matchday.followup import services
from tests import factories
from tests.followup_factories import RELEASE_AT, company_member_of, released_intro

pytestmark = pytest.mark.django_db
LATER = RELEASE_AT + timedelta(hours=3)


@pytest.fixture
def intro():
    company = factories.CompanyFactory(
        vetted=True,
        name="Gradient Forge",
        size="11-50",
        stage="series-a",
        website="https://gradientforge.example.com",
        domains=["foundation-models", "devtools"],
        description="We pretrain small multilingual models.",
    )
    role = factories.RoleFactory(
        open=True,
        company=company,
        title="Senior ML Engineer",
        location_policy="hybrid",
        cities=["Berlin", "Paris"],
        allowed_countries=["DE", "FR"],
        description="Own the training loop of our 7B model.",
        responsibilities="Keep the GPUs busy.",
        pay_min=150000,
        pay_max=190000,
    )
    factories.RoleSkillFactory(role=role, skill_id="kubernetes", kind=RoleSkill.Kind.NICE)
    factories.InterviewStepFactory(
        role=role,
        name="System design",
        duration_minutes=90,
        description="Design a training cluster with us.",
    )
    intro = released_intro(role=role, offered_salary=170000)
    interest = intro.proposal.interest
    interest.note = "We loved your quantisation story; the team lead would like to meet you."
    interest.save()
    return intro


def _card(client, intro) -> str:
    client.force_login(intro.candidate.user)
    html = client.get(reverse("followup:my_matchday")).content.decode()
    start = html.index(f'id="intro-{intro.pk}"')
    return html[start:]


def test_the_intro_card_carries_the_role_company_process_and_note_before_accepting(client, intro):
    card = _card(client, intro)
    # the role: description, requirements, location policy and office cities
    assert "Own the training loop of our 7B model." in card
    assert "Keep the GPUs busy." in card
    assert "PyTorch, level 3 of 5 or more" in card  # the required skill
    assert "Kubernetes" in card  # nice to have
    assert "Hybrid · offices in Berlin, Paris · open to people in Germany, France" in card
    # the company's profile
    assert "11–50 people · Series A · Foundation models, Developer tools" in card
    assert "https://gradientforge.example.com" in card
    assert "We pretrain small multilingual models." in card
    # the interview process: the role's steps between the screen and the offer
    assert "Screen (30 min) → System design (90 min) → offer." in card
    assert "Design a training cluster with us." in card  # the step's description (prep)
    # the offered salary and band, the company's note, the explanation, responsiveness
    assert "Offered: 170,000 EUR per year" in card
    assert "band 150,000–190,000 EUR" in card
    assert "We loved your quantisation story; the team lead would like to meet you." in card
    assert "Why it matched" in card
    assert "Gradient Forge's responsiveness" in card
    assert intro.status == "released"


def test_the_intro_card_shows_no_internal_codes(client, intro):
    card = _card(client, intro)
    for code in ("foundation-models", "devtools", "series-a", "ml-engineer", "DE, FR", "hybrid"):
        assert code not in card, code


def test_a_note_left_blank_shows_no_empty_quote(client):
    intro = released_intro()
    card = _card(client, intro)
    assert "company-note" not in card


def _accepted_with_history(intro):
    from matchday.talent.models import Education, Experience

    candidate = intro.candidate
    Experience.objects.create(
        candidate=candidate,
        employer="Nimbus Robotics",
        title="ML engineer",
        description="Ran the perception training fleet.",
    )
    Education.objects.create(
        candidate=candidate, school="TU Munich", degree="MSc", field="Informatics"
    )
    services.intro_accept(intro=intro, by=candidate.user, now=LATER)
    return intro


def test_after_acceptance_the_company_sees_the_whole_profile_and_the_explanation(client, intro):
    _accepted_with_history(intro)
    client.force_login(company_member_of(intro))
    html = client.get(reverse("followup:pipeline_intro", args=[intro.pk])).content.decode()
    assert intro.candidate.user.full_name in html
    for skill in intro.candidate.skills.select_related("skill"):  # skills with evidence
        assert f"{skill.skill.label} — level 4 of 5, 3 years: Used daily in production." in html
    assert "Cut inference latency" in html and "p95 fell to 120 ms" in html  # achievements
    assert "ML engineer</strong> at Nimbus Robotics" in html  # work history
    assert "MSc in Informatics, TU Munich" in html  # education
    assert "Why this match" in html and "PyTorch" in html  # the explanation, unredacted
    assert "looking for ML engineer" in html  # a label, not "ml-engineer"
    assert "offered 170,000 EUR per year (band 150,000–190,000 EUR)" in html


def test_before_acceptance_the_pipeline_page_shows_no_work_history(client, intro):
    from matchday.talent.models import Experience

    Experience.objects.create(candidate=intro.candidate, employer="Nimbus Robotics")
    client.force_login(company_member_of(intro))
    html = client.get(reverse("followup:pipeline_intro", args=[intro.pk])).content.decode()
    assert "Nimbus Robotics" not in html and "Why this match" not in html
    assert "Cut inference latency" not in html


def test_the_shortlist_names_an_accepted_candidate_and_links_the_pipeline(client, intro):
    member = company_member_of(intro)
    client.force_login(member)
    url = reverse("matchdays:shortlist", args=[intro.role_id])
    pipeline = reverse("followup:pipeline_intro", args=[intro.pk])
    html = client.get(url).content.decode()
    assert intro.candidate.user.full_name not in html  # blind before acceptance
    assert f'<a href="{pipeline}">Candidate 1</a>' in html

    _accepted_with_history(intro)
    html = client.get(url).content.decode()
    assert f'<a href="{pipeline}">{intro.candidate.user.full_name}</a>' in html
    assert "Candidate 1" not in html


def test_the_intro_cards_read_a_fixed_number_of_queries(client, intro):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.followup_factories import MatchDayFactory, interested_proposal

    def count() -> int:
        client.force_login(intro.candidate.user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("followup:my_matchday")).status_code == 200
        return len(queries)

    one = count()
    md = MatchDayFactory()
    for _ in range(3):  # three more intros, each for another role of the same company
        role = factories.RoleFactory(open=True, company=intro.role.company)
        factories.InterviewStepFactory(role=role)
        interested_proposal(matchday=md, candidate=intro.candidate, role=role)
    services.matchday_release(matchday=md, now=RELEASE_AT)
    assert count() == one
