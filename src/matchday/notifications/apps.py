from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "matchday.notifications"
    label = "notifications"
