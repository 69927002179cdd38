from django.contrib import admin

from matchday.audits.admin_site import ViewOnlyAdmin
from matchday.notifications.models import Message


@admin.register(Message)
class MessageAdmin(ViewOnlyAdmin):
    """Messages are re-sent from the partner's message page (audited)."""

    list_display = ["created_at", "kind", "to_email", "subject", "sent_at", "send_count"]
    list_filter = ["kind"]
    search_fields = ["to_email", "subject", "about"]
