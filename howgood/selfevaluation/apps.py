from django.apps import AppConfig


class SelfEvaluationConfig(AppConfig):
    name = "howgood.selfevaluation"
    label = "selfevaluation"
    verbose_name = "Self-evaluation and the position statement"
