"""The programme letter, drafted from the data: on the demo it states the seed letter's
figures, each traceable to its source; it follows the data when drafted again; people change
its words in HowGood and the Word document carries their words."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from docx import Document

from howgood.accounts.models import User
from howgood.core.models import AuditEvent
from howgood.governance.models import Draft
from howgood.governance.services import draft_create
from howgood.partnerships.models import Membership, Partnership, TrainingRecord
from howgood.reports.models import GeneratedReport
from tests.pagetext import page_text

pytestmark = pytest.mark.django_db


def docx_text(data: bytes | Path) -> tuple[str, list[list[str]]]:
    doc = Document(io.BytesIO(data) if isinstance(data, bytes) else str(data))
    text = "\n".join(p.text for p in doc.paragraphs)
    rows = [[c.text for c in row.cells] for t in doc.tables for row in t.rows]
    return text, rows


@pytest.fixture
def demo(framework: Any, settings: Any) -> Partnership:
    settings.HOWGOOD_DEMO = True
    call_command("load_default_questionnaires", verbosity=0, stdout=io.StringIO())
    call_command("demo_load", stdout=io.StringIO())
    return Partnership.objects.get(slug="forthvale-demo")


def demo_client(email: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


def test_the_demo_letter_states_the_seed_letters_figures_and_follows_the_register(  # type: ignore[no-untyped-def]
    demo, tmp_path
) -> None:
    out = tmp_path / "letter.docx"
    printed = io.StringIO()
    call_command("draft_programme_letter", "forthvale-demo", "--out", str(out), stdout=printed)
    assert "staff trained in record reading 29" in printed.getvalue()
    text, rows = docx_text(out)
    assert "21 local practitioners from partner agencies read 31 records" in text
    assert "Across the partnership, 51 staff took part in the workshops." in text
    assert "In all, 29 staff are now trained" in text
    assert "We held 6 workshops, in which 51 staff took part" in text
    # The staff survey of the programme (302), not the later pulse survey outside it (17).
    assert "We surveyed staff across the partnership's services and received 302 completed" in text
    assert "42 children and young people and 37 parents and carers completed" in text
    by_label = {r[0]: r[1:] for r in rows}
    assert by_label["Children's records read"] == [
        "31",
        "Records with at least one submitted reading in the programme's record reading: "
        "Record reading, spring (demo)",
    ]
    assert by_label["Local practitioners who read records"][0] == "21"
    assert by_label["Staff trained in record reading"][0] == "29"
    assert by_label["Distinct staff who took part in the workshops"] == [
        "51",
        "People named as taking part, each once, at 6 of the 6 workshops",
    ]

    # Train one more person in record reading, through the register's page, and draft again.
    newcomer = Membership.objects.filter(
        partnership=demo, role="contributor", training_records__isnull=True
    ).first()
    assert newcomer is not None
    coordinator = demo_client("coordinator@demo.howgood.invalid")
    coordinator.post(
        reverse("partnerships:training_create"),
        {
            "membership": newcomer.pk,
            "trained_on": "2026-01-10",
            "trained_by": "Care Inspectorate",
            "course": "record_reading",
            "submission_key": "train-one-more",
        },
    )
    assert TrainingRecord.objects.filter(membership=newcomer).count() == 1
    call_command("draft_programme_letter", "forthvale-demo", "--out", str(out), stdout=printed)
    text, rows = docx_text(out)
    assert "In all, 30 staff are now trained" in text
    assert {r[0]: r[1] for r in rows}["Staff trained in record reading"] == "30"
    assert Draft.objects.filter(partnership=demo).count() == 2


def test_the_command_says_what_is_wrong(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No partnership with the slug 'nowhere'"):
        call_command("draft_programme_letter", "nowhere", "--out", str(tmp_path / "a.docx"))


def test_the_lead_drafts_once_changes_a_sentence_and_the_word_document_carries_it(  # type: ignore[no-untyped-def]
    cast, client_for, django_capture_on_commit_callbacks
) -> None:
    lead = client_for("lead")
    drafted = lead.post(
        reverse("governance:draft_create"), {"submission_key": "draft-1"}, follow=True
    )
    again = lead.post(reverse("governance:draft_create"), {"submission_key": "draft-1"})
    assert Draft.objects.count() == 1  # a double click drafts once
    assert again["Location"] == reverse("governance:draft", args=[Draft.objects.get().pk])
    draft = Draft.objects.get()
    text = page_text(drafted)
    assert "The programme letter is drafted from the figures as they are now." in text
    assert "Nothing drafted" not in text
    edit_url = reverse("governance:draft_edit", args=[draft.pk])
    form = lead.get(edit_url).content.decode()
    assert "[Say what helps and what limits our capacity to sustain the improvement.]" in form
    too_long = lead.post(edit_url, {"capacity": "x" * 20_001, "next_steps": "Kept as typed"})
    assert "Keep Capacity for change and improvement under 20,000 characters." in page_text(
        too_long
    )
    assert "Kept as typed</textarea>" in too_long.content.decode()
    mine = "Turnover of senior leaders has slowed us; a stable group now meets monthly."
    data = {s["key"]: s["text"] for s in draft.sections} | {"capacity": mine}
    lead.post(edit_url, data)
    lead.post(edit_url, data)  # the same again changes nothing
    draft.refresh_from_db()
    assert draft.edited
    assert [s["text"] for s in draft.sections if s["key"] == "capacity"] == [mine]
    events = AuditEvent.objects.filter(action="governance.draft.updated")
    assert [e.data for e in events] == [{"sections": ["Capacity for change and improvement"]}]
    page = page_text(lead.get(reverse("governance:draft", args=[draft.pk])))
    assert mine in page
    assert "its text was last changed" in page

    # The viewer reads the draft and asks for the Word document; they may not change it.
    viewer = client_for("viewer")
    assert viewer.get(edit_url).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        asked = viewer.post(reverse("governance:draft_word", args=[draft.pk]))
    assert asked["Location"] == reverse("reports:status", args=[GeneratedReport.objects.get().pk])
    report = GeneratedReport.objects.get(draft=draft)
    assert report.status == "ready"
    text, rows = docx_text(bytes(report.content))
    assert mine in text
    assert "Appendix: where the figures come from" in text
    assert rows[0] == ["Figure", "Value", "Where it came from"]
    assert {r[0]: r[1] for r in rows[1:]}["Children's records read"] == "0"


def test_an_empty_partnership_gets_a_letter_that_says_so(cast) -> None:  # type: ignore[no-untyped-def]
    draft = draft_create(partnership=cast.a, actor=cast.lead)
    sections = {s["key"]: s["text"] for s in draft.sections}
    assert sections["what_we_did"] == (
        "Partnership A undertook a focused programme of joint self-evaluation and improvement "
        "of its services for children and young people at risk of harm."
    )
    assert sections["next_steps"] == (
        "We will agree an improvement plan with owners and dates for each action."
    )
    assert draft.figure("trained") == 0
    assert AuditEvent.objects.filter(action="governance.draft.created").count() == 1


def test_the_service_refuses_what_the_form_would_not_send(cast) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import ValidationError

    from howgood.governance.services import draft_update

    with pytest.raises(ValidationError, match="drafts the programme letter and the annual report"):
        draft_create(partnership=cast.a, kind="minutes", actor=cast.lead)
    draft = draft_create(partnership=cast.a, actor=cast.lead)
    with pytest.raises(ValidationError, match="That section is not in this draft"):
        draft_update(draft=draft, texts={"nowhere": "x"}, actor=cast.lead)
    with pytest.raises(ValidationError, match="Keep Background under 20,000 characters"):
        draft_update(draft=draft, texts={"background": "x" * 20_001}, actor=cast.lead)
    draft.refresh_from_db()
    assert not draft.edited
    with pytest.raises(KeyError):
        draft.figure("nothing")


def test_the_annual_report_states_the_years_figures_withheld_where_small(  # type: ignore[no-untyped-def]
    cast, client_for, tmp_path
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from howgood.childprotection.services import counts_save
    from howgood.governance import services

    today = timezone.localdate()
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    counts_save(
        partnership=cast.a,
        month=last_month,
        data={
            "concerns": 40,
            "wellbeing": 12,
            "investigations": 20,
            "cppms": 10,
            "cppms_in_time": 6,
            "registrations": 3,
            "reregistrations": 1,
            "deregistrations": 6,
            "on_register": 30,
        },
        actor=cast.coordinator,
    )
    committee = services.group_create(
        partnership=cast.a,
        data={"name": "A Child Protection Committee", "kind": "child_protection_committee"},
        actor=cast.lead,
    )
    services.seat_add(group=committee, name="Dr Ann Lee", agency=cast.health, actor=cast.lead)
    services.seat_add(group=committee, name="DI Jo Bloggs", agency=cast.police, actor=cast.lead)
    services.meeting_create(
        group=committee, held_on=today - timedelta(days=40), items=[], actor=cast.lead
    )
    services.meeting_create(
        group=committee, held_on=today - timedelta(days=400), items=[], actor=cast.lead
    )
    lead = client_for("lead")
    made = lead.post(
        reverse("governance:draft_create"),
        {"kind": "annual_report", "submission_key": "annual"},
        follow=True,
    )
    assert (
        "The child protection committee annual report is drafted from the figures as they are now."
        in page_text(made)
    )
    draft = Draft.objects.get(kind="annual_report")
    sections = {s["key"]: s["text"] for s in draft.sections}
    assert sections["committee"] == (
        "A Child Protection Committee has 2 members (A Health 1; A Police 1) and met 1 time in "
        "the year."
    )
    month = f"{last_month:%b %Y}"
    assert sections["figures"].startswith(
        f"From {month} to {month}, there were 40 child protection concerns, of which 30% were "
        "re-classified to wellbeing. Of the initial child protection planning meetings, more than 5 of 10 "
        "were held within 28 days. There were fewer than 5 registrations (fewer than 5 "
        "re-registrations within 18 months) and 6 de-registrations; 30 children were on the "
        "register at the end of the year."
    )
    assert draft.figure("cp_registrations") == "fewer than 5"
    assert draft.figure("committee_meetings") == 1
    refused = lead.post(
        reverse("governance:draft_create"), {"kind": "novel", "submission_key": "n"}, follow=True
    )
    assert "Choose the programme letter or the annual report." in page_text(refused)
    assert Draft.objects.count() == 1
    out = tmp_path / "annual.docx"
    call_command("draft_annual_report", "a", "--out", str(out), stdout=io.StringIO())
    text, rows = docx_text(out)
    assert "A Child Protection Committee has 2 members (A Health 1; A Police 1)" in text
    assert {r[0]: r[1] for r in rows}["Registrations"] == "fewer than 5"
