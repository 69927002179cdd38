"""``manage.py demo_seed``: sizes, --if-empty, progress output and refusals."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from matchday.accounts.models import User
from matchday.companies.models import Company, Role
from matchday.demo.logins import DEMO_LOGINS, DEMO_PASSWORD
from matchday.demo.management.commands.demo_seed import NOT_EMPTY
from matchday.talent.models import CandidateProfile
from tests import factories


def _seed(*args: str) -> str:
    out = StringIO()
    call_command("demo_seed", *args, stdout=out)
    return out.getvalue()


def test_demo_seed_creates_the_sizes_asked_for_and_prints_the_logins(db):
    out = _seed("--seed", "7", "--candidates", "12", "--companies", "4", "--roles", "9")
    assert CandidateProfile.objects.count() == 12
    assert Company.objects.count() == 4
    assert Role.objects.count() == 9
    assert "Demo data (seed 7): 4 companies," in out
    assert f"password for all: {DEMO_PASSWORD}" in out
    for email in DEMO_LOGINS.values():
        assert email in out
        assert User.objects.filter(email=email).exists()


def test_if_empty_does_nothing_when_any_user_exists(db):
    factories.PartnerFactory(email="someone@example.org")
    out = _seed("--if-empty", "--candidates", "5", "--companies", "2", "--roles", "2")
    assert out.strip() == NOT_EMPTY
    assert list(User.objects.values_list("email", flat=True)) == ["someone@example.org"]
    assert not Company.objects.exists()


def test_if_empty_loads_an_empty_database(db):
    _seed("--if-empty", "--candidates", "5", "--companies", "2", "--roles", "3")
    assert CandidateProfile.objects.count() == 5


def test_progress_is_printed_every_n_rows_when_asked(db):
    out = _seed(
        "--candidates",
        "25",
        "--companies",
        "3",
        "--roles",
        "10",
        "--batch-size",
        "5",
        "--progress-every",
        "10",
    )
    lines = [line.split() for line in out.splitlines() if "rows/s" in line]
    assert [(w[0], w[1]) for w in lines] == [
        ("companies", "3/3"),
        ("candidates", "10/25"),
        ("candidates", "20/25"),
        ("candidates", "25/25"),
        ("roles", "10/10"),
    ]


def test_small_runs_print_no_progress(db):
    out = _seed("--candidates", "5", "--companies", "2", "--roles", "2")
    assert "rows/s" not in out


def test_loading_the_same_seed_twice_is_refused_with_a_message(db):
    _seed("--seed", "5", "--candidates", "3", "--companies", "1", "--roles", "1")
    with pytest.raises(CommandError, match="Demo candidates for seed 5 already exist"):
        _seed("--seed", "5", "--candidates", "3", "--companies", "1", "--roles", "1")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--roles", "3", "--companies", "0"], "Roles need at least one company."),
        (["--batch-size", "0"], "--batch-size must be at least 1."),
    ],
)
def test_unusable_sizes_are_refused(db, args, message):
    with pytest.raises(CommandError, match=message):
        _seed("--candidates", "1", *args)
    assert not User.objects.exists()


def test_negative_sizes_are_rejected_by_the_parser(db):
    with pytest.raises(CommandError, match="--candidates"):
        _seed("--candidates", "-5")
