"""Adapters: a known profile and role become exact engine dataclasses; a stored run's input
replays through ``python -m matchday.engine curate`` to its stored output, byte for byte."""

from __future__ import annotations

import gzip
import hashlib
import json
from datetime import UTC, datetime
from decimal import Decimal
from operator import itemgetter

import pytest

from matchday.engine import cli_curate, cli_score
from matchday.engine import types as et
from matchday.engine.__main__ import main
from matchday.engine.io import input_hash
from matchday.matchdays import adapters, services
from matchday.matchdays.models import MatchDay
from matchday.matchdays.redaction import REDACTED, Redactor
from tests import factories
from tests.adapter_data import (
    SUMMER,
)
from tests.market import (
    build_market,
    create_matchday,
    make_person,
    run_curation,
)

pytestmark = pytest.mark.django_db


def test_a_known_profile_becomes_the_exact_engine_candidate():
    user = factories.UserFactory(full_name="Known Person")
    profile = factories.CandidateProfileFactory(
        user=user,
        status="active",
        country="DE",
        city="Berlin",
        timezone="Europe/Berlin",
        remote_preference="hybrid",
        acceptable_countries=["NL", "DE"],
        acceptable_cities=["Amsterdam"],
        work_authorization=["DE"],
        years_experience=Decimal("6.5"),
        level="staff",
        role_types=["ml-engineer"],
        domains=["health"],
        company_stages=["seed"],
        company_sizes=["11-50"],
        min_pay_amount=95000,
        min_pay_currency="EUR",
        min_pay_period="year",
        dealbreakers=["pay", "bogus"],
        preference_weights={"domain": 2},
    )
    factories.CandidateSkillFactory(
        candidate=profile, skill_id="jax", level=4, years=Decimal("2.5"), evidence="TPU training"
    )
    factories.CandidateSkillFactory(candidate=profile, skill_id="python", level=5, years=8)
    factories.AchievementFactory(
        candidate=profile,
        position=0,
        title="T1",
        problem="P1",
        constraints="",
        options="",
        decision="D1",
        result="R1",
    )
    md = MatchDay(release_at=SUMMER, interest_deadline=SUMMER)
    data = adapters.load_engine_data(md)
    assert data.candidates == [
        et.Candidate(
            id=f"c{profile.pk}",
            skills=(
                et.SkillClaim("python", 5, 8.0, "Used daily in production."),
                et.SkillClaim("jax", 4, 2.5, "TPU training"),
            ),
            years_experience=6.5,
            level="staff",
            country="DE",
            city="Berlin",
            timezone=2.0,  # CEST at the release moment
            remote_preference="hybrid",
            acceptable_countries=frozenset({"DE", "NL"}),
            acceptable_cities=frozenset({"Amsterdam"}),
            work_authorization=frozenset({"DE"}),
            role_types=frozenset({"ml-engineer"}),
            domains=frozenset({"health"}),
            company_stages=frozenset({"seed"}),
            company_sizes=frozenset({"11-50"}),
            min_pay=et.Money(95000, "EUR", "year"),
            dealbreakers=frozenset({"pay"}),
            preference_weights={"domain": 2.0},
            achievements_text="T1\nP1\nD1\nR1",
            summary_text="ML engineer, training and serving large models. I make models fast "
            "and reliable in production.",
        )
    ]


def test_a_known_role_becomes_the_exact_engine_role():
    company = factories.CompanyFactory(vetted=True, stage="seed", size="11-50", domains=["health"])
    role = factories.RoleFactory(
        company=company,
        open=True,
        title="Staff MLE",
        level="staff",
        role_type="ml-engineer",
        accepted_levels=["principal", "senior"],
        description="Desc",
        responsibilities="Resp",
        location_policy="remote",
        allowed_countries=["FR", "DE"],
        allowed_timezones=["Europe/Berlin", "America/New_York"],
        years_min=5,
        years_max=None,
        pay_min=150000,
        pay_max=200000,
        pay_currency="USD",
    )
    factories.RoleSkillFactory(role=role, skill_id="kubernetes", kind="nice", min_level=2, weight=1)
    md = MatchDay(release_at=datetime(2031, 1, 15, tzinfo=UTC), interest_deadline=SUMMER)
    [engine_role] = adapters.load_engine_data(md).roles
    assert engine_role == et.Role(
        id=f"r{role.pk}",
        company_id=f"co{company.pk}",
        title="Staff MLE",
        level="staff",
        allowed_levels=("senior", "staff", "principal"),
        role_type="ml-engineer",
        pay_band_min=et.Money(150000, "USD", "year"),
        pay_band_max=et.Money(200000, "USD", "year"),
        required_skills=(et.RequiredSkill("pytorch", 3, 2.0),),
        nice_to_have=(et.RequiredSkill("kubernetes", 2, 1.0),),
        domains=frozenset({"health"}),
        company_stage="seed",
        company_size="11-50",
        location_policy="remote",
        allowed_countries=frozenset({"DE", "FR"}),
        timezone_range=(-5.0, 1.0),
        years_min=5.0,
        years_max=None,
        description="Staff MLE\nDesc\nResp",
    )


def test_a_role_without_accepted_levels_is_open_to_its_own_level_only():
    factories.RoleFactory(open=True, level="senior", accepted_levels=[])
    md = MatchDay(release_at=SUMMER, interest_deadline=SUMMER)
    [engine_role] = adapters.load_engine_data(md).roles
    assert engine_role.allowed_levels == ("senior",)


def test_accepted_levels_reach_the_engine_input_document_and_back():
    factories.RoleFactory(open=True, level="senior", accepted_levels=["staff"])
    md = MatchDay(release_at=SUMMER, interest_deadline=SUMMER)
    data = adapters.load_engine_data(md)
    doc = json.loads(json.dumps(adapters.engine_input_json(data)))
    assert [r["allowed_levels"] for r in doc["roles"]] == [["senior", "staff"]]
    _, roles, _, _ = cli_score.parse_input(doc)
    assert roles == data.roles


def test_unusable_rows_are_skipped_and_counted_not_guessed():
    factories.CandidateProfileFactory(status="active", level="")
    md = MatchDay(release_at=SUMMER, interest_deadline=SUMMER)
    data = adapters.load_engine_data(md)
    assert data.candidates == []
    assert data.skipped == {adapters.SKIP_NO_LEVEL: 1}


def test_loading_uses_a_fixed_number_of_queries(django_assert_num_queries):
    for _ in range(3):
        factories.CandidateProfileFactory(active=True)
        factories.RoleFactory(open=True)
    md = MatchDay(release_at=SUMMER, interest_deadline=SUMMER)
    # one of them reads the partners' taxonomy changes (once, for candidates and roles)
    with django_assert_num_queries(7):
        data = adapters.load_engine_data(md)
    assert (len(data.candidates), len(data.roles)) == (3, 3)


def test_engine_input_json_round_trips_through_the_cli_parser():
    market = build_market()
    md = create_matchday(market)
    data = adapters.load_engine_data(md)
    doc = adapters.engine_input_json(data)
    candidates, roles, rates, _ = cli_score.parse_input(json.loads(json.dumps(doc)))
    assert candidates == data.candidates
    assert roles == data.roles
    assert rates == data.rates


def _stored(field) -> bytes:
    with field.open("rb") as fh:
        return gzip.decompress(fh.read())


def test_the_cli_replays_a_stored_run_byte_for_byte_after_reviews_reruns_and_swaps(
    tmp_path, django_capture_on_commit_callbacks
):
    market = build_market()
    md = create_matchday(market, candidate_cap=2, role_cap=2)
    run_curation(market, md, django_capture_on_commit_callbacks)
    approved, rejected, *_ = md.proposals.order_by("-score", "pk")
    services.proposal_approve(proposal=approved, by=market.partner)
    services.proposal_reject(proposal=rejected, by=market.partner, reason="Thin evidence.")
    old = md.proposals.filter(role=market.role_b1, status="pending").order_by("score").first()
    newcomer = make_person(20, skills={"pytorch": 5, "python": 5}).profile
    swapped_in = services.proposal_swap(
        proposal=old, by=market.partner, candidate=newcomer, reason="Stronger PyTorch evidence."
    )
    run = run_curation(market, md, django_capture_on_commit_callbacks)

    doc = json.loads(_stored(run.engine_input))
    assert input_hash(doc) == run.input_hash
    excluded = {tuple(p) for p in doc["curation"]["excluded_pairs"]}
    reviewed = {
        (f"c{c}", f"r{r}")
        for c, r in md.proposals.exclude(status="pending").values_list("candidate_id", "role_id")
    }
    decided = {
        (f"c{approved.candidate_id}", f"r{approved.role_id}"),
        (f"c{old.candidate_id}", f"r{old.role_id}"),
        (f"c{newcomer.pk}", f"r{swapped_in.role_id}"),
    }
    assert decided <= reviewed
    hidden = {(f"c{market.hider.pk}", f"r{r.pk}") for r in (market.role_a1, market.role_a2)}
    assert excluded == reviewed | hidden
    assert doc["curation"]["candidate_caps"][f"c{approved.candidate_id}"] == 1
    assert doc["curation"]["role_caps"][f"r{market.role_b1.pk}"] == 1  # the swap-in counts

    (tmp_path / "input.json").write_bytes(_stored(run.engine_input))
    out = tmp_path / "output.json"
    assert main(["curate", str(tmp_path / "input.json"), "-o", str(out)]) == 0
    stored = _stored(run.engine_output)
    assert out.read_bytes() == stored
    assert run.stats["output_hash"] == "sha256:" + hashlib.sha256(stored).hexdigest()

    replayed = json.loads(stored)["proposals"]
    rows = md.proposals.filter(run=run, source="engine").order_by("candidate_id", "role_id")
    assert replayed
    fields = (
        "score",
        "role_fit",
        "candidate_fit",
        "rank_in_role",
        "rank_for_candidate",
        "explanation",
        "sentences",
    )
    as_stored = [
        {
            "candidate_id": f"c{p.candidate_id}",
            "role_id": f"r{p.role_id}",
            "score": p.score,
            "role_fit": p.role_fit,
            "candidate_fit": p.candidate_fit,
            "rank_in_role": p.role_rank,
            "rank_for_candidate": p.candidate_rank,
            "explanation": p.explanation,
            "sentences": p.sentences,
        }
        for p in rows
    ]
    key = itemgetter("candidate_id", "role_id")
    assert sorted(as_stored, key=key) == sorted(
        [{k: p[k] for k in ("candidate_id", "role_id", *fields)} for p in replayed], key=key
    )
    assert not {(p["candidate_id"], p["role_id"]) for p in replayed} & excluded
    alternates = json.loads(stored)["alternates"]
    assert alternates
    assert sorted(
        (f"c{a.candidate_id}", f"r{a.role_id}", a.score, a.missing_required)
        for a in run.alternates.all()
    ) == [(a["candidate_id"], a["role_id"], a["score"], a["missing_required"]) for a in alternates]
    assert not {(a["candidate_id"], a["role_id"]) for a in alternates} & (
        excluded | {(p["candidate_id"], p["role_id"]) for p in replayed}
    )


def test_a_run_input_without_curation_options_is_refused_by_the_curate_command(tmp_path, capsys):
    market = build_market()
    md = create_matchday(market)
    path = tmp_path / "score-input.json"
    path.write_text(json.dumps(adapters.engine_input_json(adapters.load_engine_data(md))))
    assert main(["curate", str(path)]) == 2
    assert capsys.readouterr().err.strip() == f"error: {cli_curate.NO_CURATION}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Led infra at Hooli Dynamics for 3 years.", f"Led infra at {REDACTED} for 3 years."),
        ("hooli dynamics and Grendel Institute", f"{REDACTED} and {REDACTED}"),
        ("Mail me: zq@inbox.test.", f"Mail me: {REDACTED}."),
        ("Call +1 (415) 555-0100 today", f"Call {REDACTED} today"),
        ("See github.com/zq/repo or https://zq.dev/x.", f"See {REDACTED} or {REDACTED}."),
        ("Zebulon shipped it; Quillfeather too.", f"{REDACTED} shipped it; {REDACTED} too."),
        ("From 2019-2023 p95 fell 400 ms to 120 ms.", "From 2019-2023 p95 fell 400 ms to 120 ms."),
        ("Hoolix is a different word.", "Hoolix is a different word."),
    ],
)
def test_redaction_removes_identity_and_keeps_the_rest(text, expected):
    redactor = Redactor.for_candidate(
        full_name="Zebulon Quillfeather",
        employers=["Hooli Dynamics"],
        schools=["Grendel Institute"],
    )
    assert redactor.redact(text) == expected
