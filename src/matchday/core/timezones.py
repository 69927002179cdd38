"""Each person's own time zone, and one way to write a moment for them.

A person's zone: the one they chose (``User.timezone``), else for a candidate their
profile's, for a company member their company's, else UTC. Every page activates the
viewer's zone (``core.middleware.ViewerTimezoneMiddleware``) so ``{{ when|local }}``
(``core.templatetags.present``) writes the moment there with the zone named; emails use
:func:`format_local` with the recipient's zone.
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime
from functools import cache

from django.core.exceptions import ValidationError
from django.utils import timezone

UTC_NAME = "UTC"
UNKNOWN_TIMEZONE = "Unknown time zone {name!r}; use an IANA name such as Europe/Berlin."
# ``Mon 2 Mar 2026, 10:00``; the zone's name follows.
DISPLAY_FORMAT = "%a %-d %b %Y, %H:%M"


@cache
def known_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_zone(name: str) -> None:
    if name and name not in known_zones():
        raise ValidationError(UNKNOWN_TIMEZONE.format(name=name), code="timezone")


def zone_choices() -> list[tuple[str, str]]:
    return [(z, z) for z in sorted(known_zones()) if "/" in z or z == UTC_NAME]


def zone_name_for(user) -> str:
    """The IANA name of ``user``'s zone (see the module docstring); UTC for anyone else."""
    if user is None or not getattr(user, "is_authenticated", False):
        return UTC_NAME
    names = [getattr(user, "timezone", "")]
    if user.is_candidate:
        profile = getattr(user, "candidate_profile", None)
        names.append(getattr(profile, "timezone", "") if profile is not None else "")
    elif user.is_company_member and user.company_id:
        names.append(getattr(user.company, "timezone", ""))
    for name in names:
        if name and name in known_zones():
            return name
    return UTC_NAME


def zone_for(user) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(zone_name_for(user))


def format_in(when: datetime | None, zone_name: str, fmt: str = DISPLAY_FORMAT) -> str:
    """``when`` in ``zone_name``, with the zone named.

    >>> from datetime import UTC
    >>> format_in(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), "Europe/Berlin")
    'Mon 2 Mar 2026, 10:00 Europe/Berlin'
    """
    if when is None:
        return ""
    local = timezone.localtime(when, zoneinfo.ZoneInfo(zone_name))
    # ``%-d`` (day without a leading zero) is not portable to every C library.
    return f"{local.strftime(fmt.replace('%-d', str(local.day)))} {zone_name}"


def format_local(when: datetime | None, user, fmt: str = DISPLAY_FORMAT) -> str:
    """``when`` in ``user``'s own zone, with the zone named (for emails)."""
    return format_in(when, zone_name_for(user), fmt)
