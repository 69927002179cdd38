"""The candidate's answer, identity reveal, and who may see which intro."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from matchday.audits.models import AuditEntry
from matchday.followup import services
from matchday.followup.models import Intro, PipelineStep, ResponseRecord
from matchday.notifications.models import Message
from tests import factories
from tests.followup_factories import RELEASE_AT, company_member_of, released_intro

pytestmark = pytest.mark.django_db
LATER = RELEASE_AT + timedelta(hours=3)


@pytest.fixture
def intro():
    intro = released_intro()
    factories.LinkFactory(candidate=intro.candidate, url="https://github.com/secret-handle")
    return intro


def test_accepting_opens_a_screen_due_in_five_business_days(intro):
    member = company_member_of(intro)
    services.intro_accept(intro=intro, by=intro.candidate.user, now=LATER)
    intro.refresh_from_db()
    assert (intro.status, intro.decided_at, intro.identity_revealed) == ("accepted", LATER, True)
    [step] = intro.steps.all()
    # Monday 12:00 + 5 business days = next Monday 12:00.
    assert (step.kind, step.name, step.status, step.due_at) == (
        "screen",
        "Screen",
        "open",
        LATER + timedelta(days=7),
    )
    assert step.owner == member
    record = ResponseRecord.objects.get(step=step)
    assert (record.company, record.opened_at, record.due_at) == (
        intro.role.company,
        LATER,
        step.due_at,
    )
    assert AuditEntry.objects.filter(action="intro.accept", target_id=str(intro.pk)).count() == 1
    message = Message.objects.get(kind=Message.Kind.INTRO_ACCEPTED, recipient=member)
    assert (
        message.subject
        == f"{intro.candidate.user.full_name} accepted your intro for Senior ML Engineer"
    )


def test_declining_keeps_the_reason_and_opens_no_pipeline(intro):
    services.intro_decline(intro=intro, by=intro.candidate.user, reason=" Too far. ", now=LATER)
    intro.refresh_from_db()
    assert (intro.status, intro.decline_reason, intro.identity_revealed) == (
        "declined",
        "Too far.",
        False,
    )
    assert not PipelineStep.objects.exists()


def test_an_intro_cannot_be_answered_twice(intro):
    services.intro_decline(intro=intro, by=intro.candidate.user, now=LATER)
    with pytest.raises(ValidationError) as exc:
        services.intro_accept(intro=intro, by=intro.candidate.user, now=LATER)
    assert exc.value.messages == ["This intro was already answered (declined)."]


def test_another_candidate_cannot_accept_my_intro(intro):
    other = factories.CandidateProfileFactory(active=True).user
    with pytest.raises(PermissionDenied, match=services.INTRO_NOT_YOURS):
        services.intro_accept(intro=intro, by=other, now=LATER)


def test_candidate_page_shows_salary_band_reasons_and_responsiveness(client, intro):
    client.force_login(intro.candidate.user)
    html = client.get(reverse("followup:my_matchday")).content.decode()
    assert f"Senior ML Engineer at {intro.role.company.name}" in html
    assert "Offered: 115,000 EUR per year" in html
    assert "band 100,000–130,000 EUR" in html
    assert "You meet 1 of the 1 required skills; overall fit 82%" in html
    assert "Your PyTorch (level 4, 3 years) meets the required skill." in html
    assert "no steps due yet." in html


def test_a_candidate_never_sees_another_candidates_intros(client, intro):
    other = factories.CandidateProfileFactory(active=True).user
    client.force_login(other)
    html = client.get(reverse("followup:my_matchday")).content.decode()
    assert intro.role.company.name not in html
    response = client.post(reverse("followup:intro_accept", args=[intro.pk]))
    assert response.status_code == 404
    intro.refresh_from_db()
    assert intro.status == Intro.Status.RELEASED


def test_company_never_sees_identity_before_acceptance(client, intro):
    member = company_member_of(intro)
    client.force_login(member)
    user = intro.candidate.user
    for url in (reverse("followup:pipeline"), reverse("followup:pipeline_intro", args=[intro.pk])):
        html = client.get(url).content.decode()
        assert f"Candidate #{intro.proposal_id}" in html
        assert user.full_name not in html and user.email not in html
        assert "secret-handle" not in html


def test_accepting_reveals_identity_to_that_company_only(client, intro):
    member = company_member_of(intro)
    stranger = factories.CompanyMemberFactory(company__vetted=True)
    services.intro_accept(intro=intro, by=intro.candidate.user, now=LATER)
    user = intro.candidate.user

    client.force_login(member)
    html = client.get(reverse("followup:pipeline_intro", args=[intro.pk])).content.decode()
    assert user.full_name in html and user.email in html
    assert "https://github.com/secret-handle" in html

    client.force_login(stranger)
    assert client.get(reverse("followup:pipeline_intro", args=[intro.pk])).status_code == 404
    html = client.get(reverse("followup:pipeline")).content.decode()
    assert user.full_name not in html and user.email not in html


def test_declined_intro_never_reveals_identity(client, intro):
    member = company_member_of(intro)
    services.intro_decline(intro=intro, by=intro.candidate.user, now=LATER)
    client.force_login(member)
    html = client.get(reverse("followup:pipeline_intro", args=[intro.pk])).content.decode()
    assert intro.candidate.user.email not in html
    assert "Declined" in html


def test_accept_through_the_page(client, intro):
    client.force_login(intro.candidate.user)
    response = client.post(reverse("followup:intro_accept", args=[intro.pk]), follow=True)
    assert (
        f"Accepted. {intro.role.company.name} can now see who you are and will be in touch."
        in response.content.decode()
    )
    intro.refresh_from_db()
    assert intro.status == "accepted"


def test_decline_through_the_page_with_a_reason(client, intro):
    client.force_login(intro.candidate.user)
    client.post(reverse("followup:intro_decline", args=[intro.pk]), {"reason": "Pay too low"})
    intro.refresh_from_db()
    assert (intro.status, intro.decline_reason) == ("declined", "Pay too low")


def test_a_company_member_cannot_open_the_candidate_page(client, intro):
    client.force_login(company_member_of(intro))
    assert client.get(reverse("followup:my_matchday")).status_code == 403
