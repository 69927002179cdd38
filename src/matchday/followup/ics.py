"""Calendar invites (RFC 5545) for scheduled screens and interviews."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime, timedelta
from urllib.parse import urlparse

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from matchday.followup.models import PipelineStep
from matchday.followup.prep import prep_text

PRODID = "-//Matchday//Follow-up pipeline//EN"
NOT_SCHEDULED = "This step has no scheduled time yet."


def step_uid(step: PipelineStep) -> str:
    """Stable per step, so a rescheduled interview updates the same calendar entry."""
    host = urlparse(settings.MATCHDAY_SITE_URL).hostname or "matchday"
    return f"matchday-step-{step.pk}@{host}"


def _address(user, role: str | None = None) -> vCalAddress:
    address = vCalAddress(f"mailto:{user.email}")
    address.params["cn"] = vText(user.full_name or user.email)
    if role:
        address.params["role"] = vText(role)
        address.params["partstat"] = vText("NEEDS-ACTION")
        address.params["rsvp"] = vText("TRUE")
    return address


def step_invite(
    step: PipelineStep, *, zone_name: str = "UTC", now: datetime | None = None
) -> bytes:
    """A VCALENDAR with one VEVENT for a scheduled step, its times in ``zone_name`` (the
    reader's own zone: ``DTSTART;TZID=Europe/Berlin``, with the VTIMEZONE that defines it)."""
    if step.scheduled_at is None:
        raise ValueError(NOT_SCHEDULED)
    intro = step.intro
    role = intro.role
    candidate = intro.candidate.user
    start = step.scheduled_at.astimezone(zoneinfo.ZoneInfo(zone_name))
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "REQUEST")
    event = Event()
    event.add("uid", step_uid(step))
    event.add("dtstamp", (now or timezone.now()).astimezone(UTC))
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=step.duration_minutes))
    event.add("summary", f"{step.name}: {candidate.full_name} × {role.company.name} ({role.title})")
    description = f"{step.name} for {role.title} at {role.company.name}, arranged through Matchday."
    prep = prep_text(role, step.interview_step)
    if prep:
        description += f"\n\nHow to prepare\n{prep}"
    event.add("description", description)
    if step.location:
        event.add("location", step.location)
    event.add("status", "CONFIRMED")
    if step.owner is not None:
        event.add("organizer", _address(step.owner))
        event.add("attendee", _address(step.owner, "CHAIR"), encode=0)
    event.add("attendee", _address(candidate, "REQ-PARTICIPANT"), encode=0)
    cal.add_component(event)
    if zone_name != "UTC":
        cal.add_missing_timezones()
    return cal.to_ical()
