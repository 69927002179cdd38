"""Parse a résumé's plain text into a draft profile the candidate reviews before saving.

The draft is a JSON-serialisable dict (it lives in the session until confirmed)::

    {
      "source": "resume" | "jsonresume",
      "profile": {"headline": ..., "summary": ..., ...},      # PROFILE_FIELDS subset
      "experiences": [{"employer", "title", "start", "end", "description"}],  # ISO dates or ""
      "education": [{"school", "degree", "field", "end_year"}],
      "skills": [{"skill_id", "label", "level", "years", "evidence"}],
      "links": [{"kind", "title", "url"}],
      "achievements": [{"title", "problem", "constraints", "options", "decision", "result"}],
      "warnings": [str],
    }

Parsing is deliberately simple and predictable: section headings split the text; a line
with a date range opens a job; bullets under it are its description; bullets with a
measured result (a number with a unit, a percentage, "3x") become achievement drafts;
skills come from the engine's extraction, each with the line it was found on as evidence.

The text is untrusted, so the work is linear in its length by construction: every run of
Unicode whitespace becomes one space first (:func:`normalise_text`), no pattern can start
a match inside a run it would backtrack over (whitespace runs and digit/word runs are
anchored with look-behinds, repeats of unbounded input are bounded), and the draft holds
at most ``MAX_DRAFT_ROWS`` rows per section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from matchday.engine.extract import extract_skills
from matchday.engine.taxonomy import load_taxonomy, name_key
from matchday.engine.vocabulary import clean_name

MAX_ACHIEVEMENT_DRAFTS = 3
MAX_EVIDENCE_CHARS = 300
MAX_EVIDENCE_TRIES = 8
# The review page lists every row; a résumé with more is a list, not a career.
MAX_DRAFT_ROWS = {"experiences": 40, "education": 20, "skills": 150, "links": 20}
# Skill names outside the taxonomy are kept (open vocabulary) within the profile's limits,
# the same numbers as ``taxonomy.services`` (a test keeps them equal; this module runs in the
# parser sandbox without Django).
MAX_OPEN_SKILLS = 20
MAX_SKILL_NAME_CHARS = 60
OPEN_SKILLS_LEFT_OUT = (
    "A profile holds at most {limit} skills outside the taxonomy; these were left out: {names}."
)
NAMES_TOO_LONG = "Longer than {limit} characters, so not kept as skills: {names}."
MAX_NAMES_LISTED = 30
ROWS_DROPPED = "The résumé lists {count} {section}; only the first {limit} were kept."

SECTION_WORDS = {
    "experience": (
        "experience", "work experience", "professional experience", "work history",
        "employment", "employment history", "career", "relevant experience",
    ),
    "education": ("education", "academic background", "qualifications", "studies"),
    "skills": ("skills", "technical skills", "core skills", "technologies", "tools", "stack"),
    "summary": ("summary", "profile", "about", "about me", "objective", "professional summary"),
    "projects": ("projects", "selected projects", "open source", "side projects"),
    "other": (
        "publications", "talks", "awards", "certifications", "languages", "interests",
        "links", "contact", "volunteering", "references",
    ),
}  # fmt: skip
_HEADING_TO_SECTION = {w: s for s, words in SECTION_WORDS.items() for w in words}

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for m in names
}
_MONTH_RE = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_DATE_RE = rf"(?:{_MONTH_RE}\.?\s+\d{{4}}|\d{{4}}-\d{{1,2}}|\d{{1,2}}/\d{{4}}|\d{{4}})"
_PRESENT_RE = r"(?:present|current|now|today|ongoing)"
DATE_RANGE_RE = re.compile(
    rf"(?:\(\s?)?(?P<start>{_DATE_RE})\s?(?:-|–|—|to|until)\s?(?P<end>{_DATE_RE}|{_PRESENT_RE})(?:\s?\))?",
    re.IGNORECASE,
)
_BULLET_RE = re.compile(r"^\s*(?:[•·▪◦●○■□‣⁃*\-–]|\d{1,2}[.)])\s+")
_URL_RE = re.compile(
    r"(?:https?://|www\.)[^\s<>()\"']+|"
    r"\b(?:github\.com|gitlab\.com|linkedin\.com|huggingface\.co|scholar\.google\.com|arxiv\.org)"
    r"/[^\s<>()\"']+",
    re.IGNORECASE,
)
_EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}\.[\w.-]{1,253}")
_PHONE_RE = re.compile(r"(?<![\d+])\+?\d[\d ()./-]{7,24}\d")
# A measured result: a percentage, a multiplier, a number with a unit, money. A number
# starts only where a digit run starts and has at most 15 digits per part.
_NUMBER = r"(?<!\d)\d{1,15}(?:[.,]\d{1,15})?"
MEASURED_RE = re.compile(
    rf"{_NUMBER}\s?(?:%|percent\b|x\b|×)|"
    r"[$€£]\s?\d|"
    rf"\b{_NUMBER}\s?(?:ms|s|sec|seconds|minutes|hours|days|k|m|bn|tb|gb|pb|"
    r"qps|rps|users|customers|gpus|nodes|servers)\b",
    re.IGNORECASE,
)
_TITLE_WORDS = re.compile(
    r"\b(?:engineer|scientist|developer|manager|lead|head|director|researcher|intern|"
    r"architect|analyst|consultant|sre|cto|ceo|vp|founder|programmer|product|designer|"
    r"specialist|administrator|fellow|student|assistant|associate|principal|staff)\b",
    re.IGNORECASE,
)
_SCHOOL_WORDS = re.compile(
    r"\b(?:university|universität|université|college|institute|school|academy|polytechnic|"
    r"eth|epfl|mit|ucl|tu)\b",
    re.IGNORECASE,
)
_DEGREE_RE = re.compile(
    r"\b(?:ph\.?\s?d|doctor(?:ate)?|m\.?\s?sc|b\.?\s?sc|m\.?\s?s\.|b\.?\s?s\.|b\.?\s?a\.|"
    r"m\.?\s?a\.|m\.?\s?eng|b\.?\s?eng|mba|master(?:'s)?|bachelor(?:'s)?|diploma|"
    r"licence|degree)\b[^,|–—(\n]*",
    re.IGNORECASE,
)
_YEAR_RE = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
_SEPARATORS_RE = re.compile(r" (?:\||—|–|-|@|·) |, ")
_AT_RE = re.compile(r" at ", re.IGNORECASE)
_IN_RE = re.compile(r" in ", re.IGNORECASE)
# Line breaks that are not "\n" (str.splitlines() honours them all) and characters that
# only hide text: each break becomes "\n", each invisible character goes.
_LINE_BREAKS_RE = re.compile(r"\r\n?|[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_SPACE_RUN_RE = re.compile(r"[^\S\n]+")  # one or more Unicode spaces other than "\n"
_BLANK_LINES_RE = re.compile(r"\n{3,}")
_CONTROLS = [*range(0x00, 0x09), *range(0x0E, 0x1C), 0x7F, *range(0x80, 0x85), *range(0x86, 0xA0)]
_INVISIBLE = dict.fromkeys([*_CONTROLS, 0x00AD, 0x200B, 0x2060, 0xFEFF])


def normalise_text(text: str) -> str:
    """``text`` with every line break as ``"\\n"``, every run of Unicode whitespace inside a
    line as one space (U+2003 em spaces, tabs, no-break spaces...), control and invisible
    characters removed, lines stripped and at most one blank line in a row. Linear time;
    every pattern in this module relies on it.

    >>> normalise_text("ML\\u2003\\u2003Engineer\\u00a0at  Acme\\r\\n\\n\\n\\nPython\\u200b")
    'ML Engineer at Acme\\n\\nPython'
    """
    text = _LINE_BREAKS_RE.sub("\n", text).translate(_INVISIBLE)
    text = _SPACE_RUN_RE.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _BLANK_LINES_RE.sub("\n\n", text).strip()


def empty_draft(source: str) -> dict[str, Any]:
    return {
        "source": source,
        "profile": {},
        "experiences": [],
        "education": [],
        "skills": [],
        "links": [],
        "achievements": [],
        "warnings": [],
    }


def parse_date(value: str, *, end: bool = False) -> date | None:
    """``"Jan 2020"``, ``"2020-01"``, ``"01/2020"``, ``"2020"`` -> the first day of that month
    (or of January); present/current -> ``None``."""
    value = value.strip().rstrip(".").lower()
    if not value or re.fullmatch(_PRESENT_RE, value):
        return None
    m = re.fullmatch(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?", value)
    if m:
        year, month = int(m.group(1)), int(m.group(2))
        day = int(m.group(3) or 1)
    elif m := re.fullmatch(r"(\d{1,2})/(\d{4})", value):
        year, month, day = int(m.group(2)), int(m.group(1)), 1
    elif m := re.fullmatch(r"([a-z]+)\.?\s+(\d{4})", value):
        year, month, day = int(m.group(2)), _MONTHS.get(m.group(1), 1), 1
    elif m := re.fullmatch(r"\d{4}", value):
        year, month, day = int(value), 1, 1
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return date(year, 1, 1) if 1 <= month <= 12 else None


def _heading(line: str) -> str | None:
    words = re.sub(r"[^\w\s&]", "", line).strip().lower()
    if not words or len(words) > 40:
        return None
    return _HEADING_TO_SECTION.get(words)


def _is_contact(line: str) -> bool:
    return bool(_EMAIL_RE.search(line) or _URL_RE.search(line) or _PHONE_RE.search(line))


def _link_kind(url: str) -> str:
    host = url.lower()
    if any(h in host for h in ("github.", "gitlab.", "bitbucket.", "huggingface.co", "codeberg")):
        return "code"
    if any(
        h in host for h in ("arxiv.", "scholar.google", "doi.org", "semanticscholar", "acm.org")
    ):
        return "publication"
    if any(h in host for h in ("youtube.", "youtu.be", "vimeo.", "speakerdeck", "slideshare")):
        return "talk"
    if "linkedin." in host:
        return "other"
    return "portfolio"


def find_links(text: str) -> list[dict[str, str]]:
    links: list[dict[str, str]] = []
    seen: set[str] = set()
    for m in _URL_RE.finditer(text):
        url = m.group().rstrip(".,;:")
        if not url.lower().startswith(("http://", "https://")):
            url = "https://" + url
        if url.lower() in seen or len(url) > 500:
            continue
        seen.add(url.lower())
        links.append({"kind": _link_kind(url), "title": "", "url": url})
    return links


def _split_title_employer(header: str) -> tuple[str, str]:
    """``"Senior ML Engineer at Acme"`` / ``"Acme | Senior ML Engineer"`` -> (title, employer)."""
    header = header.strip(" ,|–—-·:()")
    if (m := _AT_RE.search(header)) and m.start() > 0:
        return header[: m.start()].strip(), header[m.end() :].strip(" ,")
    parts = [p.strip(" ,()") for p in _SEPARATORS_RE.split(header) if p.strip(" ,()")]
    if not parts:
        return "", ""
    if len(parts) == 1:
        return (parts[0], "") if _TITLE_WORDS.search(parts[0]) else ("", parts[0])
    titled = [p for p in parts if _TITLE_WORDS.search(p)]
    title = titled[0] if titled else parts[0]
    others = [p for p in parts if p is not title]
    return title, others[0] if others else ""


_RESULT_CLAUSE_RE = re.compile(
    r"(?<=[.;]) |, (?=(?:cutting|reducing|raising|improving|saving|increasing|lowering|"
    r"halving|doubling|which|resulting|so that|bringing|taking)\b)",
    re.IGNORECASE,
)
# Where the method starts in "<result> by/with/using <method>": "by" followed by a number
# is part of the measurement ("by 60%"), not a method.
_METHOD_RE = re.compile(
    r" (?:by|through|via|using|with|after|thanks to)(?= )(?! (?:[\d$€£~]|about|over|up to|"
    r"nearly|almost|around|roughly|more than|less than))",
    re.IGNORECASE,
)
_THAT_RESULT_RE = re.compile(
    r" (?:that|which) (?=(?:cut|reduced|raised|improved|increased|saved|lowered|halved|"
    r"doubled|sped|grew|boosted|brought|took)\b)",
    re.IGNORECASE,
)
_DOWN_VERBS = (
    "cut", "cutting", "reduced", "reducing", "lowered", "lowering", "decreased", "decreasing",
    "halved", "halving", "shrank", "shrunk", "trimmed", "slashed", "eliminated", "removed",
    "brought down", "bringing down", "sped up", "speeding up", "accelerated", "shortened",
)  # fmt: skip
_UP_VERBS = (
    "increased", "increasing", "improved", "improving", "raised", "raising", "grew",
    "growing", "boosted", "boosting", "doubled", "doubling", "tripled", "lifted", "expanded",
    "scaled", "extended",
)  # fmt: skip
_VERB_RE = re.compile(
    r"^(?P<verb>" + "|".join(re.escape(v) for v in (*_DOWN_VERBS, *_UP_VERBS)) + r")\s+"
    r"(?P<object>.+?)(?=\s(?:by|from|to|of|for|in|on|across|at)\s(?:[\d$€£~]|over|about)|"
    r"\s(?:from)\s|$)",
    re.IGNORECASE,
)
_FROM_RE = re.compile(
    rf"\bfrom\s(?P<before>[$€£]?{_NUMBER}(?:\s?%|\s?(?!to\b)[a-z]{{1,8}}\b)?)", re.IGNORECASE
)
# Longer bullets are drafted whole: splitting tries a pattern per "by"/"with" in them.
MAX_SPLIT_CHARS = 600
_DANGLING = {
    "a", "an", "and", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to",
    "with", "using", "via",
}  # fmt: skip
MAX_TITLE_CHARS = 80


def whole_words(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at a word boundary, without a dangling
    preposition or an ellipsis (a draft is never cut mid-word).

    >>> whole_words("Cut p95 latency of PyTorch serving by 60% with int8", 30)
    'Cut p95 latency of PyTorch'
    """
    text = " ".join(text.split()).strip(" ,;:.")
    if len(text) <= limit:
        return text
    words = text[: limit + 1].split(" ")
    if len(text) > limit and text[limit] != " ":
        words = words[:-1]  # the last word was cut
    while len(words) > 1 and words[-1].lower().strip(",;:") in _DANGLING:
        words.pop()
    return " ".join(words).strip(" ,;:") or text[:limit]


def _capitalised(text: str) -> str:
    text = text.strip(" ,;")
    return text[:1].upper() + text[1:]


def _measured(text: str) -> bool:
    return bool(MEASURED_RE.search(text) or _FROM_RE.search(text))


def _split_bullet(bullet: str) -> tuple[str, str]:
    """``(result, method)`` of a result bullet: "Cut X by 60% with Y" -> ("Cut X by 60%", "Y");
    "Introduced Y, cutting X by 60%" -> ("cutting X by 60%", "Introduced Y"). The method
    is empty when the bullet does not say how."""
    clauses = [c.strip() for c in _RESULT_CLAUSE_RE.split(bullet) if c and c.strip()]
    if len(clauses) > 1:
        measured = [c for c in clauses if _measured(c)]
        if measured:
            result = measured[0]
            method = " ".join(c for c in clauses if c is not result and not _measured(c))
            if method and clauses.index(result) > 0:
                return result, method
    if m := _THAT_RESULT_RE.search(bullet):
        before, after = bullet[: m.start()], bullet[m.end() :]
        if _measured(after) and not _measured(before):
            return after, before
    for m in _METHOD_RE.finditer(bullet):
        before, after = bullet[: m.start()], bullet[m.end() :]
        if _measured(before) and after.strip():
            return before, after.strip()
    return bullet, ""


def achievement_from_bullet(bullet: str, *, context: str = "") -> dict[str, str]:
    """A draft achievement from one result bullet, split into its parts where the bullet
    says them: the measured result, the decision (how: "by/with/using …"), and the problem
    (what was measured, and where). Nothing is cut mid-word; parts the bullet does not say
    stay empty for the candidate to write.

    >>> a = achievement_from_bullet(
    ...     "Cut GPU idle time from 35% to 8% by moving training to Kubernetes with Ray",
    ...     context="Compiler Labs")
    >>> a["title"], a["decision"], a["result"]
    ('Cut GPU idle time from 35% to 8%', 'Moving training to Kubernetes with Ray', 'Cut GPU idle time from 35% to 8%')
    >>> a["problem"]
    'GPU idle time at Compiler Labs stood at 35%'
    """
    bullet = " ".join(bullet.split()).strip(" .;")
    result, method = _split_bullet(bullet) if len(bullet) <= MAX_SPLIT_CHARS else (bullet, "")
    problem = ""
    m = _VERB_RE.match(result)
    if m and not re.match(r"[\d$€£~]", m.group("object")):
        verb, obj = m.group("verb").lower(), m.group("object").strip(" ,")
        where = f" at {context}" if context else ""
        if before := _FROM_RE.search(result):
            problem = f"{obj}{where} stood at {before.group('before').strip()}"
        elif verb in _DOWN_VERBS:
            problem = f"{obj}{where} had to come down"
        else:
            problem = f"{obj}{where} had to go up"
    if not problem:
        problem = f"At {context}: {bullet}" if context else bullet
    return {
        "title": _capitalised(whole_words(result, MAX_TITLE_CHARS)),
        "problem": _capitalised(whole_words(problem, 2000)),
        "constraints": "",
        "options": "",
        "decision": _capitalised(whole_words(method, 2000)),
        "result": _capitalised(whole_words(result, 2000)),
        "keep": False,  # a suggestion: it takes a profile slot only when the candidate ticks it
    }


def _years_between(start: date | None, end: date | None, today: date) -> float:
    if start is None:
        return 0.0
    stop = end or today
    return max(0.0, (stop - start).days / 365.25)


_STRONG_RE = re.compile(
    r"\b(?:expert|led|leading|architected|designed|maintainer|maintained|authored|author of|"
    r"core contributor|created|founded|owned|mentored|taught|invented|wrote the)\b",
    re.IGNORECASE,
)
_WEAK_RE = re.compile(
    r"\b(?:familiar|familiarity|basic|basics|exposure|learning|beginner|some experience|"
    r"coursework|course|introductory|tutorials?|hobby|currently studying)\b",
    re.IGNORECASE,
)
STALE_AFTER_YEARS = 5


def infer_level(*, years: float, since_last_use: float | None, wording: str) -> tuple[int, str]:
    """A starting level (``core.choices.SkillLevel``) from the résumé's evidence, and why.

    Years of use in dated jobs set the base (under 1: working knowledge; 1–3: independent;
    3+: advanced); expert needs 5+ years, recent use and wording that says so (led,
    architected, maintainer…); wording such as "familiar with" or "coursework" caps it at
    working knowledge; a skill last used more than 5 years ago drops one level.

    >>> infer_level(years=6, since_last_use=0, wording="Led the move to Kubernetes")
    (5, '6 years in dated jobs, used in the current one; the résumé says "Led"')
    >>> infer_level(years=0, since_last_use=None, wording="Familiar with Rust")[0]
    1
    """
    reasons = []
    if years <= 0:
        level = 2
        reasons.append("named, but in no dated job")
    else:
        level = 2 if years < 1 else 3 if years < 3 else 4
        reasons.append(f"{years:g} year{'s' if years != 1 else ''} in dated jobs")
    recent = since_last_use is not None and since_last_use <= 2
    if since_last_use is not None:
        reasons[-1] += (
            ", used in the current one"
            if since_last_use == 0
            else f", last used {since_last_use:.0f} year{'s' if round(since_last_use) != 1 else ''} ago"
        )
    strong = _STRONG_RE.search(wording)
    weak = _WEAK_RE.search(wording)
    if weak:
        level = min(level, 1 if years <= 0 else 2)
        reasons.append(f'the résumé says "{weak.group()}"')
    elif strong:
        if years >= 5 and recent:
            level = 5
        elif years >= 1 and level < 4:
            level += 1
        reasons.append(f'the résumé says "{strong.group()}"')
    if since_last_use is not None and since_last_use > STALE_AFTER_YEARS and level > 2:
        level -= 1
    return level, "; ".join(reasons)


# Names a résumé uses for a country besides its ISO name, lower-case.
COUNTRY_ALIASES = {
    "usa": "US", "u.s.a.": "US", "u.s.": "US", "united states": "US",
    "united states of america": "US", "america": "US", "uk": "GB", "u.k.": "GB",
    "england": "GB", "scotland": "GB", "wales": "GB", "great britain": "GB",
    "britain": "GB", "northern ireland": "GB", "deutschland": "DE", "holland": "NL",
    "the netherlands": "NL", "south korea": "KR", "korea": "KR", "russia": "RU",
    "czech republic": "CZ", "czechia": "CZ", "vietnam": "VN", "uae": "AE",
    "taiwan": "TW", "iran": "IR", "türkiye": "TR", "turkey": "TR", "schweiz": "CH",
    "suisse": "CH", "österreich": "AT", "españa": "ES", "italia": "IT", "brasil": "BR",
}  # fmt: skip
US_STATES = frozenset(
    [
        "AL",
        "AK",
        "AZ",
        "AR",
        "CA",
        "CO",
        "CT",
        "DE",
        "FL",
        "GA",
        "HI",
        "ID",
        "IL",
        "IN",
        "IA",
        "KS",
        "KY",
        "LA",
        "ME",
        "MD",
        "MA",
        "MI",
        "MN",
        "MS",
        "MO",
        "MT",
        "NE",
        "NV",
        "NH",
        "NJ",
        "NM",
        "NY",
        "NC",
        "ND",
        "OH",
        "OK",
        "OR",
        "PA",
        "RI",
        "SC",
        "SD",
        "TN",
        "TX",
        "UT",
        "VT",
        "VA",
        "WA",
        "WV",
        "WI",
        "WY",
        "DC",
    ]
)
_LOCATION_LABEL_RE = re.compile(r"^(?:location|based in|address|city)\s?:?\s", re.IGNORECASE)
_PLACE_PART_RE = re.compile(r"^[^\W\d_][^\d@/:|•·]{0,48}$")
LOCATION_READ_AS_US = "Read “{place}” as a place in the United States; correct it if not."


def country_names() -> dict[str, str]:
    """Lower-case country name (ISO names and common aliases) -> ISO code. The names are
    django-countries' English names, read without Django settings (the sandbox has none)."""
    from django_countries.data import COUNTRIES

    names = {}
    for code, name in COUNTRIES.items():
        args = getattr(name, "_args", None)  # a lazy translation: its English source text
        names[str(args[0] if args else name).lower()] = code
    return names | COUNTRY_ALIASES


def find_location(lines: list[str]) -> tuple[str, str, str]:
    """``(country code, city, note)`` from the résumé's header lines, e.g. "Berlin, Germany",
    "Location: Lisbon, PT" or "Austin, TX" (US states read as the United States, with a
    note); blanks when no line names a known country.

    >>> find_location(["Ada Lovelace", "ada@example.org · Berlin, Germany · github.com/ada"])
    ('DE', 'Berlin', '')
    >>> find_location(["Austin, TX"])[:2]
    ('US', 'Austin')
    """
    names = country_names()
    codes = set(names.values())
    for line in lines:
        line = _LOCATION_LABEL_RE.sub("", line.strip())
        for part in re.split(r" [·•|—–] | [-/] |\s{2,}|\t", line):
            part = part.strip(" ,.;()")
            if not part or _EMAIL_RE.search(part) or _URL_RE.search(part) or len(part) > 80:
                continue
            pieces = [p.strip() for p in part.split(",") if p.strip()]
            if not pieces or not all(_PLACE_PART_RE.match(p) for p in pieces):
                continue
            last = pieces[-1]
            city = pieces[0] if len(pieces) > 1 and not _TITLE_WORDS.search(pieces[0]) else ""
            code = names.get(last.lower())
            if code is None and len(last) == 2 and last.isupper():
                if last in US_STATES and city:
                    return "US", city, LOCATION_READ_AS_US.format(place=part)
                code = last if last in codes else None
            if code is None and len(pieces) == 3 and pieces[1] in US_STATES:
                code = names.get(last.lower())
            if code:
                return code, city[:100], ""
    return "", "", ""


@dataclass
class _Job:
    """A job read from the experience section: its header line, then its bullets."""

    employer: str
    title: str
    start: date | None
    end: date | None
    lines: list[str] = field(default_factory=list)


def _sections(lines: list[str]) -> dict[str, list[str]]:
    """The résumé's lines by section (``header`` before the first heading)."""
    sections: dict[str, list[str]] = {"header": []}
    current = "header"
    for line in lines:
        heading = _heading(line) if line else None
        if heading:
            current = heading
            sections.setdefault(current, [])
            continue
        sections.setdefault(current, []).append(line)
    return sections


def _headline_and_summary(sections: dict[str, list[str]]) -> tuple[str, str]:
    """The header block's first short line after the name that is neither contact details
    nor dates; the summary section, else the header's long lines."""
    header = [line for line in sections["header"] if line]
    headline = ""
    for line in header[1:4]:
        if not _is_contact(line) and len(line) <= 160 and not DATE_RANGE_RE.search(line):
            headline = line
            break
    summary_lines = [line for line in sections.get("summary", []) if line]
    if not summary_lines:
        summary_lines = [
            line
            for line in header[1:]
            if line != headline and not _is_contact(line) and len(line) > 80
        ]
    return headline, " ".join(summary_lines)[:4000]


def _jobs(lines: list[str]) -> list[_Job]:
    """Jobs from the experience section: a line with a date range starts one (its title and
    employer around the dates, or on the line before); bullets and long lines after it are
    its description; an employer on the next line fills a header that named none."""
    jobs: list[_Job] = []
    pending_header = ""
    for line in lines:
        if not line:
            continue
        is_bullet = bool(_BULLET_RE.match(line))
        m = None if is_bullet else DATE_RANGE_RE.search(line)
        if m:
            rest = (line[: m.start()] + " " + line[m.end() :]).strip(" ,|–—-·:")
            if not rest and pending_header:
                rest = pending_header
            title, employer = _split_title_employer(rest)
            start, end = parse_date(m.group("start")), parse_date(m.group("end"), end=True)
            jobs.append(_Job(employer=employer, title=title, start=start, end=end))
            pending_header = ""
        elif is_bullet and jobs:
            jobs[-1].lines.append(_BULLET_RE.sub("", line))
        elif jobs and jobs[-1].lines and not is_bullet and len(line) > 60:
            jobs[-1].lines.append(line)  # a wrapped bullet or a prose description
        elif jobs and not jobs[-1].employer and not jobs[-1].lines:
            jobs[-1].employer = line.strip(" ,|")  # "Title, dates" then "Employer"
        else:
            pending_header = line
    return jobs


def _dates_in_order(job: _Job) -> tuple[date | None, date | None]:
    start, end = job.start, job.end
    if start and end and end < start:
        return end, start
    return start, end


def _experience_row(job: _Job) -> dict[str, Any]:
    start, end = _dates_in_order(job)
    return {
        "employer": job.employer[:160] or "(employer)",
        "title": job.title[:160],
        "start": start.isoformat() if start else "",
        "end": end.isoformat() if end else "",
        "description": "\n".join(f"• {b}" for b in job.lines)[:4000],
    }


def _years_experience(jobs: list[_Job], today: date) -> str | None:
    """The jobs' years added up, to the half year (overlaps count twice); None for none."""
    total = 0.0
    for job in jobs:
        total += _years_between(*_dates_in_order(job), today)
    if not total:
        return None
    return str(Decimal(str(round(total * 2) / 2)).quantize(Decimal("0.1")))


def _achievements(jobs: list[_Job], sections: dict[str, list[str]]) -> list[dict[str, Any]]:
    """Bullets with measured results, most measurements first: the jobs' (with the employer
    as context), then those of the projects, summary, header and other sections."""
    bullets = [(b, job.employer) for job in jobs for b in job.lines]
    for section in ("projects", "summary", "header", "other"):
        for line in sections.get(section, []):
            if _BULLET_RE.match(line):
                bullets.append((_BULLET_RE.sub("", line), ""))
    measured = [
        (len(MEASURED_RE.findall(b)), i, b, ctx)
        for i, (b, ctx) in enumerate(bullets)
        if MEASURED_RE.search(b) and len(b) >= 20
    ]
    measured.sort(key=lambda t: (-t[0], t[1]))
    return [
        achievement_from_bullet(b, context=ctx)
        for _, _, b, ctx in measured[:MAX_ACHIEVEMENT_DRAFTS]
    ]


def _education_row(line: str) -> dict[str, Any] | None:
    """An education line naming a school (or, failing that, a degree and something else);
    None for any other line."""
    if not line or not (_SCHOOL_WORDS.search(line) or _DEGREE_RE.search(line)):
        return None
    clean = DATE_RANGE_RE.sub("", line)
    degree_m = _DEGREE_RE.search(clean)
    degree = degree_m.group().strip(" ,") if degree_m else ""
    parts = [p.strip(" ,()") for p in _SEPARATORS_RE.split(clean) if p.strip(" ,()")]
    school = next((p for p in parts if _SCHOOL_WORDS.search(p)), "")
    if not school:
        school = next((p for p in parts if not _DEGREE_RE.search(p)), "")
    if not school:
        return None
    subject = ""
    if degree and (m := _IN_RE.search(degree)):
        degree, subject = degree[: m.start()], degree[m.end() :]
    years = [int(y) for y in _YEAR_RE.findall(line)]
    return {
        "school": _YEAR_RE.sub("", school).strip(" ,–—-")[:160],
        "degree": degree.strip()[:160],
        "field": subject.strip()[:160],
        "end_year": max(years) if years else None,
    }


def parse_resume_text(text: str, *, today: date | None = None) -> dict[str, Any]:
    """The draft profile found in a résumé's text.

    >>> d = parse_resume_text("Ada Lovelace\\nML engineer\\n\\nExperience\\n"
    ...     "ML Engineer at Acme AI, Jan 2020 – Present\\n"
    ...     "• Cut p95 latency of PyTorch serving by 60% with int8 quantisation")
    >>> d["experiences"][0]["employer"], d["experiences"][0]["start"]
    ('Acme AI', '2020-01-01')
    >>> [s["skill_id"] for s in d["skills"]], d["achievements"][0]["result"][:20]
    (['machine-learning', 'pytorch', 'quantization'], 'Cut p95 latency of P')
    """
    today = today or datetime.now(UTC).date()
    draft = empty_draft("resume")
    text = normalise_text(text)
    sections = _sections(text.split("\n"))
    headline, summary = _headline_and_summary(sections)
    draft["profile"] = {"headline": headline, "summary": summary}
    country, city, note = find_location([line for line in sections["header"] if line][:8])
    if country:
        draft["profile"].update(country=country, city=city)
    if note:
        draft["warnings"].append(note)
    jobs = _jobs(sections.get("experience", []))
    draft["experiences"] = [_experience_row(job) for job in jobs]
    if years := _years_experience(jobs, today):
        draft["profile"]["years_experience"] = years
    draft["achievements"] = _achievements(jobs, sections)
    rows = (_education_row(line) for line in sections.get("education", []))
    draft["education"] = [row for row in rows if row]
    draft["links"] = find_links(text)
    draft["skills"] = skills_from_text(text, jobs=draft["experiences"], today=today)
    # Every name listed in the skills section is kept: a taxonomy skill the text search did
    # not take (a bare list has no context), and names the taxonomy does not know as written.
    tax = load_taxonomy()
    open_names = OpenSkills(tax)
    have = {row["skill_id"] for row in draft["skills"]}
    for name in skill_list_names(sections.get("skills", [])):
        level, why = infer_level(years=0.0, since_last_use=None, wording=name)
        found = tax.normalize(name, suggest=False).skill_id
        if found is None:
            open_names.add(name, level=level, level_reason=why, evidence=f"Skills section: {name}")
        elif found not in have:
            have.add(found)
            draft["skills"].append(
                {
                    "skill_id": found,
                    "label": tax.by_id[found].label,
                    "level": level,
                    "level_reason": why,
                    "years": "0.0",
                    "evidence": f"Skills section: {name}",
                }
            )
    draft["skills"] += open_names.rows
    draft["warnings"] += open_names.warnings()
    cap_draft_rows(draft)
    return draft


class OpenSkills:
    """Collects the skill names of an import that the taxonomy does not know, as draft rows
    kept like any skill (``outside_taxonomy``), once per name (``name_key``), at most
    ``MAX_OPEN_SKILLS``; what does not fit is named in a warning, never dropped silently.

    >>> from matchday.engine.taxonomy import load_taxonomy
    >>> names = OpenSkills(load_taxonomy())
    >>> names.add("Zustand", evidence="Frontend: Zustand"), names.add("zustand."), names.add("PyTorch")
    (True, False, False)
    >>> [(r["skill_id"], r["outside_taxonomy"]) for r in names.rows]
    [('Zustand', True)]
    """

    def __init__(self, taxonomy: Any) -> None:
        self.taxonomy = taxonomy
        self.rows: list[dict[str, Any]] = []
        self._keys: set[str] = set()
        self._left_out: list[str] = []
        self._too_long: list[str] = []

    def add(self, name: str, *, level: int = 3, level_reason: str = "", evidence: str = "") -> bool:
        """Keep ``name`` if it is a skill name the taxonomy does not know; whether it was
        added (False for a known skill, a repeat, or a name that is not a skill name)."""
        label = clean_name(name).rstrip(" .,;:!?")
        key = name_key(label)
        if not key or key in self._keys:
            return False
        if len(label) > MAX_SKILL_NAME_CHARS:
            self._keys.add(key)
            self._too_long.append(label[:MAX_SKILL_NAME_CHARS] + "…")
            return False
        if self.taxonomy.normalize(label, suggest=False).skill_id is not None:
            return False
        self._keys.add(key)
        if len(self.rows) >= MAX_OPEN_SKILLS:
            self._left_out.append(label)
            return False
        self.rows.append(
            {
                "skill_id": label,
                "label": label,
                "outside_taxonomy": True,
                "level": level,
                "level_reason": level_reason,
                "years": "0.0",
                "evidence": evidence[:2000],
            }
        )
        return True

    def warnings(self) -> list[str]:
        out = []
        for template, names in (
            (OPEN_SKILLS_LEFT_OUT, self._left_out),
            (NAMES_TOO_LONG, self._too_long),
        ):
            if names:
                listed = ", ".join(names[:MAX_NAMES_LISTED])
                more = len(names) - MAX_NAMES_LISTED
                limit = (
                    MAX_OPEN_SKILLS if template is OPEN_SKILLS_LEFT_OUT else MAX_SKILL_NAME_CHARS
                )
                out.append(
                    template.format(limit=limit, names=listed)
                    + (f" (and {more} more)" if more > 0 else "")
                )
        return out


_LIST_SPLIT_RE = re.compile(r"\s*(?:[,;|•·▪/]|\s-\s)\s*")
_LIST_LABEL_RE = re.compile(r"^[^:]{1,40}:\s*")


def skill_list_names(lines: list[str]) -> list[str]:
    """The names listed in a résumé's skills section ("Frontend: React, Zustand; KaTeX").

    >>> skill_list_names(["Frontend: React, Zustand; KaTeX", "• Netlify / Vercel"])
    ['React', 'Zustand', 'KaTeX', 'Netlify', 'Vercel']
    """
    names = []
    for line in lines:
        body = _LIST_LABEL_RE.sub("", _BULLET_RE.sub("", line))
        for part in _LIST_SPLIT_RE.split(body):
            part = part.strip(" .()[]")
            # a list item names a skill in a few words; a sentence is not a skill name
            if part and len(part.split()) <= 4:
                names.append(part)
    return names


def cap_draft_rows(draft: dict[str, Any]) -> None:
    """Keep at most ``MAX_DRAFT_ROWS`` rows per section, with a warning naming each cut."""
    for section, limit in MAX_DRAFT_ROWS.items():
        rows = draft[section]
        if len(rows) > limit:
            draft["warnings"].append(
                ROWS_DROPPED.format(count=len(rows), section=section, limit=limit)
            )
            del rows[limit:]


def _evidence_line(text: str, start: int, end: int) -> str:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start : line_end if line_end != -1 else len(text)].strip()
    line = _BULLET_RE.sub("", line)
    if len(line) > MAX_EVIDENCE_CHARS:
        lo = max(0, start - line_start - MAX_EVIDENCE_CHARS // 2)
        line = "…" + line[lo : lo + MAX_EVIDENCE_CHARS - 2] + "…"
    return line


def skill_use(jobs: list[dict[str, Any]], *, today: date) -> dict[str, tuple[float, float | None]]:
    """Per taxonomy skill named in a dated job's title or description: ``(years, since)``,
    the years of those jobs (to the nearest half year, at most 40) and the years since the
    most recent of them ended (0 while current)."""
    found: dict[str, tuple[float, float | None]] = {}
    for job in jobs:
        ids = {m.skill_id for m in extract_skills(f"{job['title']}\n{job['description']}")}
        start = parse_date(job["start"]) if job.get("start") else None
        end = parse_date(job["end"]) if job.get("end") else None
        since = (0.0 if end is None else max(0.0, (today - end).days / 365.25)) if start else None
        years = _years_between(start, end, today)
        for skill_id in ids:
            total, last = found.get(skill_id, (0.0, None))
            if since is not None and (last is None or since < last):
                last = since
            found[skill_id] = (total + years, last)
    return {k: (round(min(y, 40.0) * 2) / 2, last) for k, (y, last) in found.items()}


def skills_from_text(
    text: str, *, jobs: list[dict[str, Any]] | None = None, today: date | None = None
) -> list[dict[str, Any]]:
    """Taxonomy skills mentioned in ``text``, in order of first mention, each with evidence
    (the line it was found on) and years estimated from the jobs whose text mentions it."""
    today = today or datetime.now(UTC).date()
    tax = load_taxonomy()
    mentions = extract_skills(text)
    found: dict[str, dict[str, Any]] = {}
    for m in mentions:
        entry = found.setdefault(
            m.skill_id,
            {
                "skill_id": m.skill_id,
                "label": tax.by_id[m.skill_id].label,
                "evidence": [],
                "tries": 0,
            },
        )
        # Each try reads a whole line: a few per skill, or a one-line résumé naming a
        # skill 10,000 times would read that line 10,000 times.
        if len(entry["evidence"]) >= 2 or entry["tries"] >= MAX_EVIDENCE_TRIES:
            continue
        entry["tries"] += 1
        line = _evidence_line(text, m.start, m.end)
        if line and line not in entry["evidence"]:
            entry["evidence"].append(line)
    use = skill_use(jobs or [], today=today)
    result = []
    for skill_id, entry in found.items():
        years, since = use.get(skill_id, (0.0, None))
        level, why = infer_level(
            years=years, since_last_use=since, wording=" ".join(entry["evidence"])
        )
        result.append(
            {
                "skill_id": skill_id,
                "label": entry["label"],
                "level": level,
                "level_reason": why,
                "years": str(Decimal(str(years)).quantize(Decimal("0.1"))),
                "evidence": " / ".join(entry["evidence"])[:2000],
            }
        )
    return result
