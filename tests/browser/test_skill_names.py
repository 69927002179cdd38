"""A talent partner maps an unmapped skill name in real Chromium: the page lists the names
profiles and roles use outside the taxonomy, and one click (htmx, CSRF) makes one an alias
of a skill, in a new taxonomy version, with the profiles moved onto it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from matchday.engine.taxonomy import load_taxonomy
from matchday.talent import services as talent_services
from matchday.talent.models import CandidateSkill
from matchday.taxonomy.models import TaxonomyChange
from tests import factories
from tests.browser.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_partner_maps_an_unmapped_name_as_an_alias_in_one_click(page):
    partner = factories.PartnerFactory(full_name="Pat Partner")
    for name in ("Vue.js 3 Composition API", "vue.js 3 composition api", "KaTeX"):
        profile = factories.CandidateProfileFactory()
        talent_services.candidate_skill_set(
            profile=profile, by=profile.user, skill_id=name, level=4, years=2
        )
    log_in(page, partner.email)
    page.get_by_role("link", name="Skill names").click()
    expect(page.get_by_role("heading", name="Unmapped skill names")).to_be_visible()
    rows = page.locator("tr.unmapped-name")
    expect(rows).to_have_count(2)
    first = rows.first
    expect(first).to_contain_text("Vue.js 3 Composition API")
    expect(first.locator("td").nth(1)).to_have_text("2")
    base = load_taxonomy().version
    expect(page.get_by_test_id("taxonomy-version")).to_have_text(base)

    target = first.get_by_label("Alias of which skill, for Vue.js 3 Composition API")
    target.fill("Vue")
    first.locator("button[data-action=alias]").click()

    expect(page.locator("#unmapped [role=status]")).to_contain_text(
        "“Vue.js 3 Composition API” is now an alias of vue"
    )
    expect(page.locator("tr.unmapped-name")).to_have_count(1)
    change = TaxonomyChange.objects.get()
    expect(page.get_by_test_id("taxonomy-version")).to_have_text(f"{base}+{change.pk}")
    assert (change.kind, change.skill_id, change.created_by_id) == ("alias", "vue", partner.pk)
    assert CandidateSkill.objects.filter(skill_id="vue").count() == 2
