from django.apps import AppConfig


class MatchdaysConfig(AppConfig):
    name = "matchday.matchdays"
    label = "matchdays"
    verbose_name = "Match Days"
