from django.apps import AppConfig


class OpsConfig(AppConfig):
    """What an operator watches: health checks, Prometheus metrics, request ids in logs."""

    name = "matchday.ops"
    label = "ops"

    def ready(self) -> None:
        from matchday.ops import requestid

        requestid.connect_task_signals()
