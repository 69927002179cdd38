"""The follow-up records' share of a candidate's data rights (registered with
``talent.rights`` when the app loads): the export's intros with their pipelines, and erasure
that keeps the records for counts and responsiveness but erases the free text about them."""

from __future__ import annotations

from typing import Any

from matchday.followup.models import Intro, Offer, PipelineStep
from matchday.notifications.rights import messages_scrub_about
from matchday.talent.models import CandidateProfile
from matchday.talent.rights import Erasure, RightsPart, values


def intros_export(user, profile: CandidateProfile) -> list[dict[str, Any]]:
    intros = (
        Intro.objects.filter(candidate=profile)
        .select_related("role__company", "matchday")
        .prefetch_related("steps", "offers")
        .order_by("released_at", "pk")
    )
    return [
        {
            "matchday": i.matchday.name,
            "role": i.role.title,
            "company": i.role.company.name,
            "offered_salary": i.offered_salary,
            "currency": i.role.pay_currency,
            "status": i.status,
            "released_at": i.released_at,
            "decided_at": i.decided_at,
            "decline_reason": i.decline_reason,
            "close_reason": i.close_reason,
            "pipeline": [
                values(
                    s,
                    [
                        "position",
                        "kind",
                        "name",
                        "status",
                        "due_at",
                        "scheduled_at",
                        "location",
                        "notes",
                        "close_reason",
                        "completed_at",
                    ],
                )
                for s in i.steps.all()
            ],
            "offers": [
                values(o, [*OFFER_FIELDS, "status", "made_at", "answered_at"])
                for o in i.offers.all()
            ],
        }
        for i in intros
    ]


OFFER_FIELDS = [
    "amount",
    "currency",
    "pay_period",
    "start_date",
    "expires_at",
    "notes",
    "outside_band_reason",
    "decline_reason",
]


def erase(erasure: Erasure) -> None:
    intros = list(Intro.objects.filter(candidate=erasure.profile))
    Intro.objects.filter(candidate=erasure.profile).update(decline_reason="", close_reason="")
    steps = list(PipelineStep.objects.filter(intro__in=intros))
    PipelineStep.objects.filter(intro__in=intros).update(notes="", location="", close_reason="")
    offers = list(Offer.objects.filter(intro__in=intros))
    Offer.objects.filter(intro__in=intros).update(
        notes="", outside_band_reason="", decline_reason=""
    )
    messages_scrub_about([*intros, *steps, *offers], erasure.identity)


RIGHTS = RightsPart(export={"intros": intros_export}, erase=erase)
