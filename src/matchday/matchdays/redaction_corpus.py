"""The redactor's labelled corpus (``data/redaction_corpus.txt``) and how it is scored.

Recall is the share of labelled identity strings the redactor removes whole (every letter
and digit of the string lies inside a redacted span). Precision is the share of the
redactor's hits on labelled strings that were identity: ``TP / (TP + FP)``, where a false
positive is a labelled technical phrase that lost any character. Redacted characters outside
every label are counted too (``stray_chars``), so damage to unlabelled words shows.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from matchday.matchdays.redaction import Redactor, Span

CORPUS = Path(__file__).resolve().parent / "data" / "redaction_corpus.txt"
_MARK_RE = re.compile(r"\[\[(.+?)\]\]|<<(.+?)>>")


@dataclass(frozen=True)
class Label:
    start: int
    end: int
    identity: bool
    family: str

    def covered_by(self, text: str, spans: list[Span]) -> bool:
        return all(
            any(s.start <= k < s.end for s in spans)
            for k in range(self.start, self.end)
            if text[k].isalnum()
        )

    def touched_by(self, spans: list[Span]) -> bool:
        return any(s.overlaps(self.start, self.end) for s in spans)


@dataclass(frozen=True)
class Profile:
    key: str
    full_name: str
    employers: tuple[str, ...]
    schools: tuple[str, ...]

    def redactor(self) -> Redactor:
        return Redactor.for_candidate(
            full_name=self.full_name, employers=self.employers, schools=self.schools
        )


@dataclass(frozen=True)
class Case:
    line: int
    family: str
    profile: Profile
    text: str
    labels: tuple[Label, ...]


def parse(source: str) -> list[Case]:
    """Cases in file order; raises ``ValueError`` naming the line of a malformed one."""
    cases: list[Case] = []
    profile: Profile | None = None
    for n, raw in enumerate(source.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("@profile "):
            key, name, employers, schools = (p.strip() for p in line[9:].split("|"))
            split = lambda v: tuple(x.strip() for x in v.split(";") if x.strip())  # noqa: E731
            profile = Profile(key, name, split(employers), split(schools))
            continue
        family, sep, sentence = line.partition(" | ")
        if not sep or profile is None:
            raise ValueError(f"line {n}: expected '<family> | <sentence>' after a @profile")
        text, labels, at = [], [], 0
        pos = 0
        for m in _MARK_RE.finditer(sentence):
            text.append(sentence[at : m.start()])
            pos += m.start() - at
            inner = m.group(1) or m.group(2)
            labels.append(Label(pos, pos + len(inner), m.group(1) is not None, family))
            text.append(inner)
            pos += len(inner)
            at = m.end()
        text.append(sentence[at:])
        cases.append(Case(n, family.strip(), profile, "".join(text), tuple(labels)))
    return cases


def load() -> list[Case]:
    return parse(CORPUS.read_text(encoding="utf-8"))


@dataclass
class Figures:
    identity: int = 0
    redacted: int = 0
    phrases: int = 0
    damaged: int = 0
    stray_chars: int = 0
    by_family: Counter[str] = field(default_factory=Counter)
    missed_by_family: Counter[str] = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)
    false_positives: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.redacted / self.identity if self.identity else 1.0

    @property
    def precision(self) -> float:
        hits = self.redacted + self.damaged
        return self.redacted / hits if hits else 1.0


def evaluate(cases: list[Case]) -> Figures:
    figures = Figures()
    redactors: dict[str, Redactor] = {}
    for case in cases:
        redactor = redactors.get(case.profile.key)
        if redactor is None:
            redactor = redactors[case.profile.key] = case.profile.redactor()
        spans = redactor.spans(case.text)
        for label in case.labels:
            piece = case.text[label.start : label.end]
            if label.identity:
                figures.identity += 1
                figures.by_family[label.family] += 1
                if label.covered_by(case.text, spans):
                    figures.redacted += 1
                else:
                    figures.missed_by_family[label.family] += 1
                    figures.misses.append(f"line {case.line} [{label.family}] {piece!r}")
            else:
                figures.phrases += 1
                if label.touched_by(spans):
                    figures.damaged += 1
                    figures.false_positives.append(
                        f"line {case.line} {piece!r} -> {redactor.redact(piece)!r} "
                        f"in {redactor.redact(case.text)!r}"
                    )
        for s in spans:
            for k in range(s.start, s.end):
                if case.text[k].isalnum() and not any(
                    lb.start <= k < lb.end for lb in case.labels if lb.identity
                ):
                    figures.stray_chars += 1
    return figures
