from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "matchday.imports"
    label = "imports"
    verbose_name = "Résumé import, JSON Resume, public role pages and data rights"
