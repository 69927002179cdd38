"""``manage.py demo_seed``: load a deterministic demo marketplace and the demo logins."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from matchday.accounts.models import User
from matchday.demo.generate import demo_generate
from matchday.demo.logins import (
    DEMO_LOGINS,
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
    demo_logins_prepare,
)
from matchday.demo.story import demo_story

NOT_EMPTY = "The database already has users; demo data not loaded (--if-empty)."
PROGRESS_THRESHOLD = 5_000  # runs with more candidates or roles than this print progress


def _non_negative(text: str) -> int:
    value = int(text)
    if value < 0:
        raise ValueError(text)
    return value


class Command(BaseCommand):
    help = (
        "Generate a believable, deterministic marketplace of AI and infrastructure candidates, "
        "companies and roles, plus one demo login per persona."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=42, help="Random seed (default 42).")
        parser.add_argument("--candidates", type=_non_negative, default=300)
        parser.add_argument("--companies", type=_non_negative, default=40)
        parser.add_argument("--roles", type=_non_negative, default=120)
        parser.add_argument(
            "--batch-size", type=int, default=1000, help="Rows per bulk insert batch."
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when any user exists."
        )
        parser.add_argument(
            "--no-story",
            action="store_true",
            help="Only the marketplace: no Match Days, intros, pipelines or messages.",
        )
        parser.add_argument(
            "--progress-every",
            type=int,
            default=None,
            metavar="N",
            help="Print progress every N candidates/roles (default: 10,000, and only for runs "
            "with more than 5,000 candidates or roles).",
        )

    def handle(self, *args, **opts) -> None:
        if opts["if_empty"] and User.objects.exists():
            demo_logins_prepare()  # databases seeded before email verification and MFA
            self.stdout.write(NOT_EMPTY)
            return
        if opts["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        big = max(opts["candidates"], opts["roles"]) > PROGRESS_THRESHOLD
        every = opts["progress_every"] or (10_000 if big else 0)
        printed: dict[str, int] = {}

        def progress(phase: str, done: int, total: int, rows: int, elapsed: float) -> None:
            if every > 0 and (done - printed.get(phase, 0) >= every or done == total):
                printed[phase] = done
                rate = rows / elapsed if elapsed > 0 else 0.0
                self.stdout.write(
                    f"  {phase:<10} {done:>9,}/{total:,}  rows {rows:>10,}  "
                    f"{rate:>9,.0f} rows/s  {elapsed:7.1f} s",
                )

        try:
            counts = demo_generate(
                seed=opts["seed"],
                candidates=opts["candidates"],
                companies=opts["companies"],
                roles=opts["roles"],
                batch_size=opts["batch_size"],
                progress=progress,
            )
        except (RuntimeError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        summary = ", ".join(f"{n:,} {kind.replace('_', ' ')}" for kind, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo data (seed {opts['seed']}): {summary}."))
        if not opts["no_story"]:
            story = demo_story(seed=opts["seed"], now=timezone.now())
            told = ", ".join(f"{n:,} {kind.replace('_', ' ')}" for kind, n in story.items())
            self.stdout.write(f"Demo story: {told}.")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for persona, email in DEMO_LOGINS.items():
            self.stdout.write(f"  {persona:<10} {email}")
        self.stdout.write(
            f"Partner and company logins ask for a two-factor code: add the demo secret "
            f"{DEMO_TOTP_SECRET} to an authenticator app, or run `manage.py demo_totp`."
        )
