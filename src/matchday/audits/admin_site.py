"""The Django admin, made unable to bypass Matchday's audit trail.

Every ``ModelAdmin`` registered on the site (ours and third-party apps' alike) is composed
with :class:`AuditedAdmin` at registration, so each add, change, deletion and bulk action
made in the admin also lands in the audit log, in the admin's own transaction, next to
Django's ``LogEntry``. Domain models whose changes have a workflow (vetting, pay bands,
statuses) are registered with :class:`ViewOnlyAdmin`: those changes go through the product's
pages and services, which check permissions, validate and notify.

``INSTALLED_APPS`` lists :class:`AuditedAdminConfig` in place of ``django.contrib.admin``.
"""

from __future__ import annotations

from dataclasses import replace
from functools import wraps

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.options import ActionLocation

__all__ = ["AuditedAdmin", "AuditedAdminConfig", "AuditedAdminSite", "ViewOnlyAdmin"]


def _audit(request, action: str, obj, data: dict) -> None:
    from django.contrib.auth import get_user_model

    from matchday.audits.services import audit_record

    audit_record(
        actor=request.user,
        action=action,
        target=obj,
        subject_user=obj if isinstance(obj, get_user_model()) else None,
        data={"admin": obj._meta.label_lower, **data},
    )


def _audited_action(name: str, func):
    @wraps(func)
    def action(modeladmin, request, queryset):
        for obj in queryset:
            _audit(request, "admin.action", obj, {"action": name})
        return func(modeladmin, request, queryset)

    return action


class AuditedAdmin(admin.ModelAdmin):
    """Writes an audit entry for every add, change, deletion and action made in the admin."""

    def log_addition(self, request, obj, message):
        _audit(request, "admin.add", obj, {"change": message})
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        _audit(request, "admin.change", obj, {"change": message})
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            _audit(request, "admin.delete", obj, {})
        return super().log_deletions(request, queryset)

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        return {
            # delete_selected is logged object by object through log_deletions.
            name: action
            if name == "delete_selected"
            else replace(action, func=_audited_action(name, action.func))
            for name, action in actions.items()
        }


class ViewOnlyAdmin(admin.ModelAdmin):
    """Shown in the admin, changed only through the product's services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedAdminSite(admin.AdminSite):
    site_header = "Matchday administration"
    site_title = "Matchday admin"

    def login(self, request, extra_context=None):
        """Everyone signs in through the one log-in page (rate limits, lock-out, two
        factors); the admin's own password-only form is never shown."""
        from django.contrib.auth.views import redirect_to_login
        from django.urls import reverse

        next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return redirect_to_login(next_url, login_url=reverse("account_login"))

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, AuditedAdmin):
            admin_class = type(f"Audited{admin_class.__name__}", (AuditedAdmin, admin_class), {})
            admin_class.__module__ = AuditedAdmin.__module__
        return super().register(model_or_iterable, admin_class, **options)


class AuditedAdminConfig(AdminConfig):
    default_site = "matchday.audits.admin_site.AuditedAdminSite"
