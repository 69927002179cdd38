from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from matchday.accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "persona", "company", "is_active", "date_joined"]
    list_filter = ["persona", "is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    list_select_related = ["company"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name", "persona", "company"]}),
        (
            "Permissions",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "full_name", "persona", "company", "password1", "password2"],
            },
        )
    ]
    raw_id_fields = ["company"]

    def get_readonly_fields(self, request, obj=None):
        # A persona (and a member's company) is chosen at sign-up; changing it afterwards
        # would strand the person's profile or move them into another company's data.
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly if obj is None else [*readonly, "persona", "company"]
