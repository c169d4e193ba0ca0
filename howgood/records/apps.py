from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "howgood.records"
    label = "records"
    verbose_name = "Record reading"
