from django.apps import AppConfig


class TalentConfig(AppConfig):
    name = "matchday.talent"
    label = "talent"
