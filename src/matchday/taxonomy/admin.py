from django.contrib import admin

from matchday.taxonomy.models import Skill


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["id", "label", "category", "retired"]
    list_filter = ["category", "retired"]
    search_fields = ["id", "label"]
