from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "matchday.demo"
    label = "demo"
    verbose_name = "Demo data"
