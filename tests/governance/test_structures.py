"""The partnership's governance groups, their members and terms of reference, and their
meetings: agenda items that point at HowGood, attendance and quorum, decisions that become
plan actions, and minutes in Word."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from docx import Document as Docx

from howgood.core.models import AuditEvent
from howgood.governance import services
from howgood.governance.models import Decision, Group, Meeting
from howgood.improvement.models import Action, Measure
from howgood.improvement.services import plan_create, priority_add
from howgood.partnerships.models import Agency, Membership
from howgood.reports.models import GeneratedReport
from howgood.selfevaluation.demo import _docx
from howgood.selfevaluation.services import document_upload
from tests.pagetext import page_text

pytestmark = pytest.mark.django_db


def member(cast: Any, role: str) -> Membership:
    return Membership.objects.get(user=cast.users[role], partnership=cast.a)


def committee(cast: Any, **data: Any) -> Group:
    return services.group_create(
        partnership=cast.a,
        data={"name": "Child protection committee", "kind": "child_protection_committee", **data},
        actor=cast.lead,
    )


def test_a_group_with_terms_due_and_a_statutory_partner_missing_is_flagged(  # type: ignore[no-untyped-def]
    cast, client_for
) -> None:
    lead = client_for("lead")
    today = timezone.localdate()
    bad = lead.post(
        reverse("governance:group_create"),
        {
            "name": "Child protection committee",
            "kind": "child_protection_committee",
            "terms_agreed_on": today.isoformat(),
            "terms_review_on": (today - timedelta(days=1)).isoformat(),
            "quorum": "4",
            "submission_key": "g1",
        },
    )
    assert bad.status_code == 400
    assert "The review date must be on or after the date they were agreed." in page_text(bad)
    assert 'value="Child protection committee"' in bad.content.decode()
    made = lead.post(
        reverse("governance:group_create"),
        {
            "name": "Child protection committee",
            "kind": "child_protection_committee",
            "terms_agreed_on": (today - timedelta(days=700)).isoformat(),
            "terms_review_on": (today - timedelta(days=5)).isoformat(),
            "quorum": "4",
            "submission_key": "g2",
        },
        follow=True,
    )
    group = Group.objects.get()
    again = lead.post(
        reverse("governance:group_create"),
        {"name": "child protection COMMITTEE", "kind": "other", "submission_key": "g3"},
    )
    assert "There is already a group with this name." in page_text(again)
    assert Group.objects.count() == 1
    text = page_text(made)
    assert (
        f"The terms of reference were due for review on {today - timedelta(days=5):%-d %B %Y}."
        in text
    )
    assert "No member from Social work, Health, Police, Education" in text

    seat_url = reverse("governance:seat_add", args=[group.pk])
    lead.post(
        seat_url, {"membership": member(cast, "lead").pk, "role": "Chair", "submission_key": "s1"}
    )
    lead.post(
        seat_url,
        {
            "name": "Dr Sarah Inglis",
            "agency": cast.health.pk,
            "role": "Member",
            "submission_key": "s2",
        },
    )
    both = lead.post(
        seat_url,
        {
            "membership": member(cast, "viewer").pk,
            "name": "Someone",
            "role": "Member",
            "submission_key": "s3",
        },
    )
    assert "Choose a member of HowGood or type a name, not both." in page_text(both)
    text = page_text(lead.get(reverse("governance:group", args=[group.pk])))
    assert "| Lead Person | Chair | A Social Work | Remove | Lead Person |" in text
    assert "| Dr Sarah Inglis | (not a HowGood member) | Member | A Health |" in text
    assert "No member from Police, Education" in text
    index = page_text(lead.get(reverse("governance:index")))
    due_on = today - timedelta(days=5)
    assert (
        "| Child protection committee | Child protection committee | – | 2 | Due for review | "
        f"review {due_on:%-d %b %Y} | Police, Education |"
    ) in index
    assert (
        "| Agency | Child protection committee | A Health | 1 | A Police | – | A Social Work | 1 |"
    ) in index
    assert (
        f"Terms of reference due for review: | Child protection committee | (due {due_on:%-d %B %Y})."
    ) in index


def test_a_meeting_whose_decision_becomes_a_plan_action_and_its_minutes(  # type: ignore[no-untyped-def]
    cast, client_for, django_capture_on_commit_callbacks
) -> None:
    group = committee(cast, quorum=2)
    chair = services.seat_add(
        group=group, membership=member(cast, "lead"), role="Chair", actor=cast.lead
    )
    police = services.seat_add(
        group=group, name="DI Jo Bloggs", agency=cast.police, actor=cast.lead
    )
    health = services.seat_add(group=group, name="Dr Ann Lee", agency=cast.health, actor=cast.lead)
    today = timezone.localdate()
    plan = plan_create(
        partnership=cast.a,
        title="Joint improvement plan",
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=300),
        actor=cast.lead,
    )
    priority = priority_add(plan=plan, title="Consistent thresholds", actor=cast.lead)
    measure = Measure.objects.create(partnership=cast.a, title="IRDs within 24 hours")
    lead = client_for("lead")
    create = reverse("governance:meeting_create", args=[group.pk])
    data = {
        "held_on": (today - timedelta(days=7)).isoformat(),
        "agenda": "Apologies\n\nThreshold data\n",
        "submission_key": "m1",
    }
    first = lead.post(create, data)
    lead.post(create, data)  # a double click makes one meeting
    meeting = Meeting.objects.get()
    assert first["Location"] == reverse("governance:meeting", args=[meeting.pk])
    assert [str(i) for i in meeting.items.all()] == ["1. Apologies", "2. Threshold data"]
    clash = lead.post(create, {**data, "submission_key": "m2"})
    assert f"{group.name} already has a meeting on that day." in page_text(clash)

    lead.post(
        reverse("governance:item_add", args=[meeting.pk]),
        {"title": "IRD timeliness", "target": f"measure:{measure.pk}", "submission_key": "i1"},
    )
    other = Measure.objects.create(partnership=cast.b, title="Another partnership's measure")
    refused = services_refuses(meeting, f"measure:{other.pk}", cast)
    assert refused == {"target": ["Choose something of this partnership's."]}
    item = meeting.items.get(number=2)
    lead.post(
        reverse("governance:item_edit", args=[item.pk]),
        {"title": "Threshold data", "target": "threshold", "discussion": "Why is it higher here?"},
    )

    attendance = reverse("governance:attendance", args=[meeting.pk])
    lead.post(
        attendance,
        {
            f"seat_{chair.pk}": "present",
            f"seat_{police.pk}": "apologies",
            f"seat_{health.pk}": "absent",
        },
    )
    page = page_text(lead.get(reverse("governance:meeting", args=[meeting.pk])))
    assert "1 present, 1 sent apologies, 1 absent: | not quorate | (the quorum is 2)." in page
    assert "Present by agency: A Social Work 1." in page
    assert "| IRD timeliness | (about | IRDs within 24 hours | ) |" in page
    assert "| Threshold data | (about | The threshold page | ) |" in page
    lead.post(
        attendance,
        {
            f"seat_{chair.pk}": "present",
            f"seat_{police.pk}": "present",
            f"seat_{health.pk}": "absent",
        },
    )

    decide = reverse("governance:decision_add", args=[meeting.pk])
    missing = lead.post(
        decide,
        {"text": "Audit re-classified concerns", "make_action": "on", "submission_key": "d1"},
    )
    assert "Say what the action is, in a sentence" in page_text(missing)
    assert "Audit re-classified concerns</textarea>" in missing.content.decode()
    due = today + timedelta(days=40)
    lead.post(
        decide,
        {
            "text": "Audit re-classified concerns",
            "item": item.pk,
            "make_action": "on",
            "action_title": "Read 20 records of re-classified concerns",
            "owner": member(cast, "coordinator").pk,
            "due_on": due.isoformat(),
            "priority": priority.pk,
            "submission_key": "d2",
        },
    )
    lead.post(decide, {"text": "Note the report.", "submission_key": "d3"})
    decision = Decision.objects.get(action__isnull=False)
    action = decision.action
    assert action is not None
    assert (action.plan, action.priority, action.owner, action.due_on) == (
        plan,
        priority,
        member(cast, "coordinator"),
        due,
    )
    assert action.description == f"Decided at {meeting}: Audit re-classified concerns"
    assert Action.objects.count() == 1
    page = page_text(lead.get(reverse("governance:meeting", args=[meeting.pk])))
    assert "2 present, 0 sent apologies, 1 absent: quorate (the quorum is 2)." in page
    assert (
        "| Audit re-classified concerns | Item 2 | Read 20 records of re-classified concerns | "
        f"Coordinator Person | {due:%-d %b %Y} | Not agreed | : The action is not agreed yet. |"
    ) in page
    assert "| Note the report. | No action |" in page
    # The action is in the plan like any other.
    assert "Read 20 records of re-classified concerns" in page_text(
        lead.get(reverse("improvement:plan", args=[plan.pk]))
    )
    event = AuditEvent.objects.get(action="governance.decision.recorded", data__action=action.pk)
    assert event.data["decision"] == "Audit re-classified concerns"

    paper = document_upload(
        partnership=cast.a,
        title="Threshold briefing",
        dated=today,
        type="report",
        summary="A briefing on the threshold figures.",
        name="briefing.docx",
        data=_docx("Threshold briefing", ["A briefing."]),
        actor=cast.lead,
    )
    elsewhere = document_upload(
        partnership=cast.b,
        title="Another partnership's paper",
        dated=today,
        type="report",
        summary="Not A's.",
        name="other.docx",
        data=_docx("Other", ["Other."]),
        actor=cast.outsider,
    )
    papers_url = reverse("governance:papers", args=[meeting.pk])
    refused_paper = lead.post(papers_url, {"documents": [paper.pk, elsewhere.pk]})
    assert "Select a valid choice." in page_text(refused_paper)
    lead.post(papers_url, {"documents": [paper.pk]})
    assert "| Papers | Threshold briefing | (" in page_text(
        lead.get(reverse("governance:meeting", args=[meeting.pk]))
    )

    viewer = client_for("viewer")
    with django_capture_on_commit_callbacks(execute=True):
        viewer.post(reverse("governance:minutes", args=[meeting.pk]))
    report = GeneratedReport.objects.get(meeting=meeting)
    doc = Docx(io.BytesIO(bytes(report.content)))
    text = "\n".join(p.text for p in doc.paragraphs)
    rows = [[c.text for c in r.cells] for t in doc.tables for r in t.rows]
    assert "2 members present; the quorum is 2: the meeting was quorate." in text
    assert "Papers\nThreshold briefing\nAttendance" in text
    assert "About: The threshold page" in text
    assert "Why is it higher here?" in text
    assert ["DI Jo Bloggs", "Member", "A Police", "Present"] in rows
    assert [
        "Audit re-classified concerns",
        "Read 20 records of re-classified concerns",
        "Coordinator Person",
        f"{due:%-d %B %Y}",
        "Not agreed",
    ] in rows


def services_refuses(meeting: Meeting, target: str, cast: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        services.item_add(meeting=meeting, title="Elsewhere", target=target, actor=cast.lead)
    return caught.value.message_dict


def test_a_decision_without_a_plan_says_so_and_keeps_what_was_typed(  # type: ignore[no-untyped-def]
    cast, client_for
) -> None:
    group = committee(cast)
    meeting = services.meeting_create(
        group=group, held_on=date(2026, 3, 1), items=[], actor=cast.lead
    )
    page = client_for("coordinator").post(
        reverse("governance:decision_add", args=[meeting.pk]),
        {"text": "Do something", "make_action": "on", "action_title": "Act", "submission_key": "x"},
    )
    assert "There is no improvement plan to add the action to: make the plan first." in page_text(
        page
    )
    assert "Do something</textarea>" in page.content.decode()
    assert not Decision.objects.exists()


def test_group_rules_the_forms_do_not_reach(cast) -> None:  # type: ignore[no-untyped-def]
    parent = committee(cast)
    child = services.group_create(
        partnership=cast.a,
        data={"name": "QA subgroup", "kind": "subgroup", "reports_to": parent},
        actor=cast.lead,
    )
    with pytest.raises(ValidationError, match="cannot report to itself"):
        services.group_update(group=parent, data={"reports_to": child}, actor=cast.lead)
    services.group_update(group=child, data={"reports_to": parent, "quorum": 3}, actor=cast.lead)
    child.refresh_from_db()
    assert (child.reports_to, child.quorum) == (parent, 3)
    elsewhere = services.group_create(
        partnership=cast.b, data={"name": "B group", "kind": "other"}, actor=cast.outsider
    )
    with pytest.raises(ValidationError, match="Choose a group of this partnership"):
        services.group_update(group=child, data={"reports_to": elsewhere}, actor=cast.lead)
    b_agency = Agency.objects.get(partnership=cast.b)
    with pytest.raises(ValidationError, match="Choose people and agencies of this partnership"):
        services.seat_add(group=parent, name="X", agency=b_agency, actor=cast.lead)
    seat = services.seat_add(group=parent, membership=member(cast, "viewer"), actor=cast.lead)
    with pytest.raises(ValidationError, match="already on"):
        services.seat_add(group=parent, membership=member(cast, "viewer"), actor=cast.lead)
    meeting = services.meeting_create(
        group=parent, held_on=date(2026, 3, 1), items=[], actor=cast.lead
    )
    with pytest.raises(ValidationError, match="for the group's members only"):
        services.attendance_record(
            meeting=meeting, presence={seat.pk + 99: "present"}, actor=cast.lead
        )
    with pytest.raises(ValidationError, match="present, sent apologies or was absent"):
        services.attendance_record(meeting=meeting, presence={seat.pk: "asleep"}, actor=cast.lead)
    b_paper = document_upload(
        partnership=cast.b,
        title="B's paper",
        dated=date(2026, 3, 1),
        type="report",
        summary="Not A's.",
        name="b.docx",
        data=_docx("B", ["B."]),
        actor=cast.outsider,
    )
    with pytest.raises(ValidationError, match="Choose a document of this partnership"):
        services.group_update(group=parent, data={"terms": b_paper}, actor=cast.lead)
    with pytest.raises(ValidationError, match="Choose documents of this partnership"):
        services.papers_set(meeting=meeting, documents=[b_paper], actor=cast.lead)
    item = services.item_add(meeting=meeting, title="Data", actor=cast.lead)
    with pytest.raises(ValidationError, match="Choose something of this partnership's"):
        services.item_update(item=item, data={"target": "measure:999999"}, actor=cast.lead)
    other_meeting = services.meeting_create(
        group=child, held_on=date(2026, 3, 2), items=["Other"], actor=cast.lead
    )
    with pytest.raises(ValidationError, match="Choose an item of this meeting's agenda"):
        services.decision_record(
            meeting=meeting, text="X", item=other_meeting.items.get(), actor=cast.lead
        )
    with pytest.raises(ValidationError, match="Choose a group of this partnership"):
        services.pack_create(partnership=cast.a, group=elsewhere, actor=cast.lead)
    draft = services.draft_create(partnership=cast.a, actor=cast.lead)
    services.draft_update(draft=draft, texts={"capacity": "Mine."}, actor=cast.lead)
    draft.refresh_from_db()
    assert {s["key"]: s["text"] for s in draft.sections}["capacity"] == "Mine."
    services.seat_remove(seat=seat, actor=cast.lead)
    assert not parent.members.exists()
    assert AuditEvent.objects.filter(action="governance.seat.removed").count() == 1


def test_the_governance_page_reads_in_constant_queries(  # type: ignore[no-untyped-def]
    cast, client_for, django_assert_num_queries
) -> None:
    lead = client_for("lead")
    url = reverse("governance:index")

    def grow(n: int) -> None:
        for i in range(n):
            group = services.group_create(
                partnership=cast.a,
                data={"name": f"Group {n}-{i}", "kind": "subgroup"},
                actor=cast.lead,
            )
            services.seat_add(group=group, name=f"Person {i}", agency=cast.police, actor=cast.lead)
            services.meeting_create(
                group=group, held_on=date(2026, 1, 1 + i), items=["A"], actor=cast.lead
            )

    grow(1)
    lead.get(url)
    with django_assert_num_queries(13) as first:
        lead.get(url)
    queries = len(first.captured_queries)
    grow(4)
    with django_assert_num_queries(queries):
        lead.get(url)
