"""The blind-view redactor: one test per family of identity it removes, the technical text it
keeps, its limits (length cap, linear time on hostile input), partner terms, and the labelled
corpus's recall and precision held above the goal."""

from __future__ import annotations

import time

import pytest

from matchday.matchdays import redaction_corpus
from matchday.matchdays.redaction import FAMILIES, MAX_TEXT, REDACTED, TRUNCATED, Redactor

R = REDACTED
ZOE = Redactor.for_candidate(
    full_name="Zoë Kettleworth",
    employers=["Nimbus Robotics GmbH", "Scale AI"],
    schools=["Carnegie Mellon University", "University of Edinburgh"],
)


def _check(cases, redactor=ZOE):
    assert [redactor.redact(text) for text, _ in cases] == [want for _, want in cases]


def test_email_family_plain_and_obfuscated():
    _check(
        [
            ("Mail zk1987 at gmail dot com today.", f"Mail {R} today."),
            ("zk (at) posteo (dot) de", R),
            ("zoe.k[at]posteo[.]de for traces", f"{R} for traces"),
            ("zk1987＠gmail．com", R),
            ("zk@gm\u200bail.com", R),
            ("m.dvořák@kraken-data.cz", R),
            ("zk {at} kettle {dot} dev", R),
        ]
    )


def test_url_family_uses_the_public_suffix_list_and_keeps_files_and_code():
    _check(
        [
            ("Notes on zk-lab.de and mastodon.social/@zk.", f"Notes on {R} and {R}."),
            ("See https://zk.dev/x, or kettleworth.design.", f"See {R}, or {R}."),
            (
                "Edited train.py, README.md and configs/train.yaml.",
                "Edited train.py, README.md and configs/train.yaml.",
            ),
            (
                "Used torch.compile, socket.io and ASP.NET.",
                "Used torch.compile, socket.io and ASP.NET.",
            ),
        ]
    )


def test_handle_family_keeps_decorators():
    _check(
        [
            ("Ping @zkettle about it.", f"Ping {R} about it."),
            ("Ranked as zk1987 on Kaggle.", f"Ranked as {R} on Kaggle."),
            ("GitHub: zkettle; my Kaggle handle zk_1987.", f"GitHub: {R}; my Kaggle handle {R}."),
            (
                "Used @dataclass and @pytest.fixture on GitHub Actions.",
                "Used @dataclass and @pytest.fixture on GitHub Actions.",
            ),
        ]
    )


def test_phone_family_with_slashes_and_dashes_keeps_dates_and_versions():
    _check(
        [
            ("Call +49 30/1234–5678.", f"Call {R}."),
            ("Or (415) 555–0137 or 650.555.0199.", f"Or {R} or {R}."),
            (
                "From 2019–2023, on 2024-03-15, v10.0.19045.2006 at 10.0.0.12.",
                "From 2019–2023, on 2024-03-15, v10.0.19045.2006 at 10.0.0.12.",
            ),
        ]
    )


def test_name_family_with_diacritics_and_initials():
    _check(
        [
            ("Zoë and Zoe and ZOË", f"{R} and {R} and {R}"),
            (
                "Signed Z. Kettleworth, reviewed by ZK and Zoë K.",
                f"Signed {R}, reviewed by {R} and {R}.",
            ),
        ]
    )


def test_name_part_that_is_a_skill_counts_only_beside_the_name():
    ray = Redactor.for_candidate(full_name="Ray Okonkwo")
    _check(
        [
            (
                "Ray Okonkwo scaled Ray Serve; Okonkwo chose Ray.",
                f"{R} scaled Ray Serve; {R} chose Ray.",
            ),
        ],
        ray,
    )


def test_employer_family_variants():
    _check(
        [
            (
                "ex-Nimbus, NimbusRobotics, Nimbus-Robotics, Nimbus Robotics GmbH",
                f"ex-{R}, {R}, {R}, {R}",
            ),
            (
                "My time at Scale taught me to work at scale.",
                f"My time at {R} taught me to work at scale.",
            ),
        ]
    )


def test_school_family_abbreviations_and_short_names():
    _check(
        [
            ("At CMU and Carnegie Mellon; an Edinburgh course.", f"At {R} and {R}; an {R} course."),
        ]
    )


def test_org_family_outside_the_history_and_vendors_only_as_employers():
    _check(
        [
            ("With Google DeepMind and Stanford University.", f"With {R} and {R}."),
            ("Interned at Helsing; joined Zyphra.", f"Interned at {R}; joined {R}."),
            (
                "I worked at Google, deploying on Google Cloud and NVIDIA A100s.",
                f"I worked at {R}, deploying on Google Cloud and NVIDIA A100s.",
            ),
            ("Released under the MIT License.", "Released under the MIT License."),
        ]
    )


def test_partner_terms_add_and_keep():
    redactor = Redactor.for_candidate(
        full_name="Zoë Kettleworth",
        employers=["Nimbus Robotics"],
        extra_terms=["Project Falcon"],
        allowed_terms=["Nimbus"],
    )
    assert redactor.redact("Project Falcon at Nimbus Robotics; Nimbus alone.") == (
        f"{R} at {R}; Nimbus alone."
    )
    assert [kind for _, kind in redactor.segments("Zoë built project falcon")] == [
        "name",
        "",
        "custom",
    ]


def test_text_beyond_the_cap_is_cut_not_shown():
    text = "a" * MAX_TEXT + " zk1987 at gmail dot com"
    out = ZOE.redact(text)
    assert out == "a" * MAX_TEXT + TRUNCATED
    assert "zk1987" not in out


HOSTILE = [
    "a", "a at ", "a.", "a@", "1 ", "1-", "@a", "http://a", "x on GitHub ", "joined Acme ",
    "University of ", "Acme ", "a (at) b (dot) ", "a\u200b", "Zoë ", "a\u2003at\u2003",
    "zk1987 at gmail dot com +49 30 1234 5678 ",
]  # fmt: skip


def _cpu(text: str) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        ZOE.redact(text)
        best = min(best, time.process_time() - start)
    return best


@pytest.mark.parametrize("unit", HOSTILE)
def test_hostile_text_is_linear_and_fast(unit):
    """At the cap every hostile repetition is redacted in well under a second of CPU, and
    four times the text takes about four times as long (quadratic would be sixteen)."""
    ZOE.redact("warm up")
    small = (unit * (MAX_TEXT // 4 // len(unit) + 1))[: MAX_TEXT // 4]
    large = (unit * (MAX_TEXT // len(unit) + 1))[:MAX_TEXT]
    t_small, t_large = _cpu(small), _cpu(large)
    assert t_large < 1.0
    assert t_large < 8 * t_small + 0.02


def test_corpus_figures_stay_above_the_goal():
    cases = redaction_corpus.load()
    figures = redaction_corpus.evaluate(cases)
    assert figures.identity >= 200 and figures.phrases >= 200
    assert set(figures.by_family) == set(FAMILIES) - {"custom"}  # partner terms: own test
    assert figures.recall >= 0.98, figures.misses
    assert figures.precision >= 0.95, figures.false_positives


def test_corpus_parser_reports_a_malformed_line():
    with pytest.raises(ValueError, match="line 2: expected"):
        redaction_corpus.parse("@profile a | A B | C | D\nno separator here")
