"""Load the invented demo partnership. Everything it creates is fictional and labelled so.

Runs only in demo mode (HOWGOOD_DEMO=1): demo accounts may skip two-factor sign-in there,
and nowhere else should hold them. Re-running replaces what an earlier run made (the two
demo partnerships, by their slugs, and the demo accounts, by their invented domain) with a
fresh copy. Nothing else is touched: other partnerships, real accounts and the audit trail
outside the demo partnerships (failed sign-ins, lock-outs) stay as they are.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from howgood.demo.build import DEMO_PASSWORD, demo_build
from howgood.partnerships.demo import PARTNERSHIP, ROLE_PEOPLE


class Command(BaseCommand):
    help = "Load the invented demo partnership and print the demo sign-ins."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.HOWGOOD_DEMO:
            raise CommandError(
                "The demo loads only in demo mode: it makes invented accounts that may sign in "
                "without two-factor, so it must never run on a real installation. Run it with "
                "HOWGOOD_DEMO=1 (make demo does this)."
            )
        # The demo's matters of concern would email invented leads: keep that mail in memory.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            build = demo_build()
        self.stdout.write(self.style.SUCCESS(f"Loaded the demo partnership: {PARTNERSHIP}"))
        self.stdout.write(
            "Everything in it is invented. Demo sign-ins (password for all: " + DEMO_PASSWORD + "):"
        )
        for role, name, *_ in ROLE_PEOPLE:
            member = build.people[role]
            self.stdout.write(f"  {member.get_role_display():<18} {member.user.email:<40} {name}")
        outsider = build.made["outsider"]
        self.stdout.write(
            f"  {'Outsider (Lochside)':<18} {outsider.email:<40} {outsider.full_name}"
        )
        self.stdout.write(
            "Demo mode (HOWGOOD_DEMO=1) lets these invented accounts skip two-factor sign-in."
        )
