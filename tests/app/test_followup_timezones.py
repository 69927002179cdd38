"""Times in each person's own zone, named: pages, emails, scheduling, invites, and Match Day
release times as they were entered."""

from datetime import UTC, datetime, timedelta

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from matchday.core.timezones import format_in, zone_name_for
from matchday.followup import services
from matchday.notifications.models import Message
from tests import factories
from tests.followup_factories import RELEASE_AT, MatchDayFactory, released_intro

pytestmark = pytest.mark.django_db
ACCEPTED_AT = RELEASE_AT + timedelta(hours=1)
SLOT = datetime(2026, 3, 4, 14, 0, tzinfo=UTC)  # 15:00 in Berlin, 09:00 in New York


@pytest.fixture
def intro():
    intro = released_intro()  # the candidate's profile says Europe/Berlin
    services.intro_accept(intro=intro, by=intro.candidate.user, now=ACCEPTED_AT)
    return intro


@pytest.fixture
def member(intro):
    return factories.CompanyMemberFactory(company=intro.role.company, timezone="America/New_York")


def test_a_persons_zone_is_their_own_else_their_profiles_or_companys_else_utc(intro, member):
    candidate = intro.candidate.user
    assert zone_name_for(candidate) == "Europe/Berlin"  # from the profile
    candidate.timezone = "Asia/Tokyo"
    assert zone_name_for(candidate) == "Asia/Tokyo"  # their own choice first
    assert zone_name_for(member) == "America/New_York"
    colleague = factories.CompanyMemberFactory(company=intro.role.company)
    assert zone_name_for(colleague) == "UTC"
    intro.role.company.timezone = "Europe/Paris"
    intro.role.company.save()
    colleague.refresh_from_db()
    assert zone_name_for(colleague) == "Europe/Paris"  # the company's default
    assert zone_name_for(factories.PartnerFactory()) == "UTC"


def test_the_member_schedules_in_their_own_zone_and_the_candidate_reads_theirs(
    client, intro, member
):
    step = intro.steps.get()
    client.force_login(member)
    page = client.get(reverse("followup:pipeline_intro", args=[intro.pk])).content.decode()
    assert "When (America/New_York)" in page
    client.post(
        reverse("followup:step_schedule", args=[step.pk]),
        {"scheduled_at": "2026-03-04T09:00", "duration_minutes": "30"},
    )
    step.refresh_from_db()
    assert step.scheduled_at == SLOT  # 09:00 New York is 14:00 UTC
    page = client.get(reverse("followup:pipeline_intro", args=[intro.pk])).content.decode()
    assert "Wed 4 Mar 2026, 09:00 America/New_York" in page

    message = Message.objects.filter(recipient=intro.candidate.user).latest("pk")
    assert message.subject.endswith(": Wed 4 Mar 2026, 15:00 Europe/Berlin")
    assert "on Wednesday 4 March 2026, 15:00 Europe/Berlin (30 minutes)" in message.body
    client.force_login(intro.candidate.user)
    page = client.get(reverse("followup:my_matchday")).content.decode()
    assert "on Wed 4 Mar 2026, 15:00 Europe/Berlin" in page
    assert "UTC" not in page.split("<main", 1)[-1].split("</main>")[0]


def test_the_invite_carries_each_readers_zone(client, intro, member):
    step = intro.steps.get()
    services.step_schedule(step=step, by=member, scheduled_at=SLOT, now=ACCEPTED_AT)
    for user, name, zone, wall in (
        (intro.candidate.user, "candidate_invite", "Europe/Berlin", "20260304T150000"),
        (member, "company_invite", "America/New_York", "20260304T090000"),
    ):
        client.force_login(user)
        raw = client.get(reverse(f"followup:{name}", args=[step.pk])).content
        assert f"DTSTART;TZID={zone}:{wall}".encode() in raw
        calendar = Calendar.from_ical(raw)
        [vtimezone] = calendar.walk("VTIMEZONE")
        assert str(vtimezone["TZID"]) == zone
        [event] = calendar.walk("VEVENT")
        assert event.decoded("DTSTART") == SLOT  # the same moment


def test_emails_to_members_name_each_members_zone(intro):
    berlin = factories.CompanyMemberFactory(company=intro.role.company, timezone="Europe/Berlin")
    services.send_reminders(now=ACCEPTED_AT + timedelta(days=8))
    reminder = Message.objects.get(recipient=berlin, kind="reminder")
    assert "closed on Monday 9 March 2026, 11:00 Europe/Berlin" in reminder.body


def test_a_release_entered_in_berlin_shows_as_entered(client, partner):
    berlin_ten = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # 10:00 in Berlin
    md = MatchDayFactory(
        name="Spring",
        release_at=berlin_ten,
        release_timezone="Europe/Berlin",
        interest_deadline=berlin_ten - timedelta(days=2),
    )
    partner.timezone = "America/New_York"  # the viewer's zone does not move the release
    partner.save()
    client.force_login(partner)
    for url in (reverse("matchdays:list"), reverse("followup:report_list")):
        html = client.get(url).content.decode()
        assert "Mon 2 Mar 2026, 10:00 Europe/Berlin" in html, url
        assert "09:00" not in html, url
    assert md.release_timezone == "Europe/Berlin"


def test_the_local_filter_writes_the_viewers_zone_by_name():
    template = Template(
        '{% load present %}{{ when|local }}|{{ when|local:"%A %-d %B" }}|{{ none|local }}'
    )
    with timezone.override("Asia/Kolkata"):
        out = template.render(Context({"when": SLOT, "none": None}))
    assert out == "Wed 4 Mar 2026, 19:30 Asia/Kolkata|Wednesday 4 March Asia/Kolkata|"
    assert format_in(SLOT, "UTC") == "Wed 4 Mar 2026, 14:00 UTC"


def test_a_person_chooses_their_zone_and_every_page_names_it(client, intro):
    user = intro.candidate.user
    client.force_login(user)
    page = client.get(reverse("accounts:timezone")).content.decode()
    assert "Automatic (Europe/Berlin)" in page
    response = client.post(reverse("accounts:timezone"), {"timezone": "Mars/Olympus"})
    assert response.status_code == 422
    response = client.post(reverse("accounts:timezone"), {"timezone": "Asia/Tokyo"}, follow=True)
    assert "Times are now shown in Asia/Tokyo." in response.content.decode()
    user.refresh_from_db()
    assert user.timezone == "Asia/Tokyo"
    page = client.get(reverse("followup:my_matchday")).content.decode()
    assert 'id="nav-timezone">Asia/Tokyo<' in page
    assert "released Mon 2 Mar 2026, 18:00 Asia/Tokyo" in page
