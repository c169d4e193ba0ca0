"""Record-reading pages, one module per workflow. Every view asks ``howgood.records.access`` first."""

from howgood.records.views.change import change, change_export, repeat
from howgood.records.views.concerns import (
    concern_create,
    concern_detail,
    concerns,
)
from howgood.records.views.exercises import (
    assign,
    case_data_delete,
    case_import,
    case_replace,
    cases,
    exercise_create,
    exercise_detail,
    index,
    keymap,
    pair_delete,
    pairs,
    sample,
)
from howgood.records.views.findings import (
    agreement,
    conclusion_decide,
    conclusions_suggest,
    findings,
    findings_chart,
    findings_export,
)
from howgood.records.views.moderation import (
    moderation,
)
from howgood.records.views.reading import (
    my_readings,
    reading_autosave,
    reading_check,
    reading_section,
    reading_start,
)

__all__ = [
    "agreement",
    "assign",
    "case_data_delete",
    "case_import",
    "case_replace",
    "cases",
    "change",
    "change_export",
    "concern_create",
    "concern_detail",
    "concerns",
    "conclusion_decide",
    "conclusions_suggest",
    "exercise_create",
    "exercise_detail",
    "findings",
    "findings_chart",
    "findings_export",
    "index",
    "keymap",
    "moderation",
    "my_readings",
    "pair_delete",
    "pairs",
    "reading_autosave",
    "reading_check",
    "reading_section",
    "reading_start",
    "repeat",
    "sample",
]
