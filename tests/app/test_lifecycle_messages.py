"""Issue 10, observations 1 and 2: vetting approval activates the candidate and everyone is
told; every lifecycle event reaches each persona who must know (inbox + email with a link to
the page where they act), including the periodic reminders and the intro expiry."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from matchday.companies import services as company_services
from matchday.companies.models import VETTING_CHECKLIST
from matchday.followup import lifecycle, services
from matchday.followup.models import Intro
from matchday.followup.tasks import run_tick
from matchday.matchdays import schedules
from matchday.matchdays import services as md_services
from matchday.matchdays.adapters import participating_candidates
from matchday.matchdays.models import MatchDay
from matchday.notifications.models import InboxItem
from matchday.talent import services as talent_services
from matchday.talent.models import CandidateProfile
from tests import factories
from tests.followup_factories import (
    RELEASE_AT,
    InterestFactory,
    MatchDayFactory,
    ProposalFactory,
    company_member_of,
    released_intro,
)

pytestmark = pytest.mark.django_db

CHECKLIST = dict.fromkeys(VETTING_CHECKLIST, True)


def inbox(user, event=None):
    qs = InboxItem.objects.filter(recipient=user)
    return list(qs.filter(event=event) if event else qs)


def emails_to(user, commit):
    commit()
    return [m for m in mail.outbox if user.email in m.to]


def link_in(body: str) -> str:
    """The first link to this site in an email body, as a path."""
    match = re.search(r"https?://[^/\s]+(/\S*)", body)
    assert match, body
    return match.group(1)


@pytest.fixture
def commit(db):
    """``commit()`` runs the on-commit callbacks registered so far (the emails, the
    announcement task), as the end of a real request's transaction would; tests run inside
    one transaction that never commits."""
    from django.db import connection

    start = len(connection.run_on_commit)
    done = 0

    def run():
        nonlocal done
        while start + done < len(connection.run_on_commit):
            _sids, callback, _robust = connection.run_on_commit[start + done]
            done += 1
            callback()

    yield run


# --- observation 1: vetting approval activates, and people are told --------------------------


def test_approval_activates_the_candidate_and_tells_them_with_reason_and_next_step(partner, commit):
    profile = factories.CandidateProfileFactory(submitted=True)
    talent_services.candidate_approve(profile=profile, by=partner, reason="Strong serving work.")
    profile.refresh_from_db()
    assert profile.status == CandidateProfile.Status.ACTIVE
    md = MatchDayFactory(status=MatchDay.Status.DRAFT)
    assert profile in participating_candidates(md)  # in the next curation run

    [item] = inbox(profile.user, "candidate_vetted")
    assert item.link == reverse("talent:profile")
    assert "approved" in item.subject and "Strong serving work." in item.body
    assert "pause any time" in item.body
    [email] = [m for m in emails_to(profile.user, commit) if m.subject == item.subject]
    assert link_in(email.body) == reverse("talent:profile")
    # Paused any time after.
    talent_services.candidate_pause(profile=profile, by=profile.user)
    profile.refresh_from_db()
    assert profile.status == CandidateProfile.Status.PAUSED


def test_rejection_tells_the_candidate_the_reason_and_to_resubmit(partner, commit):
    profile = factories.CandidateProfileFactory(submitted=True)
    talent_services.candidate_reject(profile=profile, by=partner, reason="Add measurable results.")
    [item] = inbox(profile.user, "candidate_vetted")
    assert "Add measurable results." in item.body and "submit it again" in item.body
    assert len(emails_to(profile.user, commit)) == 1


def test_submission_tells_the_candidate_and_every_partner(partner, commit):
    other_partner = factories.PartnerFactory()
    profile = factories.CandidateProfileFactory(complete=True)
    talent_services.candidate_submit(profile=profile, by=profile.user)
    assert [i.event for i in inbox(profile.user)] == ["profile_submitted"]
    for p in (partner, other_partner):
        [item] = inbox(p, "profile_awaits_vetting")
        assert item.link == reverse("talent:candidate_detail", args=[profile.pk])
        assert emails_to(p, commit)


def test_partner_creating_a_match_day_sees_who_does_not_take_part(client, partner):
    factories.CandidateProfileFactory(active=True)
    factories.CandidateProfileFactory(complete=True, status=CandidateProfile.Status.VETTED)
    factories.CandidateProfileFactory(complete=True, status=CandidateProfile.Status.PAUSED)
    factories.CandidateProfileFactory(complete=True, status=CandidateProfile.Status.PAUSED)
    client.force_login(partner)
    html = client.get(reverse("matchdays:create")).content.decode()
    assert '<strong id="count-active">1</strong>' in html
    assert '<strong id="count-vetted-inactive">1</strong>' in html
    assert '<strong id="count-paused">2</strong>' in html


# --- observation 2: sign-up and company vetting ------------------------------------------------


def test_candidate_sign_up_page_puts_a_welcome_in_the_inbox_and_sends_it(client, commit):
    response = client.post(
        reverse("signup_candidate"),
        {
            "full_name": "Nia New",
            "email": "nia@example.org",
            "password": "a-long-fresh-passphrase-9",
        },
    )
    assert response.status_code == 302
    [item] = InboxItem.objects.filter(recipient__email="nia@example.org")
    assert (item.event, item.category, item.link) == (
        "account_created",
        "account",
        reverse("talent:profile"),
    )
    commit()
    assert [m.subject for m in mail.outbox if m.subject == item.subject] == [item.subject]


def test_company_sign_up_welcomes_the_member_and_tells_partners(partner, commit):
    user = company_services.company_sign_up(
        email="cto@newco.example",
        password="a-long-fresh-passphrase-9",
        full_name="Cy T",
        company_name="NewCo",
        website="https://newco.example",
        size="11-50",
        stage="seed",
    )
    assert [i.event for i in inbox(user)] == ["account_created"]
    [item] = inbox(partner, "company_awaits_vetting")
    assert item.link == reverse("companies:detail", args=[user.company_id])
    assert emails_to(user, commit) and emails_to(partner, commit)


@pytest.mark.parametrize("approve", [True, False])
def test_company_vetting_outcome_reaches_every_member(partner, commit, approve):
    company = factories.CompanyFactory()
    members = [factories.CompanyMemberFactory(company=company) for _ in range(2)]
    if approve:
        company_services.company_approve(company=company, by=partner, checklist=CHECKLIST)
    else:
        company_services.company_reject(company=company, by=partner, notes="No legal entity.")
    for member in members:
        [item] = inbox(member, "company_vetted")
        assert item.subject.endswith("is approved on Matchday") is approve
        if not approve:
            assert "No legal entity." in item.body
        assert link_in(emails_to(member, commit)[-1].body) == item.link


# --- Match Days: announced, shortlist ready, deadline reminders ---------------------------------


def test_a_match_day_a_partner_creates_is_announced_to_candidates_and_companies(partner, commit):
    active = factories.CandidateProfileFactory(active=True)
    paused = factories.CandidateProfileFactory(complete=True, status=CandidateProfile.Status.PAUSED)
    member = factories.CompanyMemberFactory(company__vetted=True)
    pending = factories.CompanyMemberFactory()
    now = timezone.now()
    md = md_services.matchday_create(
        by=partner,
        name="June Match Day",
        release_at=now + timedelta(days=7),
        interest_deadline=now + timedelta(days=6),
        release_timezone="Europe/Berlin",
    )
    commit()
    [c] = inbox(active.user, "matchday_announced")
    [m] = inbox(member, "matchday_announced")
    assert "June Match Day" in c.subject and "Europe/Berlin" in c.body
    assert m.link == reverse("companies:role_list")
    assert inbox(paused.user) == [] and inbox(pending) == []
    md.refresh_from_db()
    assert md.announced_at is not None


def test_an_announcement_that_runs_after_the_release_sends_nothing(partner, commit):
    """The demo creates a Match Day that was released a month ago; its announcement task runs
    later and must not tell anyone that it "is coming"."""
    active = factories.CandidateProfileFactory(active=True)
    now = timezone.now()
    md = md_services.matchday_create(
        by=partner,
        name="June Match Day",
        release_at=now + timedelta(days=7),
        interest_deadline=now + timedelta(days=6),
    )
    assert schedules.matchday_announce(matchday=md, now=now + timedelta(days=8)) == 0
    assert inbox(active.user, "matchday_announced") == []
    commit()  # the task the creation queued runs now: before the release, it announces
    assert len(inbox(active.user, "matchday_announced")) == 1


def test_opening_the_interest_window_sends_each_company_its_shortlist_and_deadline(
    partner, client, commit
):
    md = MatchDayFactory(
        status=MatchDay.Status.REVIEW,
        interest_deadline=timezone.now() + timedelta(days=2),
        release_at=timezone.now() + timedelta(days=3),
    )
    p = ProposalFactory(matchday=md)
    member = company_member_of(p)
    other = factories.CompanyMemberFactory(company__vetted=True)  # nothing shortlisted
    md_services.matchday_open_interest(matchday=md, by=partner)
    [item] = inbox(member, "shortlist_ready")
    assert item.link == reverse("matchdays:shortlist", args=[p.role_id])
    assert "decide by" in item.subject
    assert inbox(other) == []
    client.force_login(member)
    html = client.get(item.link).content.decode()
    assert f'id="interest-deadline-{md.pk}"' in html and "decide by" in html
    assert "1 of 1 candidate still awaits your decision" in html


def test_companies_that_have_not_decided_hear_48_and_24_hours_before_the_deadline(commit):
    deadline = RELEASE_AT - timedelta(days=2)
    md = MatchDayFactory(interest_deadline=deadline)
    undecided = ProposalFactory(matchday=md)
    waiting = company_member_of(undecided)
    decided = ProposalFactory(matchday=md)
    InterestFactory(proposal=decided)
    done = company_member_of(decided)

    assert lifecycle.interest_deadline_reminders(now=deadline - timedelta(hours=60)) == 0
    assert lifecycle.interest_deadline_reminders(now=deadline - timedelta(hours=47)) == 1
    assert lifecycle.interest_deadline_reminders(now=deadline - timedelta(hours=40)) == 0
    assert lifecycle.interest_deadline_reminders(now=deadline - timedelta(hours=23)) == 1
    assert lifecycle.interest_deadline_reminders(now=deadline - timedelta(hours=1)) == 0
    assert [i.event for i in inbox(waiting)] == ["deadline_24h", "deadline_48h"]
    assert inbox(done) == []
    assert "1 candidate" in inbox(waiting)[0].subject
    assert len(emails_to(waiting, commit)) == 2


# --- release and intros ---------------------------------------------------------------------


def test_release_tells_the_companies_too(commit):
    intro = released_intro()
    member = company_member_of(intro)
    # The member joined after the release ran: run the release message again, idempotently.
    from matchday.notifications import messages

    messages.intros_released(intro.matchday, [intro])
    messages.intros_released(intro.matchday, [intro])
    [item] = inbox(member, "intros_released")
    assert item.link == reverse("followup:pipeline") and "1 intro" in item.subject
    assert inbox(intro.candidate.user, "intros_released")


def test_unanswered_intros_are_reminded_after_2_and_4_business_days_then_expire(commit):
    intro = released_intro()  # released Monday 2 March 09:00
    member = company_member_of(intro)
    user = intro.candidate.user
    friday = RELEASE_AT + timedelta(days=4)
    assert lifecycle.intro_reminders(now=RELEASE_AT + timedelta(days=1)) == lifecycle.IntroRun(0, 0)
    assert lifecycle.intro_reminders(now=RELEASE_AT + timedelta(days=2)).reminded == 1  # Wed
    assert lifecycle.intro_reminders(now=RELEASE_AT + timedelta(days=3)).reminded == 0  # Thu
    assert lifecycle.intro_reminders(now=friday).reminded == 1  # 4 business days
    assert lifecycle.intro_reminders(now=friday + timedelta(days=1)) == lifecycle.IntroRun(0, 0)
    assert [i.event for i in inbox(user)][:2] == ["intro_reminder_2", "intro_reminder_1"]
    assert "expires on Monday 9 March 2026" in inbox(user, "intro_reminder_1")[0].body

    run = lifecycle.intro_reminders(now=RELEASE_AT + timedelta(days=7))  # 5 business days
    assert run == lifecycle.IntroRun(0, 1)
    intro.refresh_from_db()
    assert intro.status == Intro.Status.EXPIRED
    assert inbox(user, "intro_expired") and inbox(member, "intro_expired")
    assert user.full_name not in inbox(member, "intro_expired")[0].body  # stays anonymous
    assert lifecycle.intro_reminders(now=RELEASE_AT + timedelta(days=8)) == lifecycle.IntroRun(0, 0)
    assert [m.subject.split(":")[0] for m in emails_to(user, commit)] == [
        intro.matchday.name,
        f"{intro.role.company.name} is waiting for your answer",
        f"{intro.role.company.name} is waiting for your answer",
        f"Your intro to {intro.role.company.name} for Senior ML Engineer expired",
    ]
    with pytest.raises(ValidationError):
        services.intro_accept(intro=intro, by=user)


def test_the_tick_runs_the_lifecycle_reminders(commit):
    intro = released_intro()
    result = run_tick(now=RELEASE_AT + timedelta(days=2))
    assert result["intros_reminded"] == 1
    assert inbox(intro.candidate.user, "intro_reminder_1")


def test_answered_intros_are_not_reminded(commit):
    intro = released_intro()
    services.intro_decline(intro=intro, by=intro.candidate.user)
    assert lifecycle.intro_reminders(now=RELEASE_AT + timedelta(days=9)) == lifecycle.IntroRun(0, 0)


def test_decline_tells_the_company_without_the_name(commit):
    intro = released_intro()
    member = company_member_of(intro)
    services.intro_decline(intro=intro, by=intro.candidate.user, reason="Not now.")
    [item] = inbox(member, "intro_declined")
    assert intro.candidate.user.full_name not in item.body and "Not now." not in item.body


# --- the pipeline ------------------------------------------------------------------------------


def test_interview_scheduled_then_moved_each_reach_the_candidate_in_their_zone(commit):
    intro = released_intro()
    member = company_member_of(intro)
    services.intro_accept(intro=intro, by=intro.candidate.user, now=RELEASE_AT)
    step = intro.steps.get()
    first = RELEASE_AT + timedelta(days=2, hours=5)  # 14:00 UTC = 15:00 Berlin
    services.step_schedule(step=step, by=member, scheduled_at=first, now=RELEASE_AT)
    services.step_schedule(
        step=step, by=member, scheduled_at=first + timedelta(days=1), now=RELEASE_AT
    )
    user = intro.candidate.user
    [scheduled] = inbox(user, "step_scheduled")
    [moved] = inbox(user, "step_moved")
    assert "15:00 Europe/Berlin" in scheduled.body
    assert "moved" in moved.subject and "It was Wednesday 4 March 2026, 15:00" in moved.body
    assert scheduled.link == reverse("followup:my_matchday")
