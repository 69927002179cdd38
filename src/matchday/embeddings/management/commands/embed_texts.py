from django.core.management.base import BaseCommand

from matchday.embeddings.services import vectors_refresh_all


class Command(BaseCommand):
    help = (
        "Compute the stored text vectors of every profile and role that has none or a stale "
        "one (another encoder version, or texts changed since). Safe to run again at any time."
    )

    def add_arguments(self, parser):
        parser.add_argument("--chunk", type=int, default=1000, help="rows per encoder call")

    def handle(self, *args, **options):
        counts = vectors_refresh_all(chunk=max(1, options["chunk"]))
        for side, c in counts.items():
            self.stdout.write(
                f"{side}: {c['stored']} stored, {c['unchanged']} already current, "
                f"{c['skipped']} the engine cannot take yet."
            )
