"""Draft the child protection committee's annual report from a partnership's data and write
it as a Word document.

    manage.py draft_annual_report forthvale-demo --out annual-report.docx
"""

from __future__ import annotations

from howgood.governance.management.commands import draft_programme_letter
from howgood.governance.models import DraftKind


class Command(draft_programme_letter.Command):
    help = "Draft the child protection committee's annual report, as a Word document."
    kind = DraftKind.ANNUAL_REPORT
