"""User-typed skill names map to taxonomy ids, or are reported with a reason."""

from __future__ import annotations

import pytest

from matchday.engine.taxonomy import Normalized, UnknownSkillError, load_taxonomy

TAX = load_taxonomy()


@pytest.mark.parametrize(
    ("typed", "skill_id"),
    [
        ("pytorch", "pytorch"),
        ("PyTorch", "pytorch"),
        ("  pytorch  ", "pytorch"),
        ("Py-Torch", "pytorch"),
        ("pytorch.", "pytorch"),
        ("PyTorch 2.x", "pytorch"),
        ("torch", "pytorch"),
        ("Python3", "python"),
        ("Python 3.12", "python"),
        ("python3.11", "python"),
        ("Kubernetes 1.29", "kubernetes"),
        ("Kubernetes v1.29", "kubernetes"),
        ("k8s", "kubernetes"),
        ("K8S", "kubernetes"),
        ("TF2", "tensorflow"),
        ("LLMOps", "llmops"),
        ("RAG", "rag"),
        ("retrieval-augmented generation", "rag"),
        ("Retrieval Augmented Generation", "rag"),
        ("C++", "cpp"),
        ("c++17", "cpp"),
        ("C#", "csharp"),
        (".NET", "dotnet"),
        (".NET 8", "dotnet"),
        ("Node.js", "nodejs"),
        ("nodejs", "nodejs"),
        ("Go", "go"),
        ("golang", "go"),
        ("Go (programming language)", "go"),
        ("R", "r"),
        ("C", "c"),
        ("Java 17", "java"),
        ("scikit learn", "scikit-learn"),
        ("sklearn", "scikit-learn"),
        ("A/B testing", "ab-testing"),
        ("fine tuning", "fine-tuning"),
        ("Fine-Tuning", "fine-tuning"),
        ("llm-serving", "llm-serving"),
        ("Weights & Biases", "weights-and-biases"),
        ("W&B", "weights-and-biases"),
        ("vector DB", "vector-databases"),
        ("Python programming", "python"),
        ("Ｐｙｔｈｏｎ", "python"),  # full-width letters
    ],
)
def test_typed_name_resolves_to_id(typed, skill_id):
    assert TAX.normalize(typed) == Normalized(typed, skill_id, None)
    assert TAX.resolve(typed) == skill_id


@pytest.mark.parametrize("skill_id", [s.id for s in TAX.skills])
def test_every_id_and_label_resolves_to_itself(skill_id):
    assert TAX.resolve(skill_id) == skill_id
    assert TAX.resolve(TAX.by_id[skill_id].label) == skill_id


def test_every_alias_resolves_to_its_skill():
    wrong = [
        (alias, skill.id)
        for skill in TAX.skills
        for alias in skill.aliases
        if TAX.normalize(alias).skill_id != skill.id
    ]
    assert wrong == []


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("", "empty skill name"),
        ("   ", "empty skill name"),
        ("!!!", "no letters or digits in skill name"),
        (
            "underwater basket weaving",
            "no skill in the taxonomy matches 'underwater basket weaving'",
        ),
        ("kubernetis", "no skill in the taxonomy matches 'kubernetis' (did you mean kubernetes?)"),
        (
            "transformers",
            "ambiguous: 'transformers' could mean hugging-face-transformers or "
            "transformer-architecture",
        ),
    ],
)
def test_unknown_or_ambiguous_name_has_a_reason(typed, reason):
    result = TAX.normalize(typed)
    assert result.skill_id is None
    assert result.reason == reason


def test_resolve_raises_unknown_skill_error_naming_the_input():
    with pytest.raises(UnknownSkillError) as excinfo:
        TAX.resolve("Basket weaving")
    assert str(excinfo.value) == (
        "unknown skill 'Basket weaving': no skill in the taxonomy matches 'Basket weaving'"
    )
    assert excinfo.value.name == "Basket weaving"
    assert isinstance(excinfo.value, ValueError)


def test_normalize_many_reports_unknown_names_and_dedupes_ids():
    ids, unknown = TAX.normalize_many(["k8s", "PyTorch", "Kubernetes", "Basket weaving", ""])
    assert ids == ["kubernetes", "pytorch"]
    assert unknown == ["Basket weaving", ""]


def test_normalize_many_never_drops_an_input():
    names = ["rag", "nope-1", "RAG", "nope-2", "go"]
    ids, unknown = TAX.normalize_many(names)
    resolved = [n for n in names if TAX.normalize(n).skill_id is not None]
    assert len(resolved) + len(unknown) == len(names)
    assert ids == ["rag", "go"]
