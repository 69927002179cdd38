"""The Match Day records' share of a candidate's data rights (registered with
``talent.rights`` when the app loads): the export's proposals, and erasure that keeps the
records for counts but erases the free text about them. Intros and their pipelines are the
follow-up's share (``followup.rights``)."""

from __future__ import annotations

from typing import Any

from matchday.matchdays.models import BlindTerm, Interest, MatchDay, Proposal
from matchday.talent.models import CandidateProfile
from matchday.talent.rights import ERASED, Erasure, RightsPart


def _decisions_released(matchday: MatchDay) -> bool:
    """Companies decide blind and candidates learn the outcome on Match Day, all at once: before
    release the export says a decision is withheld, never what it is (nor whether one exists)."""
    return matchday.status in {MatchDay.Status.RELEASED, MatchDay.Status.CLOSED}


def proposals_export(user, profile: CandidateProfile) -> list[dict[str, Any]]:
    proposals = (
        Proposal.objects.filter(candidate=profile)
        .select_related("matchday", "role__company", "interest")
        .order_by("created_at", "pk")
    )
    return [
        {
            "matchday": p.matchday.name,
            "role": p.role.title,
            "company": p.role.company.name,
            "created_at": p.created_at,
            "score": p.score,
            "explanation": p.sentences,
            "review": {
                "status": p.status,
                "reviewed_at": p.reviewed_at,
                "reason": p.review_reason,
            },
            "company_decision": (
                {
                    "decision": p.interest.decision,
                    "offered_salary": p.interest.offered_salary,
                    "note": p.interest.note,
                    "pass_reason": p.interest.pass_reason,
                    "decided_at": p.interest.decided_at,
                }
                if hasattr(p, "interest") and _decisions_released(p.matchday)
                else None
            ),
            "company_decision_withheld": not _decisions_released(p.matchday),
        }
        for p in proposals
    ]


def erase(erasure: Erasure) -> None:
    profile = erasure.profile
    BlindTerm.objects.filter(candidate=profile).delete()  # partners' terms about them
    proposals = Proposal.objects.filter(candidate=profile)
    proposals.update(explanation={}, sentences=[])
    proposals.filter(status=Proposal.Status.REJECTED).update(review_reason=ERASED)
    proposals.exclude(status=Proposal.Status.REJECTED).update(review_reason="")
    interests = Interest.objects.filter(proposal__candidate=profile)
    interests.update(note="")
    interests.filter(decision=Interest.Decision.PASSED).update(pass_reason=ERASED)


RIGHTS = RightsPart(export={"proposals": proposals_export}, erase=erase)
