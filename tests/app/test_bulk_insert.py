"""``core.bulk.insert_rows`` stores exactly what ``bulk_create`` stores (JSON, nulls, foreign
keys, ``auto_now_add``), on SQLite and in CI's PostgreSQL pass."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from matchday.core.bulk import insert_rows
from matchday.engine import ENGINE_VERSION
from matchday.matchdays import adapters
from matchday.matchdays.models import Alternate, Proposal
from tests.market import build_market, create_matchday, run_curation

pytestmark = pytest.mark.django_db

SKIP = {"id", "matchday", "created_at"}


def _stored(md) -> list[dict]:
    rows = Proposal.objects.filter(matchday=md).order_by("candidate_id", "role_id").values()
    return [{k: v for k, v in row.items() if k.removesuffix("_id") not in SKIP} for row in rows]


def test_insert_rows_stores_what_bulk_create_stores(django_capture_on_commit_callbacks):
    market = build_market()
    source = create_matchday(market, name="Source")
    run = run_curation(market, source, django_capture_on_commit_callbacks)
    items = [
        {
            "candidate_id": f"c{p.candidate_id}",
            "role_id": f"r{p.role_id}",
            "score": p.score,
            "role_fit": p.role_fit,
            "candidate_fit": p.candidate_fit,
            "explanation": p.explanation,
            "sentences": p.sentences,
            "rank_in_role": p.role_rank,
            "rank_for_candidate": None,
        }
        for p in source.proposals.all()
    ]
    assert items
    with_orm, with_rows = create_matchday(market, name="ORM"), create_matchday(market, name="Rows")
    kwargs = {"run_pk": None, "items": items, "engine_version": ENGINE_VERSION, "input_hash": "h"}
    Proposal.objects.bulk_create(adapters.proposal_rows(matchday=with_orm, **kwargs))
    assert insert_rows(adapters.proposal_rows(matchday=with_rows, **kwargs), batch_size=2) == len(
        items
    )
    assert _stored(with_rows) == _stored(with_orm)
    assert _stored(with_rows)[0]["candidate_rank"] is None  # a null
    assert _stored(with_rows)[0]["explanation"]["eligible"] is True  # JSON read back as JSON
    stamped = Proposal.objects.filter(matchday=with_rows).values_list("created_at", flat=True)
    assert all(t is not None and t.tzinfo is not None for t in stamped)  # auto_now_add, aware
    assert Alternate.objects.filter(run=run).exists()  # the curation stored its alternates too


def test_insert_rows_takes_one_model_and_nothing_is_a_no_op():
    assert insert_rows([]) == 0
    with pytest.raises(TypeError, match="one model"):
        insert_rows([Proposal(), Alternate()])


@pytest.mark.django_db(transaction=True)
def test_insert_rows_is_one_transaction_a_failing_row_leaves_none_behind():
    market = build_market()
    md = create_matchday(market, name="Atomic")
    rows = [
        Proposal(matchday=md, candidate_id=p.profile.pk, role_id=market.role_a1.pk, score=0.5,
                 role_fit=0.5, candidate_fit=0.5, engine_version=ENGINE_VERSION, input_hash="h")
        for p in market.people[:3]
    ]  # fmt: skip
    duplicate = Proposal(
        **{f.attname: getattr(rows[0], f.attname) for f in Proposal._meta.concrete_fields}
    )
    with pytest.raises(IntegrityError):
        insert_rows([*rows, duplicate])  # autocommit: without its own transaction, 3 would stay
    assert not Proposal.objects.filter(matchday=md).exists()
