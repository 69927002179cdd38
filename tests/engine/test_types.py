import pytest

from matchday.engine.io import EngineInputError
from matchday.engine.types import Candidate, Money, Rates, RequiredSkill, Role, SkillClaim


def _role(**kw):
    base = dict(
        id="r1",
        company_id="co",
        title="t",
        level="senior",
        role_type="mle",
        pay_band_min=Money(100, "USD"),
        pay_band_max=Money(200, "USD"),
    )
    return Role(**(base | kw))


def test_rates_convert_currency_and_period_to_yearly_base():
    rates = Rates("USD", {"EUR": 1.25}, hours_per_year=2000)
    assert rates.annual_base(Money(100, "EUR", "hour")) == 250000.0
    assert rates.annual_base(Money(1000, "USD", "month")) == 12000.0


def test_unknown_currency_in_rates_names_the_currency():
    with pytest.raises(EngineInputError, match="no exchange rate for currency 'JPY'"):
        Rates("USD").annual_base(Money(1, "JPY"))


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Money(-1, "USD"), "must not be negative"),
        (lambda: SkillClaim("python", 6), "level must be 1..5, got 6"),
        (lambda: SkillClaim("python", 3, -1.0), "years must not be negative"),
        (lambda: RequiredSkill("python", 0), "min_level must be 1..5"),
        (lambda: Candidate("c", (), -2.0, "senior", "DE"), "years_experience must not be negative"),
        (lambda: Candidate("c", (), 2.0, "guru", "DE"), "level must be one of"),
        (
            lambda: Candidate("c", (), 2.0, "mid", "DE", dealbreakers=frozenset({"x"})),
            "unknown dealbreaker 'x'",
        ),
        (
            lambda: _role(pay_band_min=Money(300, "USD")),
            "pay band minimum 300 is above its maximum 200",
        ),
        (lambda: _role(location_policy="onsite"), "must list its office countries"),
        (lambda: _role(timezone_range=(3.0, 1.0)), "timezone_range start 3.0 is after end 1.0"),
        (lambda: _role(years_min=5.0, years_max=2.0), "years_max 2.0 is below years_min 5.0"),
    ],
)
def test_invalid_inputs_raise_clear_messages(make, message):
    with pytest.raises(EngineInputError, match=message):
        make()


def test_candidate_skill_listed_twice_is_refused():
    with pytest.raises(EngineInputError, match="skill 'python' is listed twice"):
        Candidate("c", (SkillClaim("python", 2), SkillClaim("python", 3)), 1.0, "mid", "DE")


def test_allowed_levels_default_to_the_role_level():
    assert _role().allowed_levels == ("senior",)
