"""``collectstatic`` under the production storage: every static file of every app (ours, the
vendored libraries, the admin's, allauth's, the API docs') post-processes, so a vendored file
that references something not vendored (a source map, a font) fails here, not in a deploy.
"""

from __future__ import annotations

import importlib
import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.template import engines
from django.test import override_settings

pytestmark = pytest.mark.slow


def production_storages(monkeypatch) -> dict:
    """The STORAGES production runs with (its module reads the environment on import)."""
    monkeypatch.setenv("DJANGO_SECRET_KEY", "collectstatic-test")
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "matchday.example.org")
    monkeypatch.setenv("MATCHDAY_SITE_URL", "https://matchday.example.org")
    production = importlib.import_module("matchday.config.settings.production")
    return production.STORAGES


def test_collectstatic_with_the_production_manifest_storage_post_processes_every_file(
    tmp_path, monkeypatch
):
    storages = production_storages(monkeypatch)
    assert "Manifest" in storages["staticfiles"]["BACKEND"]
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=storages):
        call_command("collectstatic", "--no-input", verbosity=0)
        manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
        for name in ("vendor/chart.umd.min.js", "vendor/htmx.min.js", "matchday/app.css"):
            assert (tmp_path / manifest[name]).is_file()
        # A page's {% static %} now resolves to the hashed name (what every page renders).
        html = engines["django"].from_string("{% load static %}{% static 'vendor/htmx.min.js' %}")
        assert html.render() == settings.STATIC_URL + manifest["vendor/htmx.min.js"]


def test_no_vendored_file_points_at_a_source_map_that_is_not_vendored():
    vendor = settings.STATICFILES_DIRS[0] / "vendor"
    for path in vendor.iterdir():
        if path.suffix in {".js", ".css"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            for line in text.splitlines():
                if "sourceMappingURL=" in line:
                    target = line.split("sourceMappingURL=", 1)[1].strip(" */")
                    assert (vendor / target).is_file(), f"{path.name} points at missing {target}"
