"""Saving the partnership's settings or an activity without changing anything changes and
records nothing: the audit trail holds only real changes."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from howgood.core.models import AuditEvent
from howgood.partnerships import services
from howgood.partnerships.models import Activity, Partnership

pytestmark = pytest.mark.django_db


def test_saving_the_partnership_unchanged_records_nothing(cast: Any, client_for: Any) -> None:
    lead = client_for("lead")
    response = lead.post(
        reverse("partnerships:partnership_edit"),
        {"name": "Partnership A", "suppression_threshold": "5"},
    )
    assert response["Location"] == reverse("partnerships:settings")
    saved = Partnership.objects.get(pk=cast.a.pk)
    assert (saved.name, saved.suppression_threshold) == ("Partnership A", 5)
    assert not AuditEvent.objects.filter(action="partnerships.partnership.updated").exists()


def test_saving_an_activity_unchanged_records_nothing(cast: Any, client_for: Any) -> None:
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
    response = client_for("coordinator").post(
        reverse("partnerships:activity_edit", args=[activity.pk]),
        {
            "title": "Staff survey",
            "type": "survey",
            "starts_on": "2026-02-01",
            "ends_on": "2026-02-21",
            "status": "planned",
            "description": "",
        },
    )
    assert response.status_code == 302
    saved = Activity.objects.get(pk=activity.pk)
    assert (saved.title, saved.starts_on, saved.status) == (
        "Staff survey",
        date(2026, 2, 1),
        "planned",
    )
    assert not AuditEvent.objects.filter(action="partnerships.activity.updated").exists()
