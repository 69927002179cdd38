from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The REST API (django-ninja) under ``/api/v1/`` and the per-user API keys behind it."""

    name = "matchday.api"
    label = "api"
    verbose_name = "REST API"
