from django.apps import AppConfig


class CompaniesConfig(AppConfig):
    name = "matchday.companies"
    label = "companies"
