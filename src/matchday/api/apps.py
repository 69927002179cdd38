from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The REST API (django-ninja) under ``/api/v1/`` and the per-user API keys behind it."""

    name = "matchday.api"
    label = "api"
    verbose_name = "REST API"

    def ready(self) -> None:
        from matchday.api.rights import RIGHTS
        from matchday.talent.rights import rights_part_register

        rights_part_register(self.label, RIGHTS)
