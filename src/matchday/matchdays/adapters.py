"""Rows ⇄ engine data. The one module that knows both the ORM and the engine.

* :func:`load_engine_data` reads the participating candidates and roles of a Match Day in a
  handful of ``values_list`` queries (no model instances, no per-row queries) and builds
  the engine's frozen dataclasses. Rows the engine cannot take (a candidate with no level
  or country, a hybrid role with no office country, an unknown currency, and any row whose
  stored values the engine refuses — a negative preference weight, a list that is not a
  list) are skipped, never guessed: counted by reason and listed row by row with the
  engine's own words (``EngineData.skipped_rows``), so one bad row never fails a run and
  the partner sees which rows were left out and why.
* :func:`engine_input_json` writes the exact input document of ``python -m matchday.engine
  score`` (``docs/engine-format.md``), so a run can be replayed outside the web app.
* :func:`proposal_rows` turns scored, allocated pairs back into unsaved ``Proposal`` rows.

Engine ids are ``c<profile pk>``, ``r<role pk>`` and ``co<company pk>``.

Work-arounds for what the engine does not model (reported, not hidden): a candidate's
hidden companies are returned separately (``EngineData.hidden_pairs``) and their pairs are
removed before allocation; IANA time zones become the UTC offset they have at the Match
Day's release moment; a blank candidate time zone is UTC (0.0).
"""

from __future__ import annotations

import functools
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db.models import Count, QuerySet

from matchday.companies.models import Company, Role, RoleSkill, role_levels
from matchday.engine import types as et
from matchday.engine.encoder import get_encoder
from matchday.engine.explain import (
    Audience,
    Explanation,
    render_sentences,
)
from matchday.engine.io import input_hash as engine_input_hash
from matchday.engine.pipeline import CurationOptions, explain_pairs
from matchday.engine.scoring import PairScore, ScoringWeights
from matchday.engine.taxonomy import Taxonomy
from matchday.engine.vocabulary import (
    SkillFrequencies,
    clean_name,
    frequency_key,
    open_vocabulary,
)
from matchday.matchdays.models import Alternate, MatchDay, Proposal
from matchday.matchdays.weights import current_scoring_weights
from matchday.talent.models import Achievement, CandidateProfile, CandidateSkill
from matchday.taxonomy.models import Skill
from matchday.taxonomy.services import current_taxonomy

__all__ = [
    "EngineData",
    "SkippedRow",
    "alternate_rows",
    "candidate_id",
    "candidate_pk",
    "curation_options",
    "engine_input_json",
    "engine_items",
    "load_engine_data",
    "participating_candidates",
    "participating_roles",
    "proposal_rows",
    "rates_from_settings",
    "role_id",
    "role_pk",
    "run_input_json",
    "score_pairs",
    "sentences_for",
    "utc_offset",
]

SKIP_NO_LEVEL = "no seniority level"
SKIP_NO_COUNTRY = "no country"
SKIP_CURRENCY = "currency without an exchange rate"
SKIP_NO_OFFICE = "hybrid or on-site role without an office country"
SKIP_INVALID = "data the engine cannot take"
# What reading a stored value can raise when the value is not what the model allows.
DATA_ERRORS = (et.EngineInputError, TypeError, ValueError, AttributeError, LookupError)
# Skipped rows listed in a run's stats (all are counted).
MAX_SKIPPED_LISTED = 200

CANDIDATE_COLUMNS = (
    "pk", "country", "city", "timezone", "remote_preference", "acceptable_countries",
    "acceptable_cities", "work_authorization", "years_experience", "level", "role_types",
    "domains", "company_stages", "company_sizes", "min_pay_amount", "min_pay_currency",
    "min_pay_period", "dealbreakers", "preference_weights", "headline", "summary",
)  # fmt: skip
ROLE_COLUMNS = (
    "pk", "company_id", "title", "level", "accepted_levels", "role_type", "description", "responsibilities",
    "location_policy", "allowed_countries", "allowed_timezones", "cities", "years_min",
    "years_max", "pay_min", "pay_max", "pay_currency", "pay_period", "company__stage",
    "company__size", "company__domains",
)  # fmt: skip
ACHIEVEMENT_PARTS = ("title", "problem", "constraints", "options", "decision", "result")


def candidate_id(pk: int) -> str:
    return f"c{pk}"


def role_id(pk: int) -> str:
    return f"r{pk}"


def candidate_pk(engine_id: str) -> int:
    return int(engine_id[1:])


def role_pk(engine_id: str) -> int:
    return int(engine_id[1:])


def _taxonomy() -> Taxonomy:
    """The taxonomy of the app now (the data file plus partners' changes)."""
    return current_taxonomy()


def _engine_skill(tax: Taxonomy, skill_id: str, label: str, source: str) -> str | None:
    """The engine's id for a stored skill: the taxonomy id; for a name outside the taxonomy
    the name itself (the engine keeps it and matches it by name and by meaning), or the
    taxonomy id it resolves to now; ``None`` for a skill the taxonomy retired."""
    if source == Skill.Source.OPEN:
        return tax.normalize(label, suggest=False).skill_id or clean_name(label)
    return skill_id if skill_id in tax.by_id else None


@functools.lru_cache(maxsize=1024)
def utc_offset(name: str, at: datetime) -> float | None:
    """The UTC offset in hours of IANA zone ``name`` at ``at`` (None if unknown).

    >>> utc_offset("Asia/Kolkata", datetime(2026, 1, 1, tzinfo=UTC))
    5.5
    """
    try:
        zone = zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None
    offset = at.astimezone(zone).utcoffset()
    return None if offset is None else offset.total_seconds() / 3600.0


def rates_from_settings() -> et.Rates:
    """``settings.MATCHDAY_CURRENCY_RATES_TO_USD`` as engine :class:`~matchday.engine.types.Rates`."""
    return et.Rates(base="USD", to_base=dict(settings.MATCHDAY_CURRENCY_RATES_TO_USD))


def _codes(value: str | Sequence[str] | None) -> frozenset[str]:
    """CountryField(multiple=True) columns come back as ``"DE,NL"``."""
    if not value:
        return frozenset()
    items = value.split(",") if isinstance(value, str) else value
    return frozenset(str(v).strip() for v in items if str(v).strip())


def participating_candidates(matchday: MatchDay) -> QuerySet[CandidateProfile]:
    """Active candidates (vetted, not paused); the Match Day's own list when it has one."""
    qs = CandidateProfile.objects.filter(status=CandidateProfile.Status.ACTIVE)
    if matchday.pk and matchday.candidates.exists():
        qs = qs.filter(pk__in=matchday.candidates.values("pk"))
    return qs


def participating_roles(matchday: MatchDay) -> QuerySet[Role]:
    """Open roles of vetted companies; the Match Day's own list when it has one."""
    qs = Role.objects.filter(
        status=Role.Status.OPEN, company__vetting_status=Company.VettingStatus.VETTED
    )
    if matchday.pk and matchday.roles.exists():
        qs = qs.filter(pk__in=matchday.roles.values("pk"))
    return qs


@dataclass(frozen=True)
class SkippedRow:
    """One candidate or role left out of a run, and why (in words a partner can act on)."""

    kind: str  # "candidate" | "role"
    pk: int
    reason: str


@dataclass
class EngineData:
    """What one curation run gives the engine, plus what the engine cannot be told."""

    candidates: list[et.Candidate]
    roles: list[et.Role]
    rates: et.Rates
    # (candidate engine id, role engine id) pairs never to propose: hidden companies.
    hidden_pairs: set[tuple[str, str]] = field(default_factory=set)
    skipped: dict[str, int] = field(default_factory=dict)  # rows left out, by reason
    skipped_rows: list[SkippedRow] = field(default_factory=list)
    # The taxonomy the rows were read with (the file plus partners' changes, read once):
    # the run scores with the same one.
    taxonomy: Taxonomy | None = None

    def skill_graph(self) -> Taxonomy:
        if self.taxonomy is None:
            self.taxonomy = _taxonomy()
        return self.taxonomy

    def skip(self, kind: str, pk: int, reason: str, detail: str = "") -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1
        self.skipped_rows.append(SkippedRow(kind, pk, detail or reason))

    def skipped_stats(self) -> dict[str, Any]:
        """What a run's stats record about the rows left out (at most
        ``MAX_SKIPPED_LISTED`` listed, all counted)."""
        return {
            "skipped": dict(self.skipped),
            "skipped_total": len(self.skipped_rows),
            "skipped_rows": [asdict(row) for row in self.skipped_rows[:MAX_SKIPPED_LISTED]],
        }


def _reason(exc: Exception) -> str:
    """The engine's message without its "candidate 'c12': " prefix (the row is named
    beside it)."""
    text = str(exc)
    if text.startswith(("candidate '", "role '")) and "': " in text:
        text = text.split("': ", 1)[1]
    return text if isinstance(exc, et.EngineInputError) else f"unreadable value ({text})"


def _skills_by_candidate(
    profiles: QuerySet[CandidateProfile], tax: Taxonomy
) -> dict[int, list[et.SkillClaim]]:
    # Levels and years are held to the engine's ranges by the table's check constraints.
    out: dict[int, list[et.SkillClaim]] = defaultdict(list)
    seen: set[tuple[int, str]] = set()
    rows = (
        CandidateSkill.objects.filter(candidate__in=profiles.values("pk"))
        .order_by("candidate_id", "-level", "skill_id")
        .values_list(
            "candidate_id",
            "skill_id",
            "skill__label",
            "skill__source",
            "level",
            "years",
            "evidence",
        )
    )
    for cid, skill, label, source, level, years, evidence in rows.iterator(chunk_size=20000):
        engine_id = _engine_skill(tax, skill, label, source)
        if engine_id is not None and (cid, engine_id) not in seen:
            seen.add((cid, engine_id))
            out[cid].append(et.SkillClaim(engine_id, int(level), float(years), evidence or ""))
    return out


def _achievements_by_candidate(profiles: QuerySet[CandidateProfile]) -> dict[int, str]:
    parts: dict[int, list[str]] = defaultdict(list)
    rows = (
        Achievement.objects.filter(candidate__in=profiles.values("pk"))
        .order_by("candidate_id", "position", "pk")
        .values_list("candidate_id", *ACHIEVEMENT_PARTS)
    )
    for cid, *texts in rows.iterator(chunk_size=20000):
        parts[cid].append("\n".join(t for t in texts if t))
    return {cid: "\n\n".join(items) for cid, items in parts.items()}


def _hidden_companies(profiles: QuerySet[CandidateProfile]) -> dict[int, set[int]]:
    through = CandidateProfile.hidden_companies.through
    out: dict[int, set[int]] = defaultdict(set)
    rows = through.objects.filter(candidateprofile_id__in=profiles.values("pk")).values_list(
        "candidateprofile_id", "company_id"
    )
    for cid, company in rows.iterator(chunk_size=20000):
        out[cid].add(company)
    return out


def _strings(value: Any, what: str) -> frozenset[str]:
    """A stored list of strings, or ``EngineInputError`` naming the field."""
    if not value:
        return frozenset()
    if not isinstance(value, list | tuple):
        raise et.EngineInputError(f"{what} must be a list, got {value!r}")
    odd = [v for v in value if not isinstance(v, str)]
    if odd:
        raise et.EngineInputError(f"{what} must hold only text, got {odd[0]!r}")
    return frozenset(v for v in value if v)


def _weights(value: Any) -> dict[str, float]:
    """Stored preference weights for the engine's preferences (others are not its business)."""
    if not value:
        return {}
    if not isinstance(value, dict):
        raise et.EngineInputError(f"preference_weights must be an object, got {value!r}")
    out = {}
    for name, weight in value.items():
        if name in et.DEALBREAKER_NAMES:
            if isinstance(weight, bool) or not isinstance(weight, int | float):
                raise et.EngineInputError(
                    f"preference weight {name!r} must be a number, got {weight!r}"
                )
            out[name] = float(weight)
    return out


def _candidates(
    profiles: QuerySet[CandidateProfile], data: EngineData, at: datetime
) -> Iterator[et.Candidate]:
    skills = _skills_by_candidate(profiles, data.skill_graph())
    texts = _achievements_by_candidate(profiles)
    rates = data.rates
    rows = profiles.order_by("pk").values_list(*CANDIDATE_COLUMNS)
    for row in rows.iterator(chunk_size=20000):
        r = dict(zip(CANDIDATE_COLUMNS, row, strict=True))
        pk = r["pk"]
        if not r["level"]:
            data.skip("candidate", pk, SKIP_NO_LEVEL)
        elif not r["country"]:
            data.skip("candidate", pk, SKIP_NO_COUNTRY)
        elif r["min_pay_amount"] is not None and r["min_pay_currency"] not in rates.to_base:
            data.skip("candidate", pk, SKIP_CURRENCY, f"{SKIP_CURRENCY}: {r['min_pay_currency']!r}")
        else:
            try:
                candidate = _candidate(r, skills.get(pk, ()), texts.get(pk, ""), at)
            except DATA_ERRORS as exc:
                data.skip("candidate", pk, SKIP_INVALID, _reason(exc))
                continue
            yield candidate


def _candidate(
    r: dict[str, Any], skills: Iterable[et.SkillClaim], text: str, at: datetime
) -> et.Candidate:
    min_pay = None
    if r["min_pay_amount"] is not None:
        min_pay = et.Money(int(r["min_pay_amount"]), r["min_pay_currency"], r["min_pay_period"])
    tz = utc_offset(r["timezone"], at) if r["timezone"] else None
    return et.Candidate(
        id=candidate_id(r["pk"]),
        skills=tuple(skills),
        years_experience=float(r["years_experience"]),
        level=r["level"],
        country=str(r["country"]),
        city=r["city"] or "",
        timezone=0.0 if tz is None else tz,
        remote_preference=r["remote_preference"],
        acceptable_countries=_codes(r["acceptable_countries"]),
        acceptable_cities=_strings(r["acceptable_cities"], "acceptable_cities"),
        work_authorization=_codes(r["work_authorization"]),
        role_types=_strings(r["role_types"], "role_types"),
        domains=_strings(r["domains"], "domains"),
        company_stages=_strings(r["company_stages"], "company_stages"),
        company_sizes=_strings(r["company_sizes"], "company_sizes"),
        min_pay=min_pay,
        dealbreakers=_strings(r["dealbreakers"], "dealbreakers") & et.DEALBREAKER_NAMES,
        preference_weights=_weights(r["preference_weights"]),
        achievements_text=text,
        summary_text=". ".join(t for t in (r["headline"], r["summary"]) if t),
    )


def _requirements_by_role(
    roles: QuerySet[Role], tax: Taxonomy
) -> dict[int, tuple[list[et.RequiredSkill], list[et.RequiredSkill]]]:
    # Levels and weights are held to the engine's ranges by the table's check constraints.
    out: dict[int, tuple[list[et.RequiredSkill], list[et.RequiredSkill]]] = defaultdict(
        lambda: ([], [])
    )
    seen: set[tuple[int, str]] = set()
    rows = (
        RoleSkill.objects.filter(role__in=roles.values("pk"))
        .order_by("role_id", "kind", "-weight", "skill_id")
        .values_list(
            "role_id", "skill_id", "skill__label", "skill__source", "kind", "min_level", "weight"
        )
    )
    for rid, skill, label, source, kind, min_level, weight in rows.iterator(chunk_size=20000):
        engine_id = _engine_skill(tax, skill, label, source)
        if engine_id is not None and (rid, engine_id) not in seen:
            seen.add((rid, engine_id))
            req = et.RequiredSkill(engine_id, int(min_level), float(weight))
            out[rid][0 if kind == RoleSkill.Kind.REQUIRED else 1].append(req)
    return out


def role_text(title: str, description: str, responsibilities: str) -> str:
    """The role text the engine compares with achievements."""
    return "\n".join(t for t in (title, description, responsibilities) if t)


def _roles(roles: QuerySet[Role], data: EngineData, at: datetime) -> Iterator[et.Role]:
    reqs = _requirements_by_role(roles, data.skill_graph())
    for row in roles.order_by("pk").values_list(*ROLE_COLUMNS).iterator(chunk_size=20000):
        r = dict(zip(ROLE_COLUMNS, row, strict=True))
        pk = r["pk"]
        if r["pay_currency"] not in data.rates.to_base:
            data.skip("role", pk, SKIP_CURRENCY, f"{SKIP_CURRENCY}: {r['pay_currency']!r}")
        elif r["location_policy"] != "remote" and not _codes(r["allowed_countries"]):
            data.skip("role", pk, SKIP_NO_OFFICE)
        else:
            try:
                role = _role(r, reqs.get(pk, ([], [])), at)
            except DATA_ERRORS as exc:
                data.skip("role", pk, SKIP_INVALID, _reason(exc))
                continue
            yield role


def _role(
    r: dict[str, Any], reqs: tuple[list[et.RequiredSkill], list[et.RequiredSkill]], at: datetime
) -> et.Role:
    zones = _strings(r["allowed_timezones"], "allowed_timezones")
    offsets = [o for o in (utc_offset(z, at) for z in sorted(zones)) if o is not None]
    required, nice = reqs
    return et.Role(
        id=role_id(r["pk"]),
        company_id=f"co{r['company_id']}",
        title=r["title"],
        level=r["level"],
        allowed_levels=role_levels(r["level"], r["accepted_levels"]),
        role_type=r["role_type"],
        pay_band_min=et.Money(int(r["pay_min"]), r["pay_currency"], r["pay_period"]),
        pay_band_max=et.Money(int(r["pay_max"]), r["pay_currency"], r["pay_period"]),
        required_skills=tuple(required),
        nice_to_have=tuple(nice),
        domains=_strings(r["company__domains"], "company domains"),
        company_stage=r["company__stage"] or "",
        company_size=r["company__size"] or "",
        location_policy=r["location_policy"],
        allowed_countries=_codes(r["allowed_countries"]),
        timezone_range=(min(offsets), max(offsets)) if offsets else None,
        cities=_strings(r["cities"], "cities"),
        years_min=float(r["years_min"]),
        years_max=None if r["years_max"] is None else float(r["years_max"]),
        description=role_text(r["title"], r["description"], r["responsibilities"]),
    )


def load_engine_data(
    matchday: MatchDay,
    *,
    candidates: QuerySet[CandidateProfile] | None = None,
    roles: QuerySet[Role] | None = None,
) -> EngineData:
    """The engine's view of a Match Day's participants (defaults: its participants).

    Time zones are resolved at the Match Day's release moment.
    """
    at = matchday.release_at.astimezone(UTC)
    profiles = participating_candidates(matchday) if candidates is None else candidates
    role_qs = participating_roles(matchday) if roles is None else roles
    data = EngineData([], [], rates_from_settings())
    data.candidates = list(_candidates(profiles, data, at))
    data.roles = role_list = list(_roles(role_qs, data, at))
    hidden = _hidden_companies(profiles)
    hidden_pairs: set[tuple[str, str]] = set()
    if hidden:
        by_company: dict[str, list[str]] = defaultdict(list)
        for r in role_list:
            by_company[r.company_id].append(r.id)
        for cpk, companies in hidden.items():
            for company in companies:
                for rid in by_company.get(f"co{company}", ()):
                    hidden_pairs.add((candidate_id(cpk), rid))
    data.hidden_pairs = hidden_pairs
    return data


def engine_items(
    *,
    candidates: QuerySet[CandidateProfile] | None = None,
    roles: QuerySet[Role] | None = None,
) -> EngineData:
    """The engine's view of some profiles and roles outside any Match Day, built as
    :func:`load_engine_data` builds them (time zones at the current moment): what their
    stored text vectors are computed from (:mod:`matchday.embeddings`)."""
    at = datetime.now(UTC)
    data = EngineData([], [], rates_from_settings())
    if candidates is not None:
        data.candidates = list(_candidates(candidates, data, at))
    if roles is not None:
        data.roles = list(_roles(roles, data, at))
    return data


def pool_frequencies(matchday: MatchDay) -> SkillFrequencies:
    """How many of the Match Day's participating profiles and roles name each skill: the
    frequencies a curation of the whole pool weights requirements by (two grouped counts,
    not the pool's rows), for scoring a few pairs as curation would."""
    tax = _taxonomy()
    profiles = participating_candidates(matchday)
    roles = participating_roles(matchday)
    counts: dict[str, int] = defaultdict(int)
    for model, owner, qs in (
        (CandidateSkill, "candidate", profiles),
        (RoleSkill, "role", roles),
    ):
        rows = (
            model.objects.filter(**{f"{owner}__in": qs.values("pk")})
            .values("skill_id", "skill__label", "skill__source")
            .annotate(n=Count(owner, distinct=True))
            .values_list("skill_id", "skill__label", "skill__source", "n")
        )
        for skill, label, source, n in rows:
            engine_id = _engine_skill(tax, skill, label, source)
            if engine_id is not None:
                counts[frequency_key(engine_id, tax)] += n
    return SkillFrequencies(profiles.count() + roles.count(), dict(sorted(counts.items())))


def score_pairs(
    matchday: MatchDay, pairs: Iterable[tuple[int, int]], *, encoder: Any = None
) -> tuple[dict[tuple[int, int], PairScore], EngineData, str]:
    """Score a few (candidate pk, role pk) pairs now, through the engine, as curation would.

    Returns the scores of the pairs whose rows the engine can take (a profile it cannot use
    yet is absent and counted in ``EngineData.skipped``), the engine data and its input hash.
    For the swap picker and a swap: a handful of pairs, not a Match Day.
    """
    wanted = list(dict.fromkeys(pairs))
    data = load_engine_data(
        matchday,
        candidates=CandidateProfile.objects.filter(pk__in={c for c, _ in wanted}),
        roles=Role.objects.filter(pk__in={r for _, r in wanted}),
    )
    cands = {candidate_pk(c.id): c for c in data.candidates}
    roles = {role_pk(r.id): r for r in data.roles}
    usable = [(c, r) for c, r in wanted if c in cands and r in roles]
    if not usable:
        return {}, data, engine_input_hash(engine_input_json(data))
    from matchday.embeddings.selectors import run_embeddings  # it reads this module

    enc = encoder if encoder is not None else get_encoder()
    c_pos = {candidate_pk(c.id): i for i, c in enumerate(data.candidates)}
    r_pos = {role_pk(r.id): j for j, r in enumerate(data.roles)}
    # the skill graph curation uses: names outside the taxonomy and the pool's frequencies
    graph = open_vocabulary(
        data.skill_graph(), data.candidates, data.roles, enc, frequencies=pool_frequencies(matchday)
    )
    explained = explain_pairs(
        data.candidates,
        data.roles,
        [(c_pos[c], r_pos[r]) for c, r in usable],
        taxonomy=graph,
        rates=data.rates,
        embeddings=run_embeddings(data, enc)[0],
        weights=current_scoring_weights()[1],
    )
    scores = dict(zip(usable, explained, strict=True))
    return scores, data, engine_input_hash(engine_input_json(data))


# -- the score CLI's input document ------------------------------------------------------


def _money_json(m: et.Money) -> dict[str, Any]:
    return {"amount": m.amount, "currency": m.currency, "period": m.period}


def _req_json(items: Sequence[et.RequiredSkill]) -> list[dict[str, Any]]:
    return [{"skill": s.skill_id, "min_level": s.min_level, "weight": s.weight} for s in items]


def candidate_json(c: et.Candidate) -> dict[str, Any]:
    return {
        "id": c.id,
        "skills": [
            {"skill": s.skill_id, "level": s.level, "years": s.years, "evidence": s.evidence}
            for s in c.skills
        ],
        "years_experience": c.years_experience,
        "level": c.level,
        "country": c.country,
        "city": c.city,
        "timezone": c.timezone,
        "remote_preference": c.remote_preference,
        "acceptable_countries": sorted(c.acceptable_countries),
        "acceptable_cities": sorted(c.acceptable_cities),
        "work_authorization": sorted(c.work_authorization),
        "role_types": sorted(c.role_types),
        "domains": sorted(c.domains),
        "company_stages": sorted(c.company_stages),
        "company_sizes": sorted(c.company_sizes),
        "min_pay": None if c.min_pay is None else _money_json(c.min_pay),
        "dealbreakers": sorted(c.dealbreakers),
        "preference_weights": dict(sorted(c.preference_weights.items())),
        "achievements_text": c.achievements_text,
        "summary_text": c.summary_text,
        "experience_text": c.experience_text,
    }


def role_json(r: et.Role) -> dict[str, Any]:
    return {
        "id": r.id,
        "company_id": r.company_id,
        "title": r.title,
        "level": r.level,
        "allowed_levels": list(r.allowed_levels),
        "role_type": r.role_type,
        "domains": sorted(r.domains),
        "company_stage": r.company_stage,
        "company_size": r.company_size,
        "location_policy": r.location_policy,
        "allowed_countries": sorted(r.allowed_countries),
        "timezone_range": None if r.timezone_range is None else list(r.timezone_range),
        "cities": sorted(r.cities),
        "required_skills": _req_json(r.required_skills),
        "nice_to_have": _req_json(r.nice_to_have),
        "years_min": r.years_min,
        "years_max": r.years_max,
        "pay_band_min": _money_json(r.pay_band_min),
        "pay_band_max": _money_json(r.pay_band_max),
        "description": r.description,
    }


def engine_input_json(data: EngineData) -> dict[str, Any]:
    """The ``score`` CLI input document for ``data`` (``schemas/score-input.schema.json``)."""
    rates = data.rates
    return {
        "rates": {
            "base": rates.base,
            "to_base": dict(sorted((k, float(v)) for k, v in rates.to_base.items())),
            "hours_per_year": rates.hours_per_year,
            "days_per_year": rates.days_per_year,
            "months_per_year": rates.months_per_year,
        },
        "candidates": [candidate_json(c) for c in data.candidates],
        "roles": [role_json(r) for r in data.roles],
    }


def curation_options(
    matchday: MatchDay, data: EngineData, *, alternates_per_role: int, alternates_per_candidate: int
) -> CurationOptions:
    """What the engine must be told besides the participants: caps, per-id caps, exclusions.

    Pairs a person already reviewed (approved, rejected, swapped) and pairs with a company
    the candidate hid are excluded; approved proposals use up their candidate's and role's
    capacity. Only ids of this run are named (the engine refuses unknown ones).
    """
    cands = {c.id for c in data.candidates}
    roles = {r.id for r in data.roles}
    excluded = {(c, r) for c, r in data.hidden_pairs if c in cands and r in roles}
    used_c: dict[str, int] = defaultdict(int)
    used_r: dict[str, int] = defaultdict(int)
    reviewed = matchday.proposals.exclude(status=Proposal.Status.PENDING).values_list(
        "candidate_id", "role_id", "status"
    )
    for c_pk, r_pk, status in reviewed.iterator(chunk_size=20000):
        cid, rid = candidate_id(c_pk), role_id(r_pk)
        if cid in cands and rid in roles:
            excluded.add((cid, rid))
        if status == Proposal.Status.APPROVED:
            used_c[cid] += 1
            used_r[rid] += 1
    k, m = matchday.candidate_cap, matchday.role_cap
    return CurationOptions(
        policy=matchday.policy,
        candidate_cap=k,
        role_cap=m,
        candidate_caps={c: max(0, k - n) for c, n in used_c.items() if c in cands},
        role_caps={r: max(0, m - n) for r, n in used_r.items() if r in roles},
        excluded_pairs=frozenset(excluded),
        alternates_per_role=alternates_per_role,
        alternates_per_candidate=alternates_per_candidate,
    )


def run_input_json(
    data: EngineData,
    options: CurationOptions,
    *,
    weights: ScoringWeights | None = None,
    weights_version: int = 0,
) -> dict[str, Any]:
    """The run input document of ``python -m matchday.engine curate``: score input, the
    weights and their version (``matchdays.weights``; 0 = the engine's defaults), curation."""
    return engine_input_json(data) | {
        "weights": (weights or ScoringWeights()).to_dict(),
        "weights_version": weights_version,
        "curation": options.to_dict(),
    }


# -- results back to rows ----------------------------------------------------------------


def proposal_rows(
    *,
    matchday: MatchDay,
    run_pk: int | None,
    items: Iterable[Mapping[str, Any]],
    engine_version: str,
    input_hash: str,
    source: str = Proposal.Source.ENGINE,
) -> list[Proposal]:
    """Unsaved ``Proposal`` rows (for ``core.bulk.insert_rows``, or ``save()`` for one) from the
    engine's proposal documents: the ``proposals`` of a curation output, or
    :func:`~matchday.engine.pipeline.pair_document`.
    """
    return [
        Proposal(
            matchday=matchday,
            run_id=run_pk,
            candidate_id=candidate_pk(item["candidate_id"]),
            role_id=role_pk(item["role_id"]),
            source=source,
            score=item["score"],
            role_fit=item["role_fit"],
            candidate_fit=item["candidate_fit"],
            explanation=item["explanation"],
            sentences=item["sentences"],
            missing_required=sum(
                1 for s in item["explanation"]["missing"] if s["kind"] == "required"
            ),
            role_rank=item["rank_in_role"],
            candidate_rank=item["rank_for_candidate"],
            engine_version=engine_version,
            input_hash=input_hash,
        )
        for item in items
    ]


def alternate_rows(*, run_pk: int, items: Iterable[Mapping[str, Any]]) -> list[Alternate]:
    """Unsaved ``Alternate`` rows from the ``alternates`` of a curation output: the best
    eligible pairs the run shortlisted but did not propose (per role and per candidate)."""
    return [
        Alternate(
            run_id=run_pk,
            candidate_id=candidate_pk(item["candidate_id"]),
            role_id=role_pk(item["role_id"]),
            score=item["score"],
            role_fit=item["role_fit"],
            candidate_fit=item["candidate_fit"],
            missing_required=item["missing_required"],
        )
        for item in items
    ]


def sentences_for(proposal: Proposal, audience: Audience) -> list[str]:
    """The stored explanation in plain sentences for ``audience`` (candidate/company/partner)."""
    if not proposal.explanation:
        return []
    return render_sentences(Explanation.from_dict(proposal.explanation), audience)
