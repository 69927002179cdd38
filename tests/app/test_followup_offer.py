"""A real offer step: terms inside the band (or a reason), the candidate's answer, the hire
only after acceptance, a hired candidate paused, and steps passed only after they happen."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from matchday.audits.models import AuditEntry
from matchday.followup import services
from matchday.followup.models import Offer, PipelineStep
from matchday.matchdays import adapters
from matchday.matchdays.models import MatchDay
from matchday.notifications.models import Message
from matchday.talent.models import CandidateProfile
from tests import factories
from tests.followup_factories import RELEASE_AT, released_intro

pytestmark = pytest.mark.django_db
ACCEPTED_AT = RELEASE_AT + timedelta(hours=1)  # Monday 2 March 2026, 10:00 UTC
NOW = ACCEPTED_AT + timedelta(days=3)
EXPIRES = NOW + timedelta(days=7)
START = date(2026, 5, 1)


@pytest.fixture
def intro():
    intro = released_intro()
    services.intro_accept(intro=intro, by=intro.candidate.user, now=ACCEPTED_AT)
    intro.refresh_from_db()
    return intro


@pytest.fixture
def member(intro):
    return factories.CompanyMemberFactory(company=intro.role.company, full_name="Hana Hiring")


def current(intro) -> PipelineStep:
    return intro.steps.filter(status__in=["open", "scheduled"]).get()


@pytest.fixture
def offer_step(intro, member) -> PipelineStep:
    services.step_complete(step=current(intro), by=member, now=NOW - timedelta(days=1))  # screen
    step = current(intro)
    assert step.kind == "offer"
    return step


def make(step, member, **kwargs) -> Offer:
    terms = {"amount": 120000, "start_date": START, "expires_at": EXPIRES, "now": NOW}
    return services.offer_make(step=step, by=member, **{**terms, **kwargs})


def test_offer_made_records_amount_currency_start_expiry_and_notes(intro, offer_step, member):
    offer = make(offer_step, member, notes="Includes 0.1% equity.")
    offer.refresh_from_db()
    assert (offer.amount, offer.currency, offer.pay_period, offer.start_date) == (
        120000,
        "EUR",
        "year",
        START,
    )
    assert (offer.expires_at, offer.notes, offer.status) == (
        EXPIRES,
        "Includes 0.1% equity.",
        "made",
    )
    assert AuditEntry.objects.filter(action="offer.make", target_id=str(offer.pk)).count() == 1
    message = Message.objects.filter(recipient=intro.candidate.user).latest("pk")
    assert message.subject == f"Offer from {intro.role.company.name}: Senior ML Engineer"
    assert "120,000 EUR per year, starting 1 May 2026" in message.body
    # in the candidate's own zone (Europe/Berlin), zone named
    assert "Please accept or decline by Thu 12 Mar 2026, 11:00 Europe/Berlin." in message.body
    # the offer step stays open: the candidate answers it
    assert current(intro).pk == offer_step.pk


def test_an_offer_outside_the_band_needs_a_reason(offer_step, member):
    with pytest.raises(ValidationError) as exc:
        make(offer_step, member, amount=140000)
    assert exc.value.message_dict == {
        "outside_band_reason": [
            "140,000 EUR is outside the role's band (100,000–130,000 EUR); give the candidate "
            "a reason to go outside it."
        ]
    }
    offer = make(offer_step, member, amount=140000, outside_band_reason="Staff-level scope.")
    assert offer.outside_band_reason == "Staff-level scope."


def test_an_offer_in_another_currency_counts_as_outside_the_band(offer_step, member):
    with pytest.raises(ValidationError) as exc:
        make(offer_step, member, amount=120000, currency="USD")
    assert list(exc.value.message_dict) == ["outside_band_reason"]


@pytest.mark.parametrize(
    ("terms", "field", "message"),
    [
        (
            {"expires_at": NOW + timedelta(hours=2)},
            "expires_at",
            "The offer must stay open for at least 24 hours.",
        ),
        (
            {"expires_at": NOW + timedelta(days=31)},
            "expires_at",
            "The offer may stay open for at most 30 days.",
        ),
        ({"start_date": date(2026, 3, 1)}, "start_date", "The start date cannot be in the past."),
        (
            {"start_date": date(2027, 4, 1)},
            "start_date",
            "The start date may be at most 366 days ahead.",
        ),
    ],
)
def test_offer_terms_are_bounded(offer_step, member, terms, field, message):
    with pytest.raises(ValidationError) as exc:
        make(offer_step, member, **terms)
    assert exc.value.message_dict == {field: [message]}


def test_only_the_company_makes_offers_and_only_on_the_offer_step(intro, offer_step, member):
    stranger = factories.CompanyMemberFactory(company__vetted=True)
    with pytest.raises(PermissionDenied):
        make(offer_step, stranger)
    with pytest.raises(PermissionDenied):
        make(offer_step, intro.candidate.user)
    screen = intro.steps.get(kind="screen")
    screen.status = "open"
    screen.save()
    with pytest.raises(ValidationError) as exc:
        make(screen, member)
    assert exc.value.messages == ["An offer is made on the offer step (this is the screen)."]


def test_the_offer_step_cannot_be_passed_without_terms(offer_step, member):
    with pytest.raises(ValidationError) as exc:
        services.step_complete(step=offer_step, by=member, now=NOW)
    assert exc.value.messages == [services.OFFER_NEEDS_TERMS]


def test_a_new_offer_withdraws_the_one_awaiting_an_answer(intro, offer_step, member):
    first = make(offer_step, member)
    second = make(offer_step, member, amount=125000, now=NOW + timedelta(hours=1))
    first.refresh_from_db()
    assert (first.status, second.status) == ("withdrawn", "made")


def test_candidate_accepts_then_the_company_records_the_hire_and_the_candidate_is_paused(
    intro, offer_step, member
):
    offer = make(offer_step, member)
    services.offer_accept(offer=offer, by=intro.candidate.user, now=NOW + timedelta(days=1))
    offer.refresh_from_db()
    offer_step.refresh_from_db()
    assert (offer.status, offer_step.status) == ("accepted", "done")
    hire = current(intro)
    assert hire.kind == "hired"
    accepted = Message.objects.get(recipient=member, subject__contains="accepted your offer")
    assert "Record the hire once the contract is signed." in accepted.body

    services.step_complete(step=hire, by=member, now=NOW + timedelta(days=2))
    intro.refresh_from_db()
    profile = CandidateProfile.objects.get(pk=intro.candidate_id)
    assert (intro.status, profile.status) == ("hired", "paused")
    assert AuditEntry.objects.filter(action="candidate.pause_hired").count() == 1
    welcome = Message.objects.get(recipient=intro.candidate.user, subject__startswith="Welcome to")
    assert "We paused your search" in welcome.body
    assert reverse("followup:controls") in welcome.body
    # a paused candidate is not eligible for the next curation
    assert profile not in adapters.participating_candidates(MatchDay(name="The next one"))


def test_hire_is_refused_without_an_accepted_offer(intro, offer_step, member):
    # Put the hire step in place by hand, as a company could not: the service still refuses.
    offer_step.status = "done"
    offer_step.save()
    hire = PipelineStep.objects.create(
        intro=intro,
        position=offer_step.position + 1,
        kind="hired",
        name="Hire",
        due_at=NOW + timedelta(days=7),
    )
    with pytest.raises(ValidationError) as exc:
        services.step_complete(step=hire, by=member, now=NOW)
    assert exc.value.messages == [services.HIRE_NEEDS_ACCEPTANCE]
    intro.refresh_from_db()
    assert intro.status == "accepted"


def test_candidate_declines_with_a_reason_and_the_company_may_offer_again(
    intro, offer_step, member
):
    offer = make(offer_step, member)
    services.offer_decline(
        offer=offer, by=intro.candidate.user, reason="Took another offer.", now=NOW
    )
    offer.refresh_from_db()
    assert (offer.status, offer.decline_reason) == ("declined", "Took another offer.")
    message = Message.objects.get(recipient=member, subject__contains="declined your offer")
    assert "Their reason: Took another offer." in message.body
    assert current(intro).pk == offer_step.pk  # the company acts again: new offer or close
    assert make(offer_step, member, now=NOW + timedelta(hours=1)).status == "made"


def test_only_the_candidate_answers_and_only_once(intro, offer_step, member):
    offer = make(offer_step, member)
    other = factories.CandidateProfileFactory(active=True).user
    with pytest.raises(PermissionDenied):
        services.offer_accept(offer=offer, by=other, now=NOW)
    with pytest.raises(PermissionDenied):
        services.offer_accept(offer=offer, by=member, now=NOW)
    services.offer_decline(offer=offer, by=intro.candidate.user, now=NOW)
    with pytest.raises(ValidationError) as exc:
        services.offer_accept(offer=offer, by=intro.candidate.user, now=NOW)
    assert exc.value.messages == [
        "This offer is declined; only an offer awaiting an answer can be answered."
    ]


def test_an_offer_cannot_be_accepted_after_its_expiry(intro, offer_step, member):
    offer = make(offer_step, member)
    with pytest.raises(ValidationError) as exc:
        services.offer_accept(offer=offer, by=intro.candidate.user, now=EXPIRES)
    assert exc.value.messages == ["This offer expired on Thu 12 Mar 2026, 11:00 Europe/Berlin."]


def test_the_tick_reminds_a_day_before_expiry_then_expires_and_tells_both(
    intro, offer_step, member
):
    offer = make(offer_step, member)
    run = services.offers_remind_and_expire(now=EXPIRES - timedelta(hours=30))
    assert (run.reminded, run.expired) == (0, 0)
    run = services.offers_remind_and_expire(now=EXPIRES - timedelta(hours=20))
    again = services.offers_remind_and_expire(now=EXPIRES - timedelta(hours=19))
    assert (run.reminded, again.reminded) == (1, 0)
    expiring = Message.objects.get(recipient=intro.candidate.user, subject__contains="expires soon")
    assert "Thu 12 Mar 2026, 11:00 Europe/Berlin" in expiring.body
    run = services.offers_remind_and_expire(now=EXPIRES)
    assert run.expired == 1
    offer.refresh_from_db()
    assert offer.status == "expired"
    assert Message.objects.filter(
        recipient=intro.candidate.user, subject__endswith="expired"
    ).exists()
    assert Message.objects.filter(recipient=member, subject__contains="did not answer").exists()
    assert services.offers_remind_and_expire(now=EXPIRES + timedelta(hours=1)).expired == 0


def test_closing_the_process_withdraws_an_open_offer(intro, offer_step, member):
    offer = make(offer_step, member)
    services.pipeline_close(intro=intro, by=member, reason="Budget frozen.", now=NOW)
    offer.refresh_from_db()
    assert offer.status == "withdrawn"


def test_a_scheduled_interview_cannot_be_passed_before_it_takes_place(intro, member):
    screen = current(intro)
    slot = datetime(2026, 3, 4, 14, 0, tzinfo=UTC)
    services.step_schedule(step=screen, by=member, scheduled_at=slot, now=ACCEPTED_AT)
    with pytest.raises(ValidationError) as exc:
        services.step_complete(step=screen, by=member, now=slot - timedelta(minutes=1))
    assert exc.value.messages == [
        "The screen is scheduled for Wed 4 Mar 2026, 14:00 UTC; record its outcome once it has "
        "taken place."
    ]
    services.step_complete(step=screen, by=member, now=slot + timedelta(minutes=30))
    screen.refresh_from_db()
    assert screen.status == "done"


def test_the_offer_through_the_pages(client, intro, offer_step, member):
    client.force_login(member)
    page = client.get(reverse("followup:pipeline_intro", args=[intro.pk])).content.decode()
    assert 'id="offer-form"' in page and 'id="complete-form"' not in page
    assert "The role&#x27;s band: 100,000–130,000 EUR per year." in page
    start = (datetime.now(UTC).date() + timedelta(days=30)).isoformat()
    expires = (datetime.now(UTC) + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("followup:offer_make", args=[offer_step.pk]),
        {
            "amount": "125000",
            "currency": "EUR",
            "start_date": start,
            "expires_at": expires,
            "notes": "Welcome!",
        },
        follow=True,
    )
    assert "Offer made; the candidate has been told." in response.content.decode()
    offer = Offer.objects.get()

    client.force_login(intro.candidate.user)
    page = client.get(reverse("followup:my_matchday")).content.decode()
    assert "Your offer from" in page and "125,000 EUR per year" in page and "Welcome!" in page
    response = client.post(
        reverse("followup:offer_decline", args=[offer.pk]), {"reason": "Too far."}, follow=True
    )
    assert "Offer declined" in response.content.decode()
    offer.refresh_from_db()
    assert (offer.status, offer.decline_reason) == ("declined", "Too far.")
    # another candidate cannot answer it
    client.force_login(factories.CandidateProfileFactory(active=True).user)
    assert client.post(reverse("followup:offer_accept", args=[offer.pk])).status_code == 404


def test_the_offer_through_the_api(intro, offer_step, member):
    from tests.api.helpers import api_as

    company, candidate = api_as(member), api_as(intro.candidate.user)
    expires = (datetime.now(UTC) + timedelta(days=5)).isoformat()
    start = (datetime.now(UTC).date() + timedelta(days=30)).isoformat()
    terms = {"amount": 150000, "start_date": start, "expires_at": expires}
    refused = company.post(f"/steps/{offer_step.pk}/offer", terms)
    assert refused.status_code == 422, refused.content  # outside the band, no reason
    [error] = refused.json()["errors"]
    assert error["field"] == "outside_band_reason" and "outside the role's band" in error["message"]
    assert candidate.post(f"/steps/{offer_step.pk}/offer", terms).status_code == 403
    made = company.post(f"/steps/{offer_step.pk}/offer", {**terms, "amount": 120000})
    assert made.status_code == 201, made.content
    offer = made.json()
    assert (offer["amount"], offer["currency"], offer["status"]) == (120000, "EUR", "made")
    listed = candidate.get(f"/intros/{intro.pk}/offers").json()
    assert [o["id"] for o in listed] == [offer["id"]]
    assert candidate.get(f"/intros/{intro.pk}").json()["offers"][0]["id"] == offer["id"]
    assert company.post(f"/offers/{offer['id']}/accept").status_code == 403
    accepted = candidate.post(f"/offers/{offer['id']}/accept")
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "accepted"
    hire = current(intro)
    hired = company.post(f"/steps/{hire.pk}/complete", {})
    assert hired.status_code == 200, hired.content
    intro.refresh_from_db()
    assert intro.status == "hired"


def test_an_expiry_without_its_utc_offset_is_refused(offer_step, member):
    with pytest.raises(ValidationError) as exc:
        make(offer_step, member, expires_at=EXPIRES.replace(tzinfo=None))
    assert exc.value.message_dict == {"expires_at": [services.OFFER_EXPIRY_NEEDS_ZONE]}


def test_a_decline_gives_the_company_a_new_window_but_keeps_a_recorded_miss(
    intro, offer_step, member
):
    from matchday.followup.models import ResponseRecord

    late = offer_step.due_at + timedelta(days=3)
    services.send_reminders(now=late)  # the company missed making the offer in time
    assert ResponseRecord.objects.get(step=offer_step).missed
    offer = make(offer_step, member, now=late, expires_at=late + timedelta(days=2))
    services.offer_decline(offer=offer, by=intro.candidate.user, now=late + timedelta(days=1))
    record = ResponseRecord.objects.get(step=offer_step)
    assert record.missed and record.responded_at == late
    offer_step.refresh_from_db()
    assert offer_step.due_at > late + timedelta(days=1)
    assert (offer_step.reminded_at, offer_step.escalated_at) == (None, None)
