"""Factories for Match Day rows (release and after), and a check that they are what the
release query expects. Imported by the other ``test_followup_*`` modules."""

from __future__ import annotations

import pytest

from matchday.matchdays.models import Interest, Proposal
from tests.followup_factories import (
    interested_proposal,
)


@pytest.mark.django_db
def test_interested_proposal_factory_builds_what_release_selects():
    proposal = interested_proposal()
    selected = Proposal.objects.filter(
        status=Proposal.Status.APPROVED, interest__decision=Interest.Decision.INTERESTED
    )
    assert list(selected) == [proposal]
    assert proposal.matchday.release_at.weekday() == 0
