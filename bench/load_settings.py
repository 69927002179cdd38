"""Production settings with the API's rate limits lifted, for ``bench/load.py --lift-api-limits``:
the load test measures how fast the API lists answer, not the throttle (which answers 429
past 120 requests a minute per account)."""

from matchday.config.settings.production import *  # noqa: F403

MATCHDAY_API_RATE_LIMITS = {
    "per_address": "1000000/m",
    "per_account_minute": "1000000/m",
    "per_account_hour": "100000000/h",
}
