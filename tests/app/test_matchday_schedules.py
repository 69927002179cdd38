"""Recurring Match Days: the schedule's slots, the tick creating, announcing and curating
each Match Day at the right moment (and never twice), and pausing, editing and skipping
with an audit trail."""

from __future__ import annotations

import doctest
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.urls import reverse

from matchday.audits.models import AuditEntry
from matchday.followup.tasks import run_tick
from matchday.matchdays import schedules
from matchday.matchdays.models import MatchDay, MatchDaySchedule
from matchday.notifications.models import Message
from tests.market import build_market

pytestmark = pytest.mark.django_db

# Every second Tuesday at 10:00 Berlin from Tuesday 3 March 2026 (09:00 UTC in winter);
# 3 days of interest window, 2 of review, announced 7 days before curation.
CREATED_AT = datetime(2026, 2, 11, 12, 0, tzinfo=UTC)  # when the partner sets it up
FIRST = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
SECOND = datetime(2026, 3, 17, 9, 0, tzinfo=UTC)
THIRD = datetime(2026, 3, 31, 8, 0, tzinfo=UTC)  # summer time: still 10:00 in Berlin
CREATE_FIRST = FIRST - timedelta(days=12)  # Wed 19 Feb 09:00 UTC
CURATE_FIRST = FIRST - timedelta(days=5)


def cadence(**overrides):
    values = {
        "name": "Fortnightly",
        "weekday": 1,
        "every_weeks": 2,
        "release_time": time(10, 0),
        "timezone": "Europe/Berlin",
        "starts_on": date(2026, 3, 1),
        "interest_days": 3,
        "review_days": 2,
        "announce_days": 7,
        "candidate_cap": 3,
        "role_cap": 10,
        "policy": "optimal",
    }
    return values | overrides


@pytest.fixture
def market(db):
    return build_market()


@pytest.fixture
def schedule(market):
    return schedules.schedule_create(by=market.partner, now=CREATED_AT, **cadence())


def test_slot_examples_in_the_docstrings_hold():
    assert doctest.testmod(schedules).failed == 0


def test_slots_keep_the_local_wall_time_across_daylight_saving(schedule):
    assert [schedules.slot(schedule, k) for k in range(3)] == [FIRST, SECOND, THIRD]


def test_a_new_schedule_plans_the_first_slot_whose_curation_is_still_ahead(market):
    late = schedules.schedule_create(
        by=market.partner, now=CURATE_FIRST + timedelta(minutes=1), **cadence()
    )
    assert late.next_release_at == SECOND
    entry = AuditEntry.objects.get(action="schedule.create", target_id=str(late.pk))
    assert entry.data["next_release_at"] == SECOND.isoformat()
    assert entry.data["weekday"] == 1 and entry.data["release_time"] == "10:00:00"


def test_only_partners_manage_schedules(market):
    with pytest.raises(PermissionDenied):
        schedules.schedule_create(by=market.member_a, **cadence())


# -- the tick ---------------------------------------------------------------------------


def test_nothing_is_created_before_its_time(schedule):
    assert schedules.schedules_run_due(now=CREATE_FIRST - timedelta(seconds=1))["created"] == []
    assert not MatchDay.objects.exists()


def test_the_tick_creates_the_next_matchday_with_the_schedules_settings(schedule):
    result = run_tick(now=CREATE_FIRST)
    md = MatchDay.objects.get()
    assert result["schedules"]["created"] == [f"schedule.created:{FIRST.isoformat()}"]
    assert md.name == "Fortnightly · Tue 03 Mar 2026"
    assert (md.release_at, md.interest_deadline, md.release_timezone) == (
        FIRST,
        FIRST,
        "Europe/Berlin",
    )
    assert (md.curate_at, md.interest_opens_at) == (CURATE_FIRST, FIRST - timedelta(days=3))
    assert (md.candidate_cap, md.role_cap, md.policy, md.status) == (3, 10, "optimal", "draft")
    assert (md.schedule, md.scheduled_release_at) == (schedule, FIRST)
    schedule.refresh_from_db()
    assert schedule.next_release_at == SECOND
    assert AuditEntry.objects.filter(action="matchday.create", target_id=str(md.pk)).count() == 1


def test_the_new_matchday_is_announced_to_active_candidates_and_vetted_companies(market, schedule):
    run_tick(now=CREATE_FIRST)
    md = MatchDay.objects.get()
    announced = Message.objects.filter(about=f"matchdays.matchday:{md.pk}:announce")
    recipients = {m.recipient for m in announced}
    active = {p.profile.user for p in market.people} | {market.hider.user}
    assert recipients == active | {market.member_a, market.member_b}
    assert market.paused.user not in recipients  # paused candidates are not told
    candidate_message = announced.get(recipient=market.people[0].profile.user)
    assert "Curation: Thursday 26 February 2026, 10:00 Europe/Berlin" in candidate_message.body
    assert "Intros released: Tuesday 3 March 2026, 10:00 Europe/Berlin" in candidate_message.body
    md.refresh_from_db()
    assert md.announced_at == CREATE_FIRST


def test_running_the_tick_twice_creates_and_announces_once(market, schedule):
    run_tick(now=CREATE_FIRST)
    n = Message.objects.count()
    again = run_tick(now=CREATE_FIRST + timedelta(minutes=5))
    assert again["schedules"] == {"created": [], "announced": 0, "curated": [], "told": 0}
    assert MatchDay.objects.count() == 1
    assert Message.objects.count() == n


def test_a_crash_while_creating_leaves_nothing_and_the_rerun_creates_one(schedule, monkeypatch):
    real = schedules.audit_record

    def crash(**kwargs):
        if kwargs["action"] == "matchday.create":
            raise RuntimeError("killed")
        return real(**kwargs)

    monkeypatch.setattr(schedules, "audit_record", crash)
    with pytest.raises(RuntimeError):
        schedules.schedules_run_due(now=CREATE_FIRST)
    schedule.refresh_from_db()
    assert (MatchDay.objects.count(), schedule.next_release_at) == (0, FIRST)
    monkeypatch.setattr(schedules, "audit_record", real)
    schedules.schedules_run_due(now=CREATE_FIRST)
    assert MatchDay.objects.filter(scheduled_release_at=FIRST).count() == 1


def test_a_crash_while_announcing_is_finished_by_the_rerun_without_doubles(
    market, schedule, monkeypatch
):
    from matchday.notifications import services as notifications

    real, sent = notifications.message_queue, []

    def crash_after_three(**kwargs):
        if len(sent) == 3:
            raise RuntimeError("killed")
        sent.append(kwargs["recipient"])
        return real(**kwargs)

    monkeypatch.setattr(notifications, "message_queue", crash_after_three)
    with pytest.raises(RuntimeError):
        schedules.schedules_run_due(now=CREATE_FIRST)
    md = MatchDay.objects.get()
    assert (md.announced_at, Message.objects.count()) == (None, 3)
    monkeypatch.setattr(notifications, "message_queue", real)
    schedules.schedules_run_due(now=CREATE_FIRST + timedelta(minutes=5))
    md.refresh_from_db()
    expected = len(market.people) + 1 + 2  # active candidates (with the hider), members
    assert Message.objects.count() == expected
    assert md.announced_at == CREATE_FIRST + timedelta(minutes=5)


def test_the_same_slot_can_never_hold_two_matchdays(schedule):
    schedules.schedules_run_due(now=CREATE_FIRST)
    # The schedule row restored from a backup taken before the tick: it plans FIRST again.
    MatchDaySchedule.objects.filter(pk=schedule.pk).update(next_release_at=FIRST)
    schedules.schedules_run_due(now=CREATE_FIRST + timedelta(minutes=5))
    assert MatchDay.objects.filter(schedule=schedule).count() == 1
    with pytest.raises(IntegrityError):
        MatchDay.objects.create(
            name="x",
            release_at=FIRST,
            interest_deadline=FIRST,
            schedule=schedule,
            scheduled_release_at=FIRST,
        )


def test_curation_starts_at_its_moment_and_partners_hear_the_review_waits(
    market, schedule, django_capture_on_commit_callbacks
):
    run_tick(now=CREATE_FIRST)
    md = MatchDay.objects.get()
    assert schedules.schedules_run_due(now=CURATE_FIRST - timedelta(seconds=1))["curated"] == []
    with django_capture_on_commit_callbacks(execute=True):
        result = schedules.schedules_run_due(now=CURATE_FIRST)
    md.refresh_from_db()
    assert result["curated"] == [md.pk]
    run = md.runs.get()
    assert (run.status, run.requested_by, md.status) == ("succeeded", None, "review")
    assert md.proposals.filter(status="pending").count() == md.proposals.count() > 0
    entry = AuditEntry.objects.get(action="curation.start")
    assert (entry.actor, entry.data) == (None, {"scheduled": True, "schedule": schedule.pk})
    told = schedules.schedules_run_due(now=CURATE_FIRST + timedelta(minutes=5))["told"]
    assert told == 1
    message = Message.objects.get(recipient=market.partner, about__endswith=":review_ready")
    assert "Open the interest window by Saturday 28 February 2026, 10:00" in message.body
    assert schedules.schedules_run_due(now=CURATE_FIRST + timedelta(minutes=10))["told"] == 0


def test_a_stopped_matchday_is_not_curated(market, schedule):
    from matchday.matchdays.services import matchday_stop

    run_tick(now=CREATE_FIRST)
    md = MatchDay.objects.get()
    matchday_stop(matchday=md, by=market.partner, reason="Holiday week.")
    assert schedules.schedules_run_due(now=CURATE_FIRST)["curated"] == []
    assert not md.runs.exists()


def test_a_tick_that_was_down_too_long_records_the_slot_as_missed(schedule):
    late = FIRST - timedelta(days=2)  # the interest window should already be open
    schedules.schedules_run_due(now=late)
    assert not MatchDay.objects.exists()
    schedule.refresh_from_db()
    assert schedule.next_release_at == SECOND
    assert AuditEntry.objects.get(action="schedule.missed").data == {
        "release_at": FIRST.isoformat()
    }


# -- pause, edit, skip ------------------------------------------------------------------------


def test_skipping_the_next_one_passes_it_over_once(market, schedule):
    schedules.schedule_skip_next(schedule=schedule, by=market.partner, reason="Holidays")
    schedules.schedules_run_due(now=CREATE_FIRST)
    assert not MatchDay.objects.exists()
    schedule.refresh_from_db()
    assert (schedule.next_release_at, schedule.skip_release_at) == (SECOND, None)
    schedules.schedules_run_due(now=SECOND - timedelta(days=12))
    assert list(MatchDay.objects.values_list("scheduled_release_at", flat=True)) == [SECOND]
    actions = list(
        AuditEntry.objects.filter(target_type="matchdays.matchdayschedule")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["schedule.create", "schedule.skip", "schedule.skipped", "schedule.created"]


def test_unskip_puts_the_next_one_back(market, schedule):
    schedules.schedule_skip_next(schedule=schedule, by=market.partner)
    schedules.schedule_unskip(schedule=schedule, by=market.partner)
    schedules.schedules_run_due(now=CREATE_FIRST)
    assert MatchDay.objects.filter(scheduled_release_at=FIRST).exists()


def test_a_paused_schedule_creates_nothing_and_resumes_without_making_up_missed_slots(
    market, schedule
):
    schedules.schedule_pause(schedule=schedule, by=market.partner, reason="Q2 planning")
    schedules.schedules_run_due(now=CREATE_FIRST)
    schedules.schedules_run_due(now=SECOND - timedelta(days=12))
    assert not MatchDay.objects.exists()
    resumed_at = SECOND - timedelta(days=4)  # SECOND's curation has passed
    schedules.schedule_resume(schedule=schedule, by=market.partner, now=resumed_at)
    schedule.refresh_from_db()
    assert (schedule.active, schedule.next_release_at) == (True, THIRD)
    entry = AuditEntry.objects.get(action="schedule.pause")
    assert (entry.actor, entry.reason) == (market.partner, "Q2 planning")


def test_editing_the_cadence_replans_the_next_one_and_keeps_created_ones(market, schedule):
    run_tick(now=CREATE_FIRST)
    schedules.schedule_update(
        schedule=schedule,
        by=market.partner,
        now=CREATE_FIRST + timedelta(hours=1),
        **cadence(weekday=3, every_weeks=1, interest_days=2),
    )
    schedule.refresh_from_db()
    # weekly on Thursdays from 1 March: 5 March is the first after the Match Day made for 3 March
    assert schedule.next_release_at == datetime(2026, 3, 5, 9, 0, tzinfo=UTC)
    assert MatchDay.objects.get().release_at == FIRST
    entry = AuditEntry.objects.get(action="schedule.update")
    assert entry.data["weekday"] == {"from": 1, "to": 3}
    assert entry.data["every_weeks"] == {"from": 2, "to": 1}


# -- pages ----------------------------------------------------------------------------------


def test_partner_sets_up_a_schedule_through_the_form(client, market):
    client.force_login(market.partner)
    response = client.post(
        reverse("matchdays:schedule_create"),
        {
            "name": "Biweekly",
            "weekday": 1,
            "every_weeks": 2,
            "release_time": "10:00",
            "timezone": "Europe/Berlin",
            "starts_on": "2031-03-01",
            "interest_days": 3,
            "review_days": 2,
            "announce_days": 7,
            "candidate_cap": 3,
            "role_cap": 10,
            "policy": "stable",
        },
    )
    schedule = MatchDaySchedule.objects.get(name="Biweekly")
    assert response.status_code == 302 and response["Location"] == schedule.get_absolute_url()
    assert schedule.next_release_at == datetime(2031, 3, 4, 9, 0, tzinfo=UTC)
    page = client.get(schedule.get_absolute_url())
    html = page.content.decode()
    assert "Every second Tuesday at 10:00 Europe/Berlin" in html
    assert len(page.context["plan"]) == 4
    assert "Tue 4 Mar 2031, 10:00" in html


def test_schedule_form_refuses_out_of_range_values_with_422(client, market):
    client.force_login(market.partner)
    response = client.post(
        reverse("matchdays:schedule_create"), {"name": "x", "every_weeks": 9, "weekday": 8}
    )
    assert response.status_code == 422
    assert set(response.context["form"].errors) >= {"every_weeks", "weekday", "timezone"}


def test_pause_skip_and_resume_from_the_page(client, market, schedule):
    client.force_login(market.partner)
    url = lambda action: reverse("matchdays:schedule_action", args=[schedule.pk, action])  # noqa: E731
    client.post(url("skip"))
    schedule.refresh_from_db()
    assert schedule.skip_release_at == schedule.next_release_at
    client.post(url("pause"))
    schedule.refresh_from_db()
    assert not schedule.active
    assert client.post(url("explode")).status_code == 404
    assert client.get(url("resume")).status_code == 405


def test_schedule_pages_are_for_partners_only(client, market, schedule):
    client.force_login(market.member_a)
    assert client.get(reverse("matchdays:schedules")).status_code == 403
    assert client.get(schedule.get_absolute_url()).status_code == 403
    assert (
        client.post(reverse("matchdays:schedule_action", args=[schedule.pk, "pause"]))
    ).status_code == 403


# -- two real tick processes at once ---------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
SETUP = """
from datetime import date, time, datetime
from matchday.accounts.models import User
from matchday.matchdays import schedules
from tests import factories
partner = factories.PartnerFactory()
for n in range(5):
    factories.CandidateProfileFactory(active=True)
schedules.schedule_create(
    by=partner, now=datetime.fromisoformat("2026-02-11T12:00:00+00:00"), name="Fortnightly",
    weekday=1, every_weeks=2, release_time=time(10), timezone="Europe/Berlin",
    starts_on=date(2026, 3, 1), interest_days=3, review_days=2, announce_days=7,
    candidate_cap=3, role_cap=10, policy="optimal",
)
"""


@pytest.mark.django_db(transaction=True)
def test_two_tick_processes_at_once_create_one_matchday_and_one_announcement(tmp_path):
    """Two ``manage.py matchday_tick`` processes started together on one database (a cron
    overlap, two machines): exactly one Match Day and one announcement per person."""
    db = tmp_path / "tick.sqlite3"
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="matchday.config.settings.dev",
        DATABASE_URL=f"sqlite:///{db}",
        MATCHDAY_VAR_DIR=str(tmp_path),
        PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
    )
    manage = [sys.executable, str(ROOT / "manage.py")]
    run = dict(env=env, cwd=tmp_path, check=True, capture_output=True, timeout=300)
    subprocess.run([*manage, "migrate", "--no-input"], **run)
    subprocess.run([*manage, "shell", "-c", SETUP], **run)
    now = CREATE_FIRST.isoformat()
    ticks = [
        subprocess.Popen(
            [*manage, "matchday_tick", "--now", now],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(2)
    ]
    for tick in ticks:
        _out, err = tick.communicate(timeout=300)
        assert tick.returncode == 0, err.decode()
    with sqlite3.connect(db) as conn:
        matchdays = conn.execute("select count(*) from matchdays_matchday").fetchone()[0]
        announced = conn.execute(
            "select count(*), count(distinct recipient_id) from notifications_message "
            "where about like 'matchdays.matchday:%:announce'"
        ).fetchone()
    assert matchdays == 1
    assert announced == (5, 5)
