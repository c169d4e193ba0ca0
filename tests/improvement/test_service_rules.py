"""The rules of the improvement services that the pages' forms do not already enforce, and
what each one leaves behind: the words a person is shown, the rows saved (or not), the audit
events written and the reminders sent. Through the pages where a person can reach the rule,
through the service where only another caller (the demo, self-evaluation) could."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from howgood.core.models import AuditEvent
from howgood.core.updates import NotAllowed
from howgood.frameworks.models import QualityIndicator
from howgood.improvement import selectors, services
from howgood.improvement.demo import ready_plan
from howgood.improvement.models import (
    Action,
    Annotation,
    ChangeIdea,
    DataPoint,
    Driver,
    Measure,
    PdsaCycle,
    Phase,
    Plan,
    Priority,
    ProgressNote,
)
from howgood.partnerships.models import Membership

pytestmark = pytest.mark.django_db

TODAY = date.today()


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def outsider(cast: Any) -> Membership:
    return Membership.objects.get(user=cast.outsider, partnership=cast.b)


def counted_measure(cast: Any, partnership: Any, **values: Any) -> Measure:
    """A count measure (no denominator) of ``partnership``."""
    return services.measure_create(
        partnership=partnership,
        actor=cast.coordinator,
        data={
            "title": "Consultation line calls",
            "type": "process",
            "definition": "Calls to the consultation line in the period.",
            "numerator": "Calls",
            "chart": "c",
            **values,
        },
    )


def smart_action(cast: Any, plan: Any, owner: Any, measure: Any, **values: Any) -> Action:
    return services.action_create(
        plan=plan,
        actor=cast.coordinator,
        quality_indicators=[QualityIndicator.objects.get(number="5.2")],
        data={
            "title": "Hold an IRD within 24 hours for 90% of child protection concerns",
            "owner": owner,
            "due_on": TODAY + timedelta(days=100),
            "measure": measure,
            **values,
        },
    )


# --- The plan -----------------------------------------------------------------------------


def test_a_plan_that_ends_before_it_starts_is_refused_on_its_form(cast, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("coordinator").post(
        reverse("improvement:plan_create"),
        {
            "title": "Joint improvement plan 2027",
            "starts_on": "2027-04-01",
            "ends_on": "2027-03-31",
            "submission_key": "plan-1",
        },
    )
    assert response.status_code == 400
    assert "The plan must end on or after the day it starts." in response.content.decode()
    assert 'value="Joint improvement plan 2027"' in response.content.decode()
    assert not Plan.objects.exists()
    assert events("improvement.plan.created") == []


def test_priorities_are_numbered_in_turn_and_audited(cast, plan, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("coordinator")
    url = reverse("improvement:priority_add", args=[plan.pk])
    for key, title in (("p1", "Keep children safe"), ("p2", "Listen to children")):
        added = client.post(url, {"title": title, "csp_priority": "", "submission_key": key})
        assert added["Location"] == reverse("improvement:plan", args=[plan.pk])
    assert [(p.number, p.title) for p in Priority.objects.filter(plan=plan)] == [
        (1, "Keep children safe"),
        (2, "Listen to children"),
    ]
    assert [e.data for e in events("improvement.priority.added")] == [
        {"priority": "1. Keep children safe"},
        {"priority": "2. Listen to children"},
    ]
    assert [e.actor for e in events("improvement.priority.added")] == [cast.coordinator] * 2


# --- Actions ------------------------------------------------------------------------------


def test_an_action_cannot_take_an_owner_measure_or_priority_from_elsewhere(cast, plan) -> None:  # type: ignore[no-untyped-def]
    their_measure = counted_measure(cast, cast.b, title="Their measure")
    their_plan = ready_plan(partnership=cast.b, actor=cast.outsider)
    their_priority = services.priority_add(plan=their_plan, title="Theirs", actor=cast.outsider)
    with pytest.raises(ValidationError) as refused:
        services.action_create(
            plan=plan,
            actor=cast.coordinator,
            data={
                "title": "Hold an IRD within 24 hours",
                "owner": outsider(cast),
                "measure": their_measure,
                "priority": their_priority,
            },
        )
    assert refused.value.message_dict == {
        "owner": ["Choose a member of this partnership as the owner."],
        "measure": ["Choose a measure of this partnership."],
        "priority": ["Choose a priority of this plan."],
    }
    assert not Action.objects.exists()
    assert events("improvement.action.created") == []


def test_a_due_date_before_the_start_is_refused_on_the_action_form(cast, plan, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("coordinator").post(
        reverse("improvement:action_add", args=[plan.pk]),
        {
            "title": "Hold an IRD within 24 hours",
            "starts_on": "2027-03-01",
            "due_on": "2027-02-01",
            "submission_key": "a1",
        },
    )
    assert response.status_code == 400
    assert "The due date must be on or after the start date." in response.content.decode()
    assert not Action.objects.exists()


def test_changing_only_the_due_date_is_checked_against_the_saved_start(cast, plan) -> None:  # type: ignore[no-untyped-def]
    action = services.action_create(
        plan=plan,
        actor=cast.coordinator,
        data={
            "title": "Hold an IRD within 24 hours",
            "starts_on": TODAY + timedelta(days=10),
            "due_on": TODAY + timedelta(days=20),
        },
    )
    with pytest.raises(ValidationError) as refused:
        services.action_update(
            action=action, actor=cast.coordinator, data={"due_on": TODAY + timedelta(days=5)}
        )
    assert refused.value.message_dict == {
        "due_on": ["The due date must be on or after the start date."]
    }
    action.refresh_from_db()
    assert action.due_on == TODAY + timedelta(days=20)
    assert events("improvement.action.changed") == []


def test_an_action_refuses_fields_its_services_do_not_offer(cast, plan, owner) -> None:  # type: ignore[no-untyped-def]
    action = services.action_create(
        plan=plan,
        actor=cast.coordinator,
        data={"title": "Hold an IRD within 24 hours", "owner": owner},
    )
    # Status and agreement have their own services (progress, agree) with their own rules.
    with pytest.raises(NotAllowed, match="status"):
        services.action_update(action=action, actor=cast.coordinator, data={"status": "complete"})
    with pytest.raises(NotAllowed, match="agreed_on"):
        services.action_create(
            plan=plan, actor=cast.coordinator, data={"title": "Another action", "agreed_on": TODAY}
        )
    action.refresh_from_db()
    assert action.status == "not_started"
    assert list(Action.objects.values_list("title", flat=True)) == ["Hold an IRD within 24 hours"]
    assert events("improvement.action.changed") == []


def test_a_change_leaves_indicators_alone_and_records_only_what_changed(  # type: ignore[no-untyped-def]
    cast, plan, owner, measure
) -> None:
    action = smart_action(cast, plan, owner, measure)
    services.action_update(
        action=action,
        actor=cast.lead,
        data={"title": "Hold an IRD within 24 hours for 95% of child protection concerns"},
    )
    action.refresh_from_db()
    assert [q.number for q in action.quality_indicators.all()] == ["5.2"]
    assert action.title == "Hold an IRD within 24 hours for 95% of child protection concerns"
    [changed] = events("improvement.action.changed")
    assert changed.actor == cast.lead
    assert changed.data == {
        "changes": {
            "title": {
                "before": "Hold an IRD within 24 hours for 90% of child protection concerns",
                "after": "Hold an IRD within 24 hours for 95% of child protection concerns",
            }
        }
    }
    # Saving it again unchanged adds nothing to its history.
    services.action_update(
        action=action,
        actor=cast.lead,
        quality_indicators=[QualityIndicator.objects.get(number="5.2")],
        findings=[],
        data={"title": "Hold an IRD within 24 hours for 95% of child protection concerns"},
    )
    assert len(events("improvement.action.changed")) == 1


def test_agreeing_twice_keeps_the_first_agreement_and_the_planned_start(  # type: ignore[no-untyped-def]
    cast, plan, owner, measure, client_for
) -> None:
    today = timezone.localdate()  # read here: a run that crosses midnight keeps its date
    action = smart_action(cast, plan, owner, measure, starts_on=today + timedelta(days=7))
    url = reverse("improvement:action_agree", args=[action.pk])
    client_for("lead").post(url)
    again = client_for("coordinator").post(url, follow=True)
    assert "The action is agreed." in again.content.decode()
    action.refresh_from_db()
    assert action.agreed_on == today
    assert action.agreed_by == cast.lead
    assert action.starts_on == today + timedelta(days=7)
    assert [e.actor for e in events("improvement.action.agreed")] == [cast.lead]


def test_progress_refuses_what_its_form_would_have_caught(cast, plan, owner) -> None:  # type: ignore[no-untyped-def]
    action = services.action_create(
        plan=plan,
        actor=cast.coordinator,
        data={"title": "Hold an IRD within 24 hours", "owner": owner},
    )

    def refused(**values: Any) -> dict[str, list[str]]:
        with pytest.raises(ValidationError) as error:
            services.action_progress(action=action, actor=cast.action_owner, **values)
        return error.value.message_dict

    assert refused(text="   ") == {"text": ["Say what has happened since the last update."]}
    assert refused(text="Booked", progress=101) == {
        "progress": ["Enter a percentage from 0 to 100."]
    }
    assert refused(text="Booked", progress=-1) == {
        "progress": ["Enter a percentage from 0 to 100."]
    }
    assert refused(text="Booked", status="done") == {
        "status": ["Choose one of the statuses listed."]
    }
    assert not ProgressNote.objects.exists()
    assert events("improvement.action.progress") == []


def test_status_and_percentage_follow_each_other(cast, plan, owner, client_for) -> None:  # type: ignore[no-untyped-def]
    action = services.action_create(
        plan=plan,
        actor=cast.coordinator,
        data={"title": "Hold an IRD within 24 hours", "owner": owner},
    )
    client = client_for("action_owner")
    url = reverse("improvement:action", args=[action.pk])

    def post(**values: str) -> tuple[str, int]:
        assert client.post(url, {"progress": "", "status": "", **values}).status_code == 302
        action.refresh_from_db()
        return action.status, action.progress

    # A status alone leaves the percentage as it was.
    assert post(text="Paused for the summer", status="on_hold") == ("on_hold", 0)
    # A percentage on an action on hold does not start it again.
    assert post(text="Some slots booked", progress="40") == ("on_hold", 40)
    # Complete means all of it is done.
    assert post(text="All slots running", status="complete") == ("complete", 100)
    assert [(n.progress, n.status) for n in action.notes.order_by("id")] == [
        (None, "on_hold"),
        (40, ""),
        (None, "complete"),
    ]
    assert events("improvement.action.progress")[-1].data == {
        "note": "All slots running",
        "before": {"status": "On hold", "progress": 40},
        "after": {"status": "Complete", "progress": 100},
    }


def test_a_reminder_another_worker_has_just_sent_is_not_sent_again(  # type: ignore[no-untyped-def]
    cast, plan, owner, measure, monkeypatch
) -> None:
    action = smart_action(cast, plan, owner, measure)
    services.action_agree(action=action, actor=cast.lead)
    Action.objects.filter(pk=action.pk).update(
        starts_on=TODAY - timedelta(days=60), due_on=TODAY - timedelta(days=2)
    )
    real = selectors.actions_to_remind

    def read_then_overtaken(today: date) -> list[tuple[Action, str]]:
        due = real(today)
        monkeypatch.setattr(services, "actions_to_remind", real)
        assert services.reminders_send(today=today) == 1  # the other worker, first
        return due

    monkeypatch.setattr(services, "actions_to_remind", read_then_overtaken)
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert services.reminders_send() == 0
    assert [m.to for m in mail.outbox] == [[cast.action_owner.email]]
    assert len(events("improvement.action.reminded")) == 1


# --- Measures -----------------------------------------------------------------------------


def test_a_measure_owner_must_be_a_member_of_its_partnership(cast, measure) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as refused:
        counted_measure(cast, cast.a, owner=outsider(cast))
    assert refused.value.message_dict == {
        "owner": ["Choose a member of this partnership as the owner."]
    }
    with pytest.raises(ValidationError) as refused:
        services.measure_update(
            measure=measure, data={"owner": outsider(cast)}, actor=cast.coordinator
        )
    assert refused.value.message_dict == {
        "owner": ["Choose a member of this partnership as the owner."]
    }
    assert list(Measure.objects.values_list("title", flat=True)) == [measure.title]
    measure.refresh_from_db()
    assert measure.owner.user == cast.action_owner
    assert events("improvement.measure.changed") == []


def test_a_measure_is_made_only_from_the_fields_its_service_offers(cast, measure) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotAllowed, match="is_demo"):
        counted_measure(cast, cast.a, title="Sneaky", is_demo=True)
    with pytest.raises(NotAllowed, match="partnership"):
        services.measure_create(
            partnership=cast.a,
            actor=cast.coordinator,
            data={"title": "Elsewhere", "type": "process", "partnership": cast.b},
        )
    assert list(Measure.objects.values_list("title", flat=True)) == [measure.title]
    assert len(events("improvement.measure.created")) == 1


def _measure_form(measure: Measure, **changes: Any) -> dict[str, Any]:
    values = {
        "title": measure.title,
        "type": measure.type,
        "definition": measure.definition,
        "numerator": measure.numerator,
        "denominator": measure.denominator,
        "frequency": measure.frequency,
        "improvement": measure.improvement,
        "target": "" if measure.target is None else str(measure.target),
        "owner": measure.owner_id or "",
        "chart": measure.chart,
        "rules": measure.rules,
        "multiply": measure.multiply,
        "baseline_points": measure.baseline_points or "",
    }
    return {**values, **changes}


def test_a_measure_is_changed_through_its_page_checked_and_audited(  # type: ignore[no-untyped-def]
    cast, measure, client_for
) -> None:
    client = client_for("coordinator")
    url = reverse("improvement:measure_edit", args=[measure.pk])
    refused = client.post(url, _measure_form(measure, denominator=""))
    assert refused.status_code == 400
    assert "A P or U chart needs a denominator: say what it is out of." in refused.content.decode()
    measure.refresh_from_db()
    assert measure.denominator == "Referrals"
    saved = client.post(url, _measure_form(measure, title="Referrals re-classified"))
    assert saved["Location"] == reverse("improvement:measure", args=[measure.pk])
    measure.refresh_from_db()
    assert measure.title == "Referrals re-classified"
    [changed] = events("improvement.measure.changed")
    assert changed.data == {
        "changes": {
            "title": {
                "before": "Referrals re-classified as wellbeing concerns",
                "after": "Referrals re-classified",
            }
        }
    }
    # Saving the page unchanged records nothing.
    assert client.post(url, _measure_form(measure)).status_code == 302
    assert len(events("improvement.measure.changed")) == 1


def test_weekly_and_quarterly_values_are_filed_under_the_first_day_of_their_period(cast) -> None:  # type: ignore[no-untyped-def]
    weekly = counted_measure(cast, cast.a, frequency="weekly")
    quarterly = counted_measure(cast, cast.a, title="Quarterly audits", frequency="quarterly")
    wednesday, may = date(2026, 11, 18), date(2026, 5, 17)
    point = services.point_save(
        measure=weekly, period=wednesday, numerator=Decimal(6), actor=cast.coordinator
    )
    assert point.period == date(2026, 11, 16)  # its Monday
    point = services.point_save(
        measure=quarterly, period=may, numerator=Decimal(2), actor=cast.coordinator
    )
    assert point.period == date(2026, 4, 1)
    assert [e.data["period"] for e in events("improvement.point.saved")] == [
        "2026-11-16",
        "2026-04-01",
    ]
    # Another day of the same week replaces that week's value.
    services.point_save(
        measure=weekly, period=date(2026, 11, 20), numerator=Decimal(9), actor=cast.coordinator
    )
    assert [(p.period, p.numerator) for p in weekly.points.all()] == [
        (date(2026, 11, 16), Decimal(9))
    ]


def test_a_value_that_does_not_fit_the_chart_is_refused_with_its_reason(cast, measure) -> None:  # type: ignore[no-untyped-def]
    before = DataPoint.objects.count()

    def refused(numerator: str, denominator: str | None) -> dict[str, list[str]]:
        with pytest.raises(ValidationError) as error:
            services.point_save(
                measure=measure,
                period=TODAY,
                numerator=Decimal(numerator),
                denominator=None if denominator is None else Decimal(denominator),
                actor=cast.action_owner,
            )
        return error.value.message_dict

    assert refused("-1", None) == {
        "numerator": ["Enter a number of 0 or more."],
        "denominator": ["Enter the denominator (Referrals)."],
    }
    assert refused("5", "0") == {"denominator": ["The denominator must be more than 0."]}
    assert refused("41", "40") == {
        "numerator": ["The numerator cannot be more than the denominator."]
    }
    assert refused("2.5", "40") == {
        "numerator": ["Enter a whole number: this chart counts things."]
    }
    assert DataPoint.objects.count() == before


def test_an_import_the_chart_cannot_take_saves_nothing_and_says_why(  # type: ignore[no-untyped-def]
    cast, measure, client_for
) -> None:
    before = DataPoint.objects.count()
    rows = b"period,value,out_of\n2020-01,-1,40\n2020-02,5,0\n2020-03,2.5,40\n2020-04,41,40\n"
    response = client_for("action_owner").post(
        reverse("improvement:measure_import", args=[measure.pk]),
        {"file": SimpleUploadedFile("data.csv", rows, content_type="text/csv")},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Row 2: Enter a number of 0 or more." in body
    assert "Row 3: The denominator must be more than 0." in body
    assert "Row 4: Enter a whole number: this chart counts things." in body
    assert "Row 5: The numerator cannot be more than the denominator." in body
    assert DataPoint.objects.count() == before
    assert events("improvement.points.imported") == []


def test_one_phase_a_period_and_a_phase_can_be_taken_away(cast, measure, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("action_owner")
    url = reverse("improvement:phase_add", args=[measure.pk])
    month = measure.points.all()[12].period
    added = client.post(url, {"starts_on": month.isoformat(), "label": "New guidance"})
    assert added.status_code == 302
    again = client.post(
        url, {"starts_on": (month + timedelta(days=9)).isoformat(), "label": "Daily screening"}
    )
    assert again.status_code == 400
    assert "A new phase already starts in that period." in again.content.decode()
    [phase] = Phase.objects.filter(measure=measure)
    assert (phase.starts_on, phase.label) == (month, "New guidance")
    removed = client.post(reverse("improvement:phase_remove", args=[phase.pk]), follow=True)
    assert "Phase removed." in removed.content.decode()
    assert not Phase.objects.filter(measure=measure).exists()
    [event] = events("improvement.phase.removed")
    assert event.data == {"starts_on": month.isoformat(), "label": "New guidance"}
    assert event.actor == cast.action_owner


def test_a_note_added_to_the_chart_is_saved_and_shown(cast, measure, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("action_owner")
    on = measure.points.all()[20].period
    added = client.post(
        reverse("improvement:annotation_add", args=[measure.pk]),
        {"on": on.isoformat(), "text": "IRD log moved to the new system"},
    )
    assert added.status_code == 302
    note = Annotation.objects.get(measure=measure)
    assert (note.on, note.text) == (on, "IRD log moved to the new system")
    page = client.get(reverse("improvement:measure", args=[measure.pk])).content.decode()
    assert "IRD log moved to the new system" in page
    [event] = events("improvement.annotation.added")
    assert event.data == {"on": on.isoformat(), "text": "IRD log moved to the new system"}


# --- Driver diagrams and PDSA -------------------------------------------------------------


def test_a_secondary_driver_hangs_only_from_a_primary_driver_of_its_diagram(cast) -> None:  # type: ignore[no-untyped-def]
    diagram = services.diagram_create(
        partnership=cast.a, title="Thresholds", aim="Fewer re-classified", actor=cast.coordinator
    )
    other = services.diagram_create(
        partnership=cast.a, title="Other", aim="Something else", actor=cast.coordinator
    )
    primary = services.driver_add(diagram=diagram, text="Shared thresholds", actor=cast.coordinator)
    secondary = services.driver_add(
        diagram=diagram, text="Guidance", parent=primary, actor=cast.coordinator
    )
    elsewhere = services.driver_add(diagram=other, text="Elsewhere", actor=cast.coordinator)
    for parent in (secondary, elsewhere):
        with pytest.raises(ValidationError) as refused:
            services.driver_add(
                diagram=diagram, text="Too deep", parent=parent, actor=cast.coordinator
            )
        assert refused.value.message_dict == {
            "parent": ["Choose a primary driver of this diagram."]
        }
    assert not Driver.objects.filter(text="Too deep").exists()
    assert len(events("improvement.driver.added")) == 3


def test_a_change_idea_works_on_its_own_diagram_and_partnership(cast, measure) -> None:  # type: ignore[no-untyped-def]
    diagram = services.diagram_create(
        partnership=cast.a, title="Thresholds", aim="Fewer re-classified", actor=cast.coordinator
    )
    other = services.diagram_create(
        partnership=cast.a, title="Other", aim="Something else", actor=cast.coordinator
    )
    driver = services.driver_add(diagram=diagram, text="Shared thresholds", actor=cast.coordinator)
    elsewhere = services.driver_add(diagram=other, text="Elsewhere", actor=cast.coordinator)
    with pytest.raises(ValidationError) as refused:
        services.change_idea_add(
            diagram=diagram,
            driver=elsewhere,
            text="Consultation line",
            measures=[measure],
            actor=cast.coordinator,
        )
    assert refused.value.message_dict == {"driver": ["Choose a driver of this diagram."]}
    with pytest.raises(ValidationError) as refused:
        services.change_idea_add(
            diagram=diagram,
            driver=driver,
            text="Consultation line",
            measures=[measure, counted_measure(cast, cast.b)],
            actor=cast.coordinator,
        )
    assert refused.value.message_dict == {"measures": ["Choose measures of this partnership."]}
    assert not ChangeIdea.objects.exists()
    assert events("improvement.change_idea.added") == []


@pytest.fixture
def cycle(cast: Any, measure: Measure) -> PdsaCycle:
    diagram = services.diagram_create(
        partnership=cast.a, title="Thresholds", aim="Fewer re-classified", actor=cast.coordinator
    )
    driver = services.driver_add(diagram=diagram, text="Shared thresholds", actor=cast.coordinator)
    idea = services.change_idea_add(
        diagram=diagram,
        driver=driver,
        text="Consultation line",
        measures=[measure],
        actor=cast.coordinator,
    )
    return services.pdsa_plan(
        change_idea=idea,
        actor=cast.action_owner,
        data={
            "title": "Two schools for four weeks",
            "objective": "Learn whether teachers call first",
            "questions_predictions": "Half will call first",
            "starts_on": TODAY - timedelta(days=30),
        },
    )


def test_a_cycle_is_planned_only_from_the_fields_its_service_offers(cast, cycle) -> None:  # type: ignore[no-untyped-def]
    for refused in ({"is_demo": True}, {"number": 7}, {"created_by": cast.lead}):
        with pytest.raises(NotAllowed, match=next(iter(refused))):
            services.pdsa_plan(
                change_idea=cycle.change_idea,
                actor=cast.coordinator,
                data={"title": "Another cycle", **refused},
            )
    assert list(PdsaCycle.objects.values_list("title", "number")) == [(cycle.title, 1)]
    assert len(events("improvement.pdsa.planned")) == 1


WRITE_UP = {
    "what_happened": "41 calls in four weeks; 12 led to a referral.",
    "problems": "",
    "study": "More calls than predicted.",
    "act": "adapt",
    "next_cycle": "Extend to all secondary schools.",
}


def test_a_cycle_acts_only_once_it_is_studied(cast, cycle, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("action_owner")
    url = reverse("improvement:pdsa", args=[cycle.pk])
    refused = client.post(url, {**WRITE_UP, "study": ""})
    assert refused.status_code == 400
    assert "Study the results against the predictions before acting." in refused.content.decode()
    cycle.refresh_from_db()
    assert (cycle.what_happened, cycle.act, cycle.stage) == ("", "", "Do")
    assert client.post(url, WRITE_UP).status_code == 302
    cycle.refresh_from_db()
    assert (cycle.study, cycle.act, cycle.stage) == (
        "More calls than predicted.",
        "adapt",
        "Complete",
    )
    [event] = events("improvement.pdsa.updated")
    assert event.data == {
        "fields": ["what_happened", "study", "act", "next_cycle"],
        "stage": "Complete",
    }
    # The same write-up saved again records nothing new.
    assert client.post(url, WRITE_UP).status_code == 302
    assert len(events("improvement.pdsa.updated")) == 1


def test_the_study_cannot_be_cleared_while_the_cycle_acts(cast, cycle, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("action_owner")
    url = reverse("improvement:pdsa", args=[cycle.pk])
    assert client.post(url, WRITE_UP).status_code == 302
    refused = client.post(url, {**WRITE_UP, "study": "", "act": "adopt"})
    assert refused.status_code == 400
    assert "Study the results against the predictions before acting." in refused.content.decode()
    cycle.refresh_from_db()
    assert (cycle.study, cycle.act) == ("More calls than predicted.", "adapt")
    assert len(events("improvement.pdsa.updated")) == 1
