from django.contrib import admin

from matchday.audits.admin_site import ViewOnlyAdmin
from matchday.companies.models import Company, InterviewStep, Role, RoleSkill


@admin.register(Company)
class CompanyAdmin(ViewOnlyAdmin):
    """Vetting goes through the vetting page (checklist, reasons, audit), details through the
    company's own page (a changed name or website sends it back to review)."""

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
class RoleAdmin(ViewOnlyAdmin):
    """Roles change through the role editor (pay band ratio, statuses, skills)."""

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
