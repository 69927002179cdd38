"""Seniority when nobody stated it: a level inferred from titles, years and scope words.

Postings and résumés often carry their level only in a title ("Senior Data Engineer",
"SRE II") or not at all. :func:`infer_level` reads, in order:

1. **titles** (most recent first): the first level word found wins ("Staff", "Sr.",
   "Lead", "Head of", "Intern", roman numerals II/III); "Member of Technical Staff" names
   no level;
2. **years** of experience: under 2 junior, under 6 mid, else senior (no years: mid);
3. **scope words** in the text (achievements, description) raise a years-based level:
   leading or managing a team, or mentoring, to at least senior; leading several teams,
   an organisation or company-wide work, to staff.

It returns the level and the reason in words, so an integrator (and the CLI, for entries
without a ``level``) can show why.

>>> infer_level(["Senior Staff ML Engineer"])
('staff', "title 'Senior Staff ML Engineer' says staff")
>>> infer_level(["Research Engineer"], 3.0, "Led a team of 5 engineers")[0]
'senior'
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["infer_level", "level_from_title", "level_from_years"]

_LEVEL_WORDS = (  # first match wins; titles are matched word by word, case-insensitively
    ("principal", r"principal|distinguished|head|director|vp|chief"),
    ("staff", r"staff|lead"),
    ("senior", r"senior|sr\.?|iii"),
    ("junior", r"junior|jr\.?|intern|graduate|trainee|associate|entry|student|i"),
    ("mid", r"ii"),
)
_STAFF_SCOPE = re.compile(
    r"\b(led|lead|leading|managed|managing|ran|running)\b[^.\n]{0,40}\b(teams|organi[sz]ation|"
    r"department|org|managers)\b|\b(company|org|organi[sz]ation)[- ]wide\b",
    re.IGNORECASE,
)
_SENIOR_SCOPE = re.compile(
    r"\b(led|lead|leading|managed|managing|mentored|mentoring|architected|owned)\b[^.\n]{0,40}"
    r"\b(team|engineers|developers|people|reports|architecture|roadmap|platform)\b",
    re.IGNORECASE,
)
_ORDER = ("junior", "mid", "senior", "staff", "principal")


def level_from_title(title: str) -> str | None:
    """The level a title names, if any ("Member of Technical Staff" names none).

    >>> level_from_title("Senior Staff ML Engineer"), level_from_title("SRE II")
    ('staff', 'mid')
    """
    t = re.sub(r"member of technical staff", " ", title.lower())
    words = re.findall(r"[a-z]+\.?", t)
    for level, pattern in _LEVEL_WORDS:
        if any(re.fullmatch(pattern, w) for w in words):
            return level
    return None


def level_from_years(years: float) -> str:
    """junior below 2 years, mid below 6, else senior."""
    return "senior" if years >= 6 else "mid" if years >= 2 else "junior"


def infer_level(
    titles: Sequence[str], years: float | None = None, text: str = ""
) -> tuple[str, str]:
    """``(level, reason)`` from titles (most recent first), years and scope words."""
    for title in titles:
        level = level_from_title(title)
        if level is not None:
            return level, f"title {title!r} says {level}"
    if years is None:
        level, reason = "mid", "no level in a title and no years: mid assumed"
    else:
        level, reason = level_from_years(years), f"{years:g} years of experience"
    for scope, pattern in (("staff", _STAFF_SCOPE), ("senior", _SENIOR_SCOPE)):
        found = pattern.search(text)
        if found and _ORDER.index(scope) > _ORDER.index(level):
            return scope, f"{reason}, and the text says {found.group(0)!r}"
    return level, reason
