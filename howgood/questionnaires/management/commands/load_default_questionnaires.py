"""Install HowGood's shipped questionnaires (data/questionnaires/*.xlsx) as shared,
published questionnaires every partnership can use or copy. Idempotent: a file whose
form id and version are already installed is skipped; a new version of the file becomes a
new published version."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from howgood.questionnaires.models import Questionnaire, QuestionnaireVersion
from howgood.questionnaires.services import questionnaire_import, version_publish
from howgood.questionnaires.xlsform import read_xlsform

KINDS = {
    "howgood_record_reading": "record_reading",
    "howgood_staff_survey": "staff_survey",
    "howgood_children_survey": "children_survey",
    "howgood_carers_survey": "carers_survey",
}


class Command(BaseCommand):
    help = "Install or update HowGood's default questionnaires from data/questionnaires/."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "paths", nargs="*", help="Workbooks to load (default: data/questionnaires/*.xlsx)"
        )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        paths = [Path(p) for p in options["paths"]] or sorted(
            (Path(settings.BASE_DIR) / "data" / "questionnaires").glob("*.xlsx")
        )
        for path in paths:
            data = path.read_bytes()
            definition = read_xlsform(data, path.name)
            existing = QuestionnaireVersion.objects.filter(
                questionnaire__partnership__isnull=True, form_id=definition.form_id
            ).select_related("questionnaire")
            if existing.filter(source_version=definition.version).exists():
                self.stdout.write(
                    f"{path.name}: {definition.title} version {definition.version} is already installed."
                )
                continue
            first = existing.first()
            questionnaire: Questionnaire | None = first.questionnaire if first else None
            version = questionnaire_import(
                partnership=None,
                files={path.name: data},
                actor=None,
                kind=KINDS.get(definition.form_id, "other"),
                questionnaire=questionnaire,
            )
            version_publish(version=version, actor=None)
            self.stdout.write(
                self.style.SUCCESS(
                    f"{path.name}: installed {definition.title} version {definition.version} ({version.items.count()} items)."
                )
            )
