"""Blind text for companies: identity removed from free text before it reaches them.

A blind shortlist shows a candidate's achievements and the engine's evidence quotes, which
are free text the candidate wrote. Before a company sees them, this module removes what
identifies the candidate: their own employer and school names, the parts of their name,
and anything that looks like an email address, a URL or a phone number.

Names are matched case-insensitively on word boundaries, longest first, so "Acme AI" is
removed whole before "Acme" would be.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

REDACTED = "[redacted]"

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
URL_RE = re.compile(
    r"(?:https?://|www\.)[^\s<>\"')]*[^\s<>\"'),.;:!?]"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|io|ai|dev|edu|co|me)\b(?:/[^\s<>\"')]*)?",
    re.IGNORECASE,
)
# 9+ digits with optional +, spaces, dots, dashes or brackets between them (year ranges
# such as 2019-2023 have 8 and stay).
PHONE_RE = re.compile(r"\+?\(?\d(?:[\s().-]*\d){8,}")
# Name parts shorter than this are not redacted on their own ("Li", "Al"): too many false
# positives in technical prose. Full names are still redacted whole.
MIN_NAME_PART = 3


@dataclass(frozen=True)
class Redactor:
    """Redacts one candidate's identifying terms and contact patterns from text.

    >>> r = Redactor.for_terms(["Acme AI", "MIT"], full_name="Ada Lovelace")
    >>> r.redact("At Acme AI (see https://ada.dev, ada@x.org) Ada cut costs 40%.")
    'At [redacted] (see [redacted], [redacted]) [redacted] cut costs 40%.'
    """

    pattern: re.Pattern[str] | None

    @classmethod
    def for_terms(cls, terms: Iterable[str], *, full_name: str = "") -> Redactor:
        words = {t.strip() for t in terms if t and t.strip()}
        if full_name.strip():
            words.add(full_name.strip())
            words.update(p for p in re.split(r"[\s,]+", full_name) if len(p) >= MIN_NAME_PART)
        if not words:
            return cls(None)
        alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        return cls(re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE))

    def redact(self, text: str) -> str:
        if not text:
            return text
        out = EMAIL_RE.sub(REDACTED, text)
        out = URL_RE.sub(REDACTED, out)
        out = PHONE_RE.sub(REDACTED, out)
        if self.pattern is not None:
            out = self.pattern.sub(REDACTED, out)
        return out
