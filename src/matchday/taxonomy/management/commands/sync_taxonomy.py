from django.core.management.base import BaseCommand

from matchday.taxonomy.services import taxonomy_sync


class Command(BaseCommand):
    help = "Upsert the skill table from the engine's taxonomy file."

    def handle(self, *args, **options):
        created, updated, retired = taxonomy_sync()
        self.stdout.write(f"Skills: {created} created, {updated} updated, {retired} retired.")
