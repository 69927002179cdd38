"""What a candidate's preference fields may hold: one definition, used three ways.

* As model field validators (``CandidateProfile``), so ``full_clean`` — and therefore the
  profile editor, the REST API and the JSON Resume import, which all write through
  ``talent.services.profile_update`` — refuses the same values with the same messages.
* By :func:`readable`, which ``CandidateProfile.from_db`` applies to every instance loaded
  from the database: a row stored before these rules (``{"role_types": 5}``, a weight of
  -1) reads as its valid part, so pages, exports and the API never fail on it, and the next
  save writes the repaired value. The engine adapter reads raw columns and reports such a
  row instead (``matchdays.adapters``).

The vocabularies are ``core.choices`` (the engine's own words).
"""

from __future__ import annotations

import zoneinfo
from functools import cache
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

from matchday.core.choices import CompanySize, CompanyStage, Domain, Preference, RoleType

CHOICES = {
    "role_types": RoleType,
    "domains": Domain,
    "company_stages": CompanyStage,
    "company_sizes": CompanySize,
    "dealbreakers": Preference,
}
MIN_WEIGHT, MAX_WEIGHT = 0, 3
MAX_CITIES = 50
MAX_CITY_CHARS = 100

NOT_A_LIST = "Enter a list."
UNKNOWN_CHOICES = "Not one of the choices: {values}."
LISTED_TWICE = "Listed more than once: {values}."
NOT_WEIGHTS = "Enter weights as an object of preference: weight."
UNKNOWN_PREFERENCES = "Not a preference: {keys}."
BAD_WEIGHTS = "A weight is a whole number from 0 to 3: {items}."
TOO_MANY_CITIES = "At most {limit} cities."
BAD_CITIES = "A city is a name of at most {limit} characters on one line: {values}."
UNKNOWN_TIMEZONE = "Unknown time zone {tz!r}; use an IANA name such as Europe/Berlin."


def _shown(values: list[Any]) -> str:
    return ", ".join(repr(v) for v in values[:5]) + (", …" if len(values) > 5 else "")


@deconstructible
class ChoiceListValidator:
    """A list of distinct values of ``CHOICES[field]``."""

    def __init__(self, field: str) -> None:
        self.field = field

    def __call__(self, value: Any) -> None:
        if not isinstance(value, list):
            raise ValidationError(NOT_A_LIST, code="not_a_list")
        allowed = set(CHOICES[self.field].values)
        unknown = [v for v in value if not isinstance(v, str) or v not in allowed]
        if unknown:
            raise ValidationError(UNKNOWN_CHOICES.format(values=_shown(unknown)), code="choice")
        twice = sorted({v for v in value if value.count(v) > 1})
        if twice:
            raise ValidationError(LISTED_TWICE.format(values=_shown(twice)), code="duplicate")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ChoiceListValidator) and other.field == self.field


def _is_weight(value: Any) -> bool:
    return (
        isinstance(value, int) and not isinstance(value, bool) and MIN_WEIGHT <= value <= MAX_WEIGHT
    )


def validate_weights(value: Any) -> None:
    if not isinstance(value, dict):
        raise ValidationError(NOT_WEIGHTS, code="not_weights")
    unknown = [k for k in value if k not in Preference.values]
    if unknown:
        raise ValidationError(UNKNOWN_PREFERENCES.format(keys=_shown(unknown)), code="key")
    bad = [f"{k}: {v!r}" for k, v in value.items() if not _is_weight(v)]
    if bad:
        raise ValidationError(BAD_WEIGHTS.format(items=", ".join(bad[:5])), code="weight")


def _is_city(value: Any) -> bool:
    return (
        isinstance(value, str)
        and 0 < len(value) <= MAX_CITY_CHARS
        and value.isprintable()
        and value == value.strip()
    )


def validate_cities(value: Any) -> None:
    if not isinstance(value, list):
        raise ValidationError(NOT_A_LIST, code="not_a_list")
    if len(value) > MAX_CITIES:
        raise ValidationError(TOO_MANY_CITIES.format(limit=MAX_CITIES), code="too_many")
    bad = [v for v in value if not _is_city(v)]
    if bad:
        raise ValidationError(
            BAD_CITIES.format(limit=MAX_CITY_CHARS, values=_shown(bad)), code="city"
        )


@cache
def timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_timezone(value: str) -> None:
    if value and value not in timezones():
        raise ValidationError(UNKNOWN_TIMEZONE.format(tz=value), code="timezone")


def readable(field: str, value: Any) -> Any:
    """The valid part of a stored preference value (see the module docstring).

    >>> readable("role_types", 5), readable("role_types", ["ml-engineer", "x", "ml-engineer"])
    ([], ['ml-engineer'])
    >>> readable("preference_weights", {"pay": -1, "domain": 2, "nope": 1})
    {'domain': 2}
    """
    if field in CHOICES:
        allowed = set(CHOICES[field].values)
        items = value if isinstance(value, list) else []
        return list(dict.fromkeys(v for v in items if isinstance(v, str) and v in allowed))
    if field == "preference_weights":
        items = value.items() if isinstance(value, dict) else ()
        return {k: v for k, v in items if k in Preference.values and _is_weight(v)}
    if field == "acceptable_cities":
        items = value if isinstance(value, list) else []
        return list(dict.fromkeys(v for v in items if _is_city(v)))[:MAX_CITIES]
    return value


READABLE_FIELDS = (*CHOICES, "preference_weights", "acceptable_cities")
