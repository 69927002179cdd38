from django.contrib import admin

from matchday.audits.admin_site import ViewOnlyAdmin
from matchday.talent.models import Achievement, CandidateProfile, CandidateSkill, Link


class CandidateSkillInline(admin.TabularInline):
    model = CandidateSkill
    extra = 0
    raw_id_fields = ["skill"]


class AchievementInline(admin.StackedInline):
    model = Achievement
    extra = 0


class LinkInline(admin.TabularInline):
    model = Link
    extra = 0


@admin.register(CandidateProfile)
class CandidateProfileAdmin(ViewOnlyAdmin):
    """Profiles change through the candidate's pages and vetting through the partner's."""

    list_display = ["user", "headline", "level", "country", "status", "updated_at"]
    list_filter = ["status", "level", "remote_preference"]
    search_fields = ["user__email", "user__full_name", "headline"]
    list_select_related = ["user"]
    raw_id_fields = ["user", "vetted_by"]
    inlines = [CandidateSkillInline, AchievementInline, LinkInline]
