"""Load the national figures the Data section compares a partnership with (data/comparators)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from howgood.childprotection.services import comparators_load

FOLDER = Path(__file__).resolve().parents[4] / "data" / "comparators"


class Command(BaseCommand):
    help = "Load ScotPHO's council figures and Scotland's child protection statistics."

    def handle(self, *args: Any, **options: Any) -> None:
        count = comparators_load(
            scotpho=(FOLDER / "scotpho_children_protection_indicators_by_council.csv").read_bytes(),
            national=(
                FOLDER / "sg_csws_child_protection_national_figures_transcribed.csv"
            ).read_bytes(),
        )
        self.stdout.write(f"Loaded {count} published figures.")
