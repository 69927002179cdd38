"""Stored text vectors: computed when a profile or role is saved (a background task), reused
by every curation, refreshed when stale; a run's output and its replay do not depend on them."""

from __future__ import annotations

import gzip
from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command

from matchday.embeddings import services as vectors
from matchday.embeddings.models import ProfileVector, RoleVector
from matchday.engine.__main__ import main
from matchday.engine.encoder import get_encoder
from matchday.engine.texts import encoder_version, vector_to_bytes
from matchday.matchdays.models import CurationRun
from matchday.talent import services as talent_services
from matchday.talent.models import CandidateProfile
from tests import factories
from tests.market import build_market, create_matchday, run_curation

pytestmark = pytest.mark.django_db


@pytest.fixture
def market(db):
    return build_market()


def _output(run: CurationRun) -> bytes:
    with run.engine_output.open("rb") as fh:
        return gzip.decompress(fh.read())


def _input(run: CurationRun) -> bytes:
    with run.engine_input.open("rb") as fh:
        return gzip.decompress(fh.read())


def test_refresh_stores_every_vector_once_and_running_it_again_changes_nothing(market):
    first = vectors.vectors_refresh_all()
    profiles = CandidateProfile.objects.count()
    assert first["profiles"] == {"stored": profiles, "unchanged": 0, "skipped": 0}
    assert first["roles"]["stored"] == RoleVector.objects.count() > 0
    version = encoder_version(get_encoder())
    assert set(ProfileVector.objects.values_list("encoder", flat=True)) == {version}
    stamps = dict(ProfileVector.objects.values_list("pk", "updated_at"))
    second = vectors.vectors_refresh_all()
    assert second["profiles"] == {"stored": 0, "unchanged": profiles, "skipped": 0}
    assert second["roles"]["stored"] == 0
    assert dict(ProfileVector.objects.values_list("pk", "updated_at")) == stamps


def test_curation_proposes_the_same_bytes_with_vectors_stored_or_not(
    market, django_capture_on_commit_callbacks, tmp_path
):
    md = create_matchday(market)
    plain = run_curation(market, md, django_capture_on_commit_callbacks)
    assert plain.stats["text_vectors"]["reused"] == 0
    computed = plain.stats["text_vectors"]["computed"]
    assert computed == plain.stats["candidates"] + plain.stats["roles"]

    vectors.vectors_refresh_all()
    stored = run_curation(market, md, django_capture_on_commit_callbacks)
    assert stored.pk != plain.pk
    assert stored.stats["text_vectors"] == {"reused": computed, "computed": 0}
    assert stored.input_hash == plain.input_hash
    assert _output(stored) == _output(plain)

    # the stored input replays (the engine computing every vector) to the stored output
    (tmp_path / "input.json").write_bytes(_input(stored))
    out = tmp_path / "output.json"
    assert main(["curate", str(tmp_path / "input.json"), "-o", str(out)]) == 0
    assert out.read_bytes() == _output(stored)


def test_stale_vectors_are_not_used_and_the_refresh_replaces_them(
    market, django_capture_on_commit_callbacks
):
    md = create_matchday(market)
    vectors.vectors_refresh_all()
    reference = run_curation(market, md, django_capture_on_commit_callbacks)
    dim = get_encoder().dim
    junk = vector_to_bytes(np.full(dim, 1 / np.sqrt(dim), np.float32))
    person = market.people[0].profile
    # another encoder's vector, and a vector of texts that changed without a save hook
    ProfileVector.objects.filter(profile=person).update(encoder="model2vec:old@000", vector=junk)
    other = market.people[1].profile
    CandidateProfile.objects.filter(pk=other.pk).update(summary="Now a compiler engineer.")
    ProfileVector.objects.filter(profile=other).update(vector=junk)

    run = run_curation(market, md, django_capture_on_commit_callbacks)
    assert run.stats["text_vectors"]["computed"] == 2
    fresh = run_curation(market, md, django_capture_on_commit_callbacks)
    assert _output(fresh) == _output(run)  # the changed summary changes the input, not the rule
    assert run.input_hash != reference.input_hash

    counts = vectors.vectors_refresh_all()
    assert counts["profiles"]["stored"] == 2
    assert set(ProfileVector.objects.values_list("encoder", flat=True)) == {
        encoder_version(get_encoder())
    }
    again = run_curation(market, md, django_capture_on_commit_callbacks)
    assert again.stats["text_vectors"]["computed"] == 0
    assert _output(again) == _output(run)


def test_a_tampered_current_vector_is_what_curation_uses(
    market, django_capture_on_commit_callbacks
):
    # proves the stored rows are read: only the digest guards them, so a wrong vector under
    # the right digest changes the scores (the refresh never writes such a row)
    md = create_matchday(market)
    vectors.vectors_refresh_all()
    before = run_curation(market, md, django_capture_on_commit_callbacks)
    dim = get_encoder().dim
    flipped = -np.frombuffer(
        bytes(RoleVector.objects.get(role=market.role_a1).vector), "<f4"
    ).astype(np.float32)
    RoleVector.objects.filter(role=market.role_a1).update(vector=vector_to_bytes(flipped))
    assert len(flipped) == dim
    after = run_curation(market, md, django_capture_on_commit_callbacks)
    assert after.stats["text_vectors"]["reused"] == before.stats["text_vectors"]["reused"]
    assert _output(after) != _output(before)


def test_saving_a_profile_computes_its_vector_in_the_background_once_per_commit(
    market, django_capture_on_commit_callbacks
):
    profile = market.people[2].profile
    user = profile.user
    assert not ProfileVector.objects.filter(profile=profile).exists()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        talent_services.profile_update(profile=profile, by=user, data={"headline": "ML lead"})
        talent_services.candidate_skill_set(profile=profile, by=user, skill_id="jax", level=3)
        talent_services.candidate_skill_set(profile=profile, by=user, skill_id="cuda", level=2)
    assert len(callbacks) == 1
    assert not ProfileVector.objects.filter(profile=profile).exists()  # not before the commit
    # (in a test the transaction never commits: the same row's callback stays registered,
    # so the background run is shown on another profile)
    profile = market.people[3].profile
    with django_capture_on_commit_callbacks(execute=True):
        talent_services.profile_update(profile=profile, by=profile.user, data={"headline": "ML"})
    row = ProfileVector.objects.get(profile=profile)
    assert row.encoder == encoder_version(get_encoder())
    assert vectors.profile_vectors_refresh(
        profiles=CandidateProfile.objects.filter(pk=profile.pk)
    ) == {"stored": 0, "unchanged": 1, "skipped": 0}


def test_saving_a_role_computes_its_vector(market, django_capture_on_commit_callbacks):
    from matchday.companies import services as company_services

    role = market.role_b1
    with django_capture_on_commit_callbacks(execute=True):
        company_services.role_update(
            role=role, by=market.member_b, data={"description": "Train vision models."}
        )
    assert RoleVector.objects.filter(role=role).exists()


def test_a_profile_the_engine_cannot_take_gets_no_vector_until_it_can(market):
    profile = factories.CandidateProfileFactory(level="")
    counts = vectors.profile_vectors_refresh(
        profiles=CandidateProfile.objects.filter(pk=profile.pk)
    )
    assert counts == {"stored": 0, "unchanged": 0, "skipped": 1}
    assert not ProfileVector.objects.filter(profile=profile).exists()


def test_the_command_refreshes_stale_rows_and_says_how_many(market):
    out = StringIO()
    call_command("embed_texts", stdout=out)
    n = CandidateProfile.objects.count()
    assert f"profiles: {n} stored, 0 already current" in out.getvalue()
    ProfileVector.objects.update(encoder="model2vec:old@000")
    out = StringIO()
    call_command("embed_texts", stdout=out)
    assert f"profiles: {n} stored, 0 already current" in out.getvalue()
    assert "roles: 0 stored" in out.getvalue()
