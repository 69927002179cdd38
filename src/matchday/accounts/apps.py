from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "matchday.accounts"
    label = "accounts"
