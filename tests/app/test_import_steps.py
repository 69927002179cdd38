"""The named steps of the résumé and JSON Resume importers, each on its own."""

from __future__ import annotations

from datetime import date

from matchday.imports import jsonresume, resume


def test_a_job_header_names_title_and_employer_around_its_dates():
    [job] = resume._jobs(["ML Engineer at Acme AI, Jan 2020 – Mar 2022", "• Shipped a ranker"])
    assert (job.title, job.employer, job.start, job.end) == (
        "ML Engineer",
        "Acme AI",
        date(2020, 1, 1),
        date(2022, 3, 1),
    )
    assert job.lines == ["Shipped a ranker"]


def test_an_employer_on_the_line_after_the_dates_fills_a_header_without_one():
    [job] = resume._jobs(["Senior Engineer, 2019 – 2021", "Acme Robotics"])
    assert (job.title, job.employer) == ("Senior Engineer", "Acme Robotics")


def test_a_line_of_dates_alone_takes_the_line_before_as_its_header():
    [job] = resume._jobs(["Data Engineer at Beta", "2018 – 2019"])
    assert (job.title, job.employer) == ("Data Engineer", "Beta")


def test_dates_written_the_wrong_way_round_are_put_in_order():
    job = resume._Job("Acme", "Engineer", start=date(2021, 1, 1), end=date(2019, 1, 1))
    row = resume._experience_row(job)
    assert (row["start"], row["end"]) == ("2019-01-01", "2021-01-01")


def test_years_of_experience_add_up_to_the_half_year():
    jobs = [
        resume._Job("A", "", start=date(2019, 1, 1), end=date(2021, 1, 1)),
        resume._Job("B", "", start=date(2021, 1, 1), end=date(2021, 8, 1)),
    ]
    assert resume._years_experience(jobs, date(2026, 1, 1)) == "2.5"
    assert resume._years_experience([], date(2026, 1, 1)) is None


def test_an_education_line_needs_a_school_or_a_degree():
    row = resume._education_row("MSc in Computer Science, ETH Zurich, 2013 – 2015")
    assert row == {
        "school": "ETH Zurich",
        "degree": "MSc",
        "field": "Computer Science",
        "end_year": 2015,
    }
    assert resume._education_row("Played in a band") is None


def test_a_project_name_is_not_read_as_a_skill_but_its_keywords_are():
    [skill, project] = jsonresume._SkillGroup.all_of(
        {
            "skills": [{"name": "PyTorch", "keywords": ["CUDA"], "level": "Master"}],
            "projects": [{"name": "Ranker", "keywords": ["Rust"]}],
        }
    )
    assert skill.names == ["PyTorch", "CUDA"] and skill.level == "Master"
    assert project.names == ["Rust"] and project.evidence == "Ranker: Rust"


def test_document_links_keep_the_first_of_each_url():
    links = jsonresume._document_links(
        {"projects": [{"name": "Site", "url": "https://ada.example.org"}]},
        {
            "url": "https://ada.example.org",
            "profiles": [{"network": "GitHub", "url": "https://github.com/ada"}],
        },
    )
    assert [(link["kind"], link["url"]) for link in links] == [
        ("portfolio", "https://ada.example.org"),
        ("code", "https://github.com/ada"),
    ]
