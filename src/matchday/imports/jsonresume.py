"""JSON Resume (v1.x) export and import.

Standard sections carry what other JSON Resume tools understand (basics, work, education,
skills, projects, publications); everything only Matchday knows — preferences, skill
levels/years/evidence by taxonomy id, achievements, link kinds — goes in
``meta.matchday`` (``meta`` allows additional properties in the v1 schema, and stricter
validators that forbid unknown top-level keys still accept it). On import the extension,
when present, is authoritative, so export → import loses nothing.

The schema and the official sample live in ``data/`` with the JSON Resume licence; the
extension's shape is ``data/matchday-extension.schema.json`` (checked with the rest of the
document). What its values may be is not repeated there: an imported draft goes through
``imports.services.draft_check``, i.e. the same model validation as the profile editor and
the REST API, before it is kept.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from matchday.core.choices import SkillLevel
from matchday.engine.taxonomy import Taxonomy, load_taxonomy
from matchday.imports import limits as import_limits
from matchday.imports.limits import ImportLimits
from matchday.imports.resume import (
    MAX_ACHIEVEMENT_DRAFTS,
    MEASURED_RE,
    OpenSkills,
    achievement_from_bullet,
    empty_draft,
    infer_level,
    parse_date,
    skill_use,
)

DATA_DIR = Path(__file__).parent / "data"
SCHEMA_PATH = DATA_DIR / "jsonresume.schema.json"
SAMPLE_PATH = DATA_DIR / "jsonresume.sample.json"
EXTENSION_SCHEMA_PATH = DATA_DIR / "matchday-extension.schema.json"
SCHEMA_URL = "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json"
EXTENSION = "matchday"
EXTENSION_VERSION = 1
# A skill's "level" is free text in JSON Resume: the scale's own labels, and the words other
# tools write, on the one scale (``core.choices.SkillLevel``).
LEVEL_WORDS = {label.lower(): value for value, label in SkillLevel.choices} | {
    "beginner": 1, "novice": 1, "basic": 1, "elementary": 1, "familiar": 1,
    "intermediate": 3, "proficient": 3, "competent": 3, "experienced": 3,
    "fluent": 4, "strong": 4, "senior": 4, "master": 5, "guru": 5,
}  # fmt: skip

NOT_JSON = "The file is not valid JSON: {error}."
NOT_OBJECT = "A JSON Resume is a JSON object."
INVALID_RESUME = "The file is not a valid JSON Resume: {error} (at {path})."
TOO_LARGE = "The file is {size} bytes; JSON Resume files of at most {limit} bytes are accepted."
TOO_DEEP = "The file nests values more than {limit} levels deep; it was refused."
TOO_MANY_VALUES = (
    "The file holds more than {limit} values; JSON Resume files of at most {limit} are accepted."
)
TOO_MANY_KEYWORDS = "The file lists {count} skill names and keywords; at most {limit} are accepted."

# Preferences carried by the extension: the profile fields that are not also standard.
EXTENSION_PROFILE_FIELDS = (
    "timezone", "remote_preference", "acceptable_countries", "acceptable_cities",
    "work_authorization", "years_experience", "level", "role_types", "domains",
    "company_stages", "company_sizes", "min_pay_amount", "min_pay_currency", "min_pay_period",
    "dealbreakers", "preference_weights",
)  # fmt: skip


# The parts of an achievement story, in the extension and on the profile.
ACHIEVEMENT_FIELDS = ("title", "problem", "constraints", "options", "decision", "result")


class JsonResumeError(ValueError):
    """A JSON Resume document that was refused; the message is for the candidate."""


@cache
def schema() -> dict[str, Any]:
    """The JSON Resume v1 schema with ``meta.matchday`` held to the extension's shape
    (``data/matchday-extension.schema.json``)."""
    document = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    extension = json.loads(EXTENSION_SCHEMA_PATH.read_text(encoding="utf-8"))
    document["properties"]["meta"].setdefault("properties", {})[EXTENSION] = extension
    return document


def validate(document: Any) -> None:
    """Raise ``JsonResumeError`` naming the first problem when ``document`` is not valid."""
    if not isinstance(document, dict):
        raise JsonResumeError(NOT_OBJECT)
    validator = jsonschema.Draft7Validator(
        schema(), format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    if errors:
        error = errors[0]
        path = "/".join(str(p) for p in error.absolute_path) or "the top level"
        raise JsonResumeError(INVALID_RESUME.format(error=error.message, path=path))


def loads(data: bytes, limits: ImportLimits | None = None) -> dict[str, Any]:
    """Parse and validate an uploaded JSON Resume file: its size, then its shape (depth and
    number of values, before the schema validator walks it), then the schema."""
    limits = limits or import_limits.current()
    if len(data) > limits.json_max_bytes:
        raise JsonResumeError(TOO_LARGE.format(size=len(data), limit=limits.json_max_bytes))
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except RecursionError:
        raise JsonResumeError(TOO_DEEP.format(limit=limits.json_max_depth)) from None
    except ValueError as exc:  # bad UTF-8, bad JSON, a number of more than 4,300 digits
        raise JsonResumeError(NOT_JSON.format(error=str(exc)[:200])) from None
    check_shape(document, max_depth=limits.json_max_depth, max_values=limits.json_max_values)
    validate(document)
    return document


def check_shape(document: Any, *, max_depth: int, max_values: int) -> None:
    """Refuse a document nested deeper than ``max_depth`` or holding more than
    ``max_values`` values (iteratively: no recursion on untrusted depth)."""
    stack: list[tuple[Any, int]] = [(document, 1)]
    values = 0
    while stack:
        value, depth = stack.pop()
        values += 1
        if values > max_values:
            raise JsonResumeError(TOO_MANY_VALUES.format(limit=max_values))
        if depth > max_depth:
            raise JsonResumeError(TOO_DEEP.format(limit=max_depth))
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _jsonable(value: Any) -> Any:
    """Profile values as JSON: countries as codes, decimals as strings."""
    if hasattr(value, "code"):  # django_countries Country
        return value.code
    if isinstance(value, list | tuple) or type(value).__name__ == "MultipleCountriesDescriptor":
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | str | dict):
        return value
    return str(value)


def export_profile(profile) -> dict[str, Any]:
    """The candidate's profile as a JSON Resume document (valid against the v1 schema)."""
    user = profile.user
    links = list(profile.links.all())
    basics: dict[str, Any] = {
        "name": user.full_name,
        "label": profile.headline,
        "email": user.email,
        "summary": profile.summary,
        "location": {"city": profile.city, "countryCode": _jsonable(profile.country) or ""},
        "profiles": [
            {"network": link.title or link.get_kind_display(), "url": link.url}
            for link in links
            if link.kind != link.Kind.PUBLICATION
        ],
    }
    work = []
    for exp in profile.experiences.all():
        item: dict[str, Any] = {"name": exp.employer, "position": exp.title}
        if exp.start:
            item["startDate"] = exp.start.isoformat()
        if exp.end:
            item["endDate"] = exp.end.isoformat()
        if exp.description:
            item["summary"] = exp.description
        work.append(item)
    education = []
    for edu in profile.education.all():
        item = {"institution": edu.school, "studyType": edu.degree, "area": edu.field}
        if edu.end_year:
            item["endDate"] = f"{edu.end_year:04d}"
        education.append(item)
    skill_rows = list(profile.skills.select_related("skill"))
    skills = [
        {
            "name": row.skill.label,
            "level": SkillLevel(row.level).label,
            "keywords": [row.skill_id],
        }
        for row in skill_rows
    ]
    publications = [
        {"name": link.title or link.url, "url": link.url}
        for link in links
        if link.kind == link.Kind.PUBLICATION
    ]
    achievements = [
        {f: getattr(a, f) for f in ACHIEVEMENT_FIELDS} for a in profile.achievements.all()
    ]
    extension = {
        "version": EXTENSION_VERSION,
        "profile": {f: _jsonable(getattr(profile, f)) for f in EXTENSION_PROFILE_FIELDS},
        "skills": [
            {
                "id": row.skill_id,
                "label": row.skill.label,
                "level": row.level,
                "years": str(row.years),
                "evidence": row.evidence,
            }
            for row in skill_rows
        ],
        "links": [{"kind": link.kind, "title": link.title, "url": link.url} for link in links],
        "achievements": achievements,
    }
    document = {
        "$schema": SCHEMA_URL,
        "basics": basics,
        "work": work,
        "education": education,
        "skills": skills,
        "publications": publications,
        "meta": {"version": "v1.0.0", EXTENSION: extension},
    }
    validate(document)
    return document


def _draft_link(url: str, *, kind: str = "", title: str = "") -> dict[str, str] | None:
    from matchday.imports.resume import _link_kind

    url = (url or "").strip()
    if not url.lower().startswith(("http://", "https://")) or len(url) > 500:
        return None
    return {"kind": kind or _link_kind(url), "title": title[:160], "url": url}


@dataclass(frozen=True)
class _SkillGroup:
    """A JSON Resume skill (its name and keywords name skills) or project (only its
    keywords do), with the level the file states, if any."""

    name: str
    keywords: list[str]
    level: str
    is_skill: bool

    @classmethod
    def all_of(cls, document: dict[str, Any]) -> list[_SkillGroup]:
        def group(item: dict[str, Any], is_skill: bool) -> _SkillGroup:
            return cls(
                name=item.get("name", ""),
                keywords=item.get("keywords") or [],
                level=item.get("level") or "",
                is_skill=is_skill,
            )

        return [group(g, True) for g in document.get("skills") or []] + [
            group(g, False) for g in document.get("projects") or []
        ]

    @property
    def names(self) -> list[str]:
        return [*([self.name] if self.is_skill else []), *self.keywords]

    @property
    def evidence(self) -> str:
        return f"{self.name}: {', '.join(self.keywords)}".strip(": ")[:2000]


@dataclass
class _Skills:
    """Skill rows for the draft, and the names the taxonomy does not know."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _profile(basics: dict[str, Any], ext: dict[str, Any]) -> dict[str, Any]:
    """The standard fields, then the extension's preferences (known fields only)."""
    location = basics.get("location") or {}
    profile: dict[str, Any] = {
        "headline": (basics.get("label") or "")[:160],
        "summary": (basics.get("summary") or "")[:4000],
        "city": (location.get("city") or "")[:100],
        "country": (location.get("countryCode") or "").upper()[:2],
    }
    for name, value in (ext.get("profile") or {}).items():
        if name in EXTENSION_PROFILE_FIELDS:
            profile[name] = value
    return profile


def _experience(item: dict[str, Any]) -> dict[str, Any]:
    """A work entry; its highlights become bullets of the description."""
    description = item.get("summary") or ""
    highlights = [h for h in item.get("highlights") or [] if h]
    if highlights:
        description = "\n".join([description, *(f"• {h}" for h in highlights)]).strip()
    return {
        "employer": (item.get("name") or item.get("company") or "(employer)")[:160],
        "title": (item.get("position") or "")[:160],
        "start": _iso(parse_date(item.get("startDate") or "")) or "",
        "end": _iso(parse_date(item.get("endDate") or "")) or "",
        "description": description[:4000],
    }


def _education(item: dict[str, Any]) -> dict[str, Any]:
    end = parse_date(item.get("endDate") or "")
    return {
        "school": (item.get("institution") or "")[:160],
        "degree": (item.get("studyType") or "")[:160],
        "field": (item.get("area") or "")[:160],
        "end_year": end.year if end else None,
    }


def _extension_skills(rows: list[dict[str, Any]], tax: Taxonomy) -> _Skills:
    """The extension's exact rows (by taxonomy id); a skill outside the taxonomy (``~`` id,
    with its label) is kept as written (``resume.OpenSkills``)."""
    skills = _Skills()
    open_names = OpenSkills(tax)
    for row in rows:
        skill_id = row.get("id", "")
        if skill_id not in tax.by_id:
            open_names.add(
                str(row.get("label") or skill_id).lstrip("~"),
                level=int(row.get("level", 3)),
                evidence=row.get("evidence", ""),
            )
            continue
        skills.rows.append(
            {
                "skill_id": skill_id,
                "label": tax.by_id[skill_id].label,
                "level": int(row.get("level", 3)),
                "years": str(row.get("years", "0")),
                "evidence": row.get("evidence", ""),
            }
        )
    skills.rows += open_names.rows
    skills.warnings += open_names.warnings()
    return skills


def _taxonomy_skills(
    groups: list[_SkillGroup],
    experiences: list[dict[str, Any]],
    tax: Taxonomy,
    *,
    max_keywords: int,
    today: date,
) -> _Skills:
    """Skill and project names and keywords through the taxonomy, each skill once, its
    level the file's when stated, else inferred from the work history that names it. Names
    the taxonomy does not know are kept as written (``resume.OpenSkills``)."""
    count = sum(int(g.is_skill) + len(g.keywords) for g in groups)
    if count > max_keywords:
        raise JsonResumeError(TOO_MANY_KEYWORDS.format(count=count, limit=max_keywords))
    use = skill_use(experiences, today=today)
    skills = _Skills()
    open_names = OpenSkills(tax)
    seen: set[str] = set()
    for group in groups:
        stated = LEVEL_WORDS.get(group.level.strip().lower())
        for name in group.names:
            if not name:
                continue
            found = tax.normalize(name, suggest=False).skill_id
            years, since = use.get(found or "", (0.0, None))
            level, why = infer_level(years=years, since_last_use=since, wording="")
            if stated is not None:
                level, why = stated, f"the file says “{group.level.strip()}”"
            if found is None:
                open_names.add(name, level=level, level_reason=why, evidence=group.evidence)
            elif found not in seen:
                seen.add(found)
                skills.rows.append(
                    {
                        "skill_id": found,
                        "label": tax.by_id[found].label,
                        "level": level,
                        "level_reason": why,
                        "years": f"{years:.1f}",
                        "evidence": group.evidence,
                    }
                )
    skills.rows += open_names.rows
    skills.warnings += open_names.warnings()
    return skills


def _extension_links(links: list[dict[str, Any]]) -> list[dict[str, str]]:
    rows = [
        _draft_link(link.get("url", ""), kind=link.get("kind", ""), title=link.get("title", ""))
        for link in links
    ]
    return [row for row in rows if row]


def _document_links(document: dict[str, Any], basics: dict[str, Any]) -> list[dict[str, str]]:
    """The website, profiles, publications and projects' URLs, each URL once."""
    candidates = [_draft_link(basics.get("url") or "", kind="portfolio")]
    candidates += [
        _draft_link(p.get("url") or "", title=p.get("network") or "")
        for p in basics.get("profiles") or []
    ]
    candidates += [
        _draft_link(p.get("url") or "", kind="publication", title=p.get("name") or "")
        for p in document.get("publications") or []
    ]
    candidates += [
        _draft_link(p.get("url") or "", kind="portfolio", title=p.get("name") or "")
        for p in document.get("projects") or []
    ]
    rows: dict[str, dict[str, str]] = {}
    for row in candidates:
        if row and row["url"] not in rows:
            rows[row["url"]] = row
    return list(rows.values())


def _extension_achievements(stories: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The candidate's own stories, exported by Matchday: kept."""
    return [{**{f: str(a.get(f, "")) for f in ACHIEVEMENT_FIELDS}, "keep": True} for a in stories]


def _measured_achievements(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Suggestions drafted from work and project highlights with a measured result."""
    bullets = [
        (h, item.get("name", ""))
        for item in [*(document.get("work") or []), *(document.get("projects") or [])]
        for h in item.get("highlights") or []
        if h and MEASURED_RE.search(h)
    ]
    return [achievement_from_bullet(b, context=c) for b, c in bullets[:MAX_ACHIEVEMENT_DRAFTS]]


def import_document(
    document: dict[str, Any], limits: ImportLimits | None = None, *, today: date | None = None
) -> dict[str, Any]:
    """A review draft from a validated JSON Resume document (see ``resume`` for its shape).

    The ``meta.matchday`` extension, where present, is authoritative for skills, links and
    achievements. Otherwise skills without a stated level get one inferred from the work
    history that names them (``resume.infer_level``), and achievements are drafted from
    highlights with a measured result as suggestions the candidate ticks to keep."""
    today = today or datetime.now(UTC).date()
    max_keywords = (limits or import_limits.current()).json_max_keywords
    tax = load_taxonomy()
    basics = document.get("basics") or {}
    ext = (document.get("meta") or {}).get(EXTENSION)
    ext = ext if isinstance(ext, dict) else {}
    draft = empty_draft("jsonresume")
    draft["profile"] = _profile(basics, ext)
    draft["experiences"] = [_experience(item) for item in document.get("work") or []]
    draft["education"] = [_education(item) for item in document.get("education") or []]
    if ext.get("skills"):
        skills = _extension_skills(ext["skills"], tax)
    else:
        groups = _SkillGroup.all_of(document)
        skills = _taxonomy_skills(
            groups, draft["experiences"], tax, max_keywords=max_keywords, today=today
        )
    draft["skills"] = skills.rows
    draft["warnings"].extend(skills.warnings)
    if ext.get("links"):
        draft["links"] = _extension_links(ext["links"])
    else:
        draft["links"] = _document_links(document, basics)
    if "achievements" in ext:
        draft["achievements"] = _extension_achievements(ext["achievements"])
    else:
        draft["achievements"] = _measured_achievements(document)
    return draft
