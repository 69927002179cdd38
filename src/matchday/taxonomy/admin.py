from django.contrib import admin

from matchday.audits.admin_site import ViewOnlyAdmin
from matchday.taxonomy.models import Skill, TaxonomyChange


@admin.register(Skill)
class SkillAdmin(ViewOnlyAdmin):
    """Taxonomy rows mirror engine/data/taxonomy.json plus partners' changes (made on the
    unmapped skill names page); open rows are names outside the taxonomy in use."""

    list_display = ["id", "label", "category", "source", "retired"]
    list_filter = ["source", "category", "retired"]
    search_fields = ["id", "label"]


@admin.register(TaxonomyChange)
class TaxonomyChangeAdmin(ViewOnlyAdmin):
    """Append-only: partners make changes on the unmapped skill names page."""

    list_display = ["pk", "kind", "name", "skill_id", "parent_id", "created_by", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name", "skill_id"]
