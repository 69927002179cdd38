"""The reminder and escalation times of an intro released at ``RELEASE_AT``."""

from datetime import UTC, datetime, timedelta

from tests.followup_factories import RELEASE_AT

ACCEPTED_AT = RELEASE_AT + timedelta(hours=1)  # Monday 2 March 2026, 10:00 UTC


DUE = datetime(2026, 3, 9, 10, 0, tzinfo=UTC)  # + 5 business days


ESCALATE = datetime(2026, 3, 11, 10, 0, tzinfo=UTC)  # + 2 more business days
