from django.contrib import admin

from matchday.notifications.models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "to_email", "subject", "sent_at", "send_count"]
    list_filter = ["kind"]
    search_fields = ["to_email", "subject", "about"]
    readonly_fields = [f.name for f in Message._meta.fields]
