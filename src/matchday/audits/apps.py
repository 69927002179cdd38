from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "matchday.audits"
    label = "audits"
    verbose_name = "Audit log"
