"""The engine's input types: candidates, roles, money and exchange rates.

Frozen dataclasses that carry what the web app's data model holds, validated on
construction so that every later step can trust them. Invalid values raise
:class:`~matchday.engine.io.EngineInputError` with a message naming the entry.

Decisions, documented once here:

* **Money** is an ``int`` amount in *whole* units of its currency (``180000`` USD per
  year, ``95`` EUR per hour). Salaries and rates are agreed in whole units; the engine
  never needs cents, and integers keep JSON exact.
* **Timezones** are UTC offsets in hours (``-5.0``, ``5.5``), not IANA names: a role's
  allowed range is an offset interval, and offsets compare as numbers.
* **Levels** are ordinals ``junior < mid < senior < staff < principal``; skill levels are
  integers 1..5.
* **Rates** are supplied by the caller (never fetched): ``to_base[c]`` is the value of one
  unit of currency ``c`` in the base currency; periods convert through fixed hours, days
  and months per year.

>>> rates = Rates(base="USD", to_base={"EUR": 1.25})
>>> rates.annual_base(Money(100, "EUR", "hour"))
260000.0
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

from matchday.engine.io import EngineInputError

__all__ = [
    "DEALBREAKER_NAMES",
    "LEVELS",
    "LOCATION_POLICIES",
    "PERIODS",
    "Candidate",
    "Money",
    "Rates",
    "RequiredSkill",
    "Role",
    "SkillClaim",
    "level_ordinal",
]

LEVELS: tuple[str, ...] = ("junior", "mid", "senior", "staff", "principal")
LOCATION_POLICIES: tuple[str, ...] = ("remote", "hybrid", "onsite")
PERIODS: tuple[str, ...] = ("year", "month", "day", "hour")
DEALBREAKER_NAMES: frozenset[str] = frozenset(
    {"pay", "location", "role_type", "domain", "company_stage", "company_size", "level"}
)

Period = Literal["year", "month", "day", "hour"]
LocationPolicy = Literal["remote", "hybrid", "onsite"]


def level_ordinal(level: str) -> int:
    """Position of a seniority level in :data:`LEVELS` (``junior`` is 0).

    >>> level_ordinal("staff")
    3
    """
    try:
        return LEVELS.index(level)
    except ValueError:
        raise EngineInputError(f"unknown level {level!r}; expected one of {LEVELS}") from None


def _strings(value: object, what: str) -> tuple[str, ...]:
    if isinstance(value, str) or not all(isinstance(v, str) for v in value):  # type: ignore[attr-defined]
        raise EngineInputError(f"{what} must be a list of strings, got {value!r}")
    return tuple(value)  # type: ignore[arg-type]


def _finite(value: float, what: str) -> None:
    if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
        raise EngineInputError(f"{what} must be a finite number, got {value!r}")


@dataclass(frozen=True, slots=True)
class Money:
    """An amount of money per period, in whole units of ``currency``.

    >>> Money(120000, "EUR", "year").amount
    120000
    """

    amount: int
    currency: str
    period: Period = "year"

    def __post_init__(self) -> None:
        if isinstance(self.amount, bool) or not isinstance(self.amount, int):
            raise EngineInputError(f"money amount must be a whole number, got {self.amount!r}")
        if self.amount < 0:
            raise EngineInputError(f"money amount must not be negative, got {self.amount}")
        if not isinstance(self.currency, str) or len(self.currency) != 3:
            raise EngineInputError(f"currency must be a 3-letter code, got {self.currency!r}")
        if self.period not in PERIODS:
            raise EngineInputError(f"period must be one of {PERIODS}, got {self.period!r}")


@dataclass(frozen=True, slots=True)
class Rates:
    """Exchange rates to a base currency and period lengths, supplied by the caller.

    ``to_base[c]`` is the value of one unit of ``c`` in ``base``; the base currency
    itself is always 1.

    >>> Rates(base="USD", to_base={"GBP": 1.25}).annual_base(Money(10000, "GBP", "month"))
    150000.0
    """

    base: str = "USD"
    to_base: Mapping[str, float] = field(default_factory=dict)
    hours_per_year: float = 2080.0
    days_per_year: float = 260.0
    months_per_year: float = 12.0

    def __post_init__(self) -> None:
        if not isinstance(self.base, str) or len(self.base) != 3:
            raise EngineInputError(f"rates base must be a 3-letter code, got {self.base!r}")
        table = dict(self.to_base)
        for code, rate in table.items():
            _finite(rate, f"rate for {code!r}")
            if rate <= 0:
                raise EngineInputError(f"rate for {code!r} must be positive, got {rate}")
        table[self.base] = 1.0
        object.__setattr__(self, "to_base", MappingProxyType(table))
        for name in ("hours_per_year", "days_per_year", "months_per_year"):
            value = getattr(self, name)
            _finite(value, name)
            if value <= 0:
                raise EngineInputError(f"{name} must be positive, got {value}")

    def periods_per_year(self, period: str) -> float:
        """How many ``period`` fit in a year."""
        if period == "year":
            return 1.0
        if period == "month":
            return float(self.months_per_year)
        if period == "day":
            return float(self.days_per_year)
        if period == "hour":
            return float(self.hours_per_year)
        raise EngineInputError(f"period must be one of {PERIODS}, got {period!r}")

    def annual_base(self, money: Money) -> float:
        """``money`` as a yearly amount in the base currency (a float)."""
        try:
            rate = self.to_base[money.currency]
        except KeyError:
            raise EngineInputError(
                f"no exchange rate for currency {money.currency!r} (base {self.base})"
            ) from None
        return float(money.amount) * float(rate) * self.periods_per_year(money.period)


@dataclass(frozen=True, slots=True)
class SkillClaim:
    """A skill a candidate claims: taxonomy id, level 1..5, years, and evidence text."""

    skill_id: str
    level: int
    years: float = 0.0
    evidence: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.skill_id, str) or not self.skill_id:
            raise EngineInputError(f"skill id must be a non-empty string, got {self.skill_id!r}")
        if isinstance(self.level, bool) or not isinstance(self.level, int):
            raise EngineInputError(f"skill {self.skill_id!r}: level must be an integer 1..5")
        if not 1 <= self.level <= 5:
            raise EngineInputError(f"skill {self.skill_id!r}: level must be 1..5, got {self.level}")
        _finite(self.years, f"skill {self.skill_id!r}: years")
        if self.years < 0:
            raise EngineInputError(
                f"skill {self.skill_id!r}: years must not be negative, got {self.years}"
            )


@dataclass(frozen=True, slots=True)
class RequiredSkill:
    """A skill a role asks for, with the minimum level and a relative weight (> 0)."""

    skill_id: str
    min_level: int = 1
    weight: float = 1.0

    def __post_init__(self) -> None:
        if not isinstance(self.skill_id, str) or not self.skill_id:
            raise EngineInputError(f"skill id must be a non-empty string, got {self.skill_id!r}")
        if isinstance(self.min_level, bool) or not isinstance(self.min_level, int):
            raise EngineInputError(f"skill {self.skill_id!r}: min_level must be an integer 1..5")
        if not 1 <= self.min_level <= 5:
            raise EngineInputError(
                f"skill {self.skill_id!r}: min_level must be 1..5, got {self.min_level}"
            )
        _finite(self.weight, f"skill {self.skill_id!r}: weight")
        if self.weight <= 0:
            raise EngineInputError(
                f"skill {self.skill_id!r}: weight must be positive, got {self.weight}"
            )


def _check_timezone(offset: float, what: str) -> None:
    _finite(offset, what)
    if not -12.0 <= offset <= 14.0:
        raise EngineInputError(f"{what} must be a UTC offset in hours (-12..14), got {offset}")


@dataclass(frozen=True, slots=True)
class Candidate:
    """A vetted candidate, as the engine sees them (no name, no contact details).

    ``remote_preference`` is the arrangement the candidate asks for: ``remote`` accepts
    only remote roles, ``hybrid`` accepts hybrid or remote, ``onsite`` accepts any.
    Empty ``role_types``/``domains``/``company_stages``/``company_sizes`` mean "no
    preference"; empty ``work_authorization`` means "authorised in ``country`` only".
    ``preference_weights`` weigh the soft, candidate-side preferences (default 1 each).
    ``achievements_text``, ``summary_text`` and ``experience_text`` are compared with the
    role's text (:mod:`matchday.engine.texts`). ``level_inferred``: the level was inferred (:mod:`matchday.engine.seniority`), not
    stated, so it is no hard filter; it still counts in the seniority fit.
    """

    id: str
    skills: tuple[SkillClaim, ...]
    years_experience: float
    level: str
    country: str
    city: str = ""
    timezone: float = 0.0
    remote_preference: LocationPolicy = "remote"
    acceptable_countries: frozenset[str] = frozenset()
    acceptable_cities: frozenset[str] = frozenset()
    work_authorization: frozenset[str] = frozenset()
    role_types: frozenset[str] = frozenset()
    domains: frozenset[str] = frozenset()
    company_stages: frozenset[str] = frozenset()
    company_sizes: frozenset[str] = frozenset()
    min_pay: Money | None = None
    dealbreakers: frozenset[str] = frozenset()
    preference_weights: Mapping[str, float] = field(default_factory=dict)
    achievements_text: str = ""
    level_inferred: bool = False
    summary_text: str = ""
    experience_text: str = ""

    def __post_init__(self) -> None:  # noqa: C901 - complexity 16, to split into named steps
        where = f"candidate {self.id!r}"
        if not isinstance(self.id, str) or not self.id:
            raise EngineInputError(f"candidate id must be a non-empty string, got {self.id!r}")
        object.__setattr__(self, "skills", tuple(self.skills))
        seen: set[str] = set()
        for claim in self.skills:
            if not isinstance(claim, SkillClaim):
                raise EngineInputError(f"{where}: skills must be SkillClaim, got {claim!r}")
            if claim.skill_id in seen:
                raise EngineInputError(f"{where}: skill {claim.skill_id!r} is listed twice")
            seen.add(claim.skill_id)
        _finite(self.years_experience, f"{where}: years_experience")
        if self.years_experience < 0:
            raise EngineInputError(
                f"{where}: years_experience must not be negative, got {self.years_experience}"
            )
        if self.level not in LEVELS:
            raise EngineInputError(f"{where}: level must be one of {LEVELS}, got {self.level!r}")
        if not isinstance(self.country, str) or not self.country:
            raise EngineInputError(f"{where}: country must be a non-empty string")
        _check_timezone(self.timezone, f"{where}: timezone")
        if self.remote_preference not in LOCATION_POLICIES:
            raise EngineInputError(
                f"{where}: remote_preference must be one of {LOCATION_POLICIES}, "
                f"got {self.remote_preference!r}"
            )
        for name in (
            "acceptable_countries",
            "acceptable_cities",
            "work_authorization",
            "role_types",
            "domains",
            "company_stages",
            "company_sizes",
            "dealbreakers",
        ):
            object.__setattr__(
                self, name, frozenset(_strings(getattr(self, name), f"{where}: {name}"))
            )
        unknown = sorted(self.dealbreakers - DEALBREAKER_NAMES)
        if unknown:
            raise EngineInputError(
                f"{where}: unknown dealbreaker {unknown[0]!r}; expected one of "
                f"{sorted(DEALBREAKER_NAMES)}"
            )
        if self.min_pay is not None and not isinstance(self.min_pay, Money):
            raise EngineInputError(f"{where}: min_pay must be Money or None")
        weights = dict(self.preference_weights)
        for name, weight in weights.items():
            if name not in DEALBREAKER_NAMES:
                raise EngineInputError(
                    f"{where}: unknown preference {name!r} in preference_weights; expected "
                    f"one of {sorted(DEALBREAKER_NAMES)}"
                )
            _finite(weight, f"{where}: preference weight {name!r}")
            if weight < 0:
                raise EngineInputError(
                    f"{where}: preference weight {name!r} must not be negative, got {weight}"
                )
        object.__setattr__(self, "preference_weights", MappingProxyType(weights))
        for name in ("achievements_text", "summary_text", "experience_text"):
            if not isinstance(getattr(self, name), str):
                raise EngineInputError(f"{where}: {name} must be a string")
        if not isinstance(self.level_inferred, bool):
            raise EngineInputError(f"{where}: level_inferred must be true or false")

    @property
    def authorized_countries(self) -> frozenset[str]:
        """Where the candidate may work: ``work_authorization``, or ``country`` if empty."""
        return self.work_authorization or frozenset({self.country})

    @property
    def reachable_countries(self) -> frozenset[str]:
        """Where the candidate is or would move to: ``country`` and acceptable countries."""
        return self.acceptable_countries | {self.country}

    @property
    def reachable_cities(self) -> frozenset[str]:
        """Where the candidate is or would move to: ``city`` and acceptable cities."""
        return self.acceptable_cities | ({self.city} if self.city else frozenset())


@dataclass(frozen=True, slots=True)
class Role:
    """An open role with its requirements, location policy and pay band.

    ``allowed_levels`` defaults to ``(level,)``. ``allowed_countries`` is where the
    work may happen: for a remote role, where the candidate may live (empty = anywhere);
    for hybrid/on-site roles, the office countries (required). ``cities`` are office
    cities (hybrid/on-site). ``timezone_range`` is an inclusive UTC-offset interval that
    applies to remote roles. ``years_max`` ``None`` means no upper bound.
    """

    id: str
    company_id: str
    title: str
    level: str
    role_type: str
    pay_band_min: Money
    pay_band_max: Money
    required_skills: tuple[RequiredSkill, ...] = ()
    nice_to_have: tuple[RequiredSkill, ...] = ()
    allowed_levels: tuple[str, ...] = ()
    domains: frozenset[str] = frozenset()
    company_stage: str = ""
    company_size: str = ""
    location_policy: LocationPolicy = "remote"
    allowed_countries: frozenset[str] = frozenset()
    timezone_range: tuple[float, float] | None = None
    cities: frozenset[str] = frozenset()
    years_min: float = 0.0
    years_max: float | None = None
    description: str = ""

    def __post_init__(self) -> None:  # noqa: C901 - complexity 24, to split into named steps
        where = f"role {self.id!r}"
        if not isinstance(self.id, str) or not self.id:
            raise EngineInputError(f"role id must be a non-empty string, got {self.id!r}")
        if self.level not in LEVELS:
            raise EngineInputError(f"{where}: level must be one of {LEVELS}, got {self.level!r}")
        levels = tuple(self.allowed_levels) or (self.level,)
        for level in levels:
            if level not in LEVELS:
                raise EngineInputError(
                    f"{where}: allowed level must be one of {LEVELS}, got {level!r}"
                )
        object.__setattr__(self, "allowed_levels", tuple(sorted(set(levels), key=LEVELS.index)))
        if not isinstance(self.role_type, str) or not self.role_type:
            raise EngineInputError(f"{where}: role_type must be a non-empty string")
        for name in ("required_skills", "nice_to_have"):
            items = tuple(getattr(self, name))
            object.__setattr__(self, name, items)
            seen: set[str] = set()
            for item in items:
                if not isinstance(item, RequiredSkill):
                    raise EngineInputError(f"{where}: {name} must be RequiredSkill, got {item!r}")
                if item.skill_id in seen:
                    raise EngineInputError(
                        f"{where}: skill {item.skill_id!r} is listed twice in {name}"
                    )
                seen.add(item.skill_id)
        both = {s.skill_id for s in self.required_skills} & {s.skill_id for s in self.nice_to_have}
        if both:
            raise EngineInputError(
                f"{where}: skill {sorted(both)[0]!r} is both required and nice-to-have"
            )
        for name in ("domains", "allowed_countries", "cities"):
            object.__setattr__(
                self, name, frozenset(_strings(getattr(self, name), f"{where}: {name}"))
            )
        if self.location_policy not in LOCATION_POLICIES:
            raise EngineInputError(
                f"{where}: location_policy must be one of {LOCATION_POLICIES}, "
                f"got {self.location_policy!r}"
            )
        if self.location_policy != "remote" and not self.allowed_countries:
            raise EngineInputError(
                f"{where}: a {self.location_policy} role must list its office countries "
                "in allowed_countries"
            )
        if self.timezone_range is not None:
            lo, hi = self.timezone_range
            _check_timezone(lo, f"{where}: timezone_range start")
            _check_timezone(hi, f"{where}: timezone_range end")
            if lo > hi:
                raise EngineInputError(f"{where}: timezone_range start {lo} is after end {hi}")
            object.__setattr__(self, "timezone_range", (float(lo), float(hi)))
        _finite(self.years_min, f"{where}: years_min")
        if self.years_min < 0:
            raise EngineInputError(f"{where}: years_min must not be negative, got {self.years_min}")
        if self.years_max is not None:
            _finite(self.years_max, f"{where}: years_max")
            if self.years_max < self.years_min:
                raise EngineInputError(
                    f"{where}: years_max {self.years_max} is below years_min {self.years_min}"
                )
        for name in ("pay_band_min", "pay_band_max"):
            if not isinstance(getattr(self, name), Money):
                raise EngineInputError(f"{where}: {name} must be Money")
        lo_pay, hi_pay = self.pay_band_min, self.pay_band_max
        if (lo_pay.currency, lo_pay.period) != (hi_pay.currency, hi_pay.period):
            raise EngineInputError(
                f"{where}: pay band minimum and maximum must share currency and period"
            )
        if lo_pay.amount > hi_pay.amount:
            raise EngineInputError(
                f"{where}: pay band minimum {lo_pay.amount} is above its maximum {hi_pay.amount}"
            )
        if not isinstance(self.description, str):
            raise EngineInputError(f"{where}: description must be a string")
