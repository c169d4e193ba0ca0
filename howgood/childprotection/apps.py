from django.apps import AppConfig


class ChildProtectionConfig(AppConfig):
    name = "howgood.childprotection"
    label = "childprotection"
    verbose_name = "Child protection data"
