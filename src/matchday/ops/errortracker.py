"""The optional error tracker: Sentry (or any Sentry-compatible service, e.g. GlitchTip)
when ``SENTRY_DSN`` is set. No personal data is sent (no user emails, no request bodies,
no cookies); events carry the request id so they can be found in the logs."""

from __future__ import annotations

import logging
import os


def init_from_env(environ=os.environ) -> bool:
    dsn = environ.get("SENTRY_DSN", "")
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.integrations.logging import LoggingIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environ.get("SENTRY_ENVIRONMENT", "production"),
        release=environ.get("SENTRY_RELEASE") or None,
        traces_sample_rate=float(environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
        send_default_pii=False,
        max_request_body_size="never",
        integrations=[DjangoIntegration(), LoggingIntegration(event_level=logging.ERROR)],
    )
    return True
