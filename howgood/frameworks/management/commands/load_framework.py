"""``manage.py load_framework [PATH ...]``: load or reload framework files.

With no paths it loads every ``*.yaml`` file in ``data/frameworks/``. Every file is
checked first; if any has a problem nothing is loaded and each problem is listed with
its file and key path. Then all files load in one transaction. Loading an unchanged file
changes nothing and says so.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from howgood.frameworks.schema import FrameworkFileError, read_framework_file
from howgood.frameworks.services import framework_load


def default_paths() -> list[Path]:
    folder = Path(settings.BASE_DIR) / "data" / "frameworks"
    return sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])


class Command(BaseCommand):
    help = "Load or reload quality framework files (YAML). Default: every file in data/frameworks/."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="*", type=Path, help="Framework files to load.")
        parser.add_argument(
            "--check", action="store_true", help="Only check the files; change nothing."
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Show what loading would change, then undo it.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        paths: list[Path] = options["paths"] or default_paths()
        if not paths:
            raise CommandError("No framework files found in data/frameworks/.")

        errors: list[str] = []
        slugs: dict[str, str] = {}
        for path in paths:
            try:
                data = read_framework_file(path)
            except FrameworkFileError as exc:
                errors.extend(exc.errors)
                continue
            if data.slug in slugs:
                errors.append(
                    f"{path.name}: slug: {data.slug} is also the slug of {slugs[data.slug]}"
                )
            slugs[data.slug] = path.name
        if errors:
            raise CommandError(
                "Nothing was loaded. Fix these problems and run the command again:\n"
                + "\n".join(f"  {e}" for e in errors)
            )
        if options["check"]:
            self.stdout.write(f"Checked {len(paths)} file(s): no problems found.")
            return

        with transaction.atomic():
            for path in paths:
                result = framework_load(path=path, actor=None)
                for line in result.summary_lines():
                    self.stdout.write(line)
            if options["dry_run"]:
                transaction.set_rollback(True)
                self.stdout.write("Dry run: nothing was saved.")
