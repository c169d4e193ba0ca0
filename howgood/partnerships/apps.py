from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "howgood.partnerships"
    label = "partnerships"
    verbose_name = "Partnerships and programme"
