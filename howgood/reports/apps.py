from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "howgood.reports"
    label = "reports"
    verbose_name = "HowGood reports"
