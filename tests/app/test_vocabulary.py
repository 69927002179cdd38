"""The app's choices are the engine's vocabulary: adapters pass the values through unchanged,
so a value the engine doesn't know (or a new engine value the forms can't offer) would only
surface as a failed curation. These tests keep the two in step."""

from matchday.core import choices
from matchday.engine import types


def test_levels_are_the_engines_in_the_same_order():
    # Order matters: seniority comparisons use the position in both places.
    assert tuple(choices.Level.values) == types.LEVELS
    assert {level: types.level_ordinal(level) for level in types.LEVELS} == choices.LEVEL_ORDER


def test_location_policies_and_pay_periods_are_the_engines():
    assert tuple(choices.RemotePreference.values) == types.LOCATION_POLICIES
    assert tuple(choices.PayPeriod.values) == types.PERIODS


def test_every_dealbreaker_a_candidate_can_mark_is_one_the_engine_applies():
    assert set(choices.Preference.values) <= types.DEALBREAKER_NAMES
