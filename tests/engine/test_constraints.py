import pytest

from matchday.engine.scoring import check_constraints
from matchday.engine.types import Candidate, Money, Rates, Role

RATES = Rates("USD", {"EUR": 1.1})


def _cand(**kw):
    return Candidate(
        **(
            {
                "id": "c",
                "skills": (),
                "years_experience": 5.0,
                "level": "senior",
                "country": "DE",
                "city": "Berlin",
                "timezone": 1.0,
            }
            | kw
        )
    )


def _role(**kw):
    return Role(
        **(
            {
                "id": "r",
                "company_id": "co",
                "title": "t",
                "level": "senior",
                "role_type": "mle",
                "pay_band_min": Money(90000, "EUR"),
                "pay_band_max": Money(120000, "EUR"),
            }
            | kw
        )
    )


def _failed(cand, role):
    return {c.name: c.reason for c in check_constraints(cand, role, RATES) if not c.passed}


def test_all_core_constraints_are_checked_in_order():
    names = [c.name for c in check_constraints(_cand(), _role(), RATES)]
    assert names == [
        "pay",
        "remote",
        "location",
        "timezone",
        "work_authorization",
        "role_type",
        "level",
    ]


def test_pay_compares_minimum_with_band_maximum_after_conversion():
    # 140,000 USD > 120,000 EUR = 132,000 USD
    failed = _failed(_cand(min_pay=Money(140000, "USD")), _role())
    assert "pay" in failed
    assert "132,000 USD/year" in failed["pay"]
    assert _failed(_cand(min_pay=Money(130000, "USD")), _role()) == {}


def test_pay_dealbreaker_compares_with_band_minimum():
    cand = _cand(min_pay=Money(100000, "USD"), dealbreakers=frozenset({"pay"}))
    assert "pay" in _failed(cand, _role())  # band minimum 99,000 USD


@pytest.mark.parametrize(
    ("pref", "policy", "ok"),
    [("remote", "hybrid", False), ("hybrid", "remote", True), ("onsite", "onsite", True)],
)
def test_remote_preference_accepts_arrangements(pref, policy, ok):
    role = _role(
        location_policy=policy, allowed_countries=frozenset({"DE"}), cities=frozenset({"Berlin"})
    )
    assert ("remote" not in _failed(_cand(remote_preference=pref), role)) is ok


def test_onsite_role_needs_a_city_the_candidate_is_in_or_accepts():
    role = _role(
        location_policy="onsite", allowed_countries=frozenset({"GB"}), cities=frozenset({"London"})
    )
    cand = _cand(remote_preference="onsite", work_authorization=frozenset({"DE", "GB"}))
    assert "location" in _failed(cand, role)
    assert (
        _failed(
            cand.__class__(**{**_fields(cand), "acceptable_cities": frozenset({"London"})}), role
        )
        == {}
    )


def _fields(c):
    return {f: getattr(c, f) for f in c.__dataclass_fields__}


def test_timezone_range_applies_to_remote_roles():
    failed = _failed(_cand(timezone=1.0), _role(timezone_range=(-8.0, -3.0)))
    assert failed == {"timezone": "the role wants UTC-8..UTC-3; the candidate is at UTC+1"}


def test_remote_role_needs_authorisation_where_the_candidate_would_work():
    role = _role(allowed_countries=frozenset({"US"}))
    cand = _cand(acceptable_countries=frozenset({"US"}))  # would move, but not authorised
    assert set(_failed(cand, role)) == {"work_authorization"}


def test_role_type_and_level_are_hard():
    failed = _failed(_cand(role_types=frozenset({"sre"}), level="mid"), _role())
    assert set(failed) == {"role_type", "level"}


def test_domain_dealbreaker_is_checked_only_when_marked():
    role = _role(domains=frozenset({"ads"}))
    assert _failed(_cand(domains=frozenset({"health"})), role) == {}
    marked = _cand(domains=frozenset({"health"}), dealbreakers=frozenset({"domain"}))
    assert set(_failed(marked, role)) == {"domain"}
