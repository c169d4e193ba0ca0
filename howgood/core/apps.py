from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "howgood.core"
    label = "core"
    verbose_name = "HowGood core"

    def ready(self) -> None:
        # Every app registers its audit action names in its own audit_actions module.
        autodiscover_modules("audit_actions")
