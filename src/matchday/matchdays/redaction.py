"""Blind text for companies: what identifies a candidate is found in free text and removed.

A blind shortlist shows a candidate's achievements and the engine's evidence quotes, free
text the candidate wrote. Before a company sees it, :class:`Redactor` finds and removes:

``email``
    plain and obfuscated addresses: ``zk at gmail dot com``, ``(at)``/``[dot]``/``[.]``,
    full-width ``＠``, zero-width characters in between;
``url``
    links and bare domains whose suffix is on the Public Suffix List (``tldextract``'s
    bundled snapshot, never fetched), with their paths: ``zk-lab.de``, ``mastodon.social/@zk``;
    file names (``train.py``, ``README.md``) and code (``torch.compile``) stay;
``handle``
    ``@zkettle``, ``zk1987 on Kaggle``, ``GitHub: zkettle``; Python decorators stay;
``phone``
    9–15 digits with ``+``, spaces, dots, dashes (any Unicode dash) or ``/`` between them;
    dates, year ranges, versions and IP addresses stay;
``name``
    the candidate's name and its parts, with or without diacritics (``Zoë``/``Zoe``), their
    initials (``Z. Kettleworth``, ``Zoë K.``, ``ZK``);
``employer`` / ``school``
    the candidate's own employers and schools (work history and education are stored) and
    their variants: without legal suffix (``cleanco``), run together (``NimbusRobotics``),
    hyphenated, prefixed (``ex-Nimbus``), the distinctive head word, acronyms (``CMU``);
``org``
    organisations outside their history: a curated list of AI labs and technology companies
    (``data/organisations.txt``), 25,000 universities (``data/universities.txt``, from the
    maintained swot list), acronyms of well-known universities, names ending in
    ``University``/``Institute``/``Labs``/``GmbH``…, and any name after an employment cue
    (``worked at``, ``joined``, ``interned at``…);
``custom``
    terms a talent partner added for this candidate.

Terms a partner marked as false positives for this candidate are kept.

Bounded by construction: text longer than :data:`MAX_TEXT` is cut there (the rest is not
shown), every regex is anchored with a look-behind so no search restarts inside a run, and
every repetition is possessive or bounded, so each pattern is linear in the text; term
matching is a dictionary walk over word tokens (bounded by the longest term).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import tldextract
from cleanco import basename as strip_legal_suffix

REDACTED = "[redacted]"
MAX_TEXT = 20_000
TRUNCATED = " […]"
MAX_TERMS = 200  # partner-added terms and exceptions per candidate
MAX_TERM_LENGTH = 120
DATA = Path(__file__).resolve().parent / "data"

FAMILIES = ("email", "url", "handle", "phone", "name", "employer", "school", "org", "custom")

# -- normalisation ------------------------------------------------------------------------

_FOLD_EXTRA = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "æ": "ae", "œ": "oe", "þ": "th", "ı": "i", "ß": "ss"}
)


def _compat(ch: str) -> str:
    """One character in the compatibility form the patterns read (full-width ``＠`` → ``@``,
    any dash → ``-``, any space → `` ``)."""
    if ch.isascii():
        return ch
    if ch in "\u00ad\u200b\u200c\u200d\u2060\ufeff":
        return ""
    cat = unicodedata.category(ch)
    if cat == "Pd" or ch == "\u2212":
        return "-"
    if cat == "Zs" or ch in "\u2028\u2029":
        return " "
    return unicodedata.normalize("NFKC", ch)


def normalise(text: str) -> tuple[str, list[int]]:
    """``text`` in compatibility form, and for each of its characters the index of the
    character of ``text`` it came from (so spans found in one are cut from the other)."""
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        c = _compat(ch)
        out.append(c)
        index.extend([i] * len(c))
    return "".join(out), index


def fold(word: str) -> str:
    """Case and diacritics folded: ``fold("Zoë") == fold("ZOE") == "zoe"``."""
    decomposed = unicodedata.normalize("NFKD", word.casefold().translate(_FOLD_EXTRA))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Word tokens: letters and digits (any script), so "Nimbus-Robotics" is two and "Zoë" one.
_TOKEN_RE = re.compile(r"[^\W_]++")


@dataclass(frozen=True)
class Token:
    text: str
    key: str  # folded
    start: int
    end: int

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()


def tokenize(text: str) -> list[Token]:
    return [Token(m.group(), fold(m.group()), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]


# -- reference data -----------------------------------------------------------------------


@cache
def _psl() -> tldextract.TLDExtract:
    # The bundled Public Suffix List snapshot only: no network, no cache directory.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def _data_lines(name: str) -> Iterator[str]:
    with (DATA / name).open(encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if line.strip() and not line.startswith("#"):
                yield line


@cache
def common_words() -> frozenset[str]:
    """About 22,000 common English words: the whole-word entries of the text encoder's
    vocabulary (committed with the engine). A name or head word in it is matched only in
    context (capitalised, after a cue), never on its own."""
    path = Path(__file__).resolve().parents[1] / "engine" / "data" / "encoder" / "tokenizer.json"
    vocab = json.loads(path.read_text(encoding="utf-8"))["model"]["vocab"]
    return frozenset(w for w in vocab if w.isalpha() and len(w) > 1)


@cache
def technical_terms() -> frozenset[str]:
    """Single-word skill labels and aliases of the taxonomy (``ray``, ``spark``, ``julia``):
    a name part that is one is redacted only next to another part of the name."""
    from matchday.engine.taxonomy import load_taxonomy

    words: set[str] = set()
    for skill in load_taxonomy().skills:
        for term in (skill.label, *skill.aliases):
            tokens = tokenize(term)
            if len(tokens) == 1:
                words.add(tokens[0].key)
    return frozenset(words)


@dataclass(frozen=True)
class Term:
    """A sequence of folded tokens to find, and how strictly."""

    keys: tuple[str, ...]
    kind: str
    cased: tuple[str, ...] | None = None  # exact spelling required (acronyms, initials)
    capitalised: bool = False  # the first token must start upper-case
    cue: bool = False  # only after an employment cue ("at", "ex-", "joined"...)
    # Non-empty: only right next to one of these folded tokens (a skill such as "Ray" that
    # is also a first name counts as the name only beside another part of it).
    companions: frozenset[str] = frozenset()


@dataclass
class Gazetteer:
    """Terms indexed by first folded token and length; a lookup at one token costs one dict
    probe per distinct term length starting with it (bounded by the longest term)."""

    by_first: dict[str, dict[int, dict[tuple[str, ...], list[Term]]]] = field(default_factory=dict)

    def add(self, term: Term) -> None:
        if term.keys and all(term.keys):
            by_len = self.by_first.setdefault(term.keys[0], {})
            by_len.setdefault(len(term.keys), {}).setdefault(term.keys, []).append(term)

    def add_phrase(self, phrase: str, kind: str, **options) -> None:
        tokens = tokenize(phrase)
        if tokens:
            self.add(Term(tuple(t.key for t in tokens), kind, **options))

    def matches(self, tokens: list[Token], i: int) -> Iterator[tuple[int, Term]]:
        """``(length, term)`` for every term starting at token ``i``, longest first."""
        by_len = self.by_first.get(tokens[i].key)
        if not by_len:
            return
        for n in sorted(by_len, reverse=True):
            if i + n <= len(tokens):
                for term in by_len[n].get(tuple(t.key for t in tokens[i : i + n]), ()):
                    yield n, term


def _split_org_line(line: str) -> tuple[str, list[str]]:
    kind, _, names = line.partition(":")
    return kind.strip(), [n.strip() for n in names.split("|") if n.strip()]


@cache
def _global_gazetteer() -> Gazetteer:
    """Organisations, universities and university acronyms known to everyone."""
    g = Gazetteer()
    for line in _data_lines("organisations.txt"):
        kind, names = _split_org_line(line)
        for name in names:
            if kind == "acronym":
                g.add(
                    Term(
                        tuple(t.key for t in tokenize(name)),
                        "org",
                        cased=tuple(t.text for t in tokenize(name)),
                    )
                )
            elif kind == "vendor":
                g.add_phrase(name, "org", cue=True, capitalised=True)
            elif len(tokenize(name)) == 1 and fold(name) in common_words():
                g.add_phrase(name, "org", capitalised=True)
            else:
                g.add_phrase(name, "org")
    for line in _data_lines("universities.tsv"):
        g.add_phrase(line.partition("\t")[0], "org")
    return g


# -- patterns (each anchored by a look-behind, repetitions possessive or bounded) ---------

_LOCAL = r"[\w.%+-]{1,64}+"
_LABEL = r"[A-Za-z0-9-]{1,63}+"
_AT = r"(?:\s*+@\s*+|\s*+[(\[{<]\s*+at\s*+[)\]}>]\s*+|\s++at\s++)"
_DOT = r"(?:\s*+[(\[{<]\s*+(?:dot|\.)\s*+[)\]}>]\s*+|\s++dot\s++|\.)"
EMAIL_RE = re.compile(
    rf"(?<![\w.%+-]){_LOCAL}(?P<at>{_AT})(?P<domain>{_LABEL}(?:{_DOT}{_LABEL}){{1,8}}+)",
    re.IGNORECASE,
)
URL_RE = re.compile(r"(?<![\w.@-])(?:(?:https?|ftp)://|www\.)[^\s<>\"'`]{1,500}+", re.IGNORECASE)
DOMAIN_RE = re.compile(
    r"(?<![\w.@/\\~-])(?P<host>(?:[A-Za-z0-9-]{1,63}+\.){1,8}[A-Za-z]{2,24}+)(?![\w-])"
    r"(?P<path>/[^\s<>\"'`]{0,300}+)?"
)
HANDLE_RE = re.compile(r"(?<![\w@.])@(?P<name>[A-Za-z_][A-Za-z0-9_]{0,38}+)(?P<next>[.(]?)")
PHONE_RE = re.compile(r"(?<![\w+./-])(?:\+|\(\+?)?\d[\d ()./-]{6,28}+")
_PLATFORMS = (
    r"GitHub|GitLab|Bitbucket|Kaggle|Twitter|X|LinkedIn|Mastodon|Bluesky|Hugging\s?Face|HF|"
    r"Stack\s?Overflow|Medium|Substack|Reddit|Discord|Telegram|YouTube|Codeforces|LeetCode|"
    r"Topcoder|Keybase|Instagram|Threads|Twitch|Google\s?Scholar|ORCID|Hashnode|dev\.to|"
    r"Signal|Skype|WeChat|Weibo|Zhihu|Hacker\s?News|HN|Lichess|Strava|Gitee"
)
# A user name: word characters, with single dots or dashes inside (never at the end).
_HANDLE = r"@?[A-Za-z0-9_](?:[A-Za-z0-9_]|[.-](?=[A-Za-z0-9_])){0,38}+"
_HANDLE_CUES = r"handle|user|username|user\s?name|profile|account|id|nick|alias"
PLATFORM_AFTER_RE = re.compile(
    rf"(?<![\w@.-])(?P<cue>(?:as|am|user|handle|username|is)\s++)?(?P<handle>{_HANDLE})"
    rf"\s++(?:on|at|@)\s++(?:{_PLATFORMS})\b",
    re.IGNORECASE,
)
PLATFORM_BEFORE_RE = re.compile(
    rf"\b(?:{_PLATFORMS})\b(?P<cue>\s++(?:{_HANDLE_CUES})\b)?(?P<colon>\s*+[:=]\s*+|\s++)"
    rf"(?P<handle>{_HANDLE})",
    re.IGNORECASE,
)
CUE_HANDLE_RE = re.compile(
    rf"\b(?:handle|username|user\s?name|nick(?:name)?)\b(?:\s++is)?(?:\s*+[:=]\s*+|\s++)"
    rf"(?P<handle>{_HANDLE})",
    re.IGNORECASE,
)

# Suffixes that are top-level domains but, with no path after them, mean a file or code.
CODE_SUFFIXES = frozenset(
    [
        "py",
        "sh",
        "md",
        "rs",
        "pt",
        "so",
        "cc",
        "cu",
        "pl",
        "ml",
        "tf",
        "zip",
        "mov",
        "run",
        "ps",
        "cs",
        "java",
        "scala",
        "kt",
        "swift",
        "lua",
        "sql",
        "ts",
        "js",
        "r",
        "go",
        "rb",
        "php",
        "c",
        "h",
        "hpp",
        "cpp",
        "ipynb",
        "toml",
        "yaml",
        "yml",
        "json",
        "cfg",
        "ini",
        "log",
        "csv",
        "tsv",
        "txt",
        "bin",
        "ckpt",
        "pb",
        "onnx",
        "gz",
        "tar",
        "bz2",
        "xz",
        "lock",
        "mk",
        "gguf",
        "safetensors",
        "parquet",
        "arrow",
    ]
)
# Tools and libraries whose names look like domains.
TECH_DOMAINS = frozenset(
    [
        "socket.io",
        "asp.net",
        "vb.net",
        "ado.net",
        "ray.io",
        "deno.land",
        "crates.io",
        "pkg.go.dev",
        "vue.js",
    ]
)
CODE_NAMESPACES = frozenset(
    [
        "torch",
        "tf",
        "np",
        "jax",
        "nn",
        "os",
        "sys",
        "pd",
        "plt",
        "sklearn",
        "scipy",
        "math",
        "re",
        "json",
        "jnp",
        "optax",
        "flax",
        "triton",
        "cuda",
        "keras",
        "pl",
        "lightning",
        "ray",
        "dask",
        "spark",
        "hf",
        "transformers",
        "datasets",
        "accelerate",
        "deepspeed",
        "self",
        "cls",
        "app",
        "config",
        "settings",
        "model",
        "models",
        "args",
        "kwargs",
        "ctx",
        "request",
        "response",
    ]
)
DECORATORS = frozenset(
    [
        "dataclass",
        "property",
        "staticmethod",
        "classmethod",
        "cached_property",
        "lru_cache",
        "cache",
        "override",
        "overload",
        "abstractmethod",
        "wraps",
        "contextmanager",
        "asynccontextmanager",
        "jit",
        "njit",
        "vmap",
        "pmap",
        "compile",
        "torch",
        "tf",
        "app",
        "router",
        "task",
        "shared_task",
        "receiver",
        "login_required",
        "pytest",
        "fixture",
        "total_ordering",
        "functools",
        "typing",
        "register",
        "retry",
        "validator",
        "field_validator",
        "model_validator",
        "root_validator",
        "triton",
        "autotune",
        "remote",
        "serve",
        "deployment",
        "njit",
        "numba",
        "tool",
        "api",
        "get",
        "post",
        "put",
        "patch",
        "delete",
        "route",
        "override",
        "final",
        "require_post",
        "transaction",
        "atomic",
        "pytest_fixture",
        "mark",
        "parametrize",
        "given",
        "settings",
        "example",
    ]
)
EMPLOYMENT_CUES = frozenset(
    [
        "at",
        "ex",
        "joined",
        "join",
        "left",
        "former",
        "formerly",
        "from",
        "alumnus",
        "alumna",
        "alum",
        "alumni",
        "interned",
        "interning",
    ]
)
# "MIT License" is a licence, not a school.
NOT_AN_ORG_AFTER = frozenset(["license", "licence", "licensed", "licenses", "licences"])
STRONG_CUES = (
    ("worked", "at"),
    ("working", "at"),
    ("work", "at"),
    ("while", "at"),
    ("time", "at"),
    ("interned", "at"),
    ("intern", "at"),
    ("internship", "at"),
    ("engineer", "at"),
    ("researcher", "at"),
    ("scientist", "at"),
    ("lead", "at"),
    ("sre", "at"),
    ("manager", "at"),
    ("phd", "at"),
    ("postdoc", "at"),
    ("student", "at"),
    ("studied", "at"),
    ("graduated", "from"),
    ("alumnus", "of"),
    ("alumna", "of"),
    ("formerly", "at"),
    ("previously", "at"),
    ("days", "at"),
    ("tenure", "at"),
    ("stint", "at"),
    ("years", "at"),
    ("team", "at"),
    ("role", "at"),
    ("job", "at"),
    ("joined",),
    ("ex",),
    ("leaving",),
    ("left",),
    ("founded",),
    ("cofounded",),
    ("co", "founded"),
)
_CUES_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}
for _cue in STRONG_CUES:
    _CUES_BY_FIRST.setdefault(_cue[0], []).append(_cue)
# Last words of an organisation's name: school words (SCHOOL_WORDS, below) and these.
BUSINESS_SUFFIXES = frozenset(
    ["labs", "lab", "laboratory", "laboratories", "inc", "gmbh", "ltd", "llc", "corp",
     "corporation", "ag", "plc", "sarl", "bv", "oy", "ab", "kk"]
)  # fmt: skip
ORG_JOINERS = frozenset(["of", "for", "de", "der", "des", "di", "du", "la", "&"])
NAME_JOINERS = frozenset(
    [
        "de",
        "da",
        "del",
        "della",
        "der",
        "di",
        "du",
        "la",
        "le",
        "van",
        "von",
        "bin",
        "ibn",
        "al",
        "el",
        "st",
    ]
)
TRAILING = ".,;:!?)]}'\"»”’"


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str

    def overlaps(self, start: int, end: int) -> bool:
        return self.start < end and start < self.end


def _acronym(name: str) -> str:
    """``Carnegie Mellon University`` → ``CMU``; ``University of California, Berkeley`` →
    ``UCB``; words such as *of* and *the* are skipped."""
    skip = ORG_JOINERS | {"the", "and", "in", "at"}
    letters = [t.text[0] for t in tokenize(name) if t.key not in skip]
    return "".join(letters).upper() if all(c.isalpha() for c in letters) else ""


@cache
def _university_domains() -> dict[str, tuple[str, ...]]:
    """Folded university name → its web-domain stems (``cmu``, ``stanford``)."""
    out: dict[str, list[str]] = {}
    for line in _data_lines("universities.tsv"):
        name, _, stems = line.partition("\t")
        out[" ".join(t.key for t in tokenize(name))] = stems.split()
    return {k: tuple(v) for k, v in out.items()}


SCHOOL_GENERIC = frozenset(
    [
        "university",
        "universitat",
        "universite",
        "universidad",
        "universita",
        "universiteit",
        "of",
        "the",
        "college",
        "institute",
        "institut",
        "school",
        "technology",
        "technical",
        "state",
        "national",
        "polytechnic",
        "polytechnique",
        "hochschule",
        "academy",
        "and",
        "for",
        "in",
        "at",
        "de",
        "der",
        "des",
        "di",
        "du",
        "la",
        "sciences",
        "science",
        "applied",
        "engineering",
        "graduate",
    ]
)
EMPLOYER_GENERIC = frozenset(
    [
        "the",
        "group",
        "holdings",
        "holding",
        "company",
        "co",
        "and",
        "of",
        "labs",
        "lab",
        "technologies",
        "technology",
        "tech",
        "systems",
        "solutions",
        "software",
        "services",
        "global",
        "international",
        "research",
        "ai",
        "ml",
        "data",
        "digital",
        "cloud",
        "networks",
        "network",
        "robotics",
        "dynamics",
        "ventures",
        "partners",
        "studio",
        "studios",
        "analytics",
        "health",
        "inc",
        "gmbh",
        "ltd",
        "llc",
        "corp",
    ]
)


def _own_terms(  # noqa: C901 - complexity 16, to split into named steps
    g: Gazetteer, *, full_name: str, employers: Iterable[str], schools: Iterable[str]
) -> None:
    common, technical = common_words(), technical_terms()

    # The name, whole and in parts (each with diacritics folded), and with initials.
    parts = [tokenize(p) for p in re.split(r"[\s,]+", full_name.strip()) if tokenize(p)]
    name_tokens = [t for p in parts for t in p]
    if name_tokens:
        keys = frozenset(t.key for t in name_tokens)
        companions = keys | {k[0] for k in keys}
        g.add(Term(tuple(t.key for t in name_tokens), "name"))
        for part in parts:
            if len(part) > 1:
                g.add(Term(tuple(t.key for t in part), "name"))  # O'Brien-Ferreira
        for t in name_tokens:
            if len(t.key) < 2 or t.key in NAME_JOINERS:
                continue
            if t.key in technical:
                g.add(Term((t.key,), "name", capitalised=True, companions=companions - {t.key}))
            elif t.key in common or len(t.key) == 2:
                g.add(Term((t.key,), "name", capitalised=True))
            else:
                g.add(Term((t.key,), "name"))
        main = [p for p in parts if p[0].key not in NAME_JOINERS]
        for a in main:
            for b in main:
                if a is not b:  # Z. Kettleworth, Zoë K., X. Chen (either order)
                    g.add(Term((a[0].key[0], *(t.key for t in b)), "name", capitalised=True))
                    g.add(Term((*(t.key for t in a), b[0].key[0]), "name", capitalised=True))
        if len(main) >= 2:
            initials = tuple(p[0].text[0].upper() for p in main)
            g.add(Term(tuple(i.lower() for i in initials), "name", cased=initials))  # Z. K.
            g.add(Term(("".join(initials).lower(),), "name", cased=("".join(initials),)))

    for employer in employers:
        _variants(g, employer, "employer", EMPLOYER_GENERIC, common)
    for school in schools:
        _variants(g, school, "school", SCHOOL_GENERIC, common)
        key = " ".join(t.key for t in tokenize(school))
        for stem in _university_domains().get(key, ()):
            if len(stem) >= 3 and stem not in common and "-" not in stem:
                g.add(Term((stem,), "school"))  # cmu, gatech, utoronto


def _variants(g: Gazetteer, name: str, kind: str, generic: frozenset[str], common) -> None:
    """A name, without its legal suffix, run together, its distinctive words, its acronym."""
    for form in {name, strip_legal_suffix(name) or name}:
        tokens = tokenize(form)
        if not tokens:
            continue
        g.add(Term(tuple(t.key for t in tokens), kind))
        if len(tokens) > 1:
            g.add(Term(("".join(t.key for t in tokens),), kind))  # NimbusRobotics
        core = [t for t in tokens if t.key not in generic]
        if core and len(core) < len(tokens):
            if len(core) > 1 or core[0].key not in common:
                g.add(Term(tuple(t.key for t in core), kind))  # Carnegie Mellon
                if len(core) > 1:
                    g.add(Term(("".join(t.key for t in core),), kind))  # BlueHarbor
            elif kind == "school":
                g.add(Term((core[0].key,), kind, capitalised=True))  # an Edinburgh course
            else:
                g.add(Term((core[0].key,), kind, capitalised=True, cue=True))  # at Scale
        if core and core[0] is tokens[0] and len(core) > 1:
            head = core[0]
            if head.key not in common and len(head.key) > 2:
                g.add(Term((head.key,), kind))  # Nimbus
            else:
                g.add(Term((head.key,), kind, capitalised=True, cue=True))
        # CTU for "Czech Technical University in Prague": the acronym of the whole name and
        # of the name up to its last school word.
        last = max((k for k, t in enumerate(tokens) if t.key in ORG_SUFFIXES), default=-1)
        for words in {form, " ".join(t.text for t in tokens[: last + 1])}:
            acronym = _acronym(words)
            if len(acronym) >= 3 and len(tokenize(words)) >= 3:
                g.add(Term((acronym.lower(),), kind, cased=(acronym,)))


# -- the redactor -------------------------------------------------------------------------


def _clean_terms(terms: Iterable[str]) -> list[str]:
    out = []
    for term in terms:
        term = " ".join((term or "").split())[:MAX_TERM_LENGTH]
        if term and tokenize(term):
            out.append(term)
    return out[:MAX_TERMS]


@dataclass(frozen=True)
class Redactor:
    """Finds what identifies one candidate in free text.

    >>> r = Redactor.for_candidate(full_name="Zoë Kettleworth",
    ...                            employers=["Nimbus Robotics GmbH"], schools=["MIT"])
    >>> r.redact("Ex-Nimbus; Zoe cut p99 latency to 40 ms (zk at gmail dot com).")
    'Ex-[redacted]; [redacted] cut p99 latency to 40 ms ([redacted]).'
    """

    gazetteer: Gazetteer
    allowed: frozenset[str] = frozenset()

    @classmethod
    def for_candidate(
        cls,
        *,
        full_name: str = "",
        employers: Iterable[str] = (),
        schools: Iterable[str] = (),
        extra_terms: Iterable[str] = (),
        allowed_terms: Iterable[str] = (),
    ) -> Redactor:
        g = Gazetteer()
        _own_terms(g, full_name=full_name, employers=employers, schools=schools)
        for term in _clean_terms(extra_terms):
            g.add_phrase(term, "custom")
        allowed = frozenset(
            " ".join(t.key for t in tokenize(a)) for a in _clean_terms(allowed_terms)
        )
        return cls(g, allowed)

    # -- finding --------------------------------------------------------------------------

    def spans(self, text: str) -> list[Span]:
        """Merged, sorted spans of ``text`` (at most :data:`MAX_TEXT` long) to redact."""
        text = unicodedata.normalize("NFC", text[:MAX_TEXT])
        norm, index = normalise(text)
        found: list[Span] = []
        found += _pattern_spans(norm)
        found += self._term_spans(norm)
        out: list[Span] = []
        for s in sorted(found, key=lambda s: (s.start, -s.end)):
            start, end = index[s.start], index[s.end - 1] + 1
            if self.allowed and self._is_allowed(text[start:end]):
                continue
            if out and start <= out[-1].end:
                if end > out[-1].end:
                    out[-1] = Span(out[-1].start, end, out[-1].kind)
            else:
                out.append(Span(start, end, s.kind))
        return out

    def _is_allowed(self, surface: str) -> bool:
        return " ".join(t.key for t in tokenize(surface)) in self.allowed

    def _term_spans(self, norm: str) -> list[Span]:
        tokens = tokenize(norm)
        spans: list[Span] = []
        globals_ = _global_gazetteer()
        i = 0
        while i < len(tokens):
            best: tuple[int, Term] | None = None
            for g in (self.gazetteer, globals_):
                for n, term in g.matches(tokens, i):
                    if (best is None or n > best[0]) and _accept(term, tokens, i, n, norm):
                        best = (n, term)
                        break
            generic = _org_phrase(tokens, i, norm)
            if generic and (best is None or generic > best[0]):
                best = (generic, Term((), "org"))
            if best is not None:
                n, term = best
                spans.append(Span(tokens[i].start, tokens[i + n - 1].end, term.kind))
                i += n
            else:
                i += 1
        spans += _cued_names(tokens, norm, spans)
        return spans

    def redact(self, text: str) -> str:
        """``text`` with every span replaced by :data:`REDACTED`."""
        if not text:
            return text
        return "".join(REDACTED if kind else part for part, kind in self.segments(text)) + (
            TRUNCATED if len(text) > MAX_TEXT else ""
        )

    def segments(self, text: str) -> list[tuple[str, str]]:
        """``text`` cut into ``(part, kind)``: ``kind`` is ``""`` for text that stays and the
        family name for a redacted part (what the partner's preview marks)."""
        text = unicodedata.normalize("NFC", text[:MAX_TEXT])
        out: list[tuple[str, str]] = []
        at = 0
        for s in self.spans(text):
            if s.start > at:
                out.append((text[at : s.start], ""))
            out.append((text[s.start : s.end], s.kind))
            at = s.end
        if at < len(text):
            out.append((text[at:], ""))
        return out


def _accept(term: Term, tokens: list[Token], i: int, n: int, norm: str) -> bool:
    window = tokens[i : i + n]
    if term.cased is not None and tuple(t.text for t in window) != term.cased:
        return False
    if term.capitalised and not window[0].capitalised:
        return False
    if term.cue and not _after_cue(tokens, i, norm):
        return False
    if term.cue and i + n < len(tokens) and _continues_name(tokens, i + n, norm):
        return False  # "Google Cloud", "NVIDIA A100": a product, not an employer
    if term.companions:
        near = [tokens[j] for j in (i - 1, i + n) if 0 <= j < len(tokens)]
        if not any(t.key in term.companions and _adjacent(tokens, i, n, t, norm) for t in near):
            return False
    after = tokens[i + n].key if i + n < len(tokens) else ""
    return term.kind == "name" or after not in NOT_AN_ORG_AFTER


def _adjacent(tokens: list[Token], i: int, n: int, other: Token, norm: str) -> bool:
    gap = (
        norm[other.end : tokens[i].start]
        if other.end <= tokens[i].start
        else norm[tokens[i + n - 1].end : other.start]
    )
    return gap.strip(" .") == "" and len(gap) <= 2


def _after_cue(tokens: list[Token], i: int, norm: str) -> bool:
    if i == 0:
        return False
    prev = tokens[i - 1]
    gap = norm[prev.end : tokens[i].start]
    if prev.key in EMPLOYMENT_CUES and gap.strip() in {"", "-"}:
        return True
    return prev.key == "ex" and gap == "-"


def _continues_name(tokens: list[Token], j: int, norm: str) -> bool:
    """The token at ``j`` continues a product name: capitalised or with digits, right after."""
    t = tokens[j]
    gap = norm[tokens[j - 1].end : t.start]
    return gap in {" ", "-"} and (t.capitalised or any(c.isdigit() for c in t.text))


SCHOOL_WORDS = frozenset(
    [
        "university",
        "universitat",
        "universite",
        "universidad",
        "universita",
        "universiteit",
        "universidade",
        "institute",
        "institut",
        "instituto",
        "istituto",
        "college",
        "hochschule",
        "polytechnic",
        "politecnico",
        "ecole",
        "escuela",
        "scuola",
        "academy",
    ]
)
ORG_SUFFIXES = SCHOOL_WORDS | BUSINESS_SUFFIXES
LEADING_JOINERS = frozenset(
    [
        "of",
        "de",
        "di",
        "del",
        "della",
        "do",
        "da",
        "des",
        "du",
        "der",
        "fur",
        "for",
        "and",
        "y",
        "e",
        "i",
        "la",
        "le",
    ]
)
ORG_GAPS = frozenset({" ", "-", " & ", ", "})
DEGREES = frozenset(
    [
        "msc",
        "bsc",
        "phd",
        "mba",
        "beng",
        "meng",
        "ba",
        "ma",
        "ms",
        "bs",
        "mphil",
        "dphil",
        "diploma",
        "thesis",
    ]
)
# Capitalised at the start of a sentence, never the first word of a name.
FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "at",
        "in",
        "on",
        "of",
        "for",
        "from",
        "by",
        "with",
        "as",
        "and",
        "or",
        "our",
        "my",
        "we",
        "i",
        "while",
        "during",
        "after",
        "before",
        "since",
        "until",
        "then",
        "when",
        "where",
        "this",
        "that",
        "these",
        "those",
        "its",
        "their",
        "his",
        "her",
    ]
)


def _org_phrase(tokens: list[Token], i: int, norm: str) -> int:
    """Length in tokens of an organisation name starting at ``i`` by its shape: a school
    word then capitalised words (``University of Waterloo``, ``Instituto Tecnológico de
    Monterrey``), or capitalised words ending in an organisation word (``Zyphra Labs``,
    ``Broad Institute``, ``Acme GmbH``)."""
    t = tokens[i]
    if not t.capitalised or t.key in FUNCTION_WORDS:
        return 0
    if t.key in SCHOOL_WORDS:
        k, last = i + 1, 0
        while k < len(tokens) and k - i <= 6:
            tok = tokens[k]
            if norm[tokens[k - 1].end : tok.start] not in ORG_GAPS:
                break
            if tok.key in DEGREES:
                break
            if tok.capitalised and tok.key not in LEADING_JOINERS:
                last = k
            elif tok.key not in LEADING_JOINERS:
                break
            k += 1
        if last:
            return last - i + 1
    j = i
    while j < len(tokens) and j - i < 6:
        tok = tokens[j]
        if j > i and norm[tokens[j - 1].end : tok.start] not in {" ", "-", " & "}:
            break
        if tok.key in ORG_SUFFIXES and j > i and tok.capitalised:
            return j - i + 1
        if not (tok.capitalised or (tok.key in ORG_JOINERS and j > i)):
            break
        j += 1
    return 0


def _cued_names(tokens: list[Token], norm: str, taken: list[Span]) -> list[Span]:
    """Capitalised names after a strong employment cue (``interned at Helsing``,
    ``joined Zyphra``), up to four words, when nothing else claimed them. Common words and
    skill names are not taken for a name (``joined Kubernetes on-call``)."""
    out: list[Span] = []
    keys = [t.key for t in tokens]
    ordinary = common_words() | technical_terms()
    for i in range(len(tokens)):
        cue = next(
            (c for c in _CUES_BY_FIRST.get(keys[i], ()) if tuple(keys[i : i + len(c)]) == c), None
        )
        if cue is None or i + len(cue) >= len(tokens):
            continue
        j = i + len(cue)
        if keys[j] in {"the", "a", "an"} and j + 1 < len(tokens):
            j += 1
        k = j
        while k < len(tokens) and k - j < 4 and tokens[k].capitalised:
            if k > j and norm[tokens[k - 1].end : tokens[k].start] not in {" ", "-", " & "}:
                break
            if keys[k] in ordinary:
                break
            k += 1
        if k > j:
            start, end = tokens[j].start, tokens[k - 1].end
            if not any(s.overlaps(start, end) for s in taken):
                out.append(Span(start, end, "org"))
    return out


def _pattern_spans(norm: str) -> list[Span]:  # noqa: C901 - complexity 18, to split into named steps
    spans: list[Span] = []
    pos = 0
    while (m := EMAIL_RE.search(norm, pos)) is not None:
        domain = re.sub(_DOT, ".", m.group("domain"), flags=re.IGNORECASE)
        local, at = norm[m.start() : m.start("at")], m.group("at")
        spaced = at.strip().lower() in {"@", "at"} and at != at.strip()
        if at == "@" or (_psl()(domain).suffix and not (spaced and fold(local) in common_words())):
            spans.append(Span(m.start(), _strip_trailing(norm, m.start(), m.end()), "email"))
            pos = m.end()
        else:  # "answer at z.k" is prose: look again from the next word (bounded per word)
            pos = m.start() + 1
    for m in URL_RE.finditer(norm):
        spans.append(Span(m.start(), _strip_trailing(norm, m.start(), m.end()), "url"))
    for m in DOMAIN_RE.finditer(norm):
        host, path = m.group("host"), m.group("path") or ""
        ext = _psl()(host)
        if not ext.suffix or not ext.domain:
            continue
        lower = host.lower()
        if lower in TECH_DOMAINS or (ext.domain.lower() in CODE_NAMESPACES and not path):
            continue
        if ext.suffix.lower() in CODE_SUFFIXES and not path:
            continue
        if host != lower and host.upper() == host and not path:
            continue  # ASP.NET-style names are written upper-case; domains are not
        spans.append(Span(m.start(), _strip_trailing(norm, m.start(), m.end()), "url"))
    for m in HANDLE_RE.finditer(norm):
        name = m.group("name")
        if m.group("next") or name.lower() in DECORATORS or name.isdigit():
            continue
        spans.append(Span(m.start(), m.end("name"), "handle"))
    for regex in (PLATFORM_AFTER_RE, PLATFORM_BEFORE_RE, CUE_HANDLE_RE):
        for m in regex.finditer(norm):
            handle = m.group("handle")
            strong = (
                regex is CUE_HANDLE_RE
                or bool(m.groupdict().get("cue"))
                or (m.groupdict().get("colon") or "").strip() in {":", "="}
            )
            if handle.startswith("@") and ("." in handle or handle[1:].lower() in DECORATORS):
                continue  # "@pytest.fixture on GitHub Actions" is code
            if not strong and not _handle_like(handle):
                continue
            spans.append(Span(m.start("handle"), m.end("handle"), "handle"))
    for m in PHONE_RE.finditer(norm):
        end = m.end()
        while end > m.start() and not norm[end - 1].isdigit():
            end -= 1
        if _looks_like_phone(norm[m.start() : end]):
            spans.append(Span(m.start(), end, "phone"))
    return spans


def _handle_like(handle: str) -> bool:
    """A user name rather than a word or a version: an ``@``, or letters with digits,
    underscores or dots, or a lower-case word that is neither English nor a skill."""
    h = handle.lstrip("@")
    if handle.startswith("@"):
        return True
    if not any(c.isalpha() for c in h):
        return False  # "HF 4.40": a version
    if any(c.isdigit() or c in "_." for c in h):
        return True
    key = fold(h)
    return h.islower() and key not in common_words() and key not in technical_terms()


_DATE_RE = re.compile(
    r"\b(?:19|20)\d\d[-/.](?:0?[1-9]|1[0-2])[-/.](?:0?[1-9]|[12]\d|3[01])\b"
    r"|\b(?:0?[1-9]|[12]\d|3[01])[-/.](?:0?[1-9]|1[0-2])[-/.](?:19|20)?\d\d\b"
    r"|\b(?:0?[1-9]|1[0-2])[-/.](?:0?[1-9]|[12]\d|3[01])[-/.](?:19|20)?\d\d\b"
)


def _looks_like_phone(s: str) -> bool:
    digits = sum(c.isdigit() for c in s)
    if not 9 <= digits <= 15:
        return False
    groups = re.findall(r"\d+", s)
    if _DATE_RE.search(s):
        return False
    if all(len(g) == 4 and g[:2] in {"19", "20"} for g in groups):
        return False  # a list of years
    if set(s) <= set("0123456789.") and all(len(g) <= 3 for g in groups):
        return False  # an IP address or a version
    if (
        "." in s
        and not any(c in s for c in " -/()+")
        and len(groups) >= 3
        and groups[0] in {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"}
    ):
        return False  # a version: 10.0.19045.2006
    if s.startswith(("+", "(", "0")):
        return True
    return any(c in s for c in "-/().") or (len(groups) >= 3 and len(groups[-1]) == 4)


def _strip_trailing(norm: str, start: int, end: int) -> int:
    while end > start and norm[end - 1] in TRAILING:
        end -= 1
    return end
