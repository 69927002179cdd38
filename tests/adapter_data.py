"""Dates shared by the Match Day adapter tests."""

from __future__ import annotations

from datetime import UTC, datetime

SUMMER = datetime(2031, 7, 1, 9, 0, tzinfo=UTC)
