"""Absolute links for emails and structured data, from ``settings.MATCHDAY_SITE_URL``."""

from django.conf import settings


def absolute_url(path: str) -> str:
    """``"/jobs/3/"`` -> ``"https://matchday.example.org/jobs/3/"`` (read when called)."""
    return settings.MATCHDAY_SITE_URL.rstrip("/") + path
