"""Skill extraction from free text: spans, ambiguity rules, and quality on the labelled set."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matchday.engine.extract import SkillMention, extract_skill_ids, extract_skills
from matchday.engine.taxonomy import load_taxonomy

SNIPPETS = json.loads(
    (Path(__file__).parent / "data" / "extraction_snippets.json").read_text(encoding="utf-8")
)
TAX = load_taxonomy()

# Measured on the labelled set (see docs/engine-taxonomy.md): precision 0.974 / recall 0.984
# with the 416-skill taxonomy the labels were written against; precision 0.959 / recall 0.984
# with 507 skills (three "false positives" name skills added after labelling: ARM, Nsight,
# hybrid search; labels are not edited to follow). The floor leaves a small margin.
MIN_PRECISION = 0.95
MIN_RECALL = 0.95


def ids(text: str) -> list[str]:
    return [m.skill_id for m in extract_skills(text)]


def test_labelled_set_has_at_least_60_snippets_with_valid_labels():
    assert len(SNIPPETS) >= 60
    assert all(label in TAX for s in SNIPPETS for label in s["skills"])
    assert sum(1 for s in SNIPPETS if not s["skills"]) >= 10  # hard negatives


def test_precision_and_recall_on_labelled_set_stay_at_measured_level():
    tp = fp = fn = 0
    for snippet in SNIPPETS:
        gold = set(snippet["skills"])
        found = {m.skill_id for m in extract_skills(snippet["text"])}
        tp, fp, fn = tp + len(gold & found), fp + len(found - gold), fn + len(gold - found)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    print(f"extraction on {len(SNIPPETS)} snippets: precision {precision:.3f} recall {recall:.3f}")
    assert precision >= MIN_PRECISION
    assert recall >= MIN_RECALL


@pytest.mark.parametrize("snippet", SNIPPETS, ids=lambda s: s["text"][:40])
def test_every_mention_span_is_its_evidence(snippet):
    text = snippet["text"]
    mentions = extract_skills(text)
    assert all(text[m.start : m.end] == m.surface for m in mentions)
    assert [m.start for m in mentions] == sorted(m.start for m in mentions)
    assert all(a.end <= b.start for a, b in itertools.pairwise(mentions))


def test_mentions_carry_exact_offsets():
    text = "Deployed vLLM on k8s (EKS)."
    assert extract_skills(text) == [
        SkillMention("vllm", 9, 13, "vLLM"),
        SkillMention("kubernetes", 17, 20, "k8s"),
        SkillMention("eks", 22, 25, "EKS"),
    ]


def test_one_mention_per_occurrence():
    assert ids("PyTorch first, then JAX, then PyTorch again.") == ["pytorch", "jax", "pytorch"]
    assert extract_skill_ids("PyTorch first, then JAX, then PyTorch again.") == ["pytorch", "jax"]


def test_longest_name_wins_and_spans_do_not_nest():
    mentions = extract_skills("Ran Google Kubernetes Engine and Triton Inference Server.")
    assert [(m.skill_id, m.surface) for m in mentions] == [
        ("gke", "Google Kubernetes Engine"),
        ("triton-inference-server", "Triton Inference Server"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Services written in Go.", ["go"]),
        ("Go services at 40k rps", ["go"]),
        ("Services in Go and Python", ["go", "python"]),
        ("Skills: Go, Rust, Kubernetes", ["go", "rust", "kubernetes"]),
        ("Golang microservices", ["go", "microservices"]),
        ("We go to production next week.", []),
        ("Go to production next week.", []),
        ("Go live in March.", []),
        ("The go/no-go meeting", []),
        ("No-Go decision by the board", []),
        ("Go-to-market plan", ["go-to-market"]),
        ("I'm ready to go the extra mile.", []),
    ],
)
def test_go_is_the_language_only_in_programming_context(text, expected):
    assert ids(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Statistical models in R and Python.", ["r", "python"]),
        ("Maintainer of an R package on CRAN.", ["r"]),
        ("Python/R/SQL", ["python", "r", "sql"]),
        ("Head of R&D.", []),
        ("John R. Smith signed it.", []),
        ("r and python", ["python"]),
    ],
)
def test_r_is_the_language_only_as_a_standalone_capital_in_context(text, expected):
    assert ids(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Firmware in C for microcontrollers.", ["embedded-systems", "c", "embedded-systems"]),
        ("C/C++ developer", ["c", "cpp"]),
        ("Wrote a C extension for Python.", ["c", "python"]),
        ("Reporting to the C-suite.", []),
        ("C-level stakeholders", []),
        ("Raised a Series C.", []),
        ("Took vitamin C daily.", []),
        ("Grade C in statistics.", ["statistics"]),
        ("Temperature held at 37°C.", []),
        ("Page C of the appendix.", []),
    ],
)
def test_c_is_the_language_only_in_programming_context(text, expected):
    assert ids(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We react quickly and spring into action.", []),
        ("She was at the helm of the data team.", []),
        ("Ray joined as our first designer.", []),
        ("Helm charts for every service, deployed with Terraform.", ["helm", "terraform"]),
        ("Front end in React.", ["frontend-development", "react"]),
        ("Spark jobs on Databricks.", ["spark", "databricks"]),
        ("we use rag and ml", []),
        ("RAG with ML", ["rag", "machine-learning"]),
    ],
)
def test_everyday_words_need_capitals_or_company(text, expected):
    assert ids(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Python 3.12, PyTorch 2.x, CUDA 12.4", ["python", "pytorch", "cuda"]),
        ("Python3.12 and Kubernetes 1.29", ["python", "kubernetes"]),
        ("LLMs on H100s", ["large-language-models", "nvidia-gpus"]),
        ("C# and F# on .NET 8, Node.js", ["csharp", "fsharp", "dotnet", "nodejs"]),
        ("CI/CD via GitLab CI; W&B for tracking", ["ci-cd", "gitlab-ci", "weights-and-biases"]),
        ("fine-tuned and finetuning", ["fine-tuning", "fine-tuning"]),
        ("Version 2.3 shipped on 1.4.2025.", []),
    ],
)
def test_versions_punctuation_and_spellings_in_text(text, expected):
    assert ids(text) == expected


def test_empty_and_skill_free_text_give_no_mentions():
    assert extract_skills("") == []
    assert extract_skills("   \n\t ") == []
    assert extract_skills("Managed the office kitchen and the holiday rota.") == []


def test_custom_taxonomy_can_be_passed(tmp_path):
    path = tmp_path / "t.json"
    path.write_text(
        json.dumps(
            {
                "version": "t",
                "skills": [
                    {
                        "id": "basket-weaving",
                        "label": "Basket weaving",
                        "category": "practices",
                        "aliases": ["wickerwork"],
                        "parents": [],
                        "related": [],
                        "esco_uri": None,
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    tax = load_taxonomy(str(path))
    assert [m.skill_id for m in extract_skills("Wickerwork and PyTorch", tax)] == ["basket-weaving"]


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_spans_always_match_surface_on_arbitrary_text(text):
    mentions = extract_skills(text)
    assert all(text[m.start : m.end] == m.surface for m in mentions)
    assert all(m.skill_id in TAX for m in mentions)
