"""The skill taxonomy: stable ids, aliases, hierarchy, adjacency, and name normalisation.

The data lives in ``data/taxonomy.json`` (see ``docs/engine-taxonomy.md``). Ids are stable:
the web app seeds its skill table from them and the scorer refers to them, so an id is
never renamed once published.

>>> tax = load_taxonomy()
>>> tax.resolve("k8s")
'kubernetes'
>>> tax.resolve("PyTorch 2.x")
'pytorch'
>>> tax.normalize("underwater basket weaving").skill_id is None
True
>>> "deep-learning-frameworks" in tax.ancestors("pytorch")
True
"""

from __future__ import annotations

import difflib
import functools
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "CATEGORIES",
    "DEFAULT_TAXONOMY_PATH",
    "Normalized",
    "Skill",
    "Taxonomy",
    "TaxonomyError",
    "UnknownSkillError",
    "load_taxonomy",
    "name_key",
]

DEFAULT_TAXONOMY_PATH = Path(__file__).parent / "data" / "taxonomy.json"

#: The fixed set of categories a skill may belong to.
CATEGORIES: tuple[str, ...] = (
    "languages",
    "ml-frameworks",
    "ml-techniques",
    "llm",
    "data",
    "databases",
    "infrastructure",
    "cloud",
    "hardware",
    "devtools",
    "web",
    "observability",
    "security",
    "product",
    "research",
    "practices",
)

ESCO_SKILL_PREFIX = "http://data.europa.eu/esco/skill/"

_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# "python 3.12", "python3", "pytorch 2.x", "kubernetes v1.29", "c++17", "node 20+"
_VERSION_SUFFIX_RE = re.compile(r"^(?P<stem>.*?\D)[\s_-]*v?\d+(?:\.(?:\d+|x))*\+?$")
_LEADING_DOT_RE = re.compile(r"(^|[\s/(,])\.(?=[^\W\d_])")
_NON_WORD_RE = re.compile(r"[\W_]+")
_PARENTHETICAL_RE = re.compile(r"\s*\([^)]*\)\s*")
#: Longer typed names are refused before any pattern or fuzzy match runs on them (the
#: longest name in the taxonomy has 42 characters).
MAX_NAME_CHARS = 120
_GENERIC_SUFFIXES: tuple[str, ...] = (
    "programming language",
    "programming",
    "language",
    "lang",
    "framework",
    "library",
    "development",
    "skills",
    "experience",
)

#: Terms that are deliberately not aliases because they name several skills equally well.
#: Keys are :func:`name_key` forms.
AMBIGUOUS_TERMS: Mapping[str, tuple[str, ...]] = {
    "transformers": ("hugging-face-transformers", "transformer-architecture"),
    "transformer": ("hugging-face-transformers", "transformer-architecture"),
    "serving": ("model-serving", "llm-serving"),
    "inference": ("model-serving", "llm-serving"),
    "evaluation": ("model-evaluation", "llm-evaluation"),
    "ai": ("machine-learning", "generative-ai", "large-language-models"),
    "lightning": ("pytorch-lightning",),
    "lambda": ("aws-lambda",),
    "ops": ("devops", "mlops", "llmops"),
    "kernels": ("gpu-programming", "triton", "cuda"),
}


class TaxonomyError(ValueError):
    """The taxonomy file is invalid. The message names the offending skill and field."""


class UnknownSkillError(ValueError):
    """A skill name that does not resolve to a taxonomy id. The message names the input."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"unknown skill {name!r}: {reason}")
        self.name = name
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Skill:
    """One skill of the taxonomy.

    ``related`` holds the pairs as written in the file; use :meth:`Taxonomy.related` for the
    symmetric view.
    """

    id: str
    label: str
    category: str
    aliases: tuple[str, ...]
    parents: tuple[str, ...]
    related: tuple[tuple[str, float], ...]
    esco_uri: str | None


@dataclass(frozen=True, slots=True)
class Normalized:
    """The outcome of normalising one user-typed skill name.

    ``skill_id`` is ``None`` when the name is unknown or ambiguous, and ``reason`` then says
    which (with suggestions when there are close names).
    """

    input: str
    skill_id: str | None
    reason: str | None = None


def name_key(name: str) -> str:
    """Reduce a skill name to the key used for lookup.

    Case, width, whitespace and punctuation are ignored; ``++``, ``#`` and a leading ``.``
    are kept as letters so that C, C++, C# and .NET stay distinct.

    >>> name_key("Py-Torch"), name_key("C++"), name_key("C#"), name_key(".NET"), name_key("Node.js")
    ('pytorch', 'cpp', 'csharp', 'dotnet', 'nodejs')
    """
    s = unicodedata.normalize("NFKC", name).casefold().strip()
    s = s.replace("++", "pp").replace("#", "sharp")
    s = _LEADING_DOT_RE.sub(r"\1dot", s)
    return _NON_WORD_RE.sub("", s)


def _candidate_forms(name: str) -> list[str]:
    """Progressively looser spellings of ``name``: as typed, without parentheses, versions,
    and generic suffixes such as "programming language"."""
    base = unicodedata.normalize("NFKC", name).casefold().strip().rstrip(".,;:!?")
    forms = [base]
    no_paren = _PARENTHETICAL_RE.sub(" ", base).strip()
    if no_paren and no_paren != base:
        forms.append(no_paren)
    for form in list(forms):
        stripped = form
        for suffix in _GENERIC_SUFFIXES:
            if stripped.endswith(" " + suffix):
                stripped = stripped[: -len(suffix) - 1].strip()
        if stripped != form:
            forms.append(stripped)
    for form in list(forms):
        match = _VERSION_SUFFIX_RE.match(form)
        if match:
            stem = match.group("stem").strip(" -_")
            if stem:
                forms.append(stem)
    return forms


class Taxonomy:
    """A validated, indexed set of skills.

    Build it with :func:`load_taxonomy` (or ``Taxonomy(skills)`` for tests); construction
    raises :class:`TaxonomyError` if the data is inconsistent.

    Parameters
    ----------
    skills
        The skills in their stable order.
    version
        The data version string from the file.
    """

    def __init__(self, skills: Iterable[Skill], version: str = "") -> None:
        self.version = version
        self.skills: tuple[Skill, ...] = tuple(skills)
        self.by_id: dict[str, Skill] = {}
        for skill in self.skills:
            if skill.id in self.by_id:
                raise TaxonomyError(f"duplicate skill id {skill.id!r}")
            self.by_id[skill.id] = skill
        self._index = {skill.id: i for i, skill in enumerate(self.skills)}
        self._validate_fields()
        self._keys = self._build_keys()
        self._related = self._build_related()
        self._ancestors = self._build_ancestors()
        children: dict[str, set[str]] = {s.id: set() for s in self.skills}
        for skill in self.skills:
            for parent in skill.parents:
                children[parent].add(skill.id)
        self._children = {k: frozenset(v) for k, v in children.items()}
        self._descendants: dict[str, frozenset[str]] = {}
        self._search_rows = [
            (i, tuple(dict.fromkeys(n.casefold() for n in (s.label, s.id, *s.aliases))))
            for i, s in enumerate(self.skills)
        ]

    # -- construction -------------------------------------------------------------------

    def _validate_fields(self) -> None:
        for skill in self.skills:
            where = f"skill {skill.id!r}"
            if not _ID_RE.match(skill.id):
                raise TaxonomyError(f"{where}: id must be lowercase kebab-case")
            if not skill.label.strip():
                raise TaxonomyError(f"{where}: empty label")
            if skill.category not in CATEGORIES:
                allowed = ", ".join(CATEGORIES)
                raise TaxonomyError(
                    f"{where}: unknown category {skill.category!r} (allowed: {allowed})"
                )
            for parent in skill.parents:
                if parent not in self.by_id:
                    raise TaxonomyError(f"{where}: parent {parent!r} is not a skill id")
                if parent == skill.id:
                    raise TaxonomyError(f"{where}: is its own parent")
            for other, strength in skill.related:
                if other not in self.by_id:
                    raise TaxonomyError(f"{where}: related {other!r} is not a skill id")
                if other == skill.id:
                    raise TaxonomyError(f"{where}: is related to itself")
                if (
                    isinstance(strength, bool)
                    or not isinstance(strength, int | float)
                    or not 0.0 < strength <= 1.0
                ):
                    raise TaxonomyError(
                        f"{where}: related {other!r} strength {strength!r} is not in (0, 1]"
                    )
            if skill.esco_uri is not None and not (
                skill.esco_uri.startswith(ESCO_SKILL_PREFIX)
                and len(skill.esco_uri) > len(ESCO_SKILL_PREFIX)
            ):
                raise TaxonomyError(f"{where}: esco_uri must start with {ESCO_SKILL_PREFIX}")

    def _build_keys(self) -> dict[str, str]:
        keys: dict[str, str] = {}
        origin: dict[str, str] = {}
        for skill in self.skills:
            for name in (skill.id, skill.label, *skill.aliases):
                key = name_key(name)
                if not key:
                    raise TaxonomyError(f"skill {skill.id!r}: name {name!r} has no letters")
                owner = keys.get(key)
                if owner is not None and owner != skill.id:
                    raise TaxonomyError(
                        f"skill {skill.id!r}: name {name!r} collides with {origin[key]!r} "
                        f"of skill {owner!r}"
                    )
                keys[key] = skill.id
                origin.setdefault(key, name)
        return keys

    def _build_related(self) -> dict[str, dict[str, float]]:
        related: dict[str, dict[str, float]] = {s.id: {} for s in self.skills}
        for skill in self.skills:
            for other, strength in skill.related:
                value = float(strength)
                for a, b in ((skill.id, other), (other, skill.id)):
                    previous = related[a].get(b)
                    if previous is not None and previous != value:
                        raise TaxonomyError(
                            f"skill {skill.id!r}: related {other!r} has strengths "
                            f"{previous} and {value}; list the pair once or with equal strengths"
                        )
                    related[a][b] = value
        return related

    def _build_ancestors(self) -> dict[str, frozenset[str]]:
        done: dict[str, frozenset[str]] = {}
        visiting: list[str] = []

        def visit(skill_id: str) -> frozenset[str]:
            if skill_id in done:
                return done[skill_id]
            if skill_id in visiting:
                cycle = [*visiting[visiting.index(skill_id) :], skill_id]
                raise TaxonomyError(f"parent cycle: {' -> '.join(cycle)}")
            visiting.append(skill_id)
            result: set[str] = set()
            for parent in self.by_id[skill_id].parents:
                result.add(parent)
                result |= visit(parent)
            visiting.pop()
            done[skill_id] = frozenset(result)
            return done[skill_id]

        for skill in self.skills:
            visit(skill.id)
        return done

    # -- lookups --------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.skills)

    def __contains__(self, skill_id: object) -> bool:
        """Whether ``skill_id`` is a skill id (aliases are not ids; use :meth:`normalize`)."""
        return skill_id in self.by_id

    def __repr__(self) -> str:
        return f"<Taxonomy version={self.version!r} skills={len(self.skills)}>"

    def _require(self, skill_id: str) -> Skill:
        try:
            return self.by_id[skill_id]
        except KeyError:
            raise KeyError(f"{skill_id!r} is not a skill id") from None

    def index(self, skill_id: str) -> int:
        """Position of ``skill_id`` in :attr:`skills` (stable column index for matrices)."""
        self._require(skill_id)
        return self._index[skill_id]

    def ancestors(self, skill_id: str) -> frozenset[str]:
        """All transitive parents of ``skill_id``, excluding itself."""
        self._require(skill_id)
        return self._ancestors[skill_id]

    def children(self, skill_id: str) -> frozenset[str]:
        """Direct children of ``skill_id``."""
        self._require(skill_id)
        return self._children[skill_id]

    def descendants(self, skill_id: str) -> frozenset[str]:
        """All transitive children of ``skill_id``, excluding itself."""
        self._require(skill_id)
        cached = self._descendants.get(skill_id)
        if cached is None:
            result: set[str] = set()
            stack = list(self._children[skill_id])
            while stack:
                child = stack.pop()
                if child not in result:
                    result.add(child)
                    stack.extend(self._children[child])
            cached = self._descendants[skill_id] = frozenset(result)
        return cached

    def related(self, skill_id: str) -> dict[str, float]:
        """Adjacent skills of ``skill_id`` with their strength in (0, 1], symmetric."""
        self._require(skill_id)
        return dict(self._related[skill_id])

    # -- normalisation --------------------------------------------------------------------

    def normalize(self, name: str, *, suggest: bool = True) -> Normalized:
        """Map a user-typed skill name to a skill id, or say why it cannot be mapped.

        Handles case, whitespace, punctuation, version suffixes ("PyTorch 2.x",
        "Python3") and generic suffixes ("Go programming language"). In a skill field
        "Go", "R" and "C" are the languages. An unknown name's reason suggests close names
        unless ``suggest`` is false (the fuzzy match is the only costly step: bulk callers
        such as :meth:`normalize_many` skip it). Names longer than ``MAX_NAME_CHARS`` are
        refused without matching.

        >>> tax = load_taxonomy()
        >>> tax.normalize("Python 3.12")
        Normalized(input='Python 3.12', skill_id='python', reason=None)
        >>> tax.normalize("transformers").reason
        "ambiguous: 'transformers' could mean hugging-face-transformers or transformer-architecture"
        """
        if not isinstance(name, str):
            return Normalized(str(name), None, "not a string")
        if not name.strip():
            return Normalized(name, None, "empty skill name")
        if len(name) > MAX_NAME_CHARS:
            return Normalized(name, None, f"a skill name has at most {MAX_NAME_CHARS} characters")
        for form in _candidate_forms(name):
            key = name_key(form)
            if not key:
                continue
            found = self._keys.get(key)
            if found is not None:
                return Normalized(name, found, None)
            ambiguous = AMBIGUOUS_TERMS.get(key)
            if ambiguous is not None:
                return Normalized(
                    name, None, f"ambiguous: {name.strip()!r} could mean {' or '.join(ambiguous)}"
                )
        if not name_key(name):
            return Normalized(name, None, "no letters or digits in skill name")
        reason = f"no skill in the taxonomy matches {name.strip()!r}"
        if suggest:
            close = difflib.get_close_matches(name_key(name), list(self._keys), n=3, cutoff=0.8)
            suggestions = list(dict.fromkeys(self._keys[k] for k in close))
            if suggestions:
                reason += f" (did you mean {', '.join(suggestions)}?)"
        return Normalized(name, None, reason)

    def resolve(self, name: str) -> str:
        """The skill id for ``name``; raises :class:`UnknownSkillError` naming the input.

        >>> load_taxonomy().resolve("retrieval-augmented generation")
        'rag'
        """
        result = self.normalize(name)
        if result.skill_id is None:
            raise UnknownSkillError(name, result.reason or "unknown")
        return result.skill_id

    def normalize_many(self, names: Iterable[str]) -> tuple[list[str], list[str]]:
        """Resolve many names at once.

        Returns ``(ids, unknown)``: the ids found in first-seen order without duplicates,
        and every input that did not resolve, as given. Nothing is dropped silently.

        >>> load_taxonomy().normalize_many(["k8s", "Kubernetes", "Basket weaving"])
        (['kubernetes'], ['Basket weaving'])
        """
        ids: dict[str, None] = {}
        unknown: list[str] = []
        for name in names:
            found = self.normalize(name, suggest=False).skill_id
            if found is None:
                unknown.append(name)
            else:
                ids.setdefault(found, None)
        return list(ids), unknown

    def search(self, prefix: str, limit: int = 10) -> list[Skill]:
        """Skills whose label, id or an alias matches ``prefix``, best first.

        Ranking: exact name, then label prefix, alias prefix, word prefix inside a name,
        then substring; ties go to the shorter label, then file order.

        >>> [s.id for s in load_taxonomy().search("kube", limit=3)]
        ['kubernetes', 'kubeflow', 'kubernetes-security']
        """
        query = unicodedata.normalize("NFKC", prefix).casefold().strip()
        if not query or limit <= 0:
            return []
        query_key = name_key(query)
        scored: list[tuple[int, int, int]] = []
        for i, names in self._search_rows:
            skill = self.skills[i]
            label = names[0]
            best: int | None = None
            for position, name in enumerate(names):
                if name == query or (query_key and name_key(name) == query_key):
                    rank = 0
                elif name.startswith(query):
                    rank = 1 if position == 0 else 2
                elif any(word.startswith(query) for word in re.split(r"[\s/().,-]+", name)):
                    rank = 3
                elif query in name or (len(query_key) >= 3 and query_key in name_key(name)):
                    rank = 4
                else:
                    continue
                best = rank if best is None else min(best, rank)
            if best is not None:
                scored.append((best, len(label if best != 0 else skill.label), i))
        scored.sort()
        return [self.skills[i] for _, _, i in scored[:limit]]


def _skill_from_dict(raw: Any, position: int) -> Skill:
    if not isinstance(raw, dict):
        raise TaxonomyError(f"skills[{position}]: must be an object")
    where = f"skills[{position}] ({raw.get('id')!r})"
    for field in ("id", "label", "category"):
        if not isinstance(raw.get(field), str):
            raise TaxonomyError(f"{where}: {field} must be a string")
    for field in ("aliases", "parents", "related"):
        if not isinstance(raw.get(field, []), list):
            raise TaxonomyError(f"{where}: {field} must be a list")
    aliases = raw.get("aliases", [])
    parents = raw.get("parents", [])
    if not all(isinstance(a, str) for a in aliases):
        raise TaxonomyError(f"{where}: aliases must be strings")
    if not all(isinstance(p, str) for p in parents):
        raise TaxonomyError(f"{where}: parents must be strings")
    related: list[tuple[str, float]] = []
    for entry in raw.get("related", []):
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            raise TaxonomyError(f"{where}: related entries must be {{'id': ..., 'strength': ...}}")
        strength = entry.get("strength")
        if isinstance(strength, bool) or not isinstance(strength, int | float):
            raise TaxonomyError(
                f"{where}: related {entry['id']!r} strength {strength!r} is not in (0, 1]"
            )
        related.append((entry["id"], float(strength)))
    esco = raw.get("esco_uri")
    if esco is not None and not isinstance(esco, str):
        raise TaxonomyError(f"{where}: esco_uri must be a string or null")
    if len(set(parents)) != len(parents):
        raise TaxonomyError(f"{where}: duplicate parents")
    if len({r[0] for r in related}) != len(related):
        raise TaxonomyError(f"{where}: duplicate related ids")
    return Skill(
        id=raw["id"],
        label=raw["label"],
        category=raw["category"],
        aliases=tuple(aliases),
        parents=tuple(parents),
        related=tuple(related),
        esco_uri=esco,
    )


def taxonomy_from_dict(data: Any) -> Taxonomy:
    """Build and validate a :class:`Taxonomy` from the decoded JSON document."""
    if not isinstance(data, dict) or not isinstance(data.get("skills"), list):
        raise TaxonomyError("taxonomy must be an object with a 'skills' list")
    version = data.get("version", "")
    if not isinstance(version, str):
        raise TaxonomyError("version must be a string")
    return Taxonomy(
        (_skill_from_dict(raw, i) for i, raw in enumerate(data["skills"])), version=version
    )


@functools.cache
def _load_default() -> Taxonomy:
    return _load_path(DEFAULT_TAXONOMY_PATH)


def _load_path(path: Path) -> Taxonomy:
    try:
        with path.open(encoding="utf-8") as fh:
            data = json.load(fh)
    except json.JSONDecodeError as exc:
        raise TaxonomyError(f"{path}: not valid JSON: {exc}") from exc
    except OSError as exc:
        raise TaxonomyError(f"{path}: cannot read: {exc.strerror}") from exc
    try:
        return taxonomy_from_dict(data)
    except TaxonomyError as exc:
        raise TaxonomyError(f"{path}: {exc}") from None


def load_taxonomy(path: str | None = None) -> Taxonomy:
    """Load and validate a taxonomy file; the shipped default is loaded once and cached.

    Raises :class:`TaxonomyError` with a message naming the file and the offending skill.

    >>> len(load_taxonomy()) >= 400
    True
    """
    if path is None:
        return _load_default()
    return _load_path(Path(path))
