from django.conf import settings
from django.db import models


class Skill(models.Model):
    """A skill rows can reference by stable id: one of the taxonomy's, or a name outside it.

    The taxonomy's skills mirror the engine's data file (``matchday/engine/data/taxonomy.json``)
    plus the partners' changes (:class:`TaxonomyChange`); ``manage.py sync_taxonomy`` (also
    run after every migrate and after each change) upserts them here.

    A skill name the taxonomy does not know is kept, never refused (open vocabulary): it
    gets a row of source ``open`` whose id is ``~`` plus the name's lookup key
    (``engine.taxonomy.name_key``), so "Zustand", "zustand " and "Zustand." are one row.
    Profiles and roles reference it like any skill; a talent partner later maps it
    ("alias of X", "child of Y", "new skill"), which moves those rows onto the mapped skill.
    """

    class Source(models.TextChoices):
        TAXONOMY = "taxonomy", "In the taxonomy"
        OPEN = "open", "A name outside the taxonomy"

    id = models.CharField(primary_key=True, max_length=80)
    label = models.CharField(max_length=120)
    category = models.CharField(max_length=40, db_index=True)
    aliases = models.JSONField(default=list, blank=True)
    parents = models.JSONField(default=list, blank=True)
    esco_uri = models.URLField(blank=True)
    # A skill removed from the taxonomy stays for the rows that reference it; so does an
    # open name once a partner has mapped it (its rows moved to the mapped skill).
    retired = models.BooleanField(default=False)
    source = models.CharField(
        max_length=8, choices=Source.choices, default=Source.TAXONOMY, db_index=True
    )

    class Meta:
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label

    @property
    def is_open(self) -> bool:
        return self.source == self.Source.OPEN


class TaxonomyChange(models.Model):
    """One partner change to the taxonomy: an unmapped skill name made an alias of a skill,
    a child of a skill, or a skill of its own. Append-only: the taxonomy the app uses is the
    data file plus every change in order, and its version is the file's version plus the
    last change's number (``2026.11.2+3``), recorded by every curation run."""

    class Kind(models.TextChoices):
        ALIAS = "alias", "Alias of a skill"
        CHILD = "child", "Child of a skill"
        NEW = "new", "New skill"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    # The name as profiles and roles wrote it (the open skill's label).
    name = models.CharField(max_length=120)
    # The open skill's id the rows were moved from ("~zustand").
    open_skill_id = models.CharField(max_length=80)
    # The skill the name now resolves to: the alias's skill, or the new skill's id.
    skill_id = models.CharField(max_length=80)
    # For a child: its parent. For a new skill or a child: the new skill's category.
    parent_id = models.CharField(max_length=80, blank=True)
    category = models.CharField(max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.name} → {self.get_kind_display().lower()} {self.skill_id}"
