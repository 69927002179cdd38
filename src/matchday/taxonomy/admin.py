from django.contrib import admin

from matchday.audits.admin_site import ViewOnlyAdmin
from matchday.taxonomy.models import Skill


@admin.register(Skill)
class SkillAdmin(ViewOnlyAdmin):
    """The table mirrors engine/data/taxonomy.json after every migrate; edit that file."""

    list_display = ["id", "label", "category", "retired"]
    list_filter = ["category", "retired"]
    search_fields = ["id", "label"]
