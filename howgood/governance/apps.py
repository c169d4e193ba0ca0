from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "howgood.governance"
    label = "governance"
    verbose_name = "Governance"
