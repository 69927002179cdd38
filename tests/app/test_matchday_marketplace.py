"""A small seeded marketplace for the Match Day tests, and checks of the seed itself.

Every identifying string is distinctive, so a blind page can be searched for it."""

from __future__ import annotations

import pytest

from tests.market import (
    Market,
    build_market,
)


@pytest.fixture
def market(db) -> Market:
    return build_market()


def test_seeded_market_has_distinct_identities(market):
    names = {p.full_name for p in market.people}
    assert len(names) == len(market.people) == 5
    assert market.hider.hidden_companies.get() == market.member_a.company
