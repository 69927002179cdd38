"""The demo accounts the generator creates, one per persona (printed by ``make run``).

The demo partner and company accounts must use two factors like everyone in those roles,
so they come enrolled with an authenticator app whose secret is public, printed by
``make run`` and in README: add it to any authenticator app, or print the current code with
``python manage.py demo_totp``. The secret only ever protects the demo data.
"""

from __future__ import annotations

DEMO_PASSWORD = "matchday-demo-2026"  # noqa: S105 - public demo login, printed by make run
DEMO_LOGINS = {
    "candidate": "candidate@demo.matchday.dev",
    "company": "hiring@demo.matchday.dev",
    "partner": "partner@demo.matchday.dev",
}
DEMO_NAMES = {
    "candidate": "Mira Okafor",
    "company": "Jonas Lindqvist",
    "partner": "Priya Raman",
}
# Base32, as authenticator apps take it. Public on purpose: demo data only.
DEMO_TOTP_SECRET = "MATCHDAYDEMOTOTPSECRETXXXXXXXXXX"  # noqa: S105 - public demo secret


def demo_logins_prepare() -> None:
    """Give the demo logins a verified email address, and the partner and company logins
    the demo authenticator app (idempotent)."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP

    from matchday.accounts.models import User

    for user in User.objects.filter(email__in=DEMO_LOGINS.values()):
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        if (
            user.persona in ("partner", "company")
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            TOTP.activate(user, DEMO_TOTP_SECRET)
            RecoveryCodes.activate(user)


def totp_now(secret: str = DEMO_TOTP_SECRET, *, at: float | None = None, step: int = 0) -> str:
    """The six-digit code an authenticator app shows for ``secret`` (``step`` periods on).

    >>> totp_now("JBSWY3DPEHPK3PXP", at=59)
    '996554'
    """
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    counter = int(time.time() if at is None else at) // app_settings.TOTP_PERIOD + step
    return format_hotp_value(hotp_value(secret, counter))
