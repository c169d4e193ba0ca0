"""Access expectations for self-evaluation and the position statement."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.access_matrix.rules import MANAGERS, expect

CONTRIBUTE = {
    "lead",
    "coordinator",
    "reader",
    "moderator",
    "contributor",
    "action_owner",
    "scrutiny",
}
WRITE = MANAGERS | {"contributor"}


def objects(cast: Any) -> dict[str, Any]:
    from howgood.frameworks.models import QualityIndicator
    from howgood.selfevaluation import services
    from tests.core.hostile import plain_pdf

    pdf = plain_pdf()  # a PDF the upload check can read through
    document = services.document_upload(
        partnership=cast.a,
        title="Matrix policy",
        dated=date(2026, 1, 5),
        type="policy",
        summary="A policy",
        name="policy.pdf",
        data=pdf,
        actor=cast.coordinator,
    )
    record = services.service_audit_create(
        partnership=cast.a,
        title="Matrix audit",
        kind="audit",
        dated=date(2026, 2, 1),
        summary="Found things",
        findings=["Chronologies missing"],
        actor=cast.coordinator,
    )
    workshop = services.workshop_create(
        partnership=cast.a,
        title="Matrix workshop",
        quality_indicators=[QualityIndicator.objects.get(number="2.1")],
        actor=cast.coordinator,
    )
    focus = workshop.foci.get()
    contribution = services.contribution_add(
        focus=focus, kind="action", text="Share chronologies", actor=cast.contributor
    )
    statement = services.statement_create(
        partnership=cast.a, title="Matrix statement", actor=cast.coordinator
    )
    version = services.version_save(statement=statement, actor=cast.coordinator)
    return {
        "se_document": document,
        "se_audit": record,
        "se_finding": record.findings.get(),
        "se_workshop": workshop,
        "se_focus": focus,
        "se_contribution": contribution,
        "se_statement": statement,
        "se_section": statement.sections.first(),
        "se_version": version,
    }


def _pk(key: str) -> Any:
    return lambda o: {"pk": o[key].pk}


def _post(key: str, allowed: set[str] | str, ok: int) -> dict[str, Any]:
    return {"kwargs": _pk(key), "method": "post", "post": False, "expect": expect(allowed, ok=ok)}


EXPECTATIONS: dict[str, dict[str, Any]] = {
    "selfevaluation:index": {"expect": expect("all", outsider=200)},
    "selfevaluation:documents": {"expect": expect("all", outsider=200)},
    "selfevaluation:document_add": {"expect": expect(CONTRIBUTE, outsider=200)},
    "selfevaluation:document": {"kwargs": _pk("se_document"), "expect": expect("all")},
    "selfevaluation:audits": {"expect": expect("all", outsider=200)},
    "selfevaluation:audit_add": {"expect": expect(CONTRIBUTE, outsider=200)},
    "selfevaluation:audit": {"kwargs": _pk("se_audit"), "expect": expect("all")},
    # An empty form: the date is missing, so the page comes back with the error.
    "selfevaluation:finding_close": _post("se_finding", CONTRIBUTE, 400),
    "selfevaluation:workshops": {"expect": expect("all", outsider=200)},
    "selfevaluation:workshop_add": {"expect": expect(MANAGERS, outsider=200)},
    "selfevaluation:workshop": {"kwargs": _pk("se_workshop"), "expect": expect("all")},
    "selfevaluation:focus": {"kwargs": _pk("se_focus"), "expect": expect("all")},
    "selfevaluation:focus_merge": _post("se_focus", MANAGERS, 302),
    "selfevaluation:focus_evaluate": _post("se_focus", MANAGERS, 400),
    "selfevaluation:focus_evidence": _post("se_focus", CONTRIBUTE, 400),
    "selfevaluation:contribution_to_plan": _post("se_contribution", MANAGERS, 302),
    "selfevaluation:statements": {"expect": expect("all", outsider=200)},
    "selfevaluation:statement_add": {"expect": expect(WRITE, outsider=200)},
    "selfevaluation:statement": {"kwargs": _pk("se_statement"), "expect": expect("all")},
    "selfevaluation:version_save": _post("se_statement", WRITE, 302),
    "selfevaluation:compare": {"kwargs": _pk("se_statement"), "expect": expect("all")},
    "selfevaluation:statement_export": {
        "kwargs": lambda o: {"pk": o["se_statement"].pk, "fmt": "docx"},
        "method": "post",
        "post": False,
        "expect": expect("all", ok=302),
    },
    "selfevaluation:section": {"kwargs": _pk("se_section"), "expect": expect("all")},
    "selfevaluation:section_evidence": _post("se_section", WRITE, 400),
    "selfevaluation:section_comment": _post("se_section", WRITE, 302),
    "selfevaluation:section_to_plan": _post("se_section", MANAGERS, 302),
    "selfevaluation:version": {"kwargs": _pk("se_version"), "expect": expect("all")},
    "selfevaluation:version_sign_off": _post("se_version", {"lead"}, 302),
}
