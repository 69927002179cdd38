"""Companies deciding across the interest deadline while the release runs, on PostgreSQL:
no deadlock, no error, and every decision that was accepted is released.

Threads each hold their own database connection, as web workers do. SQLite serialises every
write, so this only means something on PostgreSQL (CI's PostgreSQL pass, or
``DATABASE_URL=postgres://…``).
"""

from __future__ import annotations

import random
import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from matchday.followup.models import Intro
from matchday.followup.services import matchday_release
from matchday.matchdays import services
from matchday.matchdays.models import Interest, MatchDay
from tests import factories
from tests.followup_factories import MatchDayFactory, ProposalFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs the PostgreSQL test database (runs in CI's PostgreSQL pass)",
    ),
]

ROUNDS = 3
CANDIDATES = 8
TICK = timedelta(milliseconds=1)
REFUSALS = {services.INTEREST_WINDOW_NOT_OPEN, services.INTEREST_DEADLINE_PASSED}


def build_round(rng: random.Random, candidates: list):
    """A Match Day in its interest window whose deadline is its release time, two companies
    with two members and two roles each, and every candidate approved for every role."""
    md = MatchDayFactory(status=MatchDay.Status.INTEREST)
    md.interest_deadline = md.release_at
    md.save(update_fields=["interest_deadline"])
    members, work = [], {}
    for _ in range(2):
        company = factories.CompanyFactory(vetted=True)
        pair = [factories.CompanyMemberFactory(company=company) for _ in range(2)]
        members += pair
        roles = [factories.RoleFactory(company=company, open=True) for _ in range(2)]
        for member in pair:
            work[member.pk] = []
        for role in roles:
            for n in range(CANDIDATES):
                # Proposals share candidates across companies, as a real shortlist does.
                p = ProposalFactory(matchday=md, role=role, candidate=candidates[n])
                work[pair[n % 2].pk].append(p)  # one member decides each proposal
    for todo in work.values():
        rng.shuffle(todo)
    return md, members, work


def plan(proposals):
    """Each proposal decided twice: interested first, then changed (a higher offer or a pass)
    while the release may be running; some of the changes come after the deadline."""
    first = [(p, "interested", p.role.pay_min, -TICK) for p in proposals]
    again = [
        (p, "passed" if p.pk % 2 else "interested", p.role.pay_max, TICK if n % 3 == 2 else -TICK)
        for n, p in enumerate(proposals)
    ]
    return first, again


def decide(member, proposals, *, deadline, outcomes, errors, second_pass):
    try:
        first, again = plan(proposals)
        for n, (p, kind, salary, offset) in enumerate(first + again):
            if n == len(first):
                second_pass.set()  # the release starts while decisions are still changing
            try:
                if kind == "interested":
                    services.interest_express(
                        proposal=p, by=member, offered_salary=salary, now=deadline + offset
                    )
                else:
                    services.interest_pass(
                        proposal=p, by=member, reason="Not now.", now=deadline + offset
                    )
            except ValidationError as exc:
                outcomes.append((p.pk, "refused", exc.messages[0]))
            else:
                outcomes.append((p.pk, kind, salary))
    except Exception as exc:  # a deadlock or any other database error fails the test
        errors.append(repr(exc))
    finally:
        connection.close()


def release(md, *, start, results, errors):
    try:
        start.wait(timeout=30)
        results.extend(matchday_release(matchday=md, now=md.release_at))
    except Exception as exc:
        errors.append(repr(exc))
    finally:
        connection.close()


@pytest.mark.parametrize("seed", range(ROUNDS))
def test_deciding_across_the_deadline_while_release_runs_loses_nothing_and_never_fails(seed):
    rng = random.Random(seed)
    candidates = [factories.CandidateProfileFactory(active=True) for _ in range(CANDIDATES)]
    md, members, work = build_round(rng, candidates)
    outcomes, errors, released = [], [], []
    second_pass = threading.Event()
    threads = [
        threading.Thread(
            target=decide,
            args=(m, work[m.pk]),
            kwargs={
                "deadline": md.interest_deadline,
                "outcomes": outcomes,
                "errors": errors,
                "second_pass": second_pass,
            },
        )
        for m in members
    ]
    threads.append(
        threading.Thread(
            target=release,
            args=(md,),
            kwargs={"start": second_pass, "results": released, "errors": errors},
        )
    )
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads)

    assert errors == []
    total = sum(len(todo) for todo in work.values())
    assert len(outcomes) == 2 * total
    refused = [o for o in outcomes if o[1] == "refused"]
    assert {message for _, _, message in refused} <= REFUSALS
    last = {}  # each proposal's last accepted decision (one thread decides each proposal)
    for pk, kind, salary in outcomes:
        if kind != "refused":
            last[pk] = (kind, salary if kind == "interested" else None)
    assert last  # decisions were accepted, then the release came while they went on

    # Nothing lost: every accepted decision is stored as last made, and released if interested.
    stored = {
        i.proposal_id: (i.decision, i.offered_salary)
        for i in Interest.objects.filter(proposal__matchday=md)
    }
    assert stored == last
    intros = dict(Intro.objects.filter(matchday=md).values_list("proposal_id", "offered_salary"))
    assert intros == {pk: salary for pk, (kind, salary) in last.items() if kind == "interested"}
    assert sorted(i.pk for i in released) == sorted(intro_pks(md))
    md.refresh_from_db()
    assert md.status == MatchDay.Status.RELEASED


def intro_pks(md):
    return Intro.objects.filter(matchday=md).values_list("pk", flat=True)
