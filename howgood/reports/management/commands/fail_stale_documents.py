"""Mark documents that will not come (their worker stopped) as failed, so people see
"Try again" instead of "Being prepared" for ever. Run it every few minutes (cron):

*/10 * * * *  cd /srv/howgood && .venv/bin/python manage.py fail_stale_documents

The status page does the same for the document it shows; this catches the rest.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from howgood.reports.services import documents_fail_stale


class Command(BaseCommand):
    help = "Mark documents not made in time (HOWGOOD_DOCUMENT_STALE_MINUTES) as failed."

    def handle(self, *args: Any, **options: Any) -> None:
        marked = documents_fail_stale()
        self.stdout.write(
            f"{marked} document{'s' if marked != 1 else ''} not made in time "
            f"{'is' if marked == 1 else 'are'} now marked as failed."
        )
