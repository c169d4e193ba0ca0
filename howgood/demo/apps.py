from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "howgood.demo"
    label = "demo"
    verbose_name = "Demo partnership"
