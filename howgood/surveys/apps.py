from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "howgood.surveys"
    label = "surveys"
    verbose_name = "Surveys"
