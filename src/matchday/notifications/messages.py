"""The message catalogue: one function per lifecycle event, writing to each persona who must
know or act a message with a subject, a body, the page where they act and a category.

Every function goes through ``inbox.notify``: an inbox entry plus an email (at once, in a
digest, or not at all if the person turned that category off). Each is idempotent per
recipient, event and subject matter, so services may call them again safely (and the
periodic tick does). Services call these inside their transaction; emails leave after
commit. docs/messages.md is the table of events × personas.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.urls import reverse

from matchday.accounts.models import User
from matchday.core.money import format_band, format_pay
from matchday.core.timezones import DISPLAY_FORMAT, format_in, zone_name_for
from matchday.notifications.inbox import notify
from matchday.notifications.models import Category, Message
from matchday.notifications.services import about_key

C = Category


# --- helpers -------------------------------------------------------------------------------


def zone_of(user) -> str:
    """The person's own time zone (``core.timezones``): their setting, a candidate's profile
    zone, otherwise UTC."""
    return zone_name_for(user)


def at(moment: datetime, zone: str = "UTC", *, long: bool = True) -> str:
    """``"Tuesday 3 December 2026, 10:00 Europe/Berlin"`` in ``zone`` (``long=False``:
    ``"Tue 3 Dec 2026, 10:00 Europe/Berlin"``), as every page and email writes times."""
    return format_in(moment, zone, "%A %-d %B %Y, %H:%M" if long else DISPLAY_FORMAT)


def _partners():
    return User.objects.filter(persona=User.Persona.PARTNER, is_active=True).order_by("pk")


def company_members(company):
    return list(
        User.objects.filter(company=company, is_active=True, persona=User.Persona.COMPANY).order_by(
            "pk"
        )
    )


def _hello(user) -> str:
    return f"Hello {user.get_short_name()},\n\n"


# --- accounts -------------------------------------------------------------------------------


def account_created(user) -> None:
    """A new account: what it is for and the first thing to do. Partners hear of a new
    company (it awaits vetting)."""
    if user.is_candidate:
        notify(
            recipient=user,
            event="account_created",
            category=C.ACCOUNT,
            about=about_key(user),
            subject="Welcome to Matchday: complete your profile",
            body=_hello(user)
            + (
                "Your Matchday account is ready. Confirm your email address with the link we "
                "sent, then complete your profile (headline, skills, two achievements, "
                "preferences and minimum pay) and submit it. A talent partner vets it; once "
                "approved you take part in every Match Day until you pause."
            ),
            link=reverse("talent:profile"),
        )
    elif user.is_company_member:
        company = user.company
        notify(
            recipient=user,
            event="account_created",
            category=C.ACCOUNT,
            about=about_key(user),
            subject=f"Welcome to Matchday: {company.name} awaits vetting",
            body=_hello(user)
            + (
                f"Your Matchday account for {company.name} is ready. Confirm your email "
                "address with the link we sent and set up two-factor sign-in. A talent "
                f"partner reviews {company.name}; meanwhile you can draft your roles with "
                "their pay bands and interview steps."
            ),
            link=reverse("companies:detail", args=[company.pk]),
        )


def company_awaits_vetting(company, *, why: str, about: str) -> None:
    """Partners: a company signed up, or changed its name or website after vetting."""
    for partner in _partners():
        notify(
            recipient=partner,
            event="company_awaits_vetting",
            category=C.VETTING,
            about=about,
            subject=f"{company.name} awaits vetting",
            body=f"{company.name} ({company.website}) {why} and awaits vetting.",
            link=reverse("companies:detail", args=[company.pk]),
        )


def member_added(user, *, by) -> None:
    company = user.company
    notify(
        recipient=user,
        event="account_created",
        category=C.ACCOUNT,
        about=about_key(user),
        subject=f"{by.full_name} added you to {company.name} on Matchday",
        body=_hello(user)
        + (
            f"{by.full_name} added you to {company.name} on Matchday. Sign in with this "
            "address (ask them for the first password, then change it) and set up "
            "two-factor sign-in."
        ),
        link=reverse("companies:detail", args=[company.pk]),
    )


# --- vetting -------------------------------------------------------------------------------


def profile_submitted(profile) -> None:
    """The candidate: received, what happens next. Partners: a profile awaits vetting."""
    user = profile.user
    key = about_key(profile, "submitted", int(profile.submitted_at.timestamp()))
    notify(
        recipient=user,
        event="profile_submitted",
        category=C.VETTING,
        about=key,
        subject="We received your profile",
        body=_hello(user)
        + (
            "Thank you: your profile is with a talent partner for vetting. You will get a "
            "message with the decision and, if anything is missing, what to change. You can "
            "keep editing your profile meanwhile."
        ),
        link=reverse("talent:profile"),
    )
    for partner in _partners():
        notify(
            recipient=partner,
            event="profile_awaits_vetting",
            category=C.VETTING,
            about=key,
            subject=f"{user.full_name}'s profile awaits vetting",
            body=f"{user.full_name} submitted their profile ({profile.headline}) for vetting.",
            link=reverse("talent:candidate_detail", args=[profile.pk]),
        )


def candidate_vetted(profile) -> None:
    """The vetting decision with the partner's reason and the next step."""
    user = profile.user
    approved = profile.status not in {profile.Status.REJECTED, profile.Status.SUBMITTED}
    key = about_key(profile, "vetted", int(profile.vetted_at.timestamp()))
    reason = (
        f"\n\nThe talent partner's note: {profile.vetting_reason}" if profile.vetting_reason else ""
    )
    if approved:
        subject = "You're in: your profile is approved and active"
        body = (
            "A talent partner approved your profile. It is active now, so you take part in the "
            "next Match Day: you will get a message when it is announced and, on release day, "
            "your intros with the offered salary and why each one matched."
            f"{reason}\n\nNext step: keep your skills and preferences current. You can pause "
            "any time from your profile (and resume later)."
        )
    else:
        subject = "Your profile needs changes before it can be approved"
        body = (
            f"A talent partner did not approve your profile yet.{reason}\n\n"
            "Next step: update your profile with this in mind and submit it again."
        )
    notify(
        recipient=user,
        event="candidate_vetted",
        category=C.VETTING,
        about=key,
        subject=subject,
        body=_hello(user) + body,
        link=reverse("talent:profile"),
    )


def company_vetted(company) -> None:
    approved = company.vetting_status == company.VettingStatus.VETTED
    key = about_key(company, "vetted", int(company.vetted_at.timestamp()))
    note = (
        f"\n\nThe talent partner's note: {company.vetting_notes}" if company.vetting_notes else ""
    )
    for member in company_members(company):
        if approved:
            subject = f"{company.name} is approved on Matchday"
            body = (
                f"A talent partner approved {company.name}.{note}\n\nNext step: open your "
                "roles (pay band, requirements, interview steps). Every open role takes part "
                "in the next Match Day; you will get its shortlist with the deadline to decide."
            )
            link = reverse("companies:role_list")
        else:
            subject = f"{company.name} was not approved yet"
            body = (
                f"A talent partner did not approve {company.name}.{note}\n\nNext step: if you "
                "can address this, update your company profile and write to "
                f"{settings.DEFAULT_FROM_EMAIL} to ask for another review."
            )
            link = reverse("companies:edit", args=[company.pk])
        notify(
            recipient=member,
            event="company_vetted",
            category=C.VETTING,
            about=key,
            subject=subject,
            body=_hello(member) + body,
            link=link,
        )


# --- Match Days ----------------------------------------------------------------------------


def matchday_announced(md, *, candidates: Iterable, members: Iterable) -> int:
    """The next Match Day and when each step happens, to active candidates and the members
    of vetted companies; returns how many messages were new."""
    zone = md.release_timezone
    lines = []
    if md.curate_at:
        lines.append(f"Curation: {at(md.curate_at, zone)}")
    if md.interest_opens_at:
        lines.append(
            f"Interest window: from {at(md.interest_opens_at, zone)} "
            f"until {at(md.interest_deadline, zone)}"
        )
    else:
        lines.append(f"Companies decide by: {at(md.interest_deadline, zone)}")
    lines.append(f"Intros released: {at(md.release_at, zone)}")
    when = "\n".join(lines)
    about = about_key(md, "announce")
    announcements = (
        (
            candidates,
            f"{md.name}: intros on {at(md.release_at, zone, long=False)}",
            "The engine looks at your profile when curation starts: make sure your skills, "
            "achievements and preferences are current by then. You can pause any time.",
            reverse("talent:profile"),
        ),
        (
            members,
            f"{md.name}: shortlists before {at(md.interest_deadline, zone, long=False)}",
            "Every open role of your company takes part: check that the roles you hire for "
            "are open and their requirements current before curation.",
            reverse("companies:role_list"),
        ),
    )
    new = 0
    for recipients, subject, advice, link in announcements:
        for user in recipients:
            _, created = notify(
                recipient=user,
                event="matchday_announced",
                category=C.MATCHDAY,
                about=about,
                subject=subject,
                body=_hello(user) + f"The next Match Day is coming.\n\n{when}\n\n{advice}",
                link=link,
            )
            new += created
    return new


def review_waits(md, *, pending: int, opens: str) -> int:
    new = 0
    for partner in _partners():
        _, created = notify(
            recipient=partner,
            event="review_waits",
            category=C.MATCHDAY,
            about=about_key(md, "review_ready"),
            subject=f"{md.name}: {pending} proposals await your review",
            body=(
                f"Curation of {md.name} finished: {pending} proposals await review. Open the "
                f"interest window by {opens} so companies get their full window."
            ),
            link=reverse("matchdays:review", args=[md.pk]),
        )
        new += created
    return new


def shortlist_ready(md, roles_by_company: dict) -> int:
    """The interest window opened: each company with approved proposals gets its shortlists
    (``{company: [role, …]}``) and the deadline to decide."""
    new = 0
    for company, roles in roles_by_company.items():
        for member in company_members(company):
            zone = md.release_timezone
            names = ", ".join(r.title for r in roles)
            link = (
                reverse("matchdays:shortlist", args=[roles[0].pk])
                if len(roles) == 1
                else reverse("matchdays:shortlists")
            )
            _, created = notify(
                recipient=member,
                event="shortlist_ready",
                category=C.MATCHDAY,
                about=about_key(md, "shortlist"),
                subject=f"{md.name}: your shortlist is ready — decide by "
                f"{at(md.interest_deadline, zone, long=False)}",
                body=_hello(member)
                + (
                    f"Your {md.name} shortlist is ready for {names}. For each candidate, "
                    "express interest with the salary you offer, or pass with a reason, by "
                    f"{at(md.interest_deadline, zone)}. Candidates stay anonymous until they "
                    f"accept an intro; intros are released on {at(md.release_at, zone)}."
                ),
                link=link,
            )
            new += created
    return new


def interest_deadline_near(md, *, company, undecided: int, hours: int) -> int:
    """A company that has not decided on every candidate, ``hours`` before the deadline."""
    new = 0
    zone = md.release_timezone
    for member in company_members(company):
        _, created = notify(
            recipient=member,
            event=f"deadline_{hours}h",
            category=C.MATCHDAY,
            about=about_key(
                md, "deadline", company.pk, int(md.interest_deadline.timestamp()), f"{hours}h"
            ),
            subject=f"{md.name}: {undecided} candidate{'' if undecided == 1 else 's'} await your "
            f"decision — deadline {at(md.interest_deadline, zone, long=False)}",
            body=_hello(member)
            + (
                f"{undecided} candidate{'' if undecided == 1 else 's'} on your {md.name} "
                f"shortlists still await your decision. The deadline is "
                f"{at(md.interest_deadline, zone)} (in about {hours} hours); after it, "
                "undecided candidates get no intro from you."
            ),
            link=reverse("matchdays:shortlists"),
        )
        new += created
    return new


def interest_deadline_moved(md, members) -> None:
    zone = md.release_timezone
    for member in members:
        notify(
            recipient=member,
            event="deadline_moved",
            category=C.MATCHDAY,
            about=about_key(md, "deadline", int(md.interest_deadline.timestamp())),
            subject=f"{md.name}: the interest deadline moved to "
            f"{at(md.interest_deadline, zone, long=False)}",
            body=(
                f"The deadline to decide on your {md.name} shortlists is now "
                f"{at(md.interest_deadline, zone)}."
            ),
            link=reverse("matchdays:shortlists"),
            kind=Message.Kind.OTHER,
        )


def candidate_unavailable(proposal, member) -> None:
    p = proposal
    notify(
        recipient=member,
        event="candidate_unavailable",
        category=C.MATCHDAY,
        about=about_key(p, "withdrawn"),
        subject=f"{p.matchday.name}: a candidate for {p.role.title} is no longer available",
        body=(
            f"A candidate on the {p.matchday.name} shortlist for {p.role.title} is no "
            "longer available to your company, so your decision on them was withdrawn "
            "and no intro will be released for them."
        ),
        link=reverse("matchdays:shortlist", args=[p.role_id]),
    )


# --- release and intros ----------------------------------------------------------------------


def _money(amount: int, role) -> str:
    return format_pay(amount, role.pay_currency, role.pay_period)


def intros_released(md, intros: list) -> None:
    """Release day: each candidate gets their intros in one message; each company member
    learns how many intros went out for which roles and that answers follow."""
    by_candidate: dict[int, list] = {}
    by_company: dict[int, list] = {}
    for intro in intros:
        by_candidate.setdefault(intro.candidate_id, []).append(intro)
        by_company.setdefault(intro.role.company_id, []).append(intro)
    for group in by_candidate.values():
        user = group[0].candidate.user
        lines = [
            f"- {i.role.title} at {i.role.company.name}: offered {_money(i.offered_salary, i.role)}"
            f" (band {format_band(i.role.pay_min, i.role.pay_max, i.role.pay_currency)})"
            for i in group
        ]
        n = len(group)
        notify(
            recipient=user,
            event="intros_released",
            category=C.INTROS,
            about=about_key(md),
            subject=f"{md.name}: {n} introduction{'' if n == 1 else 's'} for you",
            body=_hello(user)
            + "\n".join(
                [
                    f"{md.name} is here: {n} {'company wants' if n == 1 else 'companies want'} "
                    "to meet you.",
                    "",
                    *lines,
                    "",
                    "See why each one matched and how quickly each company answers, then accept or "
                    "decline each intro. Accepting shows the company who you are.",
                ]
            ),
            link=reverse("followup:my_matchday"),
            kind=Message.Kind.DIGEST,
        )
    for group in by_company.values():
        company = group[0].role.company
        counts: dict[str, int] = {}
        for i in group:
            counts[i.role.title] = counts.get(i.role.title, 0) + 1
        lines = [f"- {title}: {n} intro{'' if n == 1 else 's'}" for title, n in counts.items()]
        n = len(group)
        for member in company_members(company):
            notify(
                recipient=member,
                event="intros_released",
                category=C.INTROS,
                about=about_key(md, "company", company.pk),
                subject=f"{md.name}: {n} intro{'' if n == 1 else 's'} sent to candidates",
                body=_hello(member)
                + "\n".join(
                    [
                        f"{md.name} released your intros:",
                        "",
                        *lines,
                        "",
                        "Each candidate now decides. When one accepts you see who they are and a "
                        "screen opens in your pipeline, with a deadline to act.",
                    ]
                ),
                link=reverse("followup:pipeline"),
            )


def intro_reminder(intro, *, number: int, expires_at: datetime) -> bool:
    user = intro.candidate.user
    zone = zone_of(user)
    company = intro.role.company.name
    _, created = notify(
        recipient=user,
        event=f"intro_reminder_{number}",
        category=C.INTROS,
        about=about_key(intro, "reminder", number),
        subject=f"{company} is waiting for your answer: {intro.role.title}",
        body=_hello(user)
        + (
            f"{company} is interested in you for {intro.role.title} (offered "
            f"{_money(intro.offered_salary, intro.role)}) and waits for your answer. Accept to "
            "start talking, or decline (a reason helps them, and stays anonymous). The intro "
            f"expires on {at(expires_at, zone)}."
        ),
        link=reverse("followup:my_matchday"),
        kind=Message.Kind.REMINDER,
    )
    return created


def intro_expired(intro) -> None:
    user = intro.candidate.user
    company = intro.role.company
    notify(
        recipient=user,
        event="intro_expired",
        category=C.INTROS,
        about=about_key(intro),
        subject=f"Your intro to {company.name} for {intro.role.title} expired",
        body=_hello(user)
        + (
            f"You did not answer the intro from {company.name} for {intro.role.title}, so it "
            "has expired and they were told. If you are not looking right now, pause your "
            "profile so companies are not kept waiting."
        ),
        link=reverse("followup:my_matchday"),
    )
    for member in company_members(company):
        notify(
            recipient=member,
            event="intro_expired",
            category=C.INTROS,
            about=about_key(intro),
            subject=f"An intro for {intro.role.title} expired unanswered",
            body=_hello(member)
            + (
                f"A candidate you were interested in for {intro.role.title} ({intro.matchday.name}) "
                "did not answer within the time allowed, so the intro expired. It stays "
                "anonymous; they may appear again in a later Match Day."
            ),
            link=reverse("followup:pipeline"),
        )


def intro_accepted(intro, step) -> None:
    name = intro.candidate.user.full_name
    for member in company_members(intro.role.company):
        notify(
            recipient=member,
            event="intro_accepted",
            category=C.INTROS,
            about=about_key(intro, "accepted"),
            subject=f"{name} accepted your intro for {intro.role.title}",
            body=(
                f"{name} ({intro.candidate.user.email}) accepted your intro for "
                f"{intro.role.title}.\nPlease act on the {step.name.lower()} by "
                f"{at(step.due_at, zone_of(member))}."
            ),
            link=reverse("followup:pipeline_intro", args=[intro.pk]),
            kind=Message.Kind.INTRO_ACCEPTED,
        )


def intro_declined(intro) -> None:
    for member in company_members(intro.role.company):
        notify(
            recipient=member,
            event="intro_declined",
            category=C.INTROS,
            about=about_key(intro, "declined"),
            subject=f"A candidate declined your intro for {intro.role.title}",
            body=(
                f"A candidate declined your {intro.matchday.name} intro for {intro.role.title}. "
                "They stay anonymous (their own words are not passed on: they could name them)."
            ),
            link=reverse("followup:pipeline"),
        )


def intro_withdrawn(intro, reason: str) -> None:
    name = intro.candidate.user.full_name
    for member in company_members(intro.role.company):
        notify(
            recipient=member,
            event="intro_withdrawn",
            category=C.PIPELINE,
            about=about_key(intro, "withdrawn"),
            subject=f"{name} withdrew from {intro.role.title}",
            body=f"{name} withdrew from the process for {intro.role.title}."
            + (f"\nTheir reason: {reason}" if reason else ""),
            link=reverse("followup:pipeline_intro", args=[intro.pk]),
        )


# --- the pipeline: interviews, offers, outcome ------------------------------------------------


def _to_candidate(intro, *, event: str, about: str, subject: str, body: str) -> None:
    notify(
        recipient=intro.candidate.user,
        event=event,
        category=C.PIPELINE,
        about=about,
        subject=subject,
        body=body,
        link=reverse("followup:my_matchday"),
    )


def step_scheduled(step, *, moved_from: datetime | None = None, prep: str = "") -> None:
    """The candidate: a screen or interview was scheduled (or moved), in their own zone."""
    intro = step.intro
    user = intro.candidate.user
    zone = zone_of(user)
    company = intro.role.company.name
    verb = "moved" if moved_from else "scheduled"
    _to_candidate(
        intro,
        event="step_moved" if moved_from else "step_scheduled",
        about=about_key(step, "scheduled", int(step.scheduled_at.timestamp())),
        subject=f"{step.name} with {company} {verb}: {at(step.scheduled_at, zone, long=False)}",
        body=(
            f"{company} {verb} your {step.name.lower()} for {intro.role.title} "
            f"on {at(step.scheduled_at, zone)} ({step.duration_minutes} minutes)."
            + (f"\nIt was {at(moved_from, zone)}." if moved_from else "")
            + (f"\nWhere: {step.location}" if step.location else "")
            + "\nDownload the calendar invite from your Match Day page."
            + prep
        ),
    )


def step_upcoming(step, *, prep: str = "") -> int:
    """The candidate, the day before a scheduled screen or interview: when, where, and how
    to prepare. Once per step and time (a moved step is reminded again)."""
    intro = step.intro
    zone = zone_of(intro.candidate.user)
    company = intro.role.company.name
    _, created = notify(
        recipient=intro.candidate.user,
        event="step_upcoming",
        category=C.PIPELINE,
        about=about_key(step, "upcoming", int(step.scheduled_at.timestamp())),
        subject=f"Coming up: {step.name} with {company}, {at(step.scheduled_at, zone, long=False)}",
        body=(
            f"Your {step.name.lower()} with {company} for {intro.role.title} is on "
            f"{at(step.scheduled_at, zone)} ({step.duration_minutes} minutes)."
            + (f"\nWhere: {step.location}" if step.location else "")
            + prep
        ),
        link=reverse("followup:my_matchday"),
        kind=Message.Kind.REMINDER,
    )
    return int(created)


def pipeline_message(
    recipient,
    *,
    event: str,
    about: str,
    subject: str,
    body: str,
    link: str,
    kind: str = Message.Kind.OTHER,
) -> None:
    """A pipeline update written by the follow-up services (next step, offer, hire, …)."""
    notify(
        recipient=recipient,
        event=event,
        category=C.PIPELINE,
        about=about,
        subject=subject,
        body=body,
        link=link,
        kind=kind,
    )


def pipeline_closed(intro, *, reason: str, by_partner: bool = False) -> None:
    company = intro.role.company.name
    who = "Matchday closed your process" if by_partner else f"{company} closed the process"
    _to_candidate(
        intro,
        event="pipeline_closed",
        about=about_key(intro, "closed"),
        subject=f"{intro.role.title} at {company}: closed",
        body=(
            f"{who} {'with ' + company + ' ' if by_partner else ''}for {intro.role.title}.\n"
            f"{'The' if by_partner else 'Their'} reason: {reason}"
        ),
    )
    if by_partner:
        name = intro.candidate.user.full_name
        for member in company_members(intro.role.company):
            notify(
                recipient=member,
                event="pipeline_closed_by_partner",
                category=C.PIPELINE,
                about=about_key(intro, "closed_by_partner"),
                subject=f"Matchday closed the process with {name}",
                body=(
                    f"A Matchday talent partner closed the process with {name} for "
                    f"{intro.role.title}.\nThe reason: {reason}"
                ),
                link=reverse("followup:pipeline_intro", args=[intro.pk]),
            )


# --- no ghosting: overdue steps (company) and escalation (partners) -------------------------


def _what(what, user) -> str:
    """What is due, in ``user``'s words (``what`` may be a function of the reader)."""
    return what(user) if callable(what) else what


def _to_step_owners(
    step, recipients, *, event: str, about: str, subject: str, body: Callable[[Any], str]
) -> None:
    """A reminder about ``step`` to each of the company's ``recipients`` (``body`` in each
    reader's words and zone), linking to the intro's pipeline."""
    for user in recipients:
        notify(
            recipient=user,
            event=event,
            category=C.PIPELINE,
            about=about,
            subject=subject,
            body=body(user),
            link=reverse("followup:pipeline_intro", args=[step.intro.pk]),
            kind=Message.Kind.REMINDER,
        )


def step_overdue(step, recipients, *, what: str) -> None:
    intro = step.intro
    name = intro.candidate.user.full_name
    _to_step_owners(
        step,
        recipients,
        event="step_overdue",
        about=about_key(step, "due", int(step.due_at.timestamp())),
        subject=f"Overdue: {step.name} with {name} for {intro.role.title}",
        body=lambda user: (
            f"The response window for {name} ({intro.role.title}) closed on "
            f"{at(step.due_at, zone_of(user))}. Please {_what(what, user)} now; candidates "
            "see each company's responsiveness record."
        ),
    )


def step_escalated(step, partners, *, what: str) -> None:
    intro = step.intro
    company = intro.role.company
    key = about_key(step, "due", int(step.due_at.timestamp()))
    owner = step.owner.email if step.owner else "no owner"
    for partner in partners:
        notify(
            recipient=partner,
            event="step_escalated",
            category=C.PIPELINE,
            about=key,
            subject=f"Escalation: {company.name} has not answered {step.name} for {intro.role.title}",
            body=(
                f"{company.name} ({owner}) was due to {_what(what, partner)} by {at(step.due_at, zone_of(partner))} and was "
                f"reminded on {format_in(step.reminded_at, zone_of(partner), '%-d %B %Y')}.\n\n"
                f"Candidate: {intro.candidate.user.full_name} ({intro.candidate.user.email})\n"
                f"Role: {intro.role.title} at {company.name}, {intro.matchday.name}\n\n"
                "Nudge the owner, reassign the step to another member, or close the process "
                "with a reason."
            ),
            link=reverse("followup:oversight_intro", args=[intro.pk]),
            kind=Message.Kind.ESCALATION,
        )


def step_nudged(step, recipients, *, by, note: str, what: str, now: datetime) -> None:
    intro = step.intro
    name = intro.candidate.user.full_name
    _to_step_owners(
        step,
        recipients,
        event="step_nudged",
        about=about_key(step, "nudge", int(now.timestamp())),
        subject=f"A talent partner asks: {step.name} with {name} for {intro.role.title}",
        body=lambda user: (
            f"A Matchday talent partner ({by.full_name}) asks you to {_what(what, user)} for "
            f"{name} ({intro.role.title}); it was due {at(step.due_at, zone_of(user))}."
            + (f"\n\nTheir note: {note}" if note else "")
        ),
    )


def step_reassigned(step, owner, *, by, what: str, now: datetime) -> None:
    intro = step.intro
    name = intro.candidate.user.full_name
    _to_step_owners(
        step,
        [owner],
        event="step_reassigned",
        about=about_key(step, "owner", owner.pk, int(now.timestamp())),
        subject=f"You now own the {step.name.lower()} with {name} for {intro.role.title}",
        body=lambda user: (
            f"A Matchday talent partner ({by.full_name}) made you the owner of the "
            f"{step.name.lower()} with {name} for {intro.role.title}. Please {what}; it was "
            f"due {at(step.due_at, zone_of(user))}."
        ),
    )
