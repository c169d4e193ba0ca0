"""The plan through HTTP: actions, the SMART check before agreeing, progress, RAG,
history, reminders and the governance report."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from howgood.frameworks.models import QualityIndicator
from howgood.improvement import services
from howgood.improvement.models import Action
from tests.pagetext import page_text

pytestmark = pytest.mark.django_db


def test_an_action_is_agreed_only_when_smart(cast, plan, measure, owner, client_for) -> None:  # type: ignore[no-untyped-def]
    coordinator = client_for("coordinator")
    added = coordinator.post(
        reverse("improvement:action_add", args=[plan.pk]),
        {"title": "Improve communication between services", "submission_key": "k1"},
    )
    action = Action.objects.get()
    assert added["Location"] == reverse("improvement:action", args=[action.pk])
    # The same form sent twice makes one action.
    coordinator.post(
        reverse("improvement:action_add", args=[plan.pk]),
        {"title": "Improve communication between services", "submission_key": "k1"},
    )
    assert Action.objects.count() == 1
    page = coordinator.get(reverse("improvement:plan", args=[plan.pk])).content.decode()
    assert 'data-testid="not-smart"' in page
    for words in ("Wording too vague", "Not measurable", "No owner", "relevant to", "No due date"):
        assert words in page
    refused = coordinator.post(reverse("improvement:action_agree", args=[action.pk]), follow=True)
    assert "cannot be agreed until it is SMART" in refused.content.decode()
    assert not Action.objects.get().agreed_on
    qi = QualityIndicator.objects.get(number="5.2")
    edited = coordinator.post(
        reverse("improvement:action_edit", args=[action.pk]),
        {
            "title": "Hold an IRD within 24 hours for 90% of child protection concerns",
            "owner": owner.pk,
            "due_on": (date.today() + timedelta(days=100)).isoformat(),
            "measure": measure.pk,
            "quality_indicators": [qi.pk],
        },
    )
    assert edited.status_code == 302
    coordinator.post(reverse("improvement:action_agree", args=[action.pk]))
    action.refresh_from_db()
    assert action.agreed_on == date.today() and action.starts_on == date.today()
    history = coordinator.get(reverse("improvement:action", args=[action.pk])).content.decode()
    assert "Improvement action agreed" in history
    assert "from “Improve communication between services”" in history


def test_owner_records_progress_others_cannot(cast, plan, measure, owner, client_for) -> None:  # type: ignore[no-untyped-def]
    action = services.action_create(
        plan=plan, actor=cast.coordinator, data={"title": "An action with an owner", "owner": owner}
    )
    url = reverse("improvement:action", args=[action.pk])
    missing = client_for("action_owner").post(url, {"text": "", "progress": "150"})
    assert missing.status_code == 400 and b"Say what has happened" in missing.content
    assert b'value="150"' in missing.content  # what was typed is kept
    done = client_for("action_owner").post(
        url, {"text": "Meeting slots booked", "progress": "30", "status": ""}
    )
    assert done.status_code == 302
    action.refresh_from_db()
    assert action.progress == 30 and action.status == "in_progress"
    assert action.last_progress_on == date.today()
    assert client_for("viewer").post(url, {"text": "Not mine"}).status_code == 403
    assert client_for("contributor").get(url).status_code == 200


def test_overdue_and_stale_actions_remind_their_owners_once_a_day(
    cast, plan, measure, owner
) -> None:  # type: ignore[no-untyped-def]
    qi = QualityIndicator.objects.get(number="5.2")
    overdue = services.action_create(
        plan=plan,
        actor=cast.coordinator,
        quality_indicators=[qi],
        data={
            "title": "Hold an IRD within 24 hours for 90% of concerns by March",
            "owner": owner,
            "due_on": date.today() + timedelta(days=10),
            "measure": measure,
        },
    )
    services.action_agree(action=overdue, actor=cast.lead)
    Action.objects.filter(pk=overdue.pk).update(
        starts_on=date.today() - timedelta(days=60), due_on=date.today() - timedelta(days=2)
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert services.reminders_send() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [cast.action_owner.email]
    assert "Hold an IRD within 24 hours" in mail.outbox[0].body
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert services.reminders_send() == 0  # not twice in one day
    assert services.reminders_send(today=date.today() + timedelta(days=1)) == 1


def test_reminder_command_runs_daily_from_cron(cast, plan) -> None:  # type: ignore[no-untyped-def]
    from django.core.management import call_command

    out = io.StringIO()
    call_command("remind_action_owners", stdout=out)
    assert "0 reminders sent" in out.getvalue()


def test_governance_report_in_word_and_pdf(cast, plan, measure, owner, client_for) -> None:  # type: ignore[no-untyped-def]
    import docx
    from pypdf import PdfReader

    services.action_create(
        plan=plan, actor=cast.coordinator, data={"title": "Improve communication between services"}
    )
    services.action_create(
        plan=plan,
        actor=cast.coordinator,
        data={
            "title": "Hold an IRD within 24 hours for 90% of concerns by March",
            "owner": owner,
            "measure": measure,
            "due_on": date.today() - timedelta(days=3),
        },
    )
    client = client_for("viewer")
    files = {}
    for fmt in ("docx", "pdf"):
        with TestCase.captureOnCommitCallbacks(execute=True):
            made = client.post(reverse("improvement:plan_report", args=[plan.pk, fmt]))
        report = made["Location"].rstrip("/").split("/")[-1]
        files[fmt] = client.get(reverse("reports:download", args=[report])).content
    document = docx.Document(io.BytesIO(files["docx"]))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Actions not yet SMART" in text and "Wording too vague" in text
    assert "Referrals re-classified as wellbeing concerns" in text
    assert len(document.inline_shapes) == 1  # the measure's chart
    pdf = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(files["pdf"])).pages)
    assert "How the RAG status is worked out" in pdf and "Joint improvement plan" in pdf


def test_plan_page_queries_do_not_grow_with_actions(
    cast, plan, owner, client_for, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = client_for("coordinator")
    url = reverse("improvement:plan", args=[plan.pk])
    for i in range(3):
        services.action_create(
            plan=plan, actor=cast.coordinator, data={"title": f"Action {i}", "owner": owner}
        )
    with django_assert_num_queries(12):
        few = client.get(url)
    assert few.status_code == 200
    assert "| 3 in all: 0 red, 0 amber, 0 green, 0 complete, 3 not yet agreed |" in page_text(few)
    for i in range(20):
        services.action_create(
            plan=plan, actor=cast.coordinator, data={"title": f"More {i}", "owner": owner}
        )
    with django_assert_num_queries(12):
        many = client.get(url)
    assert many.status_code == 200
    text = page_text(many)
    assert "| 23 in all: 0 red, 0 amber, 0 green, 0 complete, 23 not yet agreed |" in text
    assert "| More 19 | S | : Not specific:" in text
    assert len(re.findall(r"\| (?:Action|More) \d+ \| S \| : Not specific", text)) == 23


def test_the_plan_in_force_is_current_not_next_years(cast, plan) -> None:  # type: ignore[no-untyped-def]
    from howgood.improvement.selectors import current_plan

    services.plan_create(
        partnership=cast.a,
        title="Next year's plan",
        starts_on=date.today() + timedelta(days=300),
        ends_on=date.today() + timedelta(days=600),
        actor=cast.coordinator,
    )
    assert current_plan(cast.a) == plan
