"""The strategic dashboard: the home of the lead and the strategic group's viewers, with the
whole programme on it, nothing case-level for a viewer, what changed since a group last met,
and a constant number of queries as the data grows."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from howgood.accounts.models import User
from howgood.governance import services
from howgood.improvement.models import Action, Measure
from howgood.improvement.services import action_create, plan_create
from howgood.partnerships.models import Membership, Partnership
from howgood.records.models import Concern
from tests.pagetext import page_text

pytestmark = pytest.mark.django_db


def demo_page(email: str, url: str) -> str:
    client = Client()
    client.force_login(User.objects.get(email=email))
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_viewer_lands_on_the_dashboard_and_sees_nothing_case_level(  # type: ignore[no-untyped-def]
    framework, settings
) -> None:
    settings.HOWGOOD_DEMO = True
    call_command("load_default_questionnaires", verbosity=0, stdout=io.StringIO())
    call_command("demo_load", stdout=io.StringIO())
    forthvale = Partnership.objects.get(slug="forthvale-demo")
    concerns = list(Concern.objects.filter(partnership=forthvale).exclude(status="closed"))
    assert len(concerns) == 2
    viewer = demo_page("viewer@demo.howgood.invalid", reverse("home"))
    lead = demo_page("lead@demo.howgood.invalid", reverse("home"))
    for page in (viewer, lead):
        assert 'data-testid="dashboard"' in page
        assert "Matters of concern | 2 open | (raised by record readers" in page_text_of(page)
    for concern in concerns:
        # The lead, who sees case data, gets each open matter by its record; the viewer
        # only the count.
        assert f"Record {concern.reading_id}" in lead
        assert concern.reading_id not in viewer
    assert "/record-reading/concerns/" not in viewer
    text = page_text_of(viewer)
    assert "| Staff survey 2021 | : 302 responses, closed" in text
    assert "| Record reading, spring (demo) | : 31 records read, the last on" in text
    assert "Terms of reference due for review: | Forthvale Child Protection Committee | ." in text
    # The coordinator's home is their work, not the dashboard.
    assert 'data-testid="dashboard"' not in demo_page(
        "coordinator@demo.howgood.invalid", reverse("home")
    )


def page_text_of(body: str) -> str:
    class Page:
        content = body.encode()

    return page_text(Page())


def test_changes_since_a_groups_last_meeting_and_the_plan_tile(  # type: ignore[no-untyped-def]
    cast, client_for
) -> None:
    today = timezone.localdate()
    cpc = services.group_create(
        partnership=cast.a,
        data={"name": "CPC", "kind": "child_protection_committee"},
        actor=cast.lead,
    )
    cypp = services.group_create(
        partnership=cast.a, data={"name": "CYPP", "kind": "children_partnership"}, actor=cast.lead
    )
    services.meeting_create(
        group=cpc, held_on=today - timedelta(days=20), items=[], actor=cast.lead
    )
    services.meeting_create(
        group=cypp, held_on=today - timedelta(days=1), items=[], actor=cast.lead
    )
    plan = plan_create(
        partnership=cast.a,
        title="Plan",
        starts_on=today - timedelta(days=60),
        ends_on=today + timedelta(days=300),
        actor=cast.lead,
    )
    owner = Membership.objects.get(user=cast.action_owner, partnership=cast.a)
    for title, due in [
        ("Late one", today - timedelta(days=3)),
        ("On time", today + timedelta(days=30)),
    ]:
        action = action_create(
            plan=plan,
            actor=cast.lead,
            data={
                "title": title,
                "owner": owner,
                "due_on": due,
                "starts_on": today - timedelta(days=30),
            },
        )
        Action.objects.filter(pk=action.pk).update(agreed_on=today)  # agreed as it stands
    viewer = client_for("viewer")
    home = page_text(viewer.get(reverse("home")))
    # Both actions were added after either meeting; "any group" means the latest meeting,
    # the partnership's, yesterday.
    assert "Since the CYPP met on" in home
    assert "Actions added to the plan: 2" in home
    assert "| 1 overdue; 2 agreed this quarter. | Late one |" in home
    chosen = page_text(viewer.get(reverse("governance:dashboard"), {"group": cpc.pk}))
    assert "Since the CPC met on" in chosen
    elsewhere = services.group_create(
        partnership=cast.b, data={"name": "B group", "kind": "other"}, actor=cast.outsider
    )
    ignored = page_text(viewer.get(reverse("governance:dashboard"), {"group": elsewhere.pk}))
    assert "Since the CYPP met on" in ignored  # another partnership's group is not chosen


def test_the_dashboard_reads_in_constant_queries(  # type: ignore[no-untyped-def]
    cast, client_for, django_assert_num_queries
) -> None:
    today = timezone.localdate()
    plan = plan_create(
        partnership=cast.a,
        title="Plan",
        starts_on=today - timedelta(days=60),
        ends_on=today + timedelta(days=300),
        actor=cast.lead,
    )
    viewer = client_for("viewer")

    def grow(n: int) -> None:
        for i in range(n):
            action_create(plan=plan, actor=cast.lead, data={"title": f"Action {n}-{i}"})
            Measure.objects.create(partnership=cast.a, title=f"Measure {n}-{i}")
            group = services.group_create(
                partnership=cast.a, data={"name": f"G {n}-{i}", "kind": "subgroup"}, actor=cast.lead
            )
            services.meeting_create(
                group=group, held_on=today - timedelta(days=i + 1), items=[], actor=cast.lead
            )

    grow(1)
    viewer.get(reverse("governance:dashboard"))
    with django_assert_num_queries(25) as first:
        viewer.get(reverse("governance:dashboard"))
    queries = len(first.captured_queries)
    grow(5)
    viewer.get(reverse("governance:dashboard"))  # the new measures' charts are judged once
    with django_assert_num_queries(queries):
        viewer.get(reverse("governance:dashboard"))
