from django.apps import AppConfig
from django.db.models.signals import post_migrate


class TaxonomyConfig(AppConfig):
    name = "matchday.taxonomy"
    label = "taxonomy"
    verbose_name = "Skill taxonomy"

    def ready(self) -> None:
        from matchday.taxonomy.services import sync_after_migrate

        # Like contenttypes and permissions: reference rows follow the shipped data file.
        post_migrate.connect(sync_after_migrate, sender=self)
