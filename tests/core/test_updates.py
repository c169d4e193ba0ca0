"""Updates go through one helper with an allow-list (core.updates.model_update): a service
changes only the fields it offers, the audit trail says what each field was and became, and
saving what is already saved changes and records nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from howgood.core.models import AuditEvent
from howgood.core.updates import NotAllowed
from howgood.improvement import services as improvement
from howgood.partnerships import services
from howgood.partnerships.models import Activity, Agency, Membership, Partnership

pytestmark = pytest.mark.django_db


def test_a_service_refuses_a_field_it_does_not_offer_and_changes_nothing(cast: Any) -> None:
    with pytest.raises(NotAllowed, match="Partnership cannot be changed in: is_demo, slug"):
        services.partnership_update(
            partnership=cast.a,
            data={"name": "Renamed", "is_demo": True, "slug": "taken"},
            actor=cast.lead,
        )
    saved = Partnership.objects.get(pk=cast.a.pk)
    assert (saved.name, saved.is_demo, saved.slug) == ("Partnership A", False, "a")
    with pytest.raises(NotAllowed, match="Activity cannot be made with: partnership"):
        services.activity_create(
            partnership=cast.a,
            data={"title": "T", "type": "survey", "partnership": cast.b},
            actor=cast.coordinator,
        )
    assert not Activity.objects.exists()


def test_changing_an_agency_through_its_page_records_what_it_was_and_what_it_became(
    cast: Any, client_for: Any
) -> None:
    agency = Agency.objects.get(partnership=cast.a, name="A Social Work")
    response = client_for("coordinator").post(
        reverse("partnerships:agency_edit", args=[agency.pk]),
        {"name": "A Social Work", "type": "social_work", "headcount": "135"},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="partnerships.agency.updated")
    assert event.data == {"changes": {"headcount": {"before": "120", "after": "135"}}}
    assert Agency.objects.get(pk=agency.pk).headcount == 135


def test_saving_what_is_already_saved_changes_and_records_nothing(
    cast: Any, client_for: Any
) -> None:
    agency = Agency.objects.get(partnership=cast.a, name="A Social Work")
    before = Agency.objects.filter(pk=agency.pk).values_list("updated_at", flat=True).get()
    client_for("coordinator").post(
        reverse("partnerships:agency_edit", args=[agency.pk]),
        {"name": "A Social Work", "type": "social_work", "headcount": "120"},
    )
    assert not AuditEvent.objects.filter(action="partnerships.agency.updated").exists()
    assert Agency.objects.filter(pk=agency.pk).values_list("updated_at", flat=True).get() == before


def test_a_measure_change_names_each_field_with_its_old_and_new_value(cast: Any) -> None:
    owner = Membership.objects.get(user=cast.action_owner, partnership=cast.a)
    measure = improvement.measure_create(
        partnership=cast.a,
        actor=cast.coordinator,
        data={
            "title": "Referrals re-classified",
            "type": "outcome",
            "definition": "Of the referrals, those re-classified.",
            "numerator": "Re-classified",
            "denominator": "Referrals",
            "improvement": "decrease",
            "target": Decimal("25"),
            "owner": owner,
            "chart": "p",
            "rules": "mdc",
            "multiply": 100,
        },
    )
    lead = Membership.objects.get(user=cast.lead, partnership=cast.a)
    improvement.measure_update(
        measure=measure,
        data={"target": Decimal("20"), "title": "Referrals re-classified", "owner": lead},
        actor=cast.coordinator,
    )
    event = AuditEvent.objects.get(action="improvement.measure.changed")
    assert event.data == {
        "changes": {
            "target": {"before": "25", "after": "20"},
            "owner": {
                "before": f"{cast.action_owner.email} as Action owner",
                "after": f"{cast.lead.email} as Partnership lead",
            },
        }
    }
    with pytest.raises(NotAllowed, match="Measure cannot be changed in: partnership"):
        improvement.measure_update(
            measure=measure, data={"partnership": cast.b}, actor=cast.coordinator
        )


def test_an_activity_edit_records_the_dates_it_moved_between(cast: Any, client_for: Any) -> None:
    activity = services.activity_create(
        partnership=cast.a,
        data={
            "title": "Staff survey",
            "type": "survey",
            "starts_on": date(2026, 2, 1),
            "ends_on": date(2026, 2, 21),
            "status": "planned",
        },
        actor=cast.coordinator,
    )
    client_for("coordinator").post(
        reverse("partnerships:activity_edit", args=[activity.pk]),
        {
            "title": "Staff survey",
            "type": "survey",
            "starts_on": "2026-02-08",
            "ends_on": "2026-02-21",
            "status": "planned",
            "description": "",
        },
    )
    event = AuditEvent.objects.get(action="partnerships.activity.updated")
    assert event.data == {"changes": {"starts_on": {"before": "2026-02-01", "after": "2026-02-08"}}}
