from django.contrib import admin

from matchday.audits.admin_site import ViewOnlyAdmin
from matchday.notifications.models import Message


@admin.register(Message)
class MessageAdmin(ViewOnlyAdmin):
    """Messages are re-sent from the partner's message page (audited)."""

    list_display = ["created_at", "kind", "to_email", "subject", "status", "attempts", "sent_at"]
    list_filter = ["kind", "status"]
    search_fields = ["to_email", "subject", "about"]

    def get_exclude(self, request, obj=None):
        # Account emails carry one-time sign-in links: not shown here either.
        if obj is not None and obj.holds_secret:
            return ["body", "html_body"]
        return super().get_exclude(request, obj)
