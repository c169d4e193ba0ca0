"""Draft the programme letter from a partnership's data and write it as a Word document.

    manage.py draft_programme_letter forthvale-demo --out letter.docx

Each run drafts afresh from the data as it is now (and keeps the draft in HowGood, where its
text can be changed before it is exported again).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from howgood.governance.exports import draft_docx
from howgood.governance.models import DraftKind
from howgood.governance.services import draft_create
from howgood.partnerships.models import Partnership

# The figures the command names when it has written the file.
NAMED = ("records_read", "local_readers", "trained", "workshop_people")


class Command(BaseCommand):
    help = "Draft the programme letter from a partnership's data, as a Word document."
    kind = DraftKind.PROGRAMME_LETTER

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("partnership", help="The partnership's slug, e.g. forthvale-demo")
        parser.add_argument("--out", required=True, help="Where to write the .docx file")

    def handle(self, *args: Any, **options: Any) -> None:
        partnership = Partnership.objects.filter(slug=options["partnership"]).first()
        if partnership is None:
            raise CommandError(f"No partnership with the slug {options['partnership']!r}.")
        out = Path(options["out"])
        if not out.parent.is_dir():
            raise CommandError(f"There is no folder {out.parent} to write {out.name} in.")
        draft = draft_create(partnership=partnership, kind=self.kind, actor=None)
        out.write_bytes(draft_docx(draft))
        figures = ", ".join(
            f"{f['label'].lower()} {f['value']}" for f in draft.figures if f["key"] in NAMED
        )
        self.stdout.write(f"Wrote {out} ({figures}).")
