"""What each role's downloaded documents hold, not only whether they download.

Case-level data (one row per reading, free text about a child) goes only to roles that
see case data, all of whom sign in with two-factor. Viewers and scrutiny partners (who
sign in with a password only) get aggregates with small numbers hidden. A document may be
downloaded only by someone whose role may see what it holds, whoever asked for it, and
every download is written to the audit trail.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from howgood.core.models import AuditEvent
from howgood.reports.models import GeneratedReport
from tests.records.conftest import answers, read_and_moderate

pytestmark = pytest.mark.django_db

IRD = "Was an inter-agency referral discussion (IRD) held?"
SEEN_ALONE = "Was the child seen alone?"
NO_TWO_FACTOR = {"viewer", "scrutiny", "contributor", "action_owner"}


def export(client: Any, made_from: Any, fmt: str, capture: Any, **data: str) -> GeneratedReport:
    """Ask for a findings document through the page and let the background task run."""
    with capture(execute=True):
        response = client.post(reverse("records:findings_export", args=[made_from.pk, fmt]), data)
    report = GeneratedReport.objects.latest("pk")
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:status", args=[report.pk])
    assert report.status == "ready", report.error
    return report


def cells_of(book: Any) -> set[str]:
    return {
        str(cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    }


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


@pytest.mark.parametrize("who", ["viewer", "scrutiny"])
def test_viewer_and_scrutiny_partner_get_an_aggregate_workbook_with_small_numbers_hidden(
    cast, ready, framework, client_for, django_capture_on_commit_callbacks, who
) -> None:  # type: ignore[no-untyped-def]
    cases = read_and_moderate(cast, ready, answers)
    client = client_for(who, verified=False)  # these roles sign in with a password only
    report = export(client, ready, "xlsx", django_capture_on_commit_callbacks)
    download = client.get(reverse("reports:download", args=[report.pk]))
    assert download.status_code == 200
    book = load_workbook(io.BytesIO(download.content))
    assert book.sheetnames == ["About", "Findings by question", "By quality indicator"]
    cells = cells_of(book)
    assert not {c.reading_id for c in cases} & cells  # no reading IDs
    assert "Reason given here" not in cells  # no free text about a child
    assert not any("Moderated readings" in c for c in cells)
    sheet = book["Findings by question"]
    assert [c.value for c in sheet[1]] == ["Section", "Question", "Answer", "Records", "Out of"]
    rows = {(r[1], r[2]): (r[3], r[4]) for r in sheet.iter_rows(min_row=2, values_only=True)}
    # 3 of 8 children were seen alone. Eight records are fewer than twice the threshold, so
    # no count of any answer is given for them (stats.disclosure: a small group's answers,
    # and the small number left over, are not shown), and no row gives one away.
    assert (SEEN_ALONE, "Yes") not in rows and (SEEN_ALONE, "No") not in rows
    assert rows == {}
    assert not any(question == "Why did you give this evaluation?" for question, _ in rows)
    about = "\n".join(str(c.value) for row in book["About"].iter_rows() for c in row if c.value)
    assert "No individual readings" in about
    assert (
        "No counts by question: 8 moderated readings are fewer than 10 (twice the threshold of "
        "5 for small numbers), so any count could point to a child's record." in about
    )
    event = AuditEvent.objects.get(action="reports.document.downloaded")
    assert event.actor == cast.users[who] and event.target_id == str(report.pk)
    assert event.data["case_level"] is False


@pytest.mark.parametrize("who", ["coordinator", "moderator"])
def test_case_data_roles_get_every_moderated_reading_and_the_download_is_audited(
    cast, ready, framework, client_for, django_capture_on_commit_callbacks, who
) -> None:  # type: ignore[no-untyped-def]
    cases = read_and_moderate(cast, ready, answers)
    client = client_for(who)
    report = export(client, ready, "xlsx", django_capture_on_commit_callbacks)
    assert report.case_level
    download = client.get(reverse("reports:download", args=[report.pk]))
    assert download.status_code == 200
    book = load_workbook(io.BytesIO(download.content))
    rows = list(book["Moderated readings"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 8 and {r[0] for r in rows} == {c.reading_id for c in cases}
    assert "Reason given here" in cells_of(book)
    event = AuditEvent.objects.get(action="reports.document.downloaded")
    assert event.actor == cast.users[who] and event.target_id == str(report.pk)
    assert event.data == {
        "kind": report.kind,
        "case_level": True,
        "filename": report.filename,
    }
    assert event.partnership == cast.a


def test_a_per_reading_workbook_cannot_be_had_by_guessing_its_number(
    cast, ready, framework, client_for, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    read_and_moderate(cast, ready, answers)
    report = export(client_for("coordinator"), ready, "xlsx", django_capture_on_commit_callbacks)
    expected = {
        "viewer": 403,
        "scrutiny": 403,
        "contributor": 403,
        "action_owner": 403,
        "reader": 403,
        "other_reader": 403,
        "outsider": 404,
        "lead": 200,
    }
    got = {}
    for who in expected:
        client = client_for(who, verified=who not in NO_TWO_FACTOR)
        got[who] = (
            client.get(reverse("reports:download", args=[report.pk])).status_code,
            client.get(reverse("reports:status", args=[report.pk])).status_code,
        )
    assert got == {who: (status, status) for who, status in expected.items()}
    downloads = AuditEvent.objects.filter(action="reports.document.downloaded")
    assert [e.actor for e in downloads] == [cast.lead]


def test_a_case_level_download_needs_two_factor(
    cast, ready, framework, client_for, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    read_and_moderate(cast, ready, answers)
    report = export(client_for("coordinator"), ready, "xlsx", django_capture_on_commit_callbacks)
    password_only = client_for("coordinator", verified=False)
    response = password_only.get(reverse("reports:download", args=[report.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))
    assert not AuditEvent.objects.filter(action="reports.document.downloaded").exists()


def test_viewers_reports_hide_small_numbers_and_a_coordinators_do_not(
    cast, ready, framework, client_for, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    read_and_moderate(cast, ready, answers)
    viewer = client_for("viewer", verified=False)
    theirs = export(viewer, ready, "docx", django_capture_on_commit_callbacks)
    assert theirs.params == {"share": True} and not theirs.case_level
    viewer_text = docx_text(viewer.get(reverse("reports:download", args=[theirs.pk])).content)
    coordinator = client_for("coordinator")
    ours = export(coordinator, ready, "docx", django_capture_on_commit_callbacks)
    assert ours.params == {"share": False}
    coordinator_text = docx_text(
        coordinator.get(reverse("reports:download", args=[ours.pk])).content
    )
    # Seen alone: 3 of 8. The coordinator sees the number; the viewer does not.
    assert "(3 of 8, 38%)" in coordinator_text
    assert "(3 of 8" not in viewer_text and "38%" not in viewer_text
    assert (
        "Was the child seen alone?\nmore than 3 of 8\n"
        "not shown, so that a small number cannot be worked out"
    ) in viewer_text


def test_an_exact_findings_report_cannot_be_had_by_guessing_its_number(
    cast, ready, framework, client_for, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    read_and_moderate(cast, ready, answers)
    ours = export(client_for("coordinator"), ready, "docx", django_capture_on_commit_callbacks)
    assert ours.params == {"share": False} and ours.capability == "records.case_data"
    got = {
        who: client_for(who, verified=who not in NO_TWO_FACTOR)
        .get(reverse("reports:download", args=[ours.pk]))
        .status_code
        for who in ("viewer", "scrutiny", "moderator", "lead")
    }
    # A viewer and a scrutiny partner get the copy for sharing; the exact one is not theirs.
    assert got == {"viewer": 403, "scrutiny": 403, "moderator": 200, "lead": 200}


def test_a_scrutiny_partner_may_have_survey_reports_for_sharing_only(
    cast, framework, client_for
) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import PermissionDenied

    from howgood.reports.services import report_request
    from tests.surveys.test_respondent_work import _published, _survey

    survey = _survey(cast, _published(cast))

    def ask(who: str, share: bool) -> GeneratedReport:
        return report_request(
            kind="surveys.report.docx",
            partnership=cast.a,
            target_id=survey.pk,
            title="Survey report",
            params={"share": share},
            actor=cast.users[who],
            action="surveys.report.requested",
            target=survey,
        )

    with pytest.raises(PermissionDenied):
        ask("scrutiny", share=False)
    theirs, ours = ask("scrutiny", share=True), ask("coordinator", share=False)
    assert (theirs.capability, ours.capability) == ("surveys.view", "surveys.exact")
    status = {
        who: client_for(who, verified=False)
        .get(reverse("reports:status", args=[ours.pk]))
        .status_code
        for who in ("scrutiny", "viewer")
    }
    assert status == {"scrutiny": 403, "viewer": 200}
