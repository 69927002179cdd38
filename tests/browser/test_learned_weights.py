"""A talent partner proposes weights learned from past decisions, reads the comparison and
adopts them, in real Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from matchday.matchdays.models import ScoringWeightsVersion
from matchday.matchdays.weights import current_scoring_weights
from tests import factories
from tests.browser.helpers import log_in
from tests.learning_history import decision_history

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_partner_proposes_compares_and_adopts_learned_weights(page):
    partner = factories.PartnerFactory(full_name="Pat Partner")
    candidates = [factories.CandidateProfileFactory(active=True) for _ in range(6)]
    roles = [factories.RoleFactory(open=True) for _ in range(3)]
    decision_history(partner=partner, candidates=candidates, roles=roles, batches=5)

    log_in(page, partner.email)
    page.goto("/weights/")
    expect(
        page.get_by_role("heading", name="In use: version 0 (the engine's defaults)")
    ).to_be_visible()
    page.get_by_role("button", name="Propose new weights").click()

    expect(page.locator("#fit-status")).to_contain_text("Ready to compare")
    expect(page.locator("#fit-status")).to_contain_text("learned from 90 decisions")
    comparison = page.locator("#weights-comparison")
    expect(comparison.get_by_role("row", name="Required skills")).to_be_visible()
    expect(page.locator("#metrics-comparison")).to_contain_text("NDCG")
    assert current_scoring_weights()[0] == 0  # nothing changed yet

    page.get_by_label("Why adopt these weights").fill("Partners weigh required skills more.")
    page.get_by_role("button", name="Adopt these weights").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Adopted as weights version 1: the next curation run uses them."
    )
    expect(page.locator("#fit-status")).to_contain_text("adopted as version 1")
    expect(page.get_by_role("button", name="Adopt these weights")).to_have_count(0)

    version = ScoringWeightsVersion.objects.get()
    assert version.number == 1 and version.adopted_by == partner
    page.get_by_role("link", name="← Score weights").click()
    expect(page.get_by_role("heading", name="In use: version 1")).to_be_visible()
    expect(page.locator("#weights-versions")).to_contain_text(
        "Partners weigh required skills more."
    )
