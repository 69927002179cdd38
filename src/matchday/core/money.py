"""Pay rules shared by profiles, roles, forms, services and the API."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError

UNKNOWN_CURRENCY = "Unknown currency {code!r}; use one of: {known}."
BAND_MIN_POSITIVE = "The pay band's minimum must be greater than zero."
BAND_MIN_ABOVE_MAX = "The pay band's minimum ({min}) is above its maximum ({max})."
BAND_TOO_WIDE = "The pay band's maximum may be at most {ratio}x its minimum."


def validate_currency(code: str) -> str:
    code = (code or "").strip().upper()
    known = settings.MATCHDAY_CURRENCY_RATES_TO_USD
    if code not in known:
        raise ValidationError(
            UNKNOWN_CURRENCY.format(code=code, known=", ".join(sorted(known))), code="currency"
        )
    return code


def validate_pay_band(*, pay_min: int | None, pay_max: int | None, currency: str) -> None:
    """Raise a ``ValidationError`` keyed by field for an unusable band."""
    errors: dict[str, list[str]] = {}
    try:
        validate_currency(currency)
    except ValidationError as exc:
        errors["pay_currency"] = exc.messages
    if pay_min is None or pay_min <= 0:
        errors["pay_min"] = [BAND_MIN_POSITIVE]
    elif pay_max is not None:
        ratio = settings.MATCHDAY_MAX_BAND_RATIO
        if pay_min > pay_max:
            errors["pay_max"] = [BAND_MIN_ABOVE_MAX.format(min=pay_min, max=pay_max)]
        elif pay_max > pay_min * ratio:
            errors["pay_max"] = [BAND_TOO_WIDE.format(ratio=f"{ratio:g}")]
    if errors:
        raise ValidationError(errors)


def format_amount(amount: int | None, currency: str = "") -> str:
    """One way to write money on every page and in every email.

    >>> format_amount(150000, "EUR")
    '150,000 EUR'
    """
    if amount is None:
        return ""
    return f"{amount:,} {currency}".strip()


def format_band(pay_min: int, pay_max: int, currency: str, period: str = "") -> str:
    """A pay band, with its period when given (``PayPeriod`` value).

    >>> format_band(150000, 190000, "EUR")
    '150,000–190,000 EUR'
    >>> format_band(150000, 190000, "EUR", "year")
    '150,000–190,000 EUR per year'
    """
    text = f"{pay_min:,}–{pay_max:,} {currency}"
    return f"{text} {period_label(period)}" if period else text


def format_pay(amount: int, currency: str, period: str = "") -> str:
    """An amount with its period: ``'115,000 EUR per year'``."""
    text = format_amount(amount, currency)
    return f"{text} {period_label(period)}" if period else text


def period_label(period: str) -> str:
    from matchday.core.choices import PayPeriod

    return dict(PayPeriod.choices).get(period, period)
