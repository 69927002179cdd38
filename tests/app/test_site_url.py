"""The public site URL: required in production, following the dev server's host and port."""

from __future__ import annotations

import importlib.util
import runpy
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = "matchday.config.settings.production"


@pytest.fixture
def production_env(monkeypatch):
    monkeypatch.setenv("DJANGO_SECRET_KEY", "x" * 50)
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "matchday.example.org")
    monkeypatch.delenv("MATCHDAY_SITE_URL", raising=False)
    return monkeypatch


def test_production_refuses_to_start_without_the_site_url(production_env):
    with pytest.raises(ImproperlyConfigured, match="MATCHDAY_SITE_URL"):
        runpy.run_module(PRODUCTION)


@pytest.mark.parametrize("bad", ["matchday.example.org", "ftp://matchday.example.org", "https://"])
def test_production_refuses_a_site_url_that_is_not_an_absolute_web_address(production_env, bad):
    production_env.setenv("MATCHDAY_SITE_URL", bad)
    with pytest.raises(ImproperlyConfigured, match="MATCHDAY_SITE_URL"):
        runpy.run_module(PRODUCTION)


def test_production_takes_the_site_url_from_the_environment(production_env):
    production_env.setenv("MATCHDAY_SITE_URL", "https://matchday.example.org/")
    settings = runpy.run_module(PRODUCTION)
    assert settings["MATCHDAY_SITE_URL"] == "https://matchday.example.org"


def _run_script():
    spec = importlib.util.spec_from_file_location("run_script", ROOT / "scripts" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("host", "port", "url"),
    [
        ("127.0.0.1", "8001", "http://127.0.0.1:8001"),
        ("localhost", "18123", "http://localhost:18123"),
        ("0.0.0.0", "8000", "http://127.0.0.1:8000"),  # noqa: S104 - a host name, not a bind
        ("::", "8002", "http://[::1]:8002"),
    ],
)
def test_make_run_links_follow_the_host_and_port_it_serves_on(host, port, url):
    assert _run_script().site_url(host, port, {}) == url


def test_an_explicit_site_url_wins_in_development():
    env = {"MATCHDAY_SITE_URL": "https://dev.example.org"}
    assert _run_script().site_url("127.0.0.1", "8001", env) == "https://dev.example.org"


def test_emailed_links_use_the_configured_site_url(settings):
    from matchday.core.site import absolute_url

    settings.MATCHDAY_SITE_URL = "http://127.0.0.1:8001"
    assert absolute_url("/me/matchday/") == "http://127.0.0.1:8001/me/matchday/"


def test_production_sends_mail_through_smtp_configured_from_the_environment(production_env):
    production_env.setenv("MATCHDAY_SITE_URL", "https://matchday.example.org")
    production_env.setenv("EMAIL_HOST", "smtp.example.org")
    production_env.setenv("EMAIL_HOST_USER", "matchday")
    production_env.setenv("EMAIL_HOST_PASSWORD", "secret")
    settings = runpy.run_module(PRODUCTION)
    assert settings["MAILERS"] == {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": "smtp.example.org",
                "port": 587,
                "username": "matchday",
                "password": "secret",
                "use_tls": True,
                "use_ssl": False,
                "timeout": 20.0,
            },
        }
    }
    assert not any(name.startswith("EMAIL_") for name in settings)  # deprecated since 6.1
