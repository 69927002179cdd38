"""Stored files go through Django's storage API to an S3-compatible bucket (a real server:
moto's server mode in its own process), so a worker on one host writes a run's input and a
web process on another serves it."""

from __future__ import annotations

import gzip
import json
import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from matchday.engine.io import input_hash
from matchday.matchdays.models import CurationRun
from matchday.ops.storage import default_storage_from_env
from tests.market import build_market, create_matchday, run_curation
from tests.processes import manage, needs_shared_database, python


@pytest.fixture
def s3(s3_server, settings):
    """Matchday's default storage pointed at a fresh bucket, configured from the environment
    exactly as production reads it."""
    env = s3_server.new_bucket()
    settings.STORAGES = {**settings.STORAGES, "default": default_storage_from_env(env)}
    return env


def _keys(s3_server, bucket: str) -> list[str]:
    listing = s3_server.client().list_objects_v2(Bucket=bucket)
    return sorted(o["Key"] for o in listing.get("Contents", []))


def test_without_a_bucket_files_stay_on_the_local_disk():
    assert default_storage_from_env({}) == {
        "BACKEND": "django.core.files.storage.FileSystemStorage"
    }


def test_storage_api_round_trip_against_the_s3_server(s3, s3_server):
    name = default_storage.save("curation-inputs/a.json.gz", ContentFile(b"first"))
    again = default_storage.save("curation-inputs/a.json.gz", ContentFile(b"second"))
    assert again != name  # never overwrites a stored file
    assert _keys(s3_server, s3["MATCHDAY_S3_BUCKET"]) == sorted([name, again])
    with default_storage.open(name, "rb") as fh:
        assert fh.read() == b"first"
    assert default_storage.size(again) == 6
    url = default_storage.url(name)
    assert "Signature" in url or "X-Amz-Signature" in url  # private: only signed links
    default_storage.delete(name)
    assert not default_storage.exists(name)
    assert default_storage.exists(again)


@pytest.mark.django_db
def test_a_run_stores_its_input_and_output_in_the_bucket_and_the_page_serves_them(
    s3, s3_server, client, django_capture_on_commit_callbacks
):
    market = build_market()
    md = create_matchday(market)
    run = run_curation(market, md, django_capture_on_commit_callbacks)
    assert run.status == CurationRun.Status.SUCCEEDED, run.error
    keys = _keys(s3_server, s3["MATCHDAY_S3_BUCKET"])
    assert keys == sorted([run.engine_input.name, run.engine_output.name])
    client.force_login(market.partner)
    response = client.get(reverse("matchdays:run_input", args=[run.pk]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    stored = (
        s3_server.client()
        .get_object(Bucket=s3["MATCHDAY_S3_BUCKET"], Key=run.engine_input.name)["Body"]
        .read()
    )
    assert body == stored
    assert input_hash(json.loads(gzip.decompress(body))) == run.input_hash


@needs_shared_database
@pytest.mark.django_db(transaction=True)
def test_a_worker_process_writes_the_run_input_a_web_process_serves_it(s3_server, tmp_path):
    """Three processes with separate working directories and no shared disk: this test
    queues the run, a ``db_worker`` process curates it (writing its files to the bucket),
    and a web process serves the input to the partner."""
    env = s3_server.new_bucket()
    market = build_market()
    md = create_matchday(market)
    # Queue the run as the web tier does (the task row is written on commit).
    queued = python(
        "from matchday.matchdays import services\n"
        "from matchday.matchdays.models import MatchDay\n"
        "from matchday.accounts.models import User\n"
        f"md = MatchDay.objects.get(pk={md.pk})\n"
        f"run = services.curation_start(matchday=md, by=User.objects.get(pk={market.partner.pk}))\n"
        "print(run.pk)\n",
        workdir=tmp_path / "web-1",
        extra=env,
    )
    run_pk = int(queued.strip().splitlines()[-1])
    worker = manage(
        ["db_worker", "--batch", "--no-startup-delay", "--interval", "0.2"],
        workdir=tmp_path / "worker-1",
        extra=env,
    )
    out, _ = worker.communicate(timeout=300)
    assert worker.returncode == 0, out[-4000:]
    run = CurationRun.objects.get(pk=run_pk)
    assert run.status == CurationRun.Status.SUCCEEDED, (run.error, out[-2000:])
    assert run.engine_input.name.startswith("curation-inputs/")
    stored = (
        s3_server.client()
        .get_object(Bucket=env["MATCHDAY_S3_BUCKET"], Key=run.engine_input.name)["Body"]
        .read()
    )
    served = python(
        "import hashlib, sys\n"
        "from django.test import Client\n"
        "from matchday.accounts.models import User\n"
        "c = Client()\n"
        f"c.force_login(User.objects.get(pk={market.partner.pk}))\n"
        f"r = c.get('/matchdays/runs/{run_pk}/input/')\n"
        "assert r.status_code == 200, r.status_code\n"
        "print(hashlib.sha256(b''.join(r.streaming_content)).hexdigest())\n",
        workdir=tmp_path / "web-2",
        extra=env,
    )
    import hashlib

    assert served.strip().splitlines()[-1] == hashlib.sha256(stored).hexdigest()
    assert input_hash(json.loads(gzip.decompress(stored))) == run.input_hash
    # Nothing was written to either process's local disk.
    for d in ("web-1", "worker-1", "web-2"):
        media = tmp_path / d / "var" / "media"
        assert not media.exists() or not any(media.rglob("*")), os.listdir(media)
