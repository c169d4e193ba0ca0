from django.apps import AppConfig


class QuestionnairesConfig(AppConfig):
    name = "howgood.questionnaires"
    label = "questionnaires"
    verbose_name = "Questionnaires"
