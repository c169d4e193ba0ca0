from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    name = "howgood.improvement"
    label = "improvement"
    verbose_name = "Improvement plan and improvement science"
