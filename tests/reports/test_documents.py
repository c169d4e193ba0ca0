"""Generated documents belong to what they were made from: they go with it, and with time.

Deleting an exercise's case data deletes every document made from its readings; deleting
a survey, a plan or a position statement deletes theirs; and documents older than the
retention period (HOWGOOD_REPORT_RETENTION_DAYS, 30 days by default) are purged by
`manage.py purge_generated_reports`, which the deployment runs daily.
"""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from howgood.core.models import AuditEvent
from howgood.reports.models import GeneratedReport
from howgood.reports.services import report_request
from tests.access_matrix.test_documents import export
from tests.records.conftest import answers, read_and_moderate

pytestmark = pytest.mark.django_db


def test_deleting_case_data_deletes_the_documents_made_from_it(
    cast, ready, framework, client_for, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    read_and_moderate(cast, ready, answers)
    coordinator = client_for("coordinator")
    workbook = export(coordinator, ready, "xlsx", django_capture_on_commit_callbacks)
    report = export(coordinator, ready, "pdf", django_capture_on_commit_callbacks)
    viewers = export(
        client_for("viewer", verified=False), ready, "xlsx", django_capture_on_commit_callbacks
    )
    assert coordinator.get(reverse("reports:download", args=[workbook.pk])).status_code == 200

    page = coordinator.post(reverse("records:case_data_delete", args=[ready.pk]), follow=True)

    assert (
        "Deleted 40 records, their key map, 16 readings and 3 documents made from them."
        in page.content.decode()
    )
    for made in (workbook, report, viewers):
        assert coordinator.get(reverse("reports:download", args=[made.pk])).status_code == 404
    assert not GeneratedReport.objects.filter(exercise=ready).exists()
    event = AuditEvent.objects.get(action="records.case_data.deleted")
    assert event.data["documents"] == 3 and event.data["readings"] == 16


def test_the_confirmation_page_says_documents_go_too(cast, ready, client_for) -> None:  # type: ignore[no-untyped-def]
    page = client_for("coordinator").get(reverse("records:case_data_delete", args=[ready.pk]))
    assert "and every document made from them" in page.content.decode()


def _request(kind: str, target: Any, actor: Any) -> GeneratedReport:
    return report_request(
        kind=kind,
        partnership=target.partnership,
        target_id=target.pk,
        title="A document",
        params={},
        actor=actor,
        action="reports.document.downloaded",  # any registered action will do here
        target=target,
    )


def test_deleting_a_survey_a_plan_or_a_statement_deletes_its_documents(cast, framework) -> None:  # type: ignore[no-untyped-def]
    from tests.access_matrix import improvement, selfevaluation, surveys

    survey = surveys.objects(cast)["s_survey"]
    plan = improvement.objects(cast)["i_plan"]
    from howgood.selfevaluation import services as se_services

    statement = se_services.statement_create(
        partnership=cast.a, title="Statement to delete", actor=cast.coordinator
    )
    kept = selfevaluation.objects(cast)["se_statement"]
    made = {
        "survey": _request("surveys.report.docx", survey, cast.coordinator),
        "plan": _request("improvement.plan.pdf", plan, cast.coordinator),
        "statement": _request("selfevaluation.statement.docx", statement, cast.coordinator),
        "kept": _request("selfevaluation.statement.pdf", kept, cast.coordinator),
    }
    assert made["survey"].survey == survey and made["plan"].plan == plan
    assert made["statement"].position_statement == statement

    survey.delete()
    plan.delete()
    statement.delete()

    left = set(GeneratedReport.objects.values_list("pk", flat=True))
    assert left == {made["kept"].pk}


def test_a_document_must_say_what_it_is_made_from(cast) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="made from"):
        _request("surveys.report.docx", cast.a, cast.coordinator)
    assert not GeneratedReport.objects.exists()


def test_a_case_level_document_is_refused_to_a_role_without_case_data(
    cast, ready, framework
) -> None:  # type: ignore[no-untyped-def]
    for who in ("viewer", "scrutiny", "reader"):
        with pytest.raises(PermissionDenied):
            _request("records.readings.xlsx", ready, cast.users[who])
    assert not GeneratedReport.objects.exists()
    made = _request("records.readings.xlsx", ready, cast.coordinator)
    assert made.case_level and made.capability == "records.case_data"


def _made_days_ago(kind: str, target: Any, actor: Any, days: int) -> GeneratedReport:
    made = _request(kind, target, actor)
    GeneratedReport.objects.filter(pk=made.pk).update(
        created_at=timezone.now() - timedelta(days=days)
    )
    return made


def test_documents_older_than_the_retention_period_are_purged_daily(
    cast, ready, framework, settings
) -> None:  # type: ignore[no-untyped-def]
    old = _made_days_ago("records.readings.xlsx", ready, cast.coordinator, 31)
    older = _made_days_ago("records.findings.pdf", ready, cast.coordinator, 90)
    recent = _made_days_ago("records.findings.docx", ready, cast.coordinator, 29)
    out = io.StringIO()
    call_command("purge_generated_reports", stdout=out)
    assert out.getvalue().strip() == "Deleted 2 documents made more than 30 days ago."
    assert set(GeneratedReport.objects.values_list("pk", flat=True)) == {recent.pk}
    assert not GeneratedReport.objects.filter(pk__in=[old.pk, older.pk]).exists()
    event = AuditEvent.objects.get(action="reports.documents.purged")
    assert event.partnership == cast.a and event.data == {"documents": 2, "days": 30}
    assert event.actor is None

    settings.HOWGOOD_REPORT_RETENTION_DAYS = 7
    week_old = _made_days_ago("records.findings.docx", ready, cast.coordinator, 8)
    out = io.StringIO()
    call_command("purge_generated_reports", stdout=out)
    assert out.getvalue().strip() == "Deleted 2 documents made more than 7 days ago."
    assert not GeneratedReport.objects.filter(pk__in=[recent.pk, week_old.pk]).exists()

    out = io.StringIO()
    call_command("purge_generated_reports", stdout=out)
    assert out.getvalue().strip() == "Deleted 0 documents made more than 7 days ago."
    assert AuditEvent.objects.filter(action="reports.documents.purged").count() == 2


def test_a_retention_period_below_one_day_is_refused(settings) -> None:  # type: ignore[no-untyped-def]
    from django.core.management.base import CommandError

    settings.HOWGOOD_REPORT_RETENTION_DAYS = 0
    with pytest.raises(CommandError, match="at least 1"):
        call_command("purge_generated_reports", stdout=io.StringIO())
