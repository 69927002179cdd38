from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from matchday.core.models import PeriodicTick
from matchday.followup.tasks import run_tick, schedule_tick, tick


class Command(BaseCommand):
    help = (
        "Create, announce and curate recurring Match Days when due, release every Match Day "
        "whose release time has come, then send deadline reminders and escalations. Safe to "
        "run as often as you like (cron: every few minutes)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", help="ISO 8601 time to act as (default: the current time); for drills."
        )
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Instead, start the self-rescheduling tick task for the db_worker (does "
            "nothing while its chain is alive; safe at every deploy or from cron).",
        )

    def handle(self, *args, now=None, schedule=False, **options):
        if schedule:
            if not tick.get_backend().supports_defer:
                raise CommandError("The task backend cannot defer tasks; run this from cron.")
            result = schedule_tick()
            if result is None:
                chain = PeriodicTick.objects.get(pk=PeriodicTick.SINGLETON)
                self.stdout.write(
                    f"Tick already scheduled for {chain.next_run_at:%Y-%m-%d %H:%M:%S} UTC."
                )
                return
            self.stdout.write(f"Tick scheduled for {result.task.run_after:%Y-%m-%d %H:%M:%S} UTC.")
            return
        try:
            at = datetime.fromisoformat(now) if now else timezone.now()
        except ValueError as exc:
            raise CommandError(f"--now: {exc}") from exc
        if timezone.is_naive(at):
            raise CommandError("--now must include a UTC offset, e.g. 2026-03-02T09:00:00+00:00")
        result = run_tick(now=at)
        if result["expired_runs"]:
            self.stdout.write(
                "Ended curation run(s) whose worker stopped: "
                + ", ".join(str(pk) for pk in result["expired_runs"])
                + "."
            )
        recurring = result["schedules"]
        if any(recurring.values()):
            self.stdout.write(
                f"Recurring: {len(recurring['created'])} slot(s) handled, "
                f"{recurring['announced']} announced, {len(recurring['curated'])} curation(s) "
                f"started, {recurring['told']} partner message(s)."
            )
        released = result["released"]
        self.stdout.write(
            f"Released {len(released)} Match Day(s) with {sum(released.values())} intro(s); "
            f"{result['reminded']} reminder(s), {result['escalated']} escalation(s); "
            f"{result['offers_reminded']} offer(s) about to expire, "
            f"{result['offers_expired']} expired."
        )
        self.stdout.write(
            f"Lifecycle: {result['deadline_reminders']} interest-deadline message(s), "
            f"{result['intros_reminded']} intro reminder(s), {result['intros_expired']} intro(s) "
            f"expired, {result['digests']} digest email(s)."
        )
        if result["mail_requeued"]:
            self.stdout.write(f"{result['mail_requeued']} email(s) enqueued again for delivery.")
