"""Email the owners of overdue or stale improvement actions. Run it once a day (cron):

15 7 * * *  cd /srv/howgood && .venv/bin/python manage.py remind_action_owners
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from howgood.improvement.services import reminders_send


class Command(BaseCommand):
    help = "Email the owners of overdue or stale improvement actions (at most once a day each)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = reminders_send()
        self.stdout.write(f"{sent} reminder{'s' if sent != 1 else ''} sent.")
