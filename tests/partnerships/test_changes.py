"""Changing a partnership's details, an agency and an activity through the pages: the page
shows the change and the audit trail has it before and after. Attendance is for workshops
and this partnership's agencies only; a removed training record is audited."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from howgood.core.models import AuditEvent
from howgood.partnerships import services
from howgood.partnerships.models import (
    Activity,
    Membership,
    Partnership,
    TrainingCourse,
    TrainingRecord,
)

pytestmark = pytest.mark.django_db


def test_the_lead_renames_the_partnership_and_changes_its_threshold(
    cast: Any, client_for: Any
) -> None:
    lead = client_for("lead")
    response = lead.post(
        reverse("partnerships:partnership_edit"),
        {"name": "Partnership A North", "suppression_threshold": "10"},
    )
    assert response["Location"] == reverse("partnerships:settings")
    page = lead.get(reverse("partnerships:settings")).content.decode()
    assert "Partnership A North" in page
    assert Partnership.objects.get(pk=cast.a.pk).suppression_threshold == 10
    event = AuditEvent.objects.get(action="partnerships.partnership.updated")
    assert event.data == {
        "changes": {
            "name": {"before": "Partnership A", "after": "Partnership A North"},
            "suppression_threshold": {"before": "5", "after": "10"},
        }
    }


def test_the_lead_changes_an_agencys_headcount(cast: Any, client_for: Any) -> None:
    lead = client_for("lead")
    response = lead.post(
        reverse("partnerships:agency_edit", args=[cast.police.pk]),
        {"name": "A Police", "type": "police", "headcount": "55"},
    )
    assert response["Location"] == reverse("partnerships:settings")
    cast.police.refresh_from_db()
    assert cast.police.headcount == 55
    event = AuditEvent.objects.get(action="partnerships.agency.updated")
    assert event.data == {"changes": {"headcount": {"before": "40", "after": "55"}}}


def test_an_activity_is_changed_and_attendance_is_for_workshops_of_this_partnership(
    cast: Any,
) -> None:
    activity = services.activity_create(
        partnership=cast.a,
        actor=cast.coordinator,
        data={
            "title": "Staff survey",
            "type": "survey",
            "starts_on": date(2026, 2, 1),
            "ends_on": date(2026, 2, 21),
            "status": "planned",
            "description": "",
        },
    )
    services.activity_update(activity=activity, data={"status": "done"}, actor=cast.coordinator)
    assert Activity.objects.get(pk=activity.pk).status == "done"
    event = AuditEvent.objects.get(action="partnerships.activity.updated")
    assert event.data == {"changes": {"status": {"before": "planned", "after": "done"}}}

    with pytest.raises(ValidationError) as error:
        services.attendance_record(activity=activity, counts={}, actor=cast.coordinator)
    assert error.value.messages == ["Attendance is recorded for workshops only."]
    services.activity_update(activity=activity, data={"type": "workshop"}, actor=cast.coordinator)
    other = cast.b.agencies.get()
    with pytest.raises(ValidationError) as error:
        services.attendance_record(activity=activity, counts={other.pk: 3}, actor=cast.coordinator)
    assert error.value.messages == ["Choose agencies of this partnership."]


def test_a_removed_training_record_is_gone_and_audited(cast: Any, client_for: Any) -> None:
    reader = Membership.objects.get(user=cast.reader, partnership=cast.a)
    record = services.training_record_create(
        membership=reader,
        trained_on=date.today(),
        trained_by="QA team",
        course=TrainingCourse.RECORD_READING,
        activity=None,
        actor=cast.coordinator,
    )
    response = client_for("coordinator").post(
        reverse("partnerships:training_delete", args=[record.pk])
    )
    assert response.status_code == 302
    assert not TrainingRecord.objects.exists()
    assert AuditEvent.objects.filter(action="partnerships.training.deleted").count() == 1


def test_someone_invited_again_after_leaving_rejoins_in_the_new_role(cast: Any) -> None:
    viewer = Membership.objects.get(user=cast.viewer, partnership=cast.a)
    viewer.is_active = False
    viewer.save()
    invitation, _token = services.invitation_send(
        partnership=cast.a, email=cast.viewer.email, role="scrutiny", agency=None, actor=cast.lead
    )
    with pytest.raises(ValidationError) as error:
        services.invitation_accept(invitation=invitation, user=cast.reader)
    assert error.value.messages == ["This invitation was sent to a different email address."]
    joined = services.invitation_accept(invitation=invitation, user=cast.viewer)
    assert joined.pk == viewer.pk
    assert (joined.role, joined.is_active) == ("scrutiny", True)


def test_an_activity_changed_through_its_page_is_audited_before_and_after(
    cast: Any, client_for: Any
) -> None:
    activity = services.activity_create(
        partnership=cast.a,
        actor=cast.coordinator,
        data={
            "title": "Staff survey",
            "type": "survey",
            "starts_on": date(2026, 2, 1),
            "ends_on": date(2026, 2, 21),
            "status": "planned",
            "description": "",
        },
    )
    response = client_for("coordinator").post(
        reverse("partnerships:activity_edit", args=[activity.pk]),
        {
            "title": "Staff survey",
            "type": "survey",
            "starts_on": "2026-02-01",
            "ends_on": "2026-02-28",
            "status": "planned",
            "description": "",
        },
    )
    assert response["Location"] == reverse("partnerships:activity", args=[activity.pk])
    event = AuditEvent.objects.get(action="partnerships.activity.updated")
    assert event.data == {"changes": {"ends_on": {"before": "2026-02-21", "after": "2026-02-28"}}}


def test_a_partnership_whose_name_reads_like_anothers_gets_its_own_address(cast: Any) -> None:
    first = services.partnership_create(name="Training sandbox", lead=cast.lead, actor=None)
    second = services.partnership_create(name="Training Sandbox!", lead=cast.lead, actor=None)
    assert (first.slug, second.slug) == ("training-sandbox", "training-sandbox-2")


def test_a_lead_may_step_down_while_another_lead_remains(cast: Any) -> None:
    lead = Membership.objects.get(user=cast.lead, partnership=cast.a)
    with pytest.raises(ValidationError) as error:
        services.membership_deactivate(membership=lead, actor=cast.lead)
    assert error.value.messages == [
        "A partnership needs at least one lead. Make someone else the lead first."
    ]
    Membership.objects.filter(user=cast.viewer, partnership=cast.a).update(role="lead")
    services.membership_deactivate(membership=lead, actor=cast.lead)
    assert not Membership.objects.get(pk=lead.pk).is_active
