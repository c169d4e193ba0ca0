from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    name = "howgood.frameworks"
    label = "frameworks"
    verbose_name = "Quality frameworks"
