"""Where stored files live: curation run inputs and outputs (the only files Matchday keeps —
résumés are parsed in a sandbox and never stored; exports are streamed).

The local filesystem (``MEDIA_ROOT``) by default; an S3-compatible bucket (AWS S3, MinIO,
Ceph, Garage, …) when ``MATCHDAY_S3_BUCKET`` is set, so a worker on one host writes a run's
files and a web process on another serves them. Everything goes through Django's storage
API (``FileField``/``default_storage``), so no code path knows which one is in use.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any


def default_storage_from_env(environ: Mapping[str, str] = os.environ) -> dict[str, Any]:
    """The ``STORAGES["default"]`` entry for this environment."""
    bucket = environ.get("MATCHDAY_S3_BUCKET", "")
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    options: dict[str, Any] = {
        "bucket_name": bucket,
        "location": environ.get("MATCHDAY_S3_PREFIX", ""),
        # Private objects: files are only ever served through the app's permission checks.
        "default_acl": None,
        "querystring_auth": True,
        "file_overwrite": False,
        "region_name": environ.get("MATCHDAY_S3_REGION") or None,
        "endpoint_url": environ.get("MATCHDAY_S3_ENDPOINT_URL") or None,
        "addressing_style": environ.get("MATCHDAY_S3_ADDRESSING_STYLE") or None,
    }
    # Without keys, boto3's own chain is used (instance roles, AWS_* variables, profiles).
    if environ.get("MATCHDAY_S3_ACCESS_KEY_ID"):
        options["access_key"] = environ["MATCHDAY_S3_ACCESS_KEY_ID"]
        options["secret_key"] = environ.get("MATCHDAY_S3_SECRET_ACCESS_KEY", "")
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
