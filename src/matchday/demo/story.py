"""The demo's story: three Match Days in different phases, played through the real services
with the clock set back, so every demo login lands on pages full of content.

* **Finished** (released 30 days ago): curated by the engine, reviewed (approvals and
  rejections with reasons), companies' blind decisions (interest with salaries, passes with
  reasons), the release, candidates' answers, and pipelines in every stage — screens and
  interviews scheduled and done, offers, hires, processes closed by the company or left by
  the candidate, steps overdue with a reminder and an escalation to the talent partners.
* **Interest window open** (releases in 2 days): curated, reviewed, the window opened;
  companies have decided on some of their candidates, not all.
* **Upcoming** (releases in about two weeks): created, not curated yet.

Each Match Day takes a slice of the marketplace (``PARTICIPANTS``) that always includes the
demo candidate and the demo company's open roles, so the engine runs in seconds. Messages
the services store while the clock is in the past are dated then and recorded as sent then
(they were, in the story); those of "now" (today's reminders and escalations) are delivered
by the worker as usual.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from matchday.accounts.models import User
from matchday.companies.models import Company, Role
from matchday.demo.generate import DEMO_COMPANY_NAME
from matchday.demo.logins import DEMO_LOGINS
from matchday.engine.learn import Example, example_features, rescore
from matchday.engine.scoring import ScoringWeights
from matchday.followup import services as followup
from matchday.followup.models import Intro, Offer, PipelineStep
from matchday.matchdays import services as matchdays
from matchday.matchdays.models import MatchDay, Proposal
from matchday.notifications.models import Message
from matchday.talent.models import CandidateProfile

# Candidates and roles per Match Day (the demo candidate and company are always in).
PARTICIPANTS = {"finished": (120, 40), "interest": (100, 34)}
BERLIN = ZoneInfo("Europe/Berlin")

REVIEW_REJECTIONS = (
    "Pay expectation well above the band; the company confirmed it cannot move.",
    "Says on the profile they want research roles only.",
    "The role needs on-call every other week; the candidate asked for none.",
    "Too close to the candidate's current employer (non-compete until next spring).",
)
PASS_REASONS = (
    "We need more production Kubernetes experience for this team.",
    "The role was re-scoped towards research; we will look again next Match Day.",
    "Strong profile, but we need someone who can start this quarter.",
    "We are prioritising candidates with on-device inference experience.",
)
# What the demo's people value (the partner reviewing, the companies deciding), as weights
# of the engine's own score: more than the defaults on the required and nice-to-have skills,
# less on experience, seniority and text similarity (the sides as the defaults). Their
# decisions follow it with chance, so the decision history has something for "propose new
# weights" (matchday.learning) to find: docs/demo.md, bench/learn_weights.py.
PEOPLE_TASTE = ScoringWeights(
    required_skills=0.65, nice_to_have=0.2, experience=0.05, seniority=0.05, text_similarity=0.05
)


def _taste(p: Proposal) -> float:
    """How much the demo's people like a proposal: its score under ``PEOPLE_TASTE``,
    from its explanation's components."""
    features = example_features(p.explanation)
    if features is None:
        return 0.0
    values, candidate_fit, has_candidate = features
    example = Example("", "", "", "", 0, "", values, candidate_fit, has_candidate)
    return rescore([example], PEOPLE_TASTE)[0]


def _taste_rank(proposals: list[Proposal]) -> dict[int, float]:
    """Each proposal's place by :func:`_taste` among ``proposals``, 0 (worst) to 1 (best)."""
    ordered = sorted(proposals, key=lambda p: (_taste(p), p.pk))
    n = max(1, len(ordered) - 1)
    return {p.pk: i / n for i, p in enumerate(ordered)}


DECLINE_REASONS = (
    "I accepted another offer last week.",
    "The commute would not work for me.",
    "",
)
CLOSE_REASONS = (
    "We filled the role with an internal candidate.",
    "After the interview we felt the scope is too junior for you; thank you for your time.",
    "The team's budget was frozen this quarter.",
)
WITHDRAW_REASONS = ("I decided to stay with my current team.",)
INTEREST_NOTES = (
    "Loved the evaluation story; we have the same problem.",
    "The team lead would like to meet you this week.",
    "",
)


@dataclass
class _Clock:
    """The story's time. Messages the services store are dated when they happened."""

    now: datetime
    marks: list[tuple[int, datetime]] = field(default_factory=list)

    @contextmanager
    def at(self, when: datetime) -> Iterator[datetime]:
        """Mark the messages stored inside the block as stored at ``when``."""
        self.marks.append((self._last(), when))
        yield when

    @staticmethod
    def _last() -> int:
        return Message.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def date_messages(self) -> int:
        """Date each message at the moment of the step that stored it; those of the past
        were sent then. The worker delivers the rest (today's) as usual."""
        bounds = [*self.marks, (self._last(), self.now)]
        dated = 0
        for (after, when), (until, _next) in itertools.pairwise(bounds):
            if until <= after:
                continue
            update: dict[str, object] = {"created_at": when}
            if when < self.now - timedelta(hours=1):
                update |= {"status": Message.Status.SENT, "sent_at": when, "send_count": 1}
            dated += Message.objects.filter(pk__gt=after, pk__lte=until).update(**update)
        return dated


def _at_hour(day: datetime, hour: int, minute: int = 0) -> datetime:
    local = day.astimezone(BERLIN).replace(hour=hour, minute=minute, second=0, microsecond=0)
    return local.astimezone(day.tzinfo)


class _Story:
    def __init__(self, *, seed: int, now: datetime) -> None:
        self.rng = random.Random(f"matchday-demo:{seed}:story")
        self.clock = _Clock(now=now)
        self.now = now
        self.partner = User.objects.get(email=DEMO_LOGINS["partner"])
        self.counts: dict[str, int] = {}

    # -- who takes part -----------------------------------------------------------------

    def participants(self, key: str, offset: int) -> tuple[list[CandidateProfile], list[Role]]:
        n_candidates, n_roles = PARTICIPANTS[key]
        candidates = list(
            CandidateProfile.objects.filter(status=CandidateProfile.Status.ACTIVE)
            .select_related("user")
            .order_by("pk")
        )
        roles = list(
            Role.objects.filter(
                status=Role.Status.OPEN, company__vetting_status=Company.VettingStatus.VETTED
            )
            .select_related("company")
            .order_by("pk")
        )
        demo_user = DEMO_LOGINS["candidate"]
        demo_company = DEMO_LOGINS["company"]
        first = [c for c in candidates if c.user.email == demo_user]
        firm = [r for r in roles if r.company.members.filter(email=demo_company).exists()]
        rest_c = [c for c in candidates if c not in first]
        rest_r = [r for r in roles if r not in firm]
        # Different slices for different Match Days: rotate by ``offset``.
        rest_c = rest_c[offset % max(1, len(rest_c)) :] + rest_c[: offset % max(1, len(rest_c))]
        rest_r = rest_r[offset % max(1, len(rest_r)) :] + rest_r[: offset % max(1, len(rest_r))]
        return (
            first + rest_c[: max(0, n_candidates - len(first))],
            firm + rest_r[: max(0, n_roles - len(firm))],
        )

    def curate(self, md: MatchDay, when: datetime) -> list[Proposal]:
        with self.clock.at(when):
            run = matchdays.curation_start(matchday=md, by=self.partner)
        # in this process whatever MATCHDAY_CURATION_CHUNK_ROLES says: the story goes on with
        # the proposals
        matchdays.curation_run_execute(run_id=run.pk, now=when, in_process=True)
        return list(md.proposals.select_related("role__company", "candidate__user").order_by("pk"))

    def review(self, proposals: list[Proposal], when: datetime, *, reject_share: float) -> None:
        """Approve most, reject about ``reject_share``: the less the partner likes a proposal
        (``PEOPLE_TASTE``), the likelier its rejection."""
        rank = _taste_rank(proposals)
        for i, p in enumerate(proposals):
            t = when + timedelta(minutes=2 * i)
            reject = min(1.0, 4 * reject_share * (1 - rank[p.pk]) ** 3)  # mean: reject_share
            with self.clock.at(t):
                if self.rng.random() < reject and not self._is_demo(p):
                    reason = self.rng.choice(REVIEW_REJECTIONS)
                    matchdays.proposal_reject(proposal=p, by=self.partner, reason=reason, now=t)
                else:
                    matchdays.proposal_approve(proposal=p, by=self.partner, now=t)

    def _is_demo(self, p: Proposal) -> bool:
        return p.candidate.user.email == DEMO_LOGINS["candidate"] or (
            p.role.company.name == DEMO_COMPANY_NAME
        )

    def decide(self, md: MatchDay, when: datetime, *, share: float, interested: float) -> None:
        """Companies' blind decisions on their approved proposals."""
        approved = list(
            md.proposals.filter(status=Proposal.Status.APPROVED)
            .select_related("role__company", "candidate__user")
            .order_by("pk")
        )
        rank = _taste_rank(approved)
        for i, p in enumerate(approved):
            if self.rng.random() >= share:
                continue
            member = p.role.company.members.order_by("pk").first()
            if member is None:
                continue
            t = when + timedelta(hours=self.rng.randint(1, 60), minutes=i)
            t = min(t, md.interest_deadline - timedelta(minutes=5))
            with self.clock.at(t):
                likes = min(1.0, max(0.0, interested + 0.9 * (rank[p.pk] - 0.5)))
                if self.rng.random() < likes or self._is_demo(p):
                    role = p.role
                    step = max(1, (role.pay_max - role.pay_min) // 20)
                    salary = role.pay_min + step * self.rng.randint(6, 16)
                    matchdays.interest_express(
                        proposal=p,
                        by=member,
                        offered_salary=min(salary, role.pay_max),
                        note=self.rng.choice(INTEREST_NOTES),
                        now=t,
                    )
                else:
                    matchdays.interest_pass(
                        proposal=p, by=member, reason=self.rng.choice(PASS_REASONS), now=t
                    )

    # -- after the release ----------------------------------------------------------------

    def answer(self, intros: list[Intro], when: datetime) -> list[Intro]:
        """Most accept, some decline, a few have not answered: an intro that fits what the
        candidate asked for (its candidate fit) is likelier accepted."""
        fits = sorted(intros, key=lambda i: (i.proposal.candidate_fit, i.pk))
        rank = {intro.pk: k / max(1, len(fits) - 1) for k, intro in enumerate(fits)}
        accepted = []
        for i, intro in enumerate(intros):
            t = when + timedelta(hours=2 + 3 * i)
            user = intro.candidate.user
            r = self.rng.random()
            accept = 0.78 + 0.4 * (rank[intro.pk] - 0.5)
            with self.clock.at(t):
                if r < accept or (user.email == DEMO_LOGINS["candidate"] and not accepted):
                    followup.intro_accept(intro=intro, by=user, now=t)
                    accepted.append(intro)
                elif r < accept + 0.15:
                    followup.intro_decline(
                        intro=intro, by=user, reason=self.rng.choice(DECLINE_REASONS), now=t
                    )
                # else: not answered yet
        return accepted

    def _step(self, intro: Intro) -> PipelineStep | None:
        return (
            intro.steps.filter(status__in=[PipelineStep.Status.OPEN, PipelineStep.Status.SCHEDULED])
            .select_related("intro__role__company")
            .order_by("position")
            .first()
        )

    def _member(self, intro: Intro) -> User:
        return intro.role.company.members.order_by("pk").first()

    def advance(
        self, intro: Intro, start: datetime, steps: int, *, last_scheduled: datetime | None
    ) -> datetime:
        """Schedule and complete ``steps`` steps from ``start`` (each about 4 days apart);
        then, when ``last_scheduled`` is given, schedule the next one for then."""
        t = start
        member = self._member(intro)
        for _ in range(steps):
            step = self._step(intro)
            if step is None:
                return t
            if step.kind == PipelineStep.Kind.OFFER:  # the candidate accepts a written offer
                t += timedelta(days=1)
                offer = self.offer(intro, step, t, expires=t + timedelta(days=7))
                t += timedelta(days=1)
                with self.clock.at(t):
                    followup.offer_accept(offer=offer, by=intro.candidate.user, now=t)
                t += timedelta(days=1)
                continue
            if step.kind in (PipelineStep.Kind.SCREEN, PipelineStep.Kind.INTERVIEW):
                t += timedelta(hours=20)
                when = _at_hour(t + timedelta(days=2), self.rng.choice((10, 11, 14, 16)))
                with self.clock.at(t):
                    followup.step_schedule(
                        step=step,
                        by=member,
                        scheduled_at=when,
                        location=self.rng.choice(
                            ("Video call (link in the invite)", "Office, 3rd floor")
                        ),
                        now=t,
                    )
                t = when + timedelta(hours=3)
            else:
                t += timedelta(days=1)
            with self.clock.at(t):
                followup.step_complete(step=step, by=member, now=t)
            t += timedelta(days=1)
        if last_scheduled is not None:
            step = self._step(intro)
            if step is not None and step.kind in (
                PipelineStep.Kind.SCREEN,
                PipelineStep.Kind.INTERVIEW,
            ):
                with self.clock.at(t):
                    followup.step_schedule(
                        step=step,
                        by=member,
                        scheduled_at=last_scheduled,
                        location="Video call (link in the invite)",
                        now=t,
                    )
        return t

    def offer(
        self, intro: Intro, step: PipelineStep, when: datetime, *, expires: datetime
    ) -> Offer:
        role = intro.role
        amount = role.pay_min + (role.pay_max - role.pay_min) * self.rng.randint(4, 9) // 10
        with self.clock.at(when):
            return followup.offer_make(
                step=step,
                by=self._member(intro),
                amount=amount,
                start_date=(when + timedelta(days=45)).date(),
                expires_at=expires,
                notes="Equity and relocation support as discussed on the call.",
                now=when,
            )

    def pipelines(self, accepted: list[Intro], accepted_at: datetime) -> None:
        """Spread the accepted intros over every stage of the pipeline."""
        plan = ["hired", "offer", "interview", "screen", "closed", "overdue", "withdrawn"]
        weights = [16, 10, 22, 18, 16, 10, 8]
        demo_kinds = ["interview", "hired", "screen"]
        for i, intro in enumerate(accepted):
            n_steps = intro.role.interview_steps.count() + 3  # screen, interviews, offer, hire
            if intro.candidate.user.email == DEMO_LOGINS["candidate"] and demo_kinds:
                kind = demo_kinds.pop(0)
            else:
                kind = self.rng.choices(plan, weights)[0]
            start = accepted_at + timedelta(hours=3 * i)
            upcoming = _at_hour(self.now + timedelta(days=self.rng.randint(1, 6)), 10)
            if kind == "hired":
                self.advance(intro, start, n_steps, last_scheduled=None)
            elif kind == "offer":  # screen and interviews done, an offer awaiting the answer
                self.advance(
                    intro, start, 1 + intro.role.interview_steps.count(), last_scheduled=None
                )
                step = self._step(intro)
                if step is not None and step.kind == PipelineStep.Kind.OFFER:
                    made = self.now - timedelta(days=self.rng.randint(1, 3))
                    self.offer(intro, step, made, expires=self.now + timedelta(days=5))
            elif kind == "interview":
                self.advance(intro, start, 1, last_scheduled=upcoming)
            elif kind == "screen":
                self.advance(intro, start + timedelta(days=20), 0, last_scheduled=upcoming)
            elif kind == "closed":
                end = self.advance(intro, start, self.rng.randint(1, 2), last_scheduled=None)
                with self.clock.at(end):
                    followup.pipeline_close(
                        intro=intro,
                        by=self._member(intro),
                        reason=self.rng.choice(CLOSE_REASONS),
                        now=end,
                    )
            elif kind == "withdrawn":
                end = self.advance(intro, start, 1, last_scheduled=None)
                with self.clock.at(end):
                    followup.intro_withdraw(
                        intro=intro,
                        by=intro.candidate.user,
                        reason=self.rng.choice(WITHDRAW_REASONS),
                        now=end,
                    )
            # "overdue": accepted, and the company never acted on the screen.
            self.counts[f"pipeline_{kind}"] = self.counts.get(f"pipeline_{kind}", 0) + 1

    def reminders(self) -> None:
        """What the tick would have sent: reminders on missed steps, then escalations."""
        for days in (12, 8, 5, 2, 0):
            t = self.now - timedelta(days=days)
            with self.clock.at(t):
                run = followup.send_reminders(now=t)
            self.counts["reminders"] = self.counts.get("reminders", 0) + run.reminded
            self.counts["escalations"] = self.counts.get("escalations", 0) + run.escalated


def _create(
    story: _Story,
    name: str,
    created: datetime,
    release: datetime,
    deadline: datetime,
    key: str | None,
    offset: int,
) -> MatchDay:
    candidates, roles = story.participants(key, offset) if key else ([], [])
    with story.clock.at(created):
        return matchdays.matchday_create(
            by=story.partner,
            name=name,
            release_at=release,
            interest_deadline=deadline,
            release_timezone="Europe/Berlin",
            candidate_cap=3,
            role_cap=8,
            roles=roles or None,
            candidates=candidates or None,
            now=created,
        )


def demo_story(*, seed: int = 42, now: datetime) -> dict[str, int]:
    """Play the story into a database holding the generated marketplace; returns counts."""
    story = _Story(seed=seed, now=now)
    day = timedelta(days=1)

    # 1. The finished Match Day.
    release = _at_hour(now - 30 * day, 10)
    md = _create(
        story,
        f"Match Day {release.astimezone(BERLIN):%-d %B}",
        release - 12 * day,
        release,
        release - day,
        "finished",
        0,
    )
    proposals = story.curate(md, release - 10 * day)
    story.review(proposals, release - 9 * day, reject_share=0.12)
    with story.clock.at(release - 8 * day):
        matchdays.matchday_open_interest(matchday=md, by=story.partner, now=release - 8 * day)
    story.decide(md, release - 8 * day, share=1.0, interested=0.72)
    with story.clock.at(release):
        intros = followup.matchday_release(matchday=md, now=release)
    intros = list(
        Intro.objects.filter(pk__in=[i.pk for i in intros]).select_related(
            "candidate__user", "role__company", "proposal"
        )
    )
    accepted = story.answer(intros, release)
    story.pipelines(accepted, release + 2 * day)
    story.counts |= {"finished_proposals": len(proposals), "finished_intros": len(intros)}

    # 2. The Match Day in its interest window.
    release_b = _at_hour(now + 2 * day, 10)
    md_b = _create(
        story,
        f"Match Day {release_b.astimezone(BERLIN):%-d %B}",
        now - 6 * day,
        release_b,
        release_b - day,
        "interest",
        57,
    )
    proposals_b = story.curate(md_b, now - 5 * day)
    story.review(proposals_b, now - 4 * day, reject_share=0.1)
    with story.clock.at(now - 3 * day):
        matchdays.matchday_open_interest(matchday=md_b, by=story.partner, now=now - 3 * day)
    story.decide(md_b, now - 3 * day, share=0.5, interested=0.7)
    story.counts["interest_proposals"] = len(proposals_b)

    # 3. The upcoming one.
    release_c = _at_hour(now + 16 * day, 10)
    _create(
        story,
        f"Match Day {release_c.astimezone(BERLIN):%-d %B}",
        now - day,
        release_c,
        release_c - day,
        None,
        0,
    )

    story.reminders()
    story.counts["messages"] = story.clock.date_messages()
    return story.counts
