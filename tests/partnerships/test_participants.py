"""Workshop attendance by person: the people named, the counts by agency worked out from them,
and each person counted once across the programme's workshops."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from howgood.core.models import AuditEvent
from howgood.partnerships.models import Activity, Membership, WorkshopAttendance
from howgood.partnerships.selectors import workshop_participation
from tests.pagetext import page_text

pytestmark = pytest.mark.django_db


def workshop(cast, title: str, on: str = "2026-03-01", status: str = "done") -> Activity:  # type: ignore[no-untyped-def]
    return Activity.objects.create(
        partnership=cast.a,
        title=title,
        type="workshop",
        starts_on=date.fromisoformat(on),
        ends_on=date.fromisoformat(on),
        status=status,
    )


def member(cast, role: str) -> Membership:  # type: ignore[no-untyped-def]
    return Membership.objects.get(user=cast.users[role], partnership=cast.a)


def test_naming_people_sets_the_counts_and_keeps_what_was_typed_on_an_error(  # type: ignore[no-untyped-def]
    cast, client_for
) -> None:
    one = workshop(cast, "Workshop 1")
    client = client_for("coordinator")
    url = reverse("partnerships:participants", args=[one.pk])
    lead, reader = member(cast, "lead"), member(cast, "reader")
    typed = "Jo Bloggs, A Police\nSam Smith, Nowhere Agency\n, A Health\nJo Bloggs"
    bad = client.post(url, {"members": [str(lead.pk)], "others": typed})
    text = page_text(bad)
    assert bad.status_code == 200
    assert 'Line 2: there is no agency called "Nowhere Agency" in this partnership' in text
    assert "Line 3: give the person's name before the comma." in text
    assert "Line 4: Jo Bloggs is named twice." in text
    assert "Sam Smith, Nowhere Agency" in bad.content.decode()  # what was typed is kept
    assert WorkshopAttendance.objects.count() == 0

    good = client.post(
        url,
        {"members": [str(lead.pk), str(reader.pk)], "others": "Jo Bloggs, a police\nPat Lee"},
        follow=True,
    )
    assert "4 people named as taking part." in page_text(good)
    counts = dict(
        WorkshopAttendance.objects.filter(activity=one).values_list("agency__name", "count")
    )
    # The lead is in social work, the reader in health, Jo Bloggs in the police; Pat Lee has
    # no agency, so is in no agency's count.
    assert counts == {"A Social Work": 1, "A Health": 1, "A Police": 1}
    page = page_text(client.get(reverse("partnerships:activity", args=[one.pk])))
    assert "| Total | 3 |" in page
    assert "Jo Bloggs (A Police)" in page
    assert "Pat Lee" in page
    assert "Worked out from the people named as taking part." in page
    event = AuditEvent.objects.get(action="partnerships.participants.recorded")
    assert event.data == {"members": 2, "others": 2}
    # Counts by hand are refused once people are named (the page sends them to the names).
    refused = client.post(
        reverse("partnerships:attendance", args=[one.pk]),
        {f"agency_{cast.social_work.pk}": "9"},
        follow=True,
    )
    assert "so its numbers come from the names" in page_text(refused)
    assert WorkshopAttendance.objects.get(activity=one, agency=cast.social_work).count == 1


def test_the_form_shows_who_was_named_and_naming_nobody_clears_the_counts(  # type: ignore[no-untyped-def]
    cast, client_for
) -> None:
    one = workshop(cast, "Workshop 1")
    client = client_for("coordinator")
    url = reverse("partnerships:participants", args=[one.pk])
    lead = member(cast, "lead")
    client.post(url, {"members": [str(lead.pk)], "others": "Jo Bloggs, A Police"})
    form = client.get(url).content.decode()
    assert f'value="{lead.pk}"' in form and "checked" in form.split(f'value="{lead.pk}"')[1][:40]
    assert "Jo Bloggs, A Police</textarea>" in form
    client.post(url, {"others": ""})
    assert WorkshopAttendance.objects.filter(activity=one).count() == 0
    assert not one.participants.exists()


def test_distinct_people_count_each_person_once_and_keep_counted_workshops_apart(  # type: ignore[no-untyped-def]
    cast, client_for
) -> None:
    client = client_for("coordinator")
    lead, reader = member(cast, "lead"), member(cast, "reader")
    first, second = workshop(cast, "One", "2026-03-01"), workshop(cast, "Two", "2026-03-08")
    counted = workshop(cast, "Three", "2026-03-15")
    workshop(cast, "Cancelled", "2026-03-20", status="cancelled")
    later = workshop(cast, "Later", "2026-05-01", status="planned")
    for w, members, others in [
        (first, [lead, reader], "Jo Bloggs, A Police\nPat Lee"),
        (second, [lead], "jo bloggs, A Police\nPat Lee, A Health"),
        (later, [reader], "Somebody New"),
    ]:
        client.post(
            reverse("partnerships:participants", args=[w.pk]),
            {"members": [str(m.pk) for m in members], "others": others},
        )
    client.post(
        reverse("partnerships:attendance", args=[counted.pk]),
        {f"agency_{cast.social_work.pk}": "5", f"agency_{cast.health.pk}": "2"},
    )
    figures = workshop_participation(cast.a, on=date(2026, 4, 1))
    # Lead, reader, Jo Bloggs (twice, any case), Pat Lee without an agency and Pat Lee in
    # health (two people: names alone cannot say they are one) = 5; the later workshop is
    # not yet held and the cancelled one never was.
    assert figures == {
        "workshops": 3,
        "named_workshops": 2,
        "people": 5,
        "counted_workshops": 1,
        "counted": 7,
        "unrecorded_workshops": 0,
    }
    assert workshop_participation(cast.a, on=date(2026, 6, 1))["people"] == 6


def test_only_workshops_take_names_and_only_this_partnerships_people(  # type: ignore[no-untyped-def]
    cast, client_for
) -> None:
    client = client_for("coordinator")
    survey = Activity.objects.create(
        partnership=cast.a,
        title="Survey",
        type="survey",
        starts_on=date(2026, 3, 1),
        ends_on=date(2026, 3, 2),
    )
    page = client.post(
        reverse("partnerships:participants", args=[survey.pk]), {"others": "Jo"}, follow=True
    )
    assert "Attendance is recorded for workshops only." in page_text(page)
    one = workshop(cast, "One")
    outsider = Membership.objects.get(user=cast.outsider)
    bad = client.post(
        reverse("partnerships:participants", args=[one.pk]), {"members": [str(outsider.pk)]}
    )
    assert "Select a valid choice." in page_text(bad)
    assert not one.participants.exists()


def test_the_service_refuses_what_the_form_would_not_send(cast) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import ValidationError

    from howgood.partnerships import services
    from howgood.partnerships.models import Agency

    one = workshop(cast, "One")
    survey = Activity.objects.create(
        partnership=cast.a,
        title="Survey",
        type="survey",
        starts_on=date(2026, 3, 1),
        ends_on=date(2026, 3, 2),
    )
    outsider = Membership.objects.get(user=cast.outsider)
    b_agency = Agency.objects.get(partnership=cast.b)
    for activity, members, others, message in [
        (survey, [], [("Jo", None)], "Attendance is recorded for workshops only."),
        (one, [outsider.pk], [], "Choose members of this partnership."),
        (one, [], [("Jo", b_agency.pk)], "Choose agencies of this partnership."),
        (one, [], [("Jo", None), ("jo ", None)], "Name each other person once."),
        (one, [], [("  ", None)], "Name each other person once."),
    ]:
        with pytest.raises(ValidationError, match=message):
            services.participants_record(
                activity=activity, member_ids=members, others=others, actor=cast.coordinator
            )
    # Naming nobody where nobody was named changes no counts.
    services.attendance_record(activity=one, counts={cast.health.pk: 4}, actor=cast.coordinator)
    assert (
        services.participants_record(activity=one, member_ids=[], others=[], actor=cast.coordinator)
        == []
    )
    assert WorkshopAttendance.objects.get(activity=one).count == 4
    services.participants_record(
        activity=one, member_ids=[], others=[("Jo", None)], actor=cast.coordinator
    )
    with pytest.raises(ValidationError, match="so its numbers come from the names"):
        services.attendance_record(activity=one, counts={cast.health.pk: 4}, actor=cast.coordinator)
