"""Human wording for templates: labels instead of stored codes, and one way to write money.

``{% load present %}`` then ``{{ company.domains|labels:"domain" }}`` (``Foundation models,
Developer tools``), ``{{ role.allowed_countries|countries }}`` (``Germany, France``),
``{{ role|band }}`` (``150,000–190,000 EUR per year``) and
``{{ intro.offered_salary|money:role.pay_currency }}`` (``115,000 EUR``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.db import models

from matchday.core import choices
from matchday.core.money import format_amount, format_band

register = template.Library()

VOCABULARIES: dict[str, type[models.Choices]] = {
    "domain": choices.Domain,
    "role_type": choices.RoleType,
    "stage": choices.CompanyStage,
    "size": choices.CompanySize,
    "level": choices.Level,
    "location": choices.RemotePreference,
    "period": choices.PayPeriod,
    "preference": choices.Preference,
}


def label_of(value: Any, vocabulary: str) -> str:
    """The display name of one stored code, or the code itself when it is not known.

    >>> label_of("foundation-models", "domain")
    'Foundation models'
    """
    return dict(VOCABULARIES[vocabulary].choices).get(value, str(value))


@register.filter
def label(value: Any, vocabulary: str) -> str:
    return label_of(value, vocabulary)


@register.filter
def labels(values: Iterable[Any] | None, vocabulary: str) -> str:
    """``["foundation-models", "devtools"]|labels:"domain"`` → ``Foundation models, Developer
    tools``."""
    return ", ".join(label_of(v, vocabulary) for v in values or ())


@register.filter
def countries(values: Iterable[Any] | None) -> str:
    """Country codes or ``Country`` objects → their names, comma separated."""
    from django_countries import countries as known

    names = []
    for value in values or ():
        name = getattr(value, "name", None) or known.name(str(value)) or str(value)
        names.append(str(name))
    return ", ".join(names)


@register.filter
def money(amount: int | None, currency: str = "") -> str:
    return format_amount(amount, currency)


@register.filter
def band(role: Any, with_period: bool = True) -> str:
    """A role's pay band: ``{{ role|band }}``; ``{{ role|band:False }}`` leaves out the period."""
    return format_band(
        role.pay_min, role.pay_max, role.pay_currency, role.pay_period if with_period else ""
    )


@register.filter
def local(when, fmt: str = "") -> str:
    """A moment in the viewer's own zone (the active one, see ``ViewerTimezoneMiddleware``)
    with the zone named: ``Mon 2 Mar 2026, 10:00 Europe/Berlin``. ``fmt`` is a ``strftime``
    format; ``{{ when|local:"%A %-d %B %Y" }}`` writes the date alone, still zone-named."""
    from django.utils import timezone

    from matchday.core.timezones import DISPLAY_FORMAT, format_in

    if not when:
        return ""
    zone = timezone.get_current_timezone()
    return format_in(when, getattr(zone, "key", None) or str(zone), fmt or DISPLAY_FORMAT)


@register.filter
def in_zone(when, zone_name: str) -> str:
    """A moment in a named zone, as entered there: a Match Day's release in its own zone."""
    from matchday.core.timezones import format_in

    return format_in(when, zone_name or "UTC") if when else ""
