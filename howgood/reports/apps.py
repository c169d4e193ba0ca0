from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class ReportsConfig(AppConfig):
    name = "howgood.reports"
    label = "reports"
    verbose_name = "HowGood reports"

    def ready(self) -> None:
        # Every app registers its document builders in its own exports module. Import them
        # all at start-up: a task worker (manage.py db_worker) loads no views or URLs, so a
        # builder imported only by a view would be missing there.
        autodiscover_modules("exports")
