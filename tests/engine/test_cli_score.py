import json
from pathlib import Path

import jsonschema
import pytest

from matchday.engine.__main__ import main
from matchday.engine.cli_score import SCHEMA_DIR

QUALITY = Path(__file__).parent / "data" / "quality" / "input.json"


def _doc():
    return {
        "rates": {"base": "USD", "to_base": {"EUR": 1.1}},
        "candidates": [
            {
                "id": "c1",
                "skills": [
                    {"skill": "torch", "level": 4, "years": 3, "evidence": "Trained a 7B model"},
                    {"skill": "k8s", "level": 3},
                ],
                "years_experience": 6,
                "level": "senior",
                "country": "DE",
                "min_pay": {"amount": 120000, "currency": "EUR"},
                "achievements_text": "Cut training cost 40%",
            },
            {
                "id": "c2",
                "skills": [{"skill": "JAX", "level": 5}],
                "years_experience": 3,
                "level": "mid",
                "country": "US",
            },
        ],
        "roles": [
            {
                "id": "r1",
                "company_id": "co1",
                "title": "MLE",
                "level": "senior",
                "allowed_levels": ["mid", "senior"],
                "role_type": "mle",
                "pay_band_min": {"amount": 140000, "currency": "USD"},
                "pay_band_max": {"amount": 180000, "currency": "USD"},
                "required_skills": [
                    {"skill": "pytorch", "min_level": 3},
                    {"skill": "Kubernetes", "min_level": 2, "weight": 0.5},
                ],
                "description": "Train models",
            },
        ],
    }


def _run(tmp_path, doc, *args):
    src = tmp_path / "in.json"
    src.write_text(json.dumps(doc))
    out = tmp_path / "out.json"
    code = main(["score", str(src), "-o", str(out), *args])
    return code, (out.read_bytes() if out.exists() else b"")


def _schema(name):
    return json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text())


def test_score_writes_schema_valid_pairs_with_aliases_normalised(tmp_path):
    jsonschema.validate(_doc(), _schema("score-input"))
    code, raw = _run(tmp_path, _doc())
    assert code == 0
    out = json.loads(raw)
    jsonschema.validate(out, _schema("score-output"))
    assert out["kind"] == "scored-pairs"
    assert [(p["role_id"], p["candidate_id"]) for p in out["pairs"]] == [("r1", "c1"), ("r1", "c2")]
    first = out["pairs"][0]["explanation"]
    assert [s["skill_id"] for s in first["matched"]] == ["pytorch", "kubernetes"]
    assert out["pairs"][1]["explanation"]["adjacent"][0]["via_skill_id"] == "jax"


def test_output_is_byte_stable(tmp_path):
    assert _run(tmp_path, _doc())[1] == _run(tmp_path, _doc())[1]


def test_quality_set_scores_and_validates(tmp_path):
    doc = json.loads(QUALITY.read_text())
    code, raw = _run(tmp_path, doc, "--top-k-per-role", "3", "--audience", "company")
    assert code == 0
    jsonschema.validate(json.loads(raw), _schema("score-output"))


def test_an_unknown_skill_is_kept_and_scored_and_a_non_name_exits_2(tmp_path, capsys):
    doc = _doc()
    doc["candidates"][1]["skills"].append({"skill": "underwater basket weaving", "level": 2})
    code, raw = _run(tmp_path, doc)
    assert code == 0
    jsonschema.validate(json.loads(raw), _schema("score-output"))
    doc["candidates"][1]["skills"].append({"skill": "!!", "level": 2})
    code, _ = _run(tmp_path, doc)
    assert code == 2
    err = capsys.readouterr().err
    assert "candidates[1] (id 'c2') skills[2]: not a skill name '!!'" in err


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda d: d["roles"][0]["required_skills"].append({"skill": " "}),
            "roles[0] (id 'r1') required_skills[2]: not a skill name ' '",
        ),
        (lambda d: d["candidates"][0].update(level="guru"), "candidates/0/level"),
        (
            lambda d: d["candidates"][0]["min_pay"].update(currency="JPY"),
            "candidates[0] (id 'c1') min_pay: no exchange rate for 'JPY'",
        ),
        (
            lambda d: d["roles"][0]["pay_band_min"].update(amount=999999),
            "roles[0] (id 'r1'): role 'r1': pay band minimum 999999 is above its maximum 180000",
        ),
    ],
)
def test_bad_input_exits_2_with_a_message(tmp_path, capsys, mutate, message):
    doc = _doc()
    mutate(doc)
    code, _ = _run(tmp_path, doc)
    assert code == 2
    assert message in capsys.readouterr().err
