"""Documents made before they had links to their sources are linked, or deleted if orphaned."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def _migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_documents_are_linked_to_what_they_were_made_from(cast: Any) -> None:
    from tests.access_matrix import improvement

    plan = improvement.objects(cast)["i_plan"]
    leaves = [node for node in MigrationExecutor(connection).loader.graph.leaf_nodes() if node[0]]
    latest = [node for node in leaves if node[0] == "reports"]
    before = _migrate([("reports", "0001_initial")])
    Old = before.get_model("reports", "GeneratedReport")

    def old(kind: str, target_id: int, capability: str) -> int:
        return int(
            Old.objects.create(
                partnership_id=cast.a.pk,
                kind=kind,
                target_id=target_id,
                title=kind,
                capability=capability,
            ).pk
        )

    linked = old("improvement.plan.pdf", plan.pk, "improvement.view")
    orphan = old("surveys.report.docx", 987654, "surveys.view")  # its survey was deleted
    stranger = old("nothing.we.make", plan.pk, "improvement.view")
    workbook = old("records.findings.xlsx", 987655, "records.findings")

    after = _migrate(latest)
    New = after.get_model("reports", "GeneratedReport")
    rows = {r.pk: r for r in New.objects.all()}
    assert set(rows) == {linked}
    assert rows[linked].plan_id == plan.pk and rows[linked].case_level is False
    assert {orphan, stranger, workbook}.isdisjoint(rows)


@pytest.mark.django_db(transaction=True)
def test_a_findings_workbook_made_before_becomes_case_level(cast: Any, framework: Any) -> None:
    from tests.access_matrix import records

    exercise = records.objects(cast)["r_exercise"]
    from howgood.reports.models import GeneratedReport

    GeneratedReport.objects.all().delete()
    latest = [
        n for n in MigrationExecutor(connection).loader.graph.leaf_nodes() if n[0] == "reports"
    ]
    before = _migrate([("reports", "0001_initial")])
    Old = before.get_model("reports", "GeneratedReport")
    made = Old.objects.create(
        partnership_id=cast.a.pk,
        kind="records.findings.xlsx",
        target_id=exercise.pk,
        title="Findings of the exercise: Excel data",
        capability="records.findings",
    )
    after = _migrate(latest)
    row = after.get_model("reports", "GeneratedReport").objects.get(pk=made.pk)
    assert (row.kind, row.capability, row.case_level, row.exercise_id) == (
        "records.readings.xlsx",
        "records.case_data",
        True,
        exercise.pk,
    )
