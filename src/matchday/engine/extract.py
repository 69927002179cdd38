"""Find taxonomy skills in free text (résumé lines, achievements, role descriptions).

Each mention carries its evidence span, so ``text[m.start:m.end] == m.surface``. Matching
is one pass over the text's tokens through a trie of every skill name (label, id and
aliases, compiled once per taxonomy): at each token the longest name wins and spans never
nest, so "Google Kubernetes Engine" is one ``gke`` mention, not also ``kubernetes`` (the
scorer recovers Kubernetes through ``gke``'s parents).

Words that are also ordinary English are held to stricter rules, documented in
``docs/engine-taxonomy.md``:

* "Go", "R" and "C" count as languages only when written that way and backed by
  programming context nearby ("in Go", "Go services", "R packages", "C and Rust", a
  sentence listing languages), never in "go to production", "R&D", "C-suite", "Series C",
  "vitamin C" or "grade C";
* common words that name tools ("React", "Spring", "Helm", "Spark", "Excel", "Ray", ...)
  must be capitalised, and need another skill in the same sentence when they open it;
* very short aliases ("RAG", "ML", "SRE") must not be all lower case, and a few aliases
  that are too generic for running text ("make", "CV", "rest of") are not used here at all
  (they still resolve when typed into a skill field).

>>> [(m.skill_id, m.surface) for m in extract_skills("Deployed vLLM on k8s, in Go and Python.")]
[('vllm', 'vLLM'), ('kubernetes', 'k8s'), ('go', 'Go'), ('python', 'Python')]
>>> extract_skills("Head of R&D, reporting to the C-suite; we go to production soon.")
[]
"""

from __future__ import annotations

import functools
import re
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field

from matchday.engine.taxonomy import Taxonomy, load_taxonomy, name_key

__all__ = ["SkillMention", "extract_skill_ids", "extract_skills"]


@dataclass(frozen=True, slots=True)
class SkillMention:
    """One occurrence of a skill in a text: ``text[start:end] == surface``."""

    skill_id: str
    start: int
    end: int
    surface: str


# Tokens: ".NET"; words with inner dots ("Node.js", "llama.cpp", "ASP.NET"); "C++", "C#".
_TOKEN_RE = re.compile(r"(?<![\w.])\.[^\W\d_][^\W_]*|[^\W_]+(?:\.[^\W_]+)*(?:\+\+|#)?")
# What may separate two tokens of one multi-word name: "fine-tuning", "CI/CD", "W&B".
_GAP_RE = re.compile(r"[ \t\-/_&]{0,3}")
_SENTENCE_END_RE = re.compile(r"[.!?;:]\s|\n|[.!?]$")
_TRAILING_VERSION_RE = re.compile(r"^([a-z][a-z+#]*?[a-z+#])v?\d+$")

#: Aliases too generic for running text; they still resolve in skill fields.
EXCLUDED_IN_TEXT = frozenset(
    name_key(n)
    for n in (
        "make", "cv", "ts", "pm", "ir", "tf", "pg", "ort", "ptl", "docs", "documentation",
        "alignment", "compliance", "recommendations", "embedded", "node", "shell", "gym",
        "agents", "benchmarks", "containers", "analytics", "research", "security", "cloud",
        "gpu", "rest", "idp", "oss", "hip", "growth", "simulation",
    )
)  # fmt: skip

#: Tool names that are also everyday words: must be capitalised; need company at the
#: start of a sentence.
COMMON_WORDS = frozenset(
    name_key(n)
    for n in (
        "react", "spring", "helm", "express", "spark", "excel", "julia", "ray", "lean",
        "chef", "puppet", "swift", "ruby", "dart", "elixir", "crystal", "mojo", "prophet",
        "flask", "celery", "airflow", "hive", "beam", "arrow", "iceberg", "looker", "vault",
        "chroma", "envoy", "sentry", "prefect", "rust", "triton", "bedrock", "angular",
        "flutter", "polars", "lisp", "tableau", "snowflake", "redshift", "pinecone",
        "prometheus", "gymnasium", "bazel", "django", "jenkins", "perl", "scratch", "ci",
        "keras", "flax", "paddle", "go lang", "hip", "opa", "vue", "clickhouse", "apache",
        "agile", "kanban", "scrum", "hadoop", "kafka", "cassandra", "gradio", "streamlit",
        "lightning", "transformers", "bentoml", "ollama", "assembly", "octave", "pytest",
        "modal", "nomad", "packer", "synapse", "presto", "superset", "lance", "kong",
        "consul", "arm", "athena", "gemini", "glue", "nix", "seldon", "accelerate",
    )
)  # fmt: skip

#: Short aliases that are fine in lower case ("python, sql, aws").
LOWERCASE_OK = frozenset({"sql", "aws", "gcp", "php", "git", "dbt", "css", "etl", "llm", "nlp"})

_AMBIGUOUS_LANGUAGES = frozenset({"go", "r", "c"})
_NEG_PREV = frozenset(
    [
        "series",
        "vitamin",
        "grade",
        "class",
        "type",
        "section",
        "part",
        "plan",
        "option",
        "appendix",
        "level",
        "tier",
        "round",
        "page",
        "row",
        "column",
        "figure",
        "table",
        "exhibit",
        "group",
        "block",
        "building",
        "ward",
        "phase",
        "stage",
        "model",
        "version",
        "key",
        "note",
        "item",
        "box",
        "floor",
        "gate",
        "unit",
        "wing",
        "form",
        "lot",
    ]
)
_LANG_PREV = frozenset(
    ["in", "with", "using", "wrote", "written", "learned", "learning", "know", "knows", "ansi"]
)
_LANG_NEXT = frozenset(
    [
        "services",
        "service",
        "microservices",
        "code",
        "codebase",
        "codebases",
        "developer",
        "developers",
        "engineer",
        "engineers",
        "programming",
        "modules",
        "module",
        "backend",
        "backends",
        "apis",
        "api",
        "library",
        "libraries",
        "binary",
        "binaries",
        "concurrency",
        "sdk",
        "sdks",
        "cli",
        "tooling",
        "toolchain",
        "stack",
        "application",
        "applications",
        "server",
        "servers",
        "program",
        "programs",
        "projects",
        "expertise",
        "experience",
        "lang",
        "package",
        "packages",
        "scripts",
        "script",
        "shiny",
        "studio",
        "markdown",
        "language",
        "extension",
        "extensions",
        "compiler",
        "compilers",
        "bindings",
        "abi",
        "runtime",
        "routines",
        "goroutines",
        "generics",
        "users",
    ]
)
_GO_NEG_NEXT = frozenset(
    [
        "to",
        "live",
        "ahead",
        "back",
        "through",
        "over",
        "into",
        "out",
        "on",
        "off",
        "up",
        "down",
        "for",
        "beyond",
        "the",
        "a",
        "an",
        "after",
        "forward",
        "extra",
        "fast",
        "deep",
        "far",
        "wrong",
        "away",
        "home",
        "public",
        "get",
        "no",
        "big",
        "it",
        "all",
        "from",
        "there",
    ]
)
_LANGUAGE_CUES = frozenset(
    ["languages", "language", "programming", "proficient", "fluent", "polyglot", "coding", "code"]
)
_TECH_CATEGORIES = frozenset(
    {"languages", "ml-frameworks", "llm", "data", "databases", "infrastructure", "cloud",
     "hardware", "devtools", "web"}
)  # fmt: skip
_WINDOW = 8


@dataclass(slots=True)
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    skill_id: str | None = None


@dataclass(frozen=True, slots=True)
class _Token:
    key: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Candidate:
    skill_id: str
    first: int  # token index
    last: int  # token index, inclusive
    key: str  # name key of the matched text when it is one token, else ""


class _Extractor:
    """The compiled trie of one taxonomy."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        self.root = _Node()
        for skill in taxonomy.skills:
            for name in (skill.id, skill.label, *skill.aliases):
                whole = name_key(name)
                if whole in EXCLUDED_IN_TEXT:
                    continue
                keys = [name_key(m.group()) for m in _TOKEN_RE.finditer(name)]
                keys = [k for k in keys if k]
                self._insert(keys, skill.id)
                if len(keys) > 1:
                    self._insert([whole], skill.id)  # "finetuning", "abtesting"

    def _insert(self, keys: Sequence[str], skill_id: str) -> None:
        if not keys:
            return
        node = self.root
        for key in keys:
            node = node.children.setdefault(key, _Node())
        if node.skill_id is None:
            node.skill_id = skill_id

    @staticmethod
    def _variants(key: str) -> list[str]:
        out = [key]
        if len(key) >= 4 and key.endswith("s"):
            out.append(key[:-1])  # "A100s", "LLMs", "PRDs"
        match = _TRAILING_VERSION_RE.match(key)
        if match and len(match.group(1)) >= 3:
            out.append(match.group(1))  # "Python3", "Python3.12"
        return out

    def candidates(self, text: str, tokens: list[_Token]) -> list[_Candidate]:
        found: list[_Candidate] = []
        i = 0
        n = len(tokens)
        while i < n:
            node = self.root
            best: tuple[int, str] | None = None
            j = i
            while j < n:
                if j > i and not _GAP_RE.fullmatch(text, tokens[j - 1].end, tokens[j].start):
                    break
                child = None
                for variant in self._variants(tokens[j].key):
                    child = node.children.get(variant)
                    if child is not None:
                        break
                if child is None:
                    break
                node = child
                if node.skill_id is not None:
                    best = (j, node.skill_id)
                j += 1
            if best is None:
                i += 1
                continue
            last, skill_id = best
            found.append(_Candidate(skill_id, i, last, tokens[i].key if last == i else ""))
            i = last + 1
        return found


_EXTRACTORS: weakref.WeakKeyDictionary[Taxonomy, _Extractor] = weakref.WeakKeyDictionary()


def _extractor(taxonomy: Taxonomy) -> _Extractor:
    compiled = _EXTRACTORS.get(taxonomy)
    if compiled is None:
        compiled = _EXTRACTORS[taxonomy] = _Extractor(taxonomy)
    return compiled


@functools.lru_cache(maxsize=1 << 16)
def _token_key(token: str) -> str:
    return token.lower() if token.isascii() and token.isalnum() else name_key(token)


def _sentence_ids(text: str, tokens: list[_Token]) -> list[int]:
    ends = [m.start() for m in _SENTENCE_END_RE.finditer(text)]
    out: list[int] = []
    sentence = 0
    for token in tokens:
        while sentence < len(ends) and ends[sentence] < token.start:
            sentence += 1
        out.append(sentence)
    return out


def extract_skills(text: str, taxonomy: Taxonomy | None = None) -> list[SkillMention]:
    """Find every mention of a taxonomy skill in ``text``, sorted by start.

    Parameters
    ----------
    text
        Free text: a résumé line or page, an achievement, a role description.
    taxonomy
        The taxonomy to match against; the shipped one by default.

    Returns
    -------
    list of SkillMention
        One mention per occurrence, longest name first at each position, no nesting.

    Examples
    --------
    >>> [m.skill_id for m in extract_skills("Fine-tuned Llama 3 with LoRA on GKE.")]
    ['fine-tuning', 'llama', 'lora', 'gke']
    >>> m = extract_skills("Wrote the R package and the C extension.")[0]
    >>> (m.skill_id, m.start, m.end, m.surface)
    ('r', 10, 11, 'R')
    """
    tax = taxonomy if taxonomy is not None else load_taxonomy()
    compiled = _extractor(tax)
    tokens = [
        _Token(key, m.start(), m.end())
        for m in _TOKEN_RE.finditer(text)
        if (key := _token_key(m.group()))
    ]
    if not tokens:
        return []
    candidates = compiled.candidates(text, tokens)
    sentences = _sentence_ids(text, tokens)
    keys = [t.key for t in tokens]

    def surface(c: _Candidate) -> str:
        return text[tokens[c.first].start : tokens[c.last].end]

    def sentence_initial(c: _Candidate) -> bool:
        return c.first == 0 or sentences[c.first - 1] != sentences[c.first]

    # Pass 1: unambiguous mentions, and the surface rules that need no context.
    accepted: dict[int, _Candidate] = {}
    pending: list[_Candidate] = []
    for c in candidates:
        s = surface(c)
        if c.key in _AMBIGUOUS_LANGUAGES and c.skill_id in _AMBIGUOUS_LANGUAGES:
            if _language_surface_ok(c, s, text, tokens, keys):
                pending.append(c)
            continue
        if c.key in COMMON_WORDS:
            if s.islower():
                continue
            if sentence_initial(c):
                pending.append(c)
                continue
        elif _short_word(c.key) and s.islower():
            continue
        accepted[c.first] = c

    cue_sentences = {sentences[k] for k, key in enumerate(keys) if key in _LANGUAGE_CUES}

    # Pass 2: context-dependent mentions, until nothing changes (they may support
    # each other: "Go, R and C are all on my list of languages").
    changed = True
    while changed and pending:
        changed = False
        for c in list(pending):
            if c.key in _AMBIGUOUS_LANGUAGES and c.skill_id in _AMBIGUOUS_LANGUAGES:
                ok = _language_context_ok(c, keys, sentences, cue_sentences, accepted, tax)
            else:
                ok = any(sentences[o.first] == sentences[c.first] for o in accepted.values())
            if ok:
                accepted[c.first] = c
                pending.remove(c)
                changed = True

    return [
        SkillMention(c.skill_id, tokens[c.first].start, tokens[c.last].end, surface(c))
        for c in sorted(accepted.values(), key=lambda c: c.first)
    ]


def _short_word(key: str) -> bool:
    return bool(key) and key.isalpha() and len(key) <= 3 and key not in LOWERCASE_OK


def extract_skill_ids(text: str, taxonomy: Taxonomy | None = None) -> list[str]:
    """The distinct skill ids mentioned in ``text``, in order of first mention.

    >>> extract_skill_ids("PyTorch, then JAX, then PyTorch again.")
    ['pytorch', 'jax']
    """
    return list(dict.fromkeys(m.skill_id for m in extract_skills(text, taxonomy)))


def _language_surface_ok(
    c: _Candidate, surface: str, text: str, tokens: list[_Token], keys: list[str]
) -> bool:
    """Cheap rejections for "Go", "R", "C" that need no context."""
    if surface != {"go": "Go", "r": "R", "c": "C"}[c.key]:
        return False
    end = tokens[c.last].end
    after = text[end : end + 2]
    before = text[max(0, tokens[c.first].start - 1) : tokens[c.first].start]
    if after[:1] in {"&", "'", "°", "’"} or before in {"&", "°"}:
        return False  # R&D, C's, 37°C
    if re.match(r"-[^\W\d_]", after) or re.match(r"\.[^\W\d_]", after):
        return False  # C-suite, C-level, C.V.
    prev = keys[c.first - 1] if c.first > 0 else ""
    nxt = keys[c.last + 1] if c.last + 1 < len(keys) else ""
    if prev in _NEG_PREV:
        return False  # Series C, vitamin C, grade C, page C
    if c.key == "c" and nxt in {"suite", "level", "corp", "major", "minor"}:
        return False
    if c.key == "go":
        if nxt in _GO_NEG_NEXT or prev == "no" or nxt == "nogo":
            return False  # go to production, go live, go/no-go
        between = text[end : tokens[c.last + 1].start] if nxt else ""
        if "/" in between and nxt == "no":
            return False
    return True


def _language_context_ok(
    c: _Candidate,
    keys: list[str],
    sentences: list[int],
    cue_sentences: set[int],
    accepted: dict[int, _Candidate],
    taxonomy: Taxonomy,
) -> bool:
    """Programming context for "Go", "R", "C": a cue word next to it, a language cue in the
    sentence, or another technical skill a few tokens away in the same sentence."""
    prev = keys[c.first - 1] if c.first > 0 else ""
    nxt = keys[c.last + 1] if c.last + 1 < len(keys) else ""
    if prev in _LANG_PREV or nxt in _LANG_NEXT:
        return True
    sentence = sentences[c.first]
    if sentence in cue_sentences:
        return True
    for k in range(max(0, c.first - _WINDOW), min(len(keys), c.last + _WINDOW + 1)):
        other = accepted.get(k)
        if other is None or other is c or sentences[k] != sentence:
            continue
        if taxonomy.by_id[other.skill_id].category in _TECH_CATEGORIES:
            return True
    return False
