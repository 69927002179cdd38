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
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from matchday.engine.extract import extract_skills
from matchday.engine.taxonomy import load_taxonomy

MAX_ACHIEVEMENT_DRAFTS = 3
MAX_EVIDENCE_CHARS = 300
MAX_EVIDENCE_TRIES = 8
# The review page lists every row; a résumé with more is a list, not a career.
MAX_DRAFT_ROWS = {"experiences": 40, "education": 20, "skills": 150, "links": 20}
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
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for m in names
}  # fmt: skip
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


def _measured_sentence(text: str) -> str:
    """The clause of ``text`` carrying its measured result."""
    for clause in re.split(
        r"(?<=[.;]) |, (?=(?:cutting|reducing|raising|improving|saving|"
        r"increasing|which|resulting))",
        text,
    ):
        if MEASURED_RE.search(clause):
            return clause.strip()
    return text.strip()


def achievement_from_bullet(bullet: str, *, context: str = "") -> dict[str, str]:
    """A draft achievement from one result bullet; the candidate completes it on review."""
    bullet = bullet.strip()
    words = bullet.split()
    title = " ".join(words[:10]) + ("…" if len(words) > 10 else "")
    problem = bullet if not context else f"{context}: {bullet}"
    return {
        "title": title[:160],
        "problem": problem[:2000],
        "constraints": "",
        "options": "",
        "decision": "",
        "result": _measured_sentence(bullet)[:2000],
    }


def _years_between(start: date | None, end: date | None, today: date) -> float:
    if start is None:
        return 0.0
    stop = end or today
    return max(0.0, (stop - start).days / 365.25)


def _level_for_years(years: float) -> int:
    """A starting guess the candidate corrects: more years of use, a higher level."""
    if years >= 6:
        return 5
    if years >= 3:
        return 4
    if years >= 1:
        return 3
    return 2


def parse_resume_text(text: str, *, today: date | None = None) -> dict[str, Any]:  # noqa: C901 - complexity 24, to split into named steps
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
    lines = text.split("\n")
    sections: dict[str, list[str]] = {"header": []}
    current = "header"
    for line in lines:
        heading = _heading(line) if line else None
        if heading:
            current = heading
            sections.setdefault(current, [])
            continue
        sections.setdefault(current, []).append(line)

    # Headline and summary: the header block (after the name) and any summary section.
    header = [line for line in sections["header"] if line]
    headline = ""
    for line in header[1:4]:
        if not _is_contact(line) and len(line) <= 160 and not DATE_RANGE_RE.search(line):
            headline = line
            break
    summary_lines = [line for line in sections.get("summary", []) if line]
    if not summary_lines:
        summary_lines = [
            line for line in header[1:] if line != headline and not _is_contact(line)
            and len(line) > 80
        ]  # fmt: skip
    draft["profile"] = {"headline": headline, "summary": " ".join(summary_lines)[:4000]}

    # Work history.
    jobs: list[dict[str, Any]] = []
    pending_header = ""
    for line in sections.get("experience", []):
        if not line:
            continue
        is_bullet = bool(_BULLET_RE.match(line))
        m = None if is_bullet else DATE_RANGE_RE.search(line)
        if m:
            rest = (line[: m.start()] + " " + line[m.end() :]).strip(" ,|–—-·:")
            if not rest and pending_header:
                rest = pending_header
            title, employer = _split_title_employer(rest)
            jobs.append(
                {
                    "employer": employer,
                    "title": title,
                    "start": parse_date(m.group("start")),
                    "end": parse_date(m.group("end"), end=True),
                    "lines": [],
                }
            )
            pending_header = ""
        elif is_bullet and jobs:
            jobs[-1]["lines"].append(_BULLET_RE.sub("", line))
        elif jobs and jobs[-1]["lines"] and not is_bullet and len(line) > 60:
            jobs[-1]["lines"].append(line)  # a wrapped bullet or a prose description
        elif jobs and not jobs[-1]["employer"] and not jobs[-1]["lines"]:
            jobs[-1]["employer"] = line.strip(" ,|")  # "Title, dates" then "Employer"
        else:
            pending_header = line
    bullets_with_context: list[tuple[str, str]] = []
    total_years = 0.0
    for job in jobs:
        start, end = job["start"], job["end"]
        if start and end and end < start:
            start, end = end, start
        total_years += _years_between(start, end, today)
        draft["experiences"].append(
            {
                "employer": job["employer"][:160] or "(employer)",
                "title": job["title"][:160],
                "start": start.isoformat() if start else "",
                "end": end.isoformat() if end else "",
                "description": "\n".join(f"• {b}" for b in job["lines"])[:4000],
            }
        )
        bullets_with_context.extend((b, job["employer"]) for b in job["lines"])
    if total_years:
        draft["profile"]["years_experience"] = str(
            Decimal(str(round(total_years * 2) / 2)).quantize(Decimal("0.1"))
        )

    # Achievements: bullets with measured results, most measurements first.
    for section in ("projects", "summary", "header", "other"):
        for line in sections.get(section, []):
            if _BULLET_RE.match(line):
                bullets_with_context.append((_BULLET_RE.sub("", line), ""))
    measured = [
        (len(MEASURED_RE.findall(b)), i, b, ctx)
        for i, (b, ctx) in enumerate(bullets_with_context)
        if MEASURED_RE.search(b) and len(b) >= 20
    ]
    measured.sort(key=lambda t: (-t[0], t[1]))
    draft["achievements"] = [
        achievement_from_bullet(b, context=ctx)
        for _, _, b, ctx in measured[:MAX_ACHIEVEMENT_DRAFTS]
    ]

    # Education.
    for line in sections.get("education", []):
        if not line or not (_SCHOOL_WORDS.search(line) or _DEGREE_RE.search(line)):
            continue
        clean = DATE_RANGE_RE.sub("", line)
        degree_m = _DEGREE_RE.search(clean)
        degree = degree_m.group().strip(" ,") if degree_m else ""
        parts = [p.strip(" ,()") for p in _SEPARATORS_RE.split(clean) if p.strip(" ,()")]
        school = next((p for p in parts if _SCHOOL_WORDS.search(p)), "")
        if not school:
            school = next((p for p in parts if not _DEGREE_RE.search(p)), "")
        if not school:
            continue
        field = ""
        if degree and (m := _IN_RE.search(degree)):
            degree, field = degree[: m.start()], degree[m.end() :]
        years = [int(y) for y in _YEAR_RE.findall(line)]
        draft["education"].append(
            {
                "school": _YEAR_RE.sub("", school).strip(" ,–—-")[:160],
                "degree": degree.strip()[:160],
                "field": field.strip()[:160],
                "end_year": max(years) if years else None,
            }
        )

    draft["links"] = find_links(text)
    draft["skills"] = skills_from_text(text, jobs=draft["experiences"], today=today)
    cap_draft_rows(draft)
    return draft


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
    job_skills = []
    for job in jobs or []:
        ids = {m.skill_id for m in extract_skills(f"{job['title']}\n{job['description']}")}
        start = parse_date(job["start"]) if job.get("start") else None
        end = parse_date(job["end"]) if job.get("end") else None
        job_skills.append((ids, _years_between(start, end, today)))
    result = []
    for skill_id, entry in found.items():
        years = sum(y for ids, y in job_skills if skill_id in ids)
        years = round(min(years, 40.0) * 2) / 2
        result.append(
            {
                "skill_id": skill_id,
                "label": entry["label"],
                "level": _level_for_years(years),
                "years": str(Decimal(str(years)).quantize(Decimal("0.1"))),
                "evidence": " / ".join(entry["evidence"])[:2000],
            }
        )
    return result
