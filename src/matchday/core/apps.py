from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "matchday.core"
    label = "core"
