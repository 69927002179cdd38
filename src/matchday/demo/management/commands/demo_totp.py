"""``manage.py demo_totp``: the current two-factor code of the demo partner and company logins."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from matchday.demo.logins import DEMO_TOTP_SECRET, totp_now


class Command(BaseCommand):
    help = "Print the current authenticator code for the demo accounts' public demo secret."

    def handle(self, *args, **opts) -> None:
        self.stdout.write(totp_now(DEMO_TOTP_SECRET))
