"""``python -m matchday.engine audit``: output, schema, exit codes."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from matchday.engine import ENGINE_VERSION
from matchday.engine.__main__ import main
from matchday.engine.cli_audit import JSON_SECTION_MARK

GOOD = """person_id,furthest_stage,sex,race_ethnicity,score
p1,hired,Female,Asian,0.91
p2,offered,Male,White,0.85
p3,interviewed,female,White,0.7
p4,approved,Male,Asian,0.6
p5,proposed,Female,,0.4
p6,proposed,,unknown,0.3
p7,intro accepted,Male,Black or African American,0.8
"""


def write(tmp_path: Path, text: str, name: str = "funnel.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def schema() -> dict:
    text = resources.files("matchday.engine").joinpath("schemas/audit-output.schema.json")
    return json.loads(text.read_text(encoding="utf-8"))


def test_audit_writes_json_matching_the_schema_and_prints_the_text_table(tmp_path, capsys):
    out = tmp_path / "out.json"
    assert main(["audit", write(tmp_path, GOOD), "--json", str(out)]) == 0
    document = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(document, schema())
    assert document["engine_version"] == ENGINE_VERSION
    assert document["people"] == 7
    assert [c["count"] for c in document["stage_counts"]] == [7, 5, 4, 4, 3, 2, 1]
    first = document["transitions"][0]
    assert (first["from_stage"], first["to_stage"], first["reached"], first["advanced"]) == (
        "proposed",
        "approved",
        7,
        5,
    )
    female = next(r for r in first["sex"]["rows"] if r["category"] == "Female")
    assert (female["count"], female["selected"], female["adverse_impact"]) == (3, 2, True)
    assert document["scoring"]["sex"]["median_score"] == 0.7
    text = capsys.readouterr().out
    assert "proposed -> approved: 5 of 7 advanced" in text
    assert "ADVERSE IMPACT (<0.8)" in text


def test_audit_output_is_byte_identical_for_the_same_input(tmp_path):
    path = write(tmp_path, GOOD)
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    assert main(["audit", path, "--json", str(first)]) == 0
    assert main(["audit", path, "--json", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()


def test_audit_without_json_path_appends_a_json_section_to_stdout(tmp_path, capsys):
    assert main(["audit", write(tmp_path, GOOD)]) == 0
    text, _, json_part = capsys.readouterr().out.partition(JSON_SECTION_MARK + "\n")
    assert "Funnel audit: 7 people" in text
    jsonschema.validate(json.loads(json_part), schema())


def test_json_dash_writes_json_to_stdout_and_the_table_to_stderr(tmp_path, capsys):
    assert main(["audit", write(tmp_path, GOOD), "--json", "-"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["command"] == "audit"
    assert "Funnel audit: 7 people" in captured.err


def test_exclude_small_categories_flag_reaches_the_tables(tmp_path):
    rows = ["person_id,furthest_stage,sex,race_ethnicity"]
    rows += [f"w{i},approved,Male,White" for i in range(60)]
    rows += [f"v{i},proposed,Female,White" for i in range(39)]
    rows += ["a0,approved,Female,Asian"]  # 1 of 100 = 1%: small
    path = write(tmp_path, "\n".join(rows) + "\n")
    out = tmp_path / "out.json"
    assert main(["audit", path, "--json", str(out), "--exclude-small-categories"]) == 0
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["options"]["exclude_small_categories"] is True
    race = document["transitions"][0]["race_ethnicity"]
    asian = next(r for r in race["rows"] if r["category"] == "Asian")
    assert (asian["small"], asian["excluded"], asian["impact_ratio"], asian["rate"]) == (
        True,
        True,
        None,
        1.0,
    )
    assert race["reference_category"] == "White"
    assert document["scoring"] is None


@pytest.mark.parametrize(
    ("csv_text", "message"),
    [
        (
            "person_id,furthest_stage,sex,race_ethnicity\np1,shortlisted,Male,White\n",
            "row 2 (person 'p1'): unknown stage 'shortlisted'",
        ),
        (
            "person_id,furthest_stage,sex,race_ethnicity\np1,hired,Male,White\np1,proposed,,\n",
            "row 3 (person 'p1'): duplicate person id (first seen on row 2)",
        ),
        (
            "person_id,furthest_stage,sex,race_ethnicity,score\np1,hired,Male,White,high\n",
            "row 2 (person 'p1'): score 'high' is not a number",
        ),
        (
            "person_id,furthest_stage,sex,race_ethnicity,score\np1,hired,Male,White,nan\n",
            "row 2 (person 'p1'): score 'nan' is not a finite number",
        ),
        (
            "person_id,furthest_stage,sex,race_ethnicity,score\np1,hired,,,1\np2,hired,,,\n",
            "row 3 (person 'p2'): score is blank while other rows have one",
        ),
        (
            "person_id,furthest_stage,race_ethnicity\np1,hired,White\n",
            "missing column(s): sex",
        ),
        (
            "person_id,furthest_stage,sex,race_ethnicity\np1,hired,Robot,White\n",
            "row 2 (person 'p1'): unknown sex 'Robot'",
        ),
        (
            "person_id,furthest_stage,sex,race_ethnicity\np1,hired,Male,Martian\n",
            "row 2 (person 'p1'): unknown race_ethnicity 'Martian'",
        ),
        (
            "person_id,furthest_stage,sex,race_ethnicity\n,hired,Male,White\n",
            "row 2: empty person_id",
        ),
    ],
)
def test_bad_csv_exits_with_code_2_and_names_the_row(tmp_path, capsys, csv_text, message):
    assert main(["audit", write(tmp_path, csv_text)]) == 2
    captured = capsys.readouterr()
    assert message in captured.err
    assert captured.out == ""


def test_missing_file_exits_with_code_2(tmp_path, capsys):
    assert main(["audit", str(tmp_path / "nope.csv")]) == 2
    assert "nope.csv: cannot read" in capsys.readouterr().err


def test_category_aliases_and_case_are_normalised(tmp_path):
    text = (
        "person_id,furthest_stage,sex,race_ethnicity\n"
        "p1,Interest Received,MALE,native hawaiian or pacific islander\n"
        "p2,proposed,female,American Indian or Alaska Native\n"
    )
    out = tmp_path / "out.json"
    assert main(["audit", write(tmp_path, text), "--json", str(out)]) == 0
    race = json.loads(out.read_text(encoding="utf-8"))["transitions"][0]["race_ethnicity"]
    assert [r["category"] for r in race["rows"]] == [
        "Native Hawaiian or Other Pacific Islander",
        "Native American or Alaska Native",
    ]


def test_help_describes_the_audit_options(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["audit", "--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    assert "--exclude-small-categories" in out
    assert "under 2% of the data" in out
