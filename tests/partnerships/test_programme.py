"""The programme, workshops' attendance, the training register and the audit trail."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from django.urls import reverse

from howgood.core.models import AuditEvent
from howgood.partnerships.models import Activity, Membership, TrainingRecord, WorkshopAttendance
from howgood.partnerships.selectors import trained_readers
from tests.pagetext import page_text

pytestmark = pytest.mark.django_db


def add_activity(client, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "title": "Staff survey",
        "type": "survey",
        "starts_on": "2026-02-01",
        "ends_on": "2026-02-21",
        "status": "planned",
        "description": "",
        "submission_key": "k",
    }
    data.update(overrides)
    return client.post(reverse("partnerships:activity_create"), data)


def test_activity_create_shows_on_the_timeline(cast, client_for) -> None:  # type: ignore[no-untyped-def]
    coordinator = client_for("coordinator")
    response = add_activity(coordinator)
    activity = Activity.objects.get()
    assert response["Location"] == reverse("partnerships:activity", args=[activity.pk])
    page = client_for("contributor").get(reverse("partnerships:programme")).content.decode()
    assert "Staff survey" in page and "February 2026" in page and "<svg" in page


def test_activity_dates_are_checked_and_input_kept(cast, client_for) -> None:  # type: ignore[no-untyped-def]
    response = add_activity(client_for("coordinator"), ends_on="2026-01-01", title="Backwards")
    body = response.content.decode()
    assert response.status_code == 200 and "same as or after the start date" in body
    assert 'value="Backwards"' in body and not Activity.objects.exists()


def test_double_submit_creates_one_activity(cast, client_for) -> None:  # type: ignore[no-untyped-def]
    coordinator = client_for("coordinator")
    add_activity(coordinator, submission_key="one")
    add_activity(coordinator, submission_key="one")
    assert Activity.objects.count() == 1


def test_workshop_attendance_by_agency(cast, client_for) -> None:  # type: ignore[no-untyped-def]
    coordinator = client_for("coordinator")
    add_activity(
        coordinator,
        title="Workshop on QI 2.1",
        type="workshop",
        starts_on="2026-03-01",
        ends_on="2026-03-01",
    )
    workshop = Activity.objects.get()
    url = reverse("partnerships:attendance", args=[workshop.pk])
    bad = coordinator.post(
        url, {f"agency_{cast.social_work.pk}": "-1", f"agency_{cast.health.pk}": "4"}
    )
    assert (
        bad.status_code == 200 and b"Enter 0 or more" in bad.content and b'value="4"' in bad.content
    )
    coordinator.post(
        url,
        {
            f"agency_{cast.social_work.pk}": "5",
            f"agency_{cast.health.pk}": "4",
            f"agency_{cast.police.pk}": "",
        },
    )
    assert sorted(WorkshopAttendance.objects.values_list("count", flat=True)) == [4, 5]
    page = coordinator.get(reverse("partnerships:activity", args=[workshop.pk])).content.decode()
    assert "<strong>9</strong>" in page


def test_training_register_decides_who_can_read(cast, client_for) -> None:  # type: ignore[no-untyped-def]
    reader = Membership.objects.get(user=cast.reader, partnership=cast.a)
    assert list(trained_readers(cast.a)) == []
    client = client_for("coordinator")
    response = client.post(
        reverse("partnerships:training_create"),
        {
            "membership": reader.pk,
            "trained_on": "2026-02-01",
            "trained_by": "Care Inspectorate",
            "course": "record_reading",
            "activity": "",
            "submission_key": "t",
        },
    )
    assert response.status_code == 302
    assert list(trained_readers(cast.a)) == [reader]
    duplicate = client.post(
        reverse("partnerships:training_create"),
        {
            "membership": reader.pk,
            "trained_on": "2026-02-01",
            "trained_by": "Care Inspectorate",
            "course": "record_reading",
            "activity": "",
            "submission_key": "t2",
        },
    )
    assert b"already has this training" in duplicate.content
    assert TrainingRecord.objects.count() == 1
    # A member of another partnership cannot be put on A's register.
    outsider = Membership.objects.get(user=cast.outsider)
    refused = client.post(
        reverse("partnerships:training_create"),
        {
            "membership": outsider.pk,
            "trained_on": "2026-02-01",
            "trained_by": "x",
            "course": "record_reading",
            "activity": "",
            "submission_key": "t3",
        },
    )
    assert refused.status_code == 200 and TrainingRecord.objects.count() == 1


def test_the_course_is_a_choice_and_other_says_what_it_was(cast, client_for) -> None:  # type: ignore[no-untyped-def]
    moderator = Membership.objects.get(user=cast.moderator, partnership=cast.a)
    client = client_for("coordinator")
    url = reverse("partnerships:training_create")
    form = client.get(url).content.decode()
    for value, label in (
        ("record_reading", "Record reading"),
        ("moderation", "Moderation"),
        ("other", "Other"),
    ):
        assert f'value="{value}"' in form and label in form
    base = {
        "membership": moderator.pk,
        "trained_on": "2026-02-01",
        "trained_by": "Care Inspectorate",
        "activity": "",
    }
    free_text = client.post(url, {**base, "course": "Moderation", "submission_key": "m0"})
    assert free_text.status_code == 200 and "Choose the course" in free_text.content.decode()
    unsaid = client.post(url, {**base, "course": "other", "submission_key": "m1"})
    assert unsaid.status_code == 200 and "Say what the course was" in unsaid.content.decode()
    assert not TrainingRecord.objects.exists()
    client.post(url, {**base, "course": "moderation", "submission_key": "m2"})
    client.post(
        url,
        {
            **base,
            "course": "other",
            "course_note": "Trauma-informed practice",
            "submission_key": "m3",
        },
    )
    assert sorted(TrainingRecord.objects.values_list("course", "course_note")) == [
        ("moderation", ""),
        ("other", "Trauma-informed practice"),
    ]
    register = client.get(reverse("partnerships:training")).content.decode()
    table = register[register.index('data-testid="training"') :]
    assert "<td>Moderation</td>" in table and "<td>Trauma-informed practice</td>" in table
    assert "can moderate" in register  # the rule is said on the register page
    # Moderation training makes the moderator trained: it counts for reading as well.
    assert list(trained_readers(cast.a)) == [moderator]


def test_audit_trail_filters_and_exports_safely(cast, client_for) -> None:  # type: ignore[no-untyped-def]
    coordinator = client_for("coordinator")
    add_activity(coordinator, title='=HYPERLINK("http://evil")', submission_key="a1")
    add_activity(client_for("lead"), title="Workshop", type="workshop", submission_key="a2")
    page = coordinator.get(
        reverse("partnerships:audit"),
        {
            "action": "partnerships.activity.created",
            "person": Membership.objects.get(user=cast.lead).pk,
        },
    )
    body = page.content.decode().split('data-testid="audit"')[1]
    assert "Workshop" in body and "HYPERLINK" not in body
    export = coordinator.get(
        reverse("partnerships:audit_export"), {"action": "partnerships.activity.created"}
    )
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    labels = [r[6] for r in rows[1:]]
    assert '\'=HYPERLINK("http://evil")' in labels and "Workshop" in labels
    today = date.today().isoformat()
    empty = coordinator.get(
        reverse("partnerships:audit"), {"date_from": "2000-01-01", "date_to": "2000-01-02"}
    )
    assert b"Nothing matches" in empty.content
    bad = coordinator.get(
        reverse("partnerships:audit"), {"date_from": today, "date_to": "2000-01-01"}
    )
    assert b"must be the same as or after" in bad.content


def test_audit_trail_shows_only_this_partnerships_events(cast, client_for) -> None:  # type: ignore[no-untyped-def]
    add_activity(client_for("coordinator"), title="Secret A activity")
    page = client_for("outsider").get(reverse("partnerships:audit")).content.decode()
    assert "Secret A activity" not in page
    assert AuditEvent.objects.filter(partnership=cast.a).exists()


def test_programme_query_count_does_not_grow(cast, client_for, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    client = client_for("viewer")
    Activity.objects.create(
        partnership=cast.a,
        title="One",
        type="survey",
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 1, 2),
    )
    client.get(reverse("partnerships:programme"))
    with django_assert_num_queries(8):
        before = client.get(reverse("partnerships:programme"))
    assert before.status_code == 200
    assert "| One | Survey | 1 Jan 2026 to 2 Jan 2026 |" in page_text(before)
    for i in range(40):
        activity = Activity.objects.create(
            partnership=cast.a,
            title=f"A{i}",
            type="workshop",
            starts_on=date(2026, 1 + i % 12, 1),
            ends_on=date(2026, 1 + i % 12, 2),
        )
        WorkshopAttendance.objects.create(activity=activity, agency=cast.health, count=3)
    with django_assert_num_queries(8):
        after = client.get(reverse("partnerships:programme"))
    assert after.status_code == 200
    text = page_text(after)
    assert "| One | Survey | 1 Jan 2026 to 2 Jan 2026 |" in text
    assert "| A39 | Workshop | 1 Apr 2026 to 2 Apr 2026 |" in text
    # Forty workshops, each with its attendance of 3.
    assert len(re.findall(r"\bA\d+ \| Workshop \| [^|]+ \| [^|]+ \| 3\b", text)) == 40


def test_programme_lists_activities_by_start_date(cast, client_for) -> None:  # type: ignore[no-untyped-def]
    for title, start in [
        ("Later", date(2026, 9, 1)),
        ("Earlier", date(2026, 8, 1)),
        ("Middle", date(2026, 8, 20)),
    ]:
        Activity.objects.create(
            partnership=cast.a, title=title, type="workshop", starts_on=start, ends_on=start
        )
    body = client_for("viewer").get(reverse("partnerships:programme")).content.decode()
    assert body.index(">Earlier<") < body.index(">Middle<") < body.index(">Later<")
    assert body.count("August 2026</h2>") == 1


def test_audit_filter_returns_just_the_results_to_htmx(cast, client_for) -> None:  # type: ignore[no-untyped-def]
    add_activity(client_for("coordinator"), title="Survey")
    response = client_for("coordinator").get(reverse("partnerships:audit"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="audit-results"') and "<html" not in body


def test_audit_page_query_count_does_not_grow(cast, client_for, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    from howgood.core import audit

    client = client_for("lead")
    for i in range(3):
        audit.log(
            actor=cast.lead,
            action="partnerships.activity.created",
            partnership=cast.a,
            data={"i": i},
        )
    client.get(reverse("partnerships:audit"))
    with django_assert_num_queries(10):
        before = client.get(reverse("partnerships:audit"))
    assert before.status_code == 200
    text = page_text(before)
    assert text.count("| lead@a.example | Programme activity added |") == 3
    assert "Page 1 of" not in text
    for i in range(120):
        audit.log(
            actor=cast.coordinator,
            action="partnerships.activity.created",
            partnership=cast.a,
            data={"i": i},
        )
    with django_assert_num_queries(10):
        after = client.get(reverse("partnerships:audit"))
    assert after.status_code == 200
    text = page_text(after)
    # The newest 50 of the 123 events, newest first, on the first of three pages.
    assert text.count("| coordinator@a.example | Programme activity added |") == 50
    assert "| lead@a.example | Programme activity added |" not in text
    assert text.endswith("| Page 1 of 3 | Next")
