from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "matchday.accounts"
    label = "accounts"

    def ready(self) -> None:
        from matchday.accounts import signals

        signals.connect()
