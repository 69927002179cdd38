"""The taxonomy the app uses, the one skill resolver, and partners' changes to the taxonomy.

* :func:`current_taxonomy` is the engine's data file plus every :class:`TaxonomyChange` in
  order (versioned ``<file version>+<last change>``); every page, import and curation run
  reads skills through it.
* :func:`skill_lookup` (read) and :func:`skill_ensure` (write) are the one way a typed
  skill name becomes a skill id. A name the taxonomy does not know is kept as an open skill
  (``~`` + its lookup key), never refused: only an empty name, one without letters or
  digits, or one longer than :data:`MAX_SKILL_NAME_CHARS` is.
* :func:`skill_name_map` is the partner's one-click mapping of an open name ("alias of X",
  "child of Y", "new skill"): a new taxonomy version, and every profile and role that named
  it moved onto the mapped skill by the app that owns those rows (see :func:`skill_uses_register`).
"""

from __future__ import annotations

import copy
import functools
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from matchday.audits.services import audit_record
from matchday.core.permissions import ensure_partner
from matchday.engine.taxonomy import (
    CATEGORIES,
    DEFAULT_TAXONOMY_PATH,
    Taxonomy,
    TaxonomyError,
    load_taxonomy,
    name_key,
    taxonomy_from_dict,
)
from matchday.engine.vocabulary import clean_name
from matchday.taxonomy.models import Skill, TaxonomyChange

#: Longest skill name kept (checked before any matching; the taxonomy's longest is 42).
MAX_SKILL_NAME_CHARS = 60
#: Names outside the taxonomy one profile or one role may hold (each is encoded and compared
#: with the taxonomy in every curation run).
MAX_OPEN_SKILLS = 20
OPEN_PREFIX = "~"

SKILL_NAME_EMPTY = "Enter a skill name."
SKILL_NAME_TOO_LONG = "A skill name has at most {limit} characters."
SKILL_NAME_NO_LETTERS = "A skill name needs letters or digits."
TOO_MANY_OPEN_SKILLS = (
    "At most {limit} skills outside the taxonomy per {owner}; pick a listed skill or remove one."
)
NOT_OPEN = "{name} is not an unmapped skill name (it may have been mapped already)."
UNKNOWN_TARGET = "No skill in the taxonomy matches {name!r}."
UNKNOWN_CATEGORY = "Choose one of the taxonomy's categories."
CHANGE_INVALID = "The taxonomy would not be valid with this change: {error}"


# -- the taxonomy of the app ---------------------------------------------------------------


@functools.cache
def _file_document() -> dict[str, Any]:
    with DEFAULT_TAXONOMY_PATH.open(encoding="utf-8") as fh:
        doc: dict[str, Any] = json.load(fh)
    return doc


ChangeKey = tuple[tuple[int, str, str, str, str, str], ...]


def _change_key(changes: list[TaxonomyChange]) -> ChangeKey:
    return tuple((c.pk, c.kind, c.name, c.skill_id, c.parent_id, c.category) for c in changes)


def _apply(doc: dict[str, Any], change: tuple[int, str, str, str, str, str]) -> None:
    _pk, kind, name, skill_id, parent_id, category = change
    skills = {s["id"]: s for s in doc["skills"]}
    if kind == TaxonomyChange.Kind.ALIAS:
        if skill_id not in skills:
            raise TaxonomyError(f"alias target {skill_id!r} is not a skill id")
        skills[skill_id].setdefault("aliases", []).append(name)
        return
    if skill_id in skills:
        raise TaxonomyError(f"skill id {skill_id!r} exists already")
    doc["skills"].append(
        {
            "id": skill_id,
            "label": name,
            "category": category,
            "aliases": [],
            "parents": [parent_id] if parent_id else [],
            "related": [],
            "esco_uri": None,
        }
    )


def _document_with(changes: ChangeKey) -> dict[str, Any]:
    """The data file's document with ``changes`` applied in order, its version
    ``<file version>+<last change>``."""
    doc = copy.deepcopy(_file_document())
    base_version = str(doc.get("version", ""))
    try:
        for change in changes:
            _apply(doc, change)
        taxonomy_from_dict(doc)
    except TaxonomyError:
        # The data file moved under a change (it now has the skill, or lost the target):
        # apply the changes one by one and leave out those that no longer fit.
        doc = copy.deepcopy(_file_document())
        for change in changes:
            trial = copy.deepcopy(doc)
            try:
                _apply(trial, change)
                taxonomy_from_dict(trial)
            except TaxonomyError:
                continue
            doc = trial
    if changes:
        doc["version"] = f"{base_version}+{changes[-1][0]}"
    return doc


@functools.lru_cache(maxsize=8)
def _taxonomy_with(changes: ChangeKey) -> Taxonomy:
    if not changes:
        return load_taxonomy()
    return taxonomy_from_dict(_document_with(changes))


def current_taxonomy() -> Taxonomy:
    """The taxonomy the app uses now: the data file plus every partner change (one query;
    the built taxonomy is cached per list of changes)."""
    return _taxonomy_with(_change_key(list(TaxonomyChange.objects.order_by("pk"))))


def _changes_up_to(version: str | None) -> ChangeKey:
    changes = TaxonomyChange.objects.order_by("pk")
    if version is not None:
        last = version.rpartition("+")[2] if "+" in version else "0"
        changes = changes.filter(pk__lte=int(last) if last.isdigit() else 0)
    return _change_key(list(changes))


def taxonomy_at(version: str | None) -> Taxonomy:
    """The taxonomy of ``version`` (a run's ``taxonomy_version``; ``None``: now), so work
    that resumes a run (its chunks) scores with the taxonomy the run was read with."""
    return _taxonomy_with(_changes_up_to(version))


def taxonomy_document(version: str | None = None) -> dict[str, Any]:
    """The taxonomy file (``engine/data/taxonomy.json`` format) of ``version`` — the file
    plus the changes up to the one its ``+N`` names — or of now. A run's replay reads it:
    ``python -m matchday.engine curate INPUT.json --taxonomy TAXONOMY.json``."""
    return _document_with(_changes_up_to(version))


@transaction.atomic
def taxonomy_sync(taxonomy: Taxonomy | None = None) -> tuple[int, int, int]:
    """Upsert every taxonomy skill; mark skills no longer in it as retired (open names are
    not taxonomy skills and are left alone).

    Returns ``(created, updated, retired)``.
    """
    taxonomy = taxonomy or current_taxonomy()
    existing = {s.id: s for s in Skill.objects.filter(source=Skill.Source.TAXONOMY)}
    to_create, to_update = [], []
    for sk in taxonomy.skills:
        fields = {
            "label": sk.label,
            "category": sk.category,
            "aliases": list(sk.aliases),
            "parents": list(sk.parents),
            "esco_uri": sk.esco_uri or "",
            "retired": False,
        }
        row = existing.pop(sk.id, None)
        if row is None:
            to_create.append(Skill(id=sk.id, **fields))
        elif any(getattr(row, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(row, k, v)
            to_update.append(row)
    Skill.objects.bulk_create(to_create, batch_size=500)
    Skill.objects.bulk_update(
        to_update,
        ["label", "category", "aliases", "parents", "esco_uri", "retired"],
        batch_size=500,
    )
    retired = Skill.objects.filter(pk__in=list(existing), retired=False).update(retired=True)
    return len(to_create), len(to_update), retired


def sync_after_migrate(**kwargs) -> None:
    using = kwargs.get("using", "default")
    if using == "default":
        taxonomy_sync()


# -- the one skill resolver ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SkillRef:
    """What a typed skill name is: a taxonomy skill (``known``) or an open name."""

    skill_id: str
    label: str
    known: bool


def open_skill_id(name: str) -> str:
    """The id of the open skill a name outside the taxonomy is kept as.

    >>> open_skill_id("Zustand"), open_skill_id(" zustand. ")
    ('~zustand', '~zustand')
    """
    return OPEN_PREFIX + name_key(name)


def clean_skill_name(name: str) -> str:
    """The name as shown: NFKC, whitespace collapsed, no trailing punctuation.

    >>> clean_skill_name("  Zustand   store. ")
    'Zustand store'
    """
    return clean_name(name).rstrip(" .,;:!?")


def skill_lookup(name: str, *, taxonomy: Taxonomy | None = None) -> SkillRef:
    """Resolve a typed skill name without writing anything (forms use it to check input).

    A name the taxonomy knows (label, id, alias, or a looser spelling such as "PyTorch 2.x")
    is that skill; any other name is an open skill; its id is :func:`open_skill_id`.
    Raises ``ValidationError`` only for an empty name, a name without letters or digits, or
    one longer than :data:`MAX_SKILL_NAME_CHARS` (checked first).
    """
    if not isinstance(name, str) or not name.strip():
        raise ValidationError(SKILL_NAME_EMPTY)
    if len(name.strip()) > MAX_SKILL_NAME_CHARS:
        raise ValidationError(SKILL_NAME_TOO_LONG.format(limit=MAX_SKILL_NAME_CHARS))
    text = clean_skill_name(name)
    if text.startswith(OPEN_PREFIX):  # an open skill's id, as the API returns it
        row = Skill.objects.filter(pk=OPEN_PREFIX + name_key(text)).first()
        if row is not None and row.is_open:
            return SkillRef(row.pk, row.label, False)
        text = text.lstrip(OPEN_PREFIX).strip()
    if not name_key(text):
        raise ValidationError(SKILL_NAME_NO_LETTERS)
    tax = taxonomy or current_taxonomy()
    found = tax.normalize(text, suggest=False).skill_id
    if found is not None:
        return SkillRef(found, tax.by_id[found].label, True)
    skill_id = open_skill_id(text)
    row = Skill.objects.filter(pk=skill_id).first()
    if row is not None and not row.is_open:  # an id the taxonomy mirror has (retired)
        return SkillRef(row.pk, row.label, True)
    return SkillRef(skill_id, row.label if row is not None else text, False)


def skill_ensure(name: str, *, taxonomy: Taxonomy | None = None) -> Skill:
    """The :class:`Skill` row for a typed name (:func:`skill_lookup`), creating the open
    skill the first time a name outside the taxonomy is used. A skill id works as a name."""
    ref = skill_lookup(name, taxonomy=taxonomy)
    if ref.known:
        row = Skill.objects.filter(pk=ref.skill_id).first()
        if row is None:  # the mirror lags the taxonomy (a migrate not yet run)
            taxonomy_sync(taxonomy)
            row = Skill.objects.get(pk=ref.skill_id)
        return row
    row, _ = Skill.objects.get_or_create(
        pk=ref.skill_id,
        defaults={"label": ref.label, "category": "", "source": Skill.Source.OPEN},
    )
    if row.retired:  # mapped, then named again (the taxonomy moved back): in use again
        Skill.objects.filter(pk=row.pk).update(retired=False)
        row.retired = False
    return row


def check_open_skills(n: int, *, owner: str) -> None:
    """Refuse more than :data:`MAX_OPEN_SKILLS` open names on one profile or role."""
    if n > MAX_OPEN_SKILLS:
        raise ValidationError(
            {"skills": TOO_MANY_OPEN_SKILLS.format(limit=MAX_OPEN_SKILLS, owner=owner)}
        )


# -- who uses open names: the apps that own profiles and roles register here ---------------


@dataclass(frozen=True)
class SkillUses:
    """One app's rows that reference skills. ``count`` maps skill ids to the number of its
    objects (profiles, roles) naming each; ``relink`` moves every row naming ``old`` onto
    ``new`` (merging with a row that names ``new`` already) and returns how many moved. Apps
    above ``taxonomy`` register theirs in ``AppConfig.ready()``."""

    noun: str
    count: Callable[[list[str]], dict[str, int]]
    relink: Callable[[str, str], int]


_USES: dict[str, SkillUses] = {}


def skill_uses_register(app_label: str, uses: SkillUses) -> None:
    _USES[app_label] = uses


def skill_uses() -> dict[str, SkillUses]:
    return dict(_USES)


# -- partners map open names ---------------------------------------------------------------

_SLUG_RE = re.compile(r"[^a-z0-9]+")


def new_skill_id(name: str, taxonomy: Taxonomy) -> str:
    """A kebab-case id for a new skill named ``name``, unused in ``taxonomy``.

    >>> from matchday.engine.taxonomy import load_taxonomy
    >>> new_skill_id("Zustand", load_taxonomy()), new_skill_id("C++ AMP", load_taxonomy())
    ('zustand', 'cpp-amp')
    """
    text = unicodedata.normalize("NFKD", name).casefold()
    text = text.replace("++", "pp").replace("#", "sharp")
    text = text.encode("ascii", "ignore").decode()
    base = _SLUG_RE.sub("-", text).strip("-")[:70] or "skill"
    skill_id, n = base, 2
    while skill_id in taxonomy.by_id:
        skill_id, n = f"{base}-{n}", n + 1
    return skill_id


@dataclass(frozen=True)
class MapResult:
    change: TaxonomyChange
    moved: dict[str, int]
    version: str


@transaction.atomic
def skill_name_map(
    *,
    by,
    open_skill: str,
    kind: str,
    target: str = "",
    category: str = "",
    now: datetime | None = None,
) -> MapResult:
    """Map the open skill name ``open_skill`` (its id) into the taxonomy, as a partner.

    ``kind`` is ``alias`` (of the skill named ``target``), ``child`` (a new skill under the
    skill named ``target``, in its category) or ``new`` (a new skill in ``category``). The
    change is a new taxonomy version; every profile and role naming the open name is moved
    onto the mapped skill; the open name is retired; the audit log records it all.
    """
    ensure_partner(by)
    now = now or timezone.now()
    row = Skill.objects.select_for_update().filter(pk=open_skill).first()
    if row is None or not row.is_open or row.retired:
        raise ValidationError(NOT_OPEN.format(name=open_skill))
    if kind not in TaxonomyChange.Kind.values:
        raise ValidationError({"kind": "Choose alias, child or new skill."})
    tax = current_taxonomy()
    parent_id = ""
    if kind in (TaxonomyChange.Kind.ALIAS, TaxonomyChange.Kind.CHILD):
        ref = skill_lookup(target, taxonomy=tax) if target.strip() else None
        if ref is None or not ref.known or ref.skill_id not in tax.by_id:
            raise ValidationError({"target": UNKNOWN_TARGET.format(name=target.strip())})
        if kind == TaxonomyChange.Kind.ALIAS:
            skill_id = ref.skill_id
        else:
            parent_id = ref.skill_id
            category = tax.by_id[parent_id].category
            skill_id = new_skill_id(row.label, tax)
    else:
        if category not in CATEGORIES:
            raise ValidationError({"category": UNKNOWN_CATEGORY})
        skill_id = new_skill_id(row.label, tax)
    change = TaxonomyChange(
        kind=kind,
        name=row.label,
        open_skill_id=row.pk,
        skill_id=skill_id,
        parent_id=parent_id,
        category=category if kind != TaxonomyChange.Kind.ALIAS else "",
        created_by=by,
        created_at=now,
    )
    doc = copy.deepcopy(_file_document())
    changes = list(TaxonomyChange.objects.order_by("pk"))
    try:
        for c in _change_key(changes):
            _apply(doc, c)
        _apply(doc, (0, kind, row.label, skill_id, parent_id, category))
        taxonomy_from_dict(doc)
    except TaxonomyError as exc:
        raise ValidationError(CHANGE_INVALID.format(error=exc)) from None
    change.save()
    new_tax = current_taxonomy()
    taxonomy_sync(new_tax)
    moved = {label: uses.relink(row.pk, skill_id) for label, uses in skill_uses().items()}
    row.retired = True
    row.save(update_fields=["retired"])
    audit_record(
        actor=by,
        action=f"taxonomy.{kind}",
        target=change,
        now=now,
        data={
            "name": row.label,
            "open_skill": row.pk,
            "skill": skill_id,
            "parent": parent_id,
            "category": change.category,
            "version": new_tax.version,
            "moved": moved,
        },
    )
    return MapResult(change, moved, new_tax.version)
