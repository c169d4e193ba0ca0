"""Documents that never come: stale builds are marked failed, and "Try again" makes one more.

Production runs django-tasks' database backend with ``manage.py db_worker``. These tests
switch to that backend, queue documents with no worker running, and move the rows'
timestamps back as a stopped or killed worker would leave them; one runs the real worker
(in batch mode, in this process) to make the document after "Try again".
"""

from __future__ import annotations

import io
import signal
from datetime import timedelta
from io import StringIO
from typing import Any

import docx
import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from howgood.core.models import AuditEvent
from howgood.improvement.demo import ready_plan
from howgood.reports.models import GeneratedReport
from howgood.reports.tasks import build_report

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
COULD_NOT = "This document could not be made. Try again."
BEING_PREPARED = "Your document is being prepared."
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def db_tasks(settings) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = DB_TASKS


@pytest.fixture
def plan(cast: Any) -> Any:
    return ready_plan(partnership=cast.a, actor=cast.coordinator)


def request_plan_report(client: Client, plan: Any, capture: Any) -> GeneratedReport:
    with capture(execute=True):
        response = client.post(reverse("improvement:plan_report", args=[plan.pk, "docx"]))
    report = GeneratedReport.objects.latest("pk")
    assert response["Location"] == reverse("reports:status", args=[report.pk])
    return report


def age(report: GeneratedReport, minutes: float, *, started: bool = False) -> None:
    """As if the document was queued (and, if ``started``, begun) ``minutes`` ago."""
    moment = timezone.now() - timedelta(minutes=minutes)
    GeneratedReport.objects.filter(pk=report.pk).update(
        created_at=moment, queued_at=moment, **({"started_at": moment} if started else {})
    )
    DBTaskResult.objects.filter(enqueued_at__gt=moment).update(enqueued_at=moment)


def run_worker() -> None:
    """The real ``db_worker``: make every queued document, then stop."""
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command(
            "db_worker",
            "--batch",
            "--interval",
            "0",
            "--no-startup-delay",
            "--no-reload",
            verbosity=0,
        )
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)


def retry(client: Client, report: GeneratedReport, key: str):  # type: ignore[no-untyped-def]
    return client.post(reverse("reports:retry", args=[report.pk]), {"submission_key": key})


def test_a_document_no_worker_picks_up_is_marked_failed_after_the_deadline(  # type: ignore[no-untyped-def]
    cast, plan, client_for, db_tasks, django_capture_on_commit_callbacks
) -> None:
    client = client_for("viewer")
    report = request_plan_report(client, plan, django_capture_on_commit_callbacks)
    task = DBTaskResult.objects.get()
    assert task.status == "READY" and task.args_kwargs["args"] == [report.pk, 1]
    report.refresh_from_db()
    assert report.task_id == str(task.id)
    status = reverse("reports:status", args=[report.pk])
    age(report, 14)
    assert BEING_PREPARED in client.get(status, **HTMX).content.decode()  # not too eager
    age(report, 16)
    body = client.get(status, **HTMX).content.decode()
    assert COULD_NOT in body and BEING_PREPARED not in body
    assert f'action="{reverse("reports:retry", args=[report.pk])}"' in body
    assert ">Try again</button>" in body
    assert "hx-trigger" not in body  # the page stops asking
    assert f"reference {report.pk}" in body
    report.refresh_from_db()
    assert report.status == "failed"
    assert report.error == "Not made in time: no worker started it within 15 minutes."
    client.get(status, **HTMX)
    events = AuditEvent.objects.filter(action="reports.document.timed_out")
    assert [(e.target_id, e.actor_id, e.partnership_id) for e in events] == [
        (str(report.pk), None, cast.a.pk)
    ]


def test_a_worker_killed_mid_build_leaves_a_document_that_is_then_marked_failed(  # type: ignore[no-untyped-def]
    cast, plan, client_for, db_tasks, django_capture_on_commit_callbacks
) -> None:
    client = client_for("viewer")
    report = request_plan_report(client, plan, django_capture_on_commit_callbacks)
    DBTaskResult.objects.get().claim("worker-killed-by-the-oom-killer")
    age(report, 30, started=False)
    GeneratedReport.objects.filter(pk=report.pk).update(
        started_at=timezone.now() - timedelta(minutes=14)
    )
    status = reverse("reports:status", args=[report.pk])
    page = client.get(status).content.decode()
    assert BEING_PREPARED in page  # building for 14 minutes: still within the limit
    GeneratedReport.objects.filter(pk=report.pk).update(
        started_at=timezone.now() - timedelta(minutes=16)
    )
    download = client.get(reverse("reports:download", args=[report.pk]))
    assert download.status_code == 409 and COULD_NOT in download.content.decode()
    page = client.get(status).content.decode()
    assert COULD_NOT in page and 'http-equiv="refresh"' not in page
    report.refresh_from_db()
    assert report.status == "failed" and report.error.startswith(
        "Not made in time: it was started but not finished within 15 minutes"
    )


def test_a_task_that_ended_without_recording_the_document_is_failed_at_once(  # type: ignore[no-untyped-def]
    cast, plan, client_for, db_tasks, django_capture_on_commit_callbacks
) -> None:
    client = client_for("viewer")
    report = request_plan_report(client, plan, django_capture_on_commit_callbacks)
    task = DBTaskResult.objects.get()
    task.claim("worker-1")
    task.set_failed(SystemExit(1))  # the worker was stopped hard before the build recorded
    body = client.get(reverse("reports:status", args=[report.pk]), **HTMX).content.decode()
    assert COULD_NOT in body
    report.refresh_from_db()
    assert report.status == "failed"
    assert report.error == "The task ended (FAILED) without recording the document."


@pytest.mark.django_db(transaction=True)  # the worker closes and reopens its connection
def test_try_again_queues_one_more_build_once_and_the_worker_makes_it(  # type: ignore[no-untyped-def]
    cast, plan, client_for, db_tasks, django_capture_on_commit_callbacks
) -> None:
    client = client_for("viewer")
    report = request_plan_report(client, plan, django_capture_on_commit_callbacks)
    age(report, 16)
    assert COULD_NOT in client.get(reverse("reports:status", args=[report.pk])).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        first = retry(client, report, "key-1")
    with django_capture_on_commit_callbacks(execute=True):
        twice = retry(client, report, "key-1")  # the same form sent again
    with django_capture_on_commit_callbacks(execute=True):
        other_tab = retry(client, report, "key-2")  # it is being prepared again already
    status = reverse("reports:status", args=[report.pk])
    assert [first["Location"], twice["Location"], other_tab["Location"]] == [status] * 3
    report.refresh_from_db()
    assert (report.status, report.attempts, report.error, report.started_at) == (
        "queued",
        2,
        "",
        None,
    )
    tasks = list(DBTaskResult.objects.order_by("enqueued_at"))
    assert [t.args_kwargs["args"] for t in tasks] == [[report.pk, 1], [report.pk, 2]]
    assert report.task_id == str(tasks[1].id)
    retried = AuditEvent.objects.filter(action="reports.document.retried")
    assert [(e.actor_id, e.data["attempt"], e.data["kind"]) for e in retried] == [
        (cast.viewer.pk, 2, "improvement.plan.docx")
    ]
    assert BEING_PREPARED in client.get(status).content.decode()

    run_worker()  # the first attempt's task finally runs too, and must change nothing

    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    page = client.get(status).content.decode()
    assert "Your document is ready." in page
    download = client.get(reverse("reports:download", args=[report.pk]))
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(download.content)).paragraphs)
    assert "Joint improvement plan" in text


def test_a_build_of_an_earlier_attempt_writes_nothing_but_a_late_one_is_kept(  # type: ignore[no-untyped-def]
    cast, plan
) -> None:
    report = GeneratedReport.objects.create(
        partnership=cast.a,
        kind="improvement.plan.docx",
        target_id=plan.pk,
        plan=plan,
        title="Joint improvement plan: governance report (Word)",
        capability="improvement.view",
        requested_by=cast.viewer,
        attempts=2,
    )
    build_report.enqueue(report.pk, 1)  # attempt 1, superseded by attempt 2
    report.refresh_from_db()
    assert (report.status, bytes(report.content), report.started_at) == ("queued", b"", None)
    # Attempt 2 was marked failed for taking too long, then its build finished after all.
    GeneratedReport.objects.filter(pk=report.pk).update(
        status="failed", error="Not made in time: no worker started it within 15 minutes."
    )
    build_report.enqueue(report.pk, 2)
    report.refresh_from_db()
    assert report.status == "ready" and report.error == ""
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(bytes(report.content))).paragraphs)
    assert "Joint improvement plan" in text


def test_try_again_after_a_builder_error_runs_the_same_builder_again(  # type: ignore[no-untyped-def]
    cast, plan, client_for, django_capture_on_commit_callbacks
) -> None:
    client = client_for("viewer")
    report = request_plan_report(client, plan, django_capture_on_commit_callbacks)
    report.refresh_from_db()
    assert report.status == "ready"  # the immediate backend made it at once
    # A plan deleted after the request: the builder fails, whatever is tried.
    GeneratedReport.objects.filter(pk=report.pk).update(
        status="queued", target_id=plan.pk + 1000, content=b""
    )
    build_report.enqueue(report.pk, 1)
    page = client.get(reverse("reports:status", args=[report.pk])).content.decode()
    assert COULD_NOT in page and "DoesNotExist" not in page  # no technical words
    with django_capture_on_commit_callbacks(execute=True):
        retry(client, report, "key-1")
    with django_capture_on_commit_callbacks(execute=True):
        retry(client, report, "key-1")  # a double click: no third build
    report.refresh_from_db()
    assert (report.status, report.attempts, report.params) == ("failed", 2, {})
    assert report.error.startswith("DoesNotExist")
    with django_capture_on_commit_callbacks(execute=True):
        retry(client, report, "key-2")  # a real second try
    report.refresh_from_db()
    assert report.attempts == 3
    assert AuditEvent.objects.filter(action="reports.document.retried").count() == 2


def test_try_again_is_a_post_for_people_who_may_see_the_document(  # type: ignore[no-untyped-def]
    cast, plan, client_for, django_capture_on_commit_callbacks
) -> None:
    report = GeneratedReport.objects.create(
        partnership=cast.a,
        kind="improvement.plan.docx",
        target_id=plan.pk,
        plan=plan,
        title="Plan",
        capability="improvement.manage",
        requested_by=cast.coordinator,
        status="failed",
    )
    url = reverse("reports:retry", args=[report.pk])
    assert client_for("coordinator").get(url).status_code == 405
    assert retry(client_for("viewer"), report, "k").status_code == 403
    assert retry(client_for("outsider"), report, "k").status_code == 404
    report.refresh_from_db()
    assert (report.status, report.attempts) == ("failed", 1)
    with django_capture_on_commit_callbacks(execute=True):
        retry(client_for("coordinator"), report, "k")
    report.refresh_from_db()
    assert (report.status, report.attempts) == ("ready", 2)


def test_the_command_marks_stale_documents_failed_and_leaves_the_rest(cast, plan) -> None:  # type: ignore[no-untyped-def]
    def make(title: str, status: str = "queued", **times: Any) -> GeneratedReport:
        report = GeneratedReport.objects.create(
            partnership=cast.a,
            kind="improvement.plan.docx",
            target_id=plan.pk,
            plan=plan,
            title=title,
            capability="improvement.view",
            status=status,
        )
        GeneratedReport.objects.filter(pk=report.pk).update(**times)
        return report

    long_ago = timezone.now() - timedelta(minutes=40)
    never_started = make("never started", queued_at=long_ago)
    killed = make("killed", queued_at=long_ago, started_at=timezone.now() - timedelta(minutes=20))
    waiting = make("waiting", queued_at=timezone.now() - timedelta(minutes=2))
    building = make(
        "building", queued_at=long_ago, started_at=timezone.now() - timedelta(minutes=3)
    )
    ready = make("ready", status="ready", queued_at=long_ago)
    out = StringIO()
    call_command("fail_stale_documents", stdout=out)
    assert out.getvalue() == "2 documents not made in time are now marked as failed.\n"
    statuses = dict(GeneratedReport.objects.values_list("title", "status"))
    assert statuses == {
        never_started.title: "failed",
        killed.title: "failed",
        waiting.title: "queued",
        building.title: "queued",
        ready.title: "ready",
    }
    again = StringIO()
    call_command("fail_stale_documents", stdout=again)
    assert again.getvalue() == "0 documents not made in time are now marked as failed.\n"
    assert AuditEvent.objects.filter(action="reports.document.timed_out").count() == 2
