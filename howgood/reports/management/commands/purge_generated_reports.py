"""Delete generated documents older than the retention period. Run it once a day (cron):

30 2 * * *  cd /srv/howgood && .venv/bin/python manage.py purge_generated_reports
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from howgood.reports.selectors import retention_days
from howgood.reports.services import documents_purge


class Command(BaseCommand):
    help = (
        "Delete Word, PDF and Excel documents made more than HOWGOOD_REPORT_RETENTION_DAYS "
        "(30 by default) days ago."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        days = retention_days()
        if days < 1:
            raise CommandError(
                f"HOWGOOD_REPORT_RETENTION_DAYS is {days}; it must be at least 1 (days)."
            )
        deleted = documents_purge(days=days)
        self.stdout.write(
            f"Deleted {deleted} document{'s' if deleted != 1 else ''} made more than "
            f"{days} day{'s' if days != 1 else ''} ago."
        )
