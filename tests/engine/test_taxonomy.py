"""The shipped taxonomy file is valid, and the loader rejects broken files precisely."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from matchday.engine.taxonomy import (
    CATEGORIES,
    DEFAULT_TAXONOMY_PATH,
    Skill,
    Taxonomy,
    TaxonomyError,
    load_taxonomy,
    name_key,
)

RAW = json.loads(DEFAULT_TAXONOMY_PATH.read_text(encoding="utf-8"))
TAX = load_taxonomy()

REQUIRED_CORE = [
    "pytorch",
    "jax",
    "tensorflow",
    "cuda",
    "triton",
    "kubernetes",
    "terraform",
    "docker",
    "python",
    "go",
    "rust",
    "c",
    "cpp",
    "r",
    "sql",
    "aws",
    "gcp",
    "azure",
    "rag",
    "vector-databases",
    "fine-tuning",
    "llm-evaluation",
    "llm-serving",
    "mlops",
    "observability",
    "prompt-engineering",
    "spark",
    "airflow",
    "prds",
    "ab-testing",
    "pricing",
]


def test_shipped_taxonomy_has_at_least_400_skills():
    assert len(TAX) >= 400
    assert len(RAW["skills"]) == len(TAX)


def test_skill_ids_are_unique_lowercase_kebab():
    ids = [s["id"] for s in RAW["skills"]]
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    assert all(i == i.lower() and " " not in i and "_" not in i for i in ids)


def test_names_are_unique_across_skills_after_normalisation():
    owner: dict[str, str] = {}
    clashes = []
    for skill in RAW["skills"]:
        for name in [skill["id"], skill["label"], *skill["aliases"]]:
            key = name_key(name)
            if owner.setdefault(key, skill["id"]) != skill["id"]:
                clashes.append((name, skill["id"], owner[key]))
    assert clashes == []


def test_every_parent_and_related_reference_resolves():
    ids = {s["id"] for s in RAW["skills"]}
    dangling = [
        (s["id"], ref)
        for s in RAW["skills"]
        for ref in [*s["parents"], *(r["id"] for r in s["related"])]
        if ref not in ids
    ]
    assert dangling == []


def test_related_strengths_are_in_half_open_unit_interval():
    strengths = [r["strength"] for s in RAW["skills"] for r in s["related"]]
    assert strengths, "the taxonomy should carry adjacency"
    assert all(isinstance(x, float) and 0.0 < x <= 1.0 for x in strengths)


def test_parents_form_no_cycle():
    for skill in TAX.skills:
        assert skill.id not in TAX.ancestors(skill.id)


def test_every_category_is_known_and_non_empty():
    used = Counter(s.category for s in TAX.skills)
    assert set(used) == set(CATEGORIES)
    assert min(used.values()) >= 1


def test_esco_uris_are_null_or_esco_skill_uris():
    uris = [s.esco_uri for s in TAX.skills if s.esco_uri is not None]
    assert uris, "a few skills are linked to ESCO"
    assert all(u.startswith("http://data.europa.eu/esco/skill/") for u in uris)
    assert len(set(uris)) == len(uris)


@pytest.mark.parametrize("skill_id", REQUIRED_CORE)
def test_core_skill_is_present(skill_id):
    assert skill_id in TAX


def test_skills_keep_file_order_and_index_matches_position():
    assert [s.id for s in TAX.skills] == [s["id"] for s in RAW["skills"]]
    assert all(TAX.index(s.id) == i for i, s in enumerate(TAX.skills))


def test_ancestors_are_transitive():
    assert TAX.ancestors("pytorch-lightning") >= {"pytorch", "deep-learning-frameworks"}
    assert "kubernetes" in TAX.ancestors("gke")
    assert "container-orchestration" in TAX.ancestors("gke")


def test_descendants_invert_ancestors():
    for skill in TAX.skills:
        for ancestor in TAX.ancestors(skill.id):
            assert skill.id in TAX.descendants(ancestor)
    assert {"eks", "gke", "aks", "helm"} <= TAX.descendants("kubernetes")


def test_related_is_symmetric_with_equal_strength():
    for skill in TAX.skills:
        for other, strength in TAX.related(skill.id).items():
            assert TAX.related(other)[skill.id] == strength
    assert TAX.related("jax")["pytorch"] == 0.6


def test_default_taxonomy_is_loaded_once():
    assert load_taxonomy() is load_taxonomy()


def test_unknown_id_lookups_raise_key_error_naming_it():
    with pytest.raises(KeyError, match="'nope' is not a skill id"):
        TAX.ancestors("nope")


def test_contains_is_about_ids_not_aliases():
    assert "kubernetes" in TAX
    assert "k8s" not in TAX


def test_search_prefers_label_prefix_and_respects_limit():
    assert [s.id for s in TAX.search("kube", limit=2)] == ["kubernetes", "kubeflow"]
    # label prefixes, shorter labels first, then file order
    assert [s.id for s in TAX.search("pyt", limit=3)] == ["python", "pytest", "pytorch"]
    assert len(TAX.search("a", limit=5)) == 5


@pytest.mark.parametrize(
    ("query", "expected"),
    [("k8s", "kubernetes"), ("c++", "cpp"), ("torch", "pytorch"), ("retrieval", "rag")],
)
def test_search_finds_skills_by_alias(query, expected):
    assert expected in [s.id for s in TAX.search(query)]


def test_search_with_empty_prefix_returns_nothing():
    assert TAX.search("   ") == []


# -- the loader rejects broken files with precise messages ---------------------------------


def _skill(skill_id, **overrides):
    data = {
        "id": skill_id,
        "label": skill_id.title(),
        "category": "languages",
        "aliases": [],
        "parents": [],
        "related": [],
        "esco_uri": None,
    }
    data.update(overrides)
    return data


def _write(tmp_path: Path, skills) -> str:
    path = tmp_path / "taxonomy.json"
    path.write_text(json.dumps({"version": "t", "skills": skills}), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("skills", "message"),
    [
        ([_skill("a"), _skill("a")], "duplicate skill id 'a'"),
        (
            [_skill("a", aliases=["x"]), _skill("b", aliases=["X."])],
            "skill 'b': name 'X.' collides with 'x' of skill 'a'",
        ),
        (
            [_skill("a", parents=["b"]), _skill("b", parents=["c"]), _skill("c", parents=["a"])],
            "parent cycle: a -> b -> c -> a",
        ),
        ([_skill("a", parents=["zz"])], "skill 'a': parent 'zz' is not a skill id"),
        (
            [_skill("a", related=[{"id": "zz", "strength": 0.5}])],
            "skill 'a': related 'zz' is not a skill id",
        ),
        (
            [_skill("a", related=[{"id": "b", "strength": 0}]), _skill("b")],
            "skill 'a': related 'b' strength 0.0 is not in (0, 1]",
        ),
        (
            [_skill("a", related=[{"id": "b", "strength": 1.5}]), _skill("b")],
            "skill 'a': related 'b' strength 1.5 is not in (0, 1]",
        ),
        (
            [
                _skill("a", related=[{"id": "b", "strength": 0.5}]),
                _skill("b", related=[{"id": "a", "strength": 0.7}]),
            ],
            "related 'a' has strengths 0.5 and 0.7",
        ),
        ([_skill("a", category="cooking")], "skill 'a': unknown category 'cooking'"),
        ([_skill("Bad_Id")], "skill 'Bad_Id': id must be lowercase kebab-case"),
        (
            [_skill("a", esco_uri="https://example.org/x")],
            "skill 'a': esco_uri must start with http://data.europa.eu/esco/skill/",
        ),
    ],
)
def test_invalid_taxonomy_file_is_rejected_with_precise_message(tmp_path, skills, message):
    path = _write(tmp_path, skills)
    with pytest.raises(TaxonomyError) as excinfo:
        load_taxonomy(path)
    assert message in str(excinfo.value)
    assert str(excinfo.value).startswith(path)


def test_related_pair_listed_both_ways_with_equal_strength_is_accepted(tmp_path):
    path = _write(
        tmp_path,
        [
            _skill("a", related=[{"id": "b", "strength": 0.5}]),
            _skill("b", related=[{"id": "a", "strength": 0.5}]),
        ],
    )
    assert load_taxonomy(path).related("a") == {"b": 0.5}


def test_unreadable_or_malformed_file_is_a_taxonomy_error(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(TaxonomyError, match="not valid JSON"):
        load_taxonomy(str(bad))
    with pytest.raises(TaxonomyError, match="cannot read"):
        load_taxonomy(str(tmp_path / "missing.json"))


def test_taxonomy_can_be_built_from_skill_objects():
    tax = Taxonomy(
        [
            Skill("a", "A", "languages", ("alpha",), (), (("b", 0.4),), None),
            Skill("b", "B", "languages", (), ("a",), (), None),
        ]
    )
    assert tax.resolve("Alpha") == "a"
    assert tax.related("b") == {"a": 0.4}
    assert tax.descendants("a") == frozenset({"b"})
