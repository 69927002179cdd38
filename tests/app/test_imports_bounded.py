"""Résumé text parsing and JSON Resume skill lookup stay linear on hostile input: every
run of Unicode whitespace is one space before any pattern runs, patterns cannot backtrack
over unbounded runs, drafts and keyword lists are capped with a message naming the cap.

The CPU bounds below are ~30x what the parser needs on a quiet machine; the code before
these fixes took 68 s on the first input (quadratic backtracking)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from matchday.engine.taxonomy import MAX_NAME_CHARS, load_taxonomy
from matchday.imports import jsonresume, resume
from matchday.imports.limits import ImportLimits
from matchday.imports.resume import (
    MAX_DRAFT_ROWS,
    ROWS_DROPPED,
    normalise_text,
    parse_resume_text,
)
from matchday.taxonomy import services as taxonomy_services

N = 100_000
PATHOLOGICAL = {
    "em-space-run": "Experience\nEngineer" + "\u2003" * N + "x",
    "tab-run-before-at": "Experience\nEngineer" + "\t" * N + "at",
    "word-run-without-at": "Experience\n" + "a" * N,
    "digit-run": "Experience\n• " + "1" * N,
    "digits-and-spaces": "Experience\n• " + "1 " * (N // 2),
    "at-signs": "Experience\n" + "a@" * (N // 2),
    "open-parens": "Experience\n1" + "(" * N,
    "years-without-range": "Experience\n" + "2020 " * (N // 5),
    "months-and-spaces": "Experience\n" + "may\u2003\u2003" * (N // 5),
    "many-at-words": "Experience\n" + "at " * (N // 3) + "2020-2021",
    "separators": "Experience\n" + " | " * (N // 3) + "2020-2021",
    "degree-words": "Education\nUniversity " + "phd " * (N // 4),
    "in-words": "Education\nMSc" + " in" * (N // 3),
    "one-skill-line": "Skills\n" + "Python " * (N // 7),
    "line-separators": "Experience\n" + "Engineer\u2028" * (N // 9),
}


@pytest.mark.parametrize("text", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_pathological_resume_text_parses_in_linear_time(text):
    start = time.process_time()
    parse_resume_text(text)
    assert time.process_time() - start < 3.0


def test_every_unicode_space_run_becomes_one_space_and_invisibles_go():
    text = "ML\u2003\u2003Engineer\u00a0at\u3000\u3000Acme\u200b\tAI\r\nPython\u2028Rust\x85Go\x07"
    assert normalise_text(text) == "ML Engineer at Acme AI\nPython\nRust\nGo"


def test_em_space_resume_is_read_like_a_plain_one():
    plain = "Experience\nML Engineer at Acme AI, Jan 2020 – Present\n• Cut cost by 40%"
    spaced = plain.replace(" ", "\u2003\u2003\u2003")
    assert parse_resume_text(spaced)["experiences"] == parse_resume_text(plain)["experiences"]


def test_draft_rows_are_capped_with_a_warning():
    limit = MAX_DRAFT_ROWS["experiences"]
    text = "Experience\n" + "".join(f"Engineer at Co{i}, 2010 – 2011\n" for i in range(limit + 5))
    draft = parse_resume_text(text)
    assert len(draft["experiences"]) == limit
    assert (
        ROWS_DROPPED.format(count=limit + 5, section="experiences", limit=limit)
        in (draft["warnings"])
    )


def test_unknown_skill_names_skip_the_fuzzy_match_when_asked():
    tax = load_taxonomy()
    assert tax.normalize("pytroch").reason.endswith("(did you mean pytorch?)")
    assert tax.normalize("pytroch", suggest=False).reason == (
        "no skill in the taxonomy matches 'pytroch'"
    )


def test_bulk_lookup_of_unknown_names_is_fast():
    names = [f"unknown skill {i}" for i in range(5_000)]
    start = time.process_time()
    ids, unknown = load_taxonomy().normalize_many(names)
    assert (ids, len(unknown)) == ([], 5_000)
    # 1.8 ms each with the fuzzy match (9 s); without it a few microseconds each.
    assert time.process_time() - start < 1.0


def test_overlong_skill_name_is_refused_without_matching():
    result = load_taxonomy().normalize("python " * 100)
    assert (result.skill_id, result.reason) == (
        None,
        f"a skill name has at most {MAX_NAME_CHARS} characters",
    )


def _resume_with_keywords(count: int) -> dict:
    return {"skills": [{"name": "Tools", "keywords": [f"tool{i}" for i in range(count)]}]}


def test_json_resume_with_too_many_keywords_is_refused_naming_the_limit():
    limit = ImportLimits().json_max_keywords
    with pytest.raises(jsonresume.JsonResumeError) as info:
        jsonresume.import_document(_resume_with_keywords(limit), ImportLimits())  # + the name
    assert str(info.value) == (
        f"The file lists {limit + 1} skill names and keywords; at most {limit} are accepted."
    )


def test_unknown_keywords_are_kept_up_to_the_profile_limit_and_the_rest_named():
    draft = jsonresume.import_document(_resume_with_keywords(100), ImportLimits())
    kept = [s["skill_id"] for s in draft["skills"] if s.get("outside_taxonomy")]
    assert kept == ["Tools", *(f"tool{i}" for i in range(resume.MAX_OPEN_SKILLS - 1))]
    (warning,) = draft["warnings"]
    listed = ", ".join(f"tool{i}" for i in range(19, 19 + resume.MAX_NAMES_LISTED))
    assert (
        warning
        == resume.OPEN_SKILLS_LEFT_OUT.format(limit=resume.MAX_OPEN_SKILLS, names=listed)
        + f" (and {81 - resume.MAX_NAMES_LISTED} more)"
    )


def test_import_limits_on_names_outside_the_taxonomy_are_the_profiles():
    assert resume.MAX_OPEN_SKILLS == taxonomy_services.MAX_OPEN_SKILLS
    assert resume.MAX_SKILL_NAME_CHARS == taxonomy_services.MAX_SKILL_NAME_CHARS


def test_a_keyword_too_long_for_a_skill_name_is_named_not_kept():
    long_name = "a" * 61
    draft = jsonresume.import_document(
        {"skills": [{"name": "Frontend", "keywords": ["Zustand", long_name]}]}, ImportLimits()
    )
    assert [s["skill_id"] for s in draft["skills"]] == ["frontend-development", "Zustand"]
    assert draft["warnings"] == [resume.NAMES_TOO_LONG.format(limit=60, names="a" * 60 + "…")]


def test_json_resume_import_works_without_django_settings():
    # Scripts (bench/quality_real.py) use the importer outside Django: the defaults apply.
    code = (
        "import json; from matchday.imports.jsonresume import import_document, SAMPLE_PATH; "
        "print(len(import_document(json.loads(SAMPLE_PATH.read_text()))['skills']))"
    )
    env = {"PYTHONPATH": os.pathsep.join(sys.path), "PATH": os.environ["PATH"]}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert (done.returncode, done.stdout.strip()) == (0, "9"), done.stderr
