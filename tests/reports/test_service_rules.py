"""The document services' own refusals and races: a document must be made from the thing
it names, documents are kept at least a day, and a document retried while it is being
marked as failed stays queued for its new attempt."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from howgood.core.models import AuditEvent
from howgood.improvement.services import plan_create
from howgood.reports import selectors, services
from howgood.reports.models import GeneratedReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(cast: Any) -> Any:
    return plan_create(
        partnership=cast.a,
        title="Joint improvement plan",
        starts_on=date.today() - timedelta(days=90),
        ends_on=date.today() + timedelta(days=275),
        actor=cast.coordinator,
    )


def queued(cast: Any, plan: Any, minutes_ago: float) -> GeneratedReport:
    report = GeneratedReport.objects.create(
        partnership=cast.a,
        kind="improvement.plan.docx",
        target_id=plan.pk,
        plan=plan,
        title="Plan",
        capability="improvement.view",
    )
    moment = timezone.now() - timedelta(minutes=minutes_ago)
    GeneratedReport.objects.filter(pk=report.pk).update(queued_at=moment, created_at=moment)
    report.refresh_from_db()
    return report


def test_a_document_must_be_made_from_the_thing_it_names(cast: Any, plan: Any) -> None:
    with pytest.raises(ValueError, match="The document's target must be the thing it is made"):
        services.report_request(
            kind="improvement.plan.docx",
            partnership=cast.a,
            target_id=plan.pk + 1,
            title="Plan",
            params={},
            actor=cast.coordinator,
            action="improvement.plan.exported",
            target=plan,
        )
    assert not GeneratedReport.objects.exists()


def test_documents_are_kept_at_least_a_day(cast: Any, plan: Any) -> None:
    queued(cast, plan, minutes_ago=60 * 24 * 3)
    with pytest.raises(ValueError, match="The retention period of documents must be at least"):
        services.documents_purge(days=0)
    assert GeneratedReport.objects.count() == 1
    assert services.documents_purge(days=2) == 1


def test_a_document_retried_while_it_is_marked_failed_stays_queued(
    cast: Any, plan: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = queued(cast, plan, minutes_ago=40)
    reason = selectors.stale_reason

    def retried_meanwhile(row: GeneratedReport, **kwargs: Any) -> str:
        said = reason(row, **kwargs)
        # Another request presses "Try again" after the row was read as stale.
        GeneratedReport.objects.filter(pk=row.pk).update(
            attempts=row.attempts + 1, queued_at=timezone.now()
        )
        return said

    monkeypatch.setattr(services.selectors, "stale_reason", retried_meanwhile)
    assert services.documents_fail_stale() == 0
    report.refresh_from_db()
    assert (report.status, report.attempts) == ("queued", 2)
    assert not AuditEvent.objects.filter(action="reports.document.timed_out").exists()


def test_try_again_on_a_document_that_will_not_come_queues_one_more_attempt(
    cast: Any, plan: Any, django_capture_on_commit_callbacks: Any
) -> None:
    report = queued(cast, plan, minutes_ago=40)  # nobody has looked: still "being prepared"
    with django_capture_on_commit_callbacks(execute=False):
        again = services.report_retry(report=report, actor=cast.coordinator)
    assert (again.status, again.attempts, again.error) == ("queued", 2, "")
    event = AuditEvent.objects.get(action="reports.document.retried")
    assert event.data == {"report": report.pk, "kind": "improvement.plan.docx", "attempt": 2}
