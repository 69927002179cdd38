"""``python -m matchday.engine allocate``: formats, schemas, exit codes, byte-identical replay."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from matchday.engine import ENGINE_VERSION
from matchday.engine.__main__ import main
from matchday.engine.io import input_hash


def schema(name: str) -> dict:
    text = resources.files("matchday.engine").joinpath(f"schemas/{name}.schema.json").read_text()
    return json.loads(text)


PAIRS = {
    "kind": "pairs",
    "pairs": [
        {"candidate_id": "ana", "role_id": "infra", "score": 0.9, "candidate_fit": 0.4},
        {"candidate_id": "ana", "role_id": "ml", "score": 0.8, "candidate_fit": 0.9},
        {"candidate_id": "bo", "role_id": "ml", "score": 0.85, "role_fit": 0.8},
        {"candidate_id": "bo", "role_id": "infra", "score": 0.3},
        {"candidate_id": "cy", "role_id": "ml", "score": 0.7},
    ],
    "role_caps": {"ml": 1},
}

SCORED = {
    "kind": "scored-pairs",
    "engine_version": ENGINE_VERSION,
    "input_hash": "sha256:" + "0" * 64,
    "pairs": [
        {
            "candidate_id": "ana",
            "role_id": "infra",
            "score": 0.9,
            "role_fit": 0.8,
            "candidate_fit": 0.7,
            "eligible": True,
            "explanation": {},
            "sentences": ["Matched Kubernetes."],
        },
        {
            "candidate_id": "bo",
            "role_id": "infra",
            "score": 0.95,
            "role_fit": 0.9,
            "candidate_fit": 0.9,
            "eligible": False,
            "explanation": {},
            "sentences": [],
        },
    ],
}

PREFERENCES = {
    "kind": "preferences",
    "candidates": {"c1": ["r1", "r2"], "c2": ["r1"]},
    "roles": {"r1": ["c2", "c1"], "r2": ["c2"]},
    "role_caps": {"r1": 1},
}


def write(tmp_path: Path, data: object, name: str = "in.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def run_cli(*args: str) -> tuple[int, dict]:
    out_path = args[args.index("-o") + 1]
    code = main(["allocate", *args])
    return code, json.loads(Path(out_path).read_text(encoding="utf-8"))


@pytest.mark.parametrize("data", [PAIRS, SCORED, PREFERENCES], ids=lambda d: d["kind"])
def test_example_inputs_validate_against_the_input_schema(data):
    jsonschema.validate(data, schema("allocate-input"))


@pytest.mark.parametrize(
    ("data", "policy"),
    [(PAIRS, "optimal"), (PAIRS, "stable"), (SCORED, "optimal"), (PREFERENCES, "stable")],
)
def test_output_validates_against_the_output_schema_and_records_replay_facts(
    tmp_path, data, policy
):
    out = str(tmp_path / "out.json")
    code, doc = run_cli(
        write(tmp_path, data),
        "--policy",
        policy,
        "--candidate-cap",
        "1",
        "--role-cap",
        "2",
        "--explain-exclusions",
        "-o",
        out,
    )
    assert code == 0
    jsonschema.validate(doc, schema("allocate-output"))
    assert doc["policy"] == policy
    assert (doc["candidate_cap"], doc["role_cap"]) == (1, 2)
    assert doc["engine_version"] == ENGINE_VERSION
    assert doc["input_hash"] == input_hash(data)
    assert doc["input_kind"] == data["kind"]


def test_pairs_input_gives_the_optimal_shortlist_with_ranks_and_caps(tmp_path):
    out = str(tmp_path / "out.json")
    _, doc = run_cli(
        write(tmp_path, PAIRS),
        "--policy",
        "optimal",
        "--candidate-cap",
        "1",
        "--role-cap",
        "2",
        "-o",
        out,
    )
    # ana-infra + bo-ml (1.75) would be greedy; the optimum also fills infra's second slot.
    assert [
        (p["candidate_id"], p["role_id"], p["candidate_rank"], p["role_rank"])
        for p in doc["proposals"]
    ] == [
        ("ana", "infra", 2, 1),
        ("bo", "infra", 2, 2),
        ("cy", "ml", 1, 3),
    ]
    assert doc["total_score"] == pytest.approx(1.9)
    assert doc["role_caps"] == {"ml": 1}
    # ana and bo both prefer ml, and ml prefers either of them to cy: two blocking pairs.
    assert doc["counts"] == {
        "candidates": 3,
        "roles": 2,
        "acceptable_pairs": 5,
        "proposals": 3,
        "blocking_pairs": 2,
    }


def test_scored_pairs_input_uses_only_eligible_pairs(tmp_path):
    out = str(tmp_path / "out.json")
    _, doc = run_cli(write(tmp_path, SCORED), "--candidate-cap", "1", "--role-cap", "5", "-o", out)
    assert [(p["candidate_id"], p["role_id"]) for p in doc["proposals"]] == [("ana", "infra")]
    assert doc["counts"]["acceptable_pairs"] == 1


def test_preferences_input_lists_one_sided_entries_as_warnings(tmp_path):
    out = str(tmp_path / "out.json")
    _, doc = run_cli(
        write(tmp_path, PREFERENCES),
        "--policy",
        "stable",
        "--candidate-cap",
        "1",
        "--role-cap",
        "1",
        "-o",
        out,
    )
    assert doc["warnings"] == [
        "candidate 'c1' ranks role 'r2', who does not rank it back: treated as unacceptable",
        "role 'r2' ranks candidate 'c2', who does not rank it back: treated as unacceptable",
    ]
    assert doc["proposals"] == [
        {"candidate_id": "c2", "role_id": "r1", "score": None, "candidate_rank": 1, "role_rank": 1},
    ]
    assert doc["total_score"] is None


@pytest.mark.parametrize("policy", ["optimal", "stable"])
def test_replaying_the_same_input_gives_byte_identical_output(tmp_path, policy):
    rng = random.Random(7)
    pairs = [
        {
            "candidate_id": f"c{c}",
            "role_id": f"r{r}",
            "score": rng.randint(1, 4) / 4,
            "candidate_fit": rng.random(),
            "role_fit": rng.random(),
        }
        for c in range(60)
        for r in range(15)
        if rng.random() < 0.4
    ]
    shuffled = pairs[:]
    rng.shuffle(shuffled)
    outputs = []
    for i, ordering in enumerate([pairs, pairs, shuffled]):
        path = write(tmp_path, {"kind": "pairs", "pairs": ordering}, f"in{i}.json")
        out = tmp_path / f"out{i}.json"
        args = [path, "--policy", policy, "--candidate-cap", "2", "--role-cap", "3"]
        assert main(["allocate", *args, "--explain-exclusions", "-o", str(out)]) == 0
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    # Pair order changes the input hash only; the allocation itself is the same.
    first, reordered = json.loads(outputs[0]), json.loads(outputs[2])
    assert first.pop("input_hash") != reordered.pop("input_hash")
    assert first == reordered


def test_the_module_entry_point_writes_to_stdout_and_exits_zero(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "matchday.engine",
            "allocate",
            write(tmp_path, PAIRS),
            "--candidate-cap",
            "1",
            "--role-cap",
            "1",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["kind"] == "allocation"


@pytest.mark.parametrize(
    ("text", "args", "message"),
    [
        (
            '{"kind": "pairs", "pairs": [{"candidate_id": "a", "role_id": "x", "score": NaN}]}',
            [],
            "error: pair (candidate 'a', role 'x'): score is nan, not a finite number",
        ),
        (
            '{"kind": "pairs", "pairs": [{"candidate_id": "a", "role_id": "x", "score": 1e999}]}',
            [],
            "error: pair (candidate 'a', role 'x'): score is inf, not a finite number",
        ),
        (
            json.dumps({"kind": "pairs", "pairs": [PAIRS["pairs"][0], PAIRS["pairs"][0]]}),
            [],
            "error: duplicate pair: candidate 'ana', role 'infra'",
        ),
        (
            json.dumps({**PAIRS, "candidate_caps": {"zoe": 1}}),
            [],
            "error: candidate_caps names unknown candidate 'zoe'",
        ),
        (
            json.dumps(PAIRS),
            ["--role-cap", "-1"],
            "error: role cap is -1: it must be a non-negative integer",
        ),
        (
            json.dumps({**PREFERENCES, "roles": {"r1": ["c2", "c2"], "r2": []}}),
            ["--policy", "stable"],
            "error: preference list of role 'r1' repeats candidate 'c2'",
        ),
        (
            json.dumps(PREFERENCES),
            ["--policy", "optimal"],
            "error: the optimal policy needs scores; preference lists carry none "
            "(use --policy stable, or give scored pairs)",
        ),
        (
            json.dumps({"kind": "pairs", "pairs": [{"candidate_id": "a", "role_id": "x"}]}),
            [],
            "error: pairs[0].score is missing",
        ),
        (
            '{"kind": "matches"}',
            [],
            "error: input kind is 'matches': expected one of 'scored-pairs', 'pairs', "
            "'preferences'",
        ),
        ("{not json", [], None),
    ],
    ids=[
        "nan",
        "infinite",
        "duplicate",
        "unknown-cap-id",
        "negative-cap",
        "repeat-preference",
        "optimal-on-preferences",
        "missing-score",
        "unknown-kind",
        "not-json",
    ],
)
def test_bad_input_exits_with_code_2_and_names_the_offending_entry(
    tmp_path, capsys, text, args, message
):
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    caps = ["--candidate-cap", "1", "--role-cap", "1"]
    code = main(["allocate", str(path), *caps, *args])
    err = capsys.readouterr().err.strip()
    assert code == 2
    if message is None:
        assert err.startswith(f"error: {path}: not valid JSON: ")
    else:
        assert err == message
