from django.db import models


class Skill(models.Model):
    """A skill of the engine's taxonomy, mirrored so rows can reference it by stable id.

    The engine's data file (``matchday/engine/data/taxonomy.json``) is the source of truth;
    ``manage.py sync_taxonomy`` (also run after every migrate) upserts it here.
    """

    id = models.CharField(primary_key=True, max_length=80)
    label = models.CharField(max_length=120)
    category = models.CharField(max_length=40, db_index=True)
    aliases = models.JSONField(default=list, blank=True)
    parents = models.JSONField(default=list, blank=True)
    esco_uri = models.URLField(blank=True)
    # A skill removed from the taxonomy stays for the rows that reference it.
    retired = models.BooleanField(default=False)

    class Meta:
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label
