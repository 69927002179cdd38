from django.contrib import admin

from matchday.companies.models import Company, InterviewStep, Role, RoleSkill


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "stage", "size", "vetting_status", "vetted_at"]
    list_filter = ["vetting_status", "stage", "size"]
    search_fields = ["name", "website"]
    raw_id_fields = ["vetted_by"]


class RoleSkillInline(admin.TabularInline):
    model = RoleSkill
    extra = 0
    raw_id_fields = ["skill"]


class InterviewStepInline(admin.TabularInline):
    model = InterviewStep
    extra = 0


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "company",
        "level",
        "role_type",
        "pay_min",
        "pay_max",
        "pay_currency",
        "status",
    ]
    list_filter = ["status", "level", "role_type", "location_policy"]
    search_fields = ["title", "company__name"]
    list_select_related = ["company"]
    raw_id_fields = ["company", "created_by"]
    inlines = [RoleSkillInline, InterviewStepInline]
