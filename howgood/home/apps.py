from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "howgood.home"
    label = "home"
    verbose_name = "Home pages by role"
