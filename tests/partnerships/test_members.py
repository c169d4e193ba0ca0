"""Agencies, members, invitations and the partnership switcher, through HTTP."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from howgood.core.models import AuditEvent
from howgood.partnerships.models import Agency, Invitation, Membership
from tests.pagetext import page_text

pytestmark = pytest.mark.django_db


def invite(client: Client, email: str, role: str = "reader", key: str = "k1"):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("partnerships:invite"),
        {"email": email, "role": role, "agency": "", "submission_key": key},
    )


def test_invitation_email_accept_and_new_account(
    cast, client_for, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    coordinator = client_for("coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(coordinator, "New.Person@Health.example", "contributor")
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new.person@health.example"]
    link = re.search(r"http://\S+/invitation/(\S+)/", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    path = reverse("partnerships:invitation_accept", args=[link.group(1)])
    newcomer = Client()
    page = newcomer.get(path)
    assert page.status_code == 200 and b"Create your HowGood account" in page.content
    short = newcomer.post(
        path, {"full_name": "New Person", "password1": "short", "password2": "short"}
    )
    assert (
        short.status_code == 200 and b'value="New Person"' in short.content
    )  # keeps what was typed
    done = newcomer.post(
        path,
        {
            "full_name": "New Person",
            "password1": "a long enough pass phrase",
            "password2": "a long enough pass phrase",
        },
    )
    assert done.status_code == 302
    membership = Membership.objects.get(user__email="new.person@health.example")
    assert membership.partnership == cast.a and membership.role == "contributor"
    assert newcomer.get("/").status_code == 200
    assert newcomer.get(path).status_code == 410  # used once only
    assert AuditEvent.objects.filter(action="partnerships.invitation.accepted").count() == 1


def test_double_submit_creates_one_invitation(cast, client_for) -> None:  # type: ignore[no-untyped-def]
    coordinator = client_for("coordinator")
    first = invite(coordinator, "twice@a.example", key="same-key")
    second = invite(coordinator, "twice@a.example", key="same-key")
    assert first.status_code == second.status_code == 302
    assert Invitation.objects.filter(email="twice@a.example").count() == 1


def test_cannot_invite_an_existing_member_or_twice(cast, client_for) -> None:  # type: ignore[no-untyped-def]
    coordinator = client_for("coordinator")
    response = invite(coordinator, "viewer@a.example")
    assert response.status_code == 200 and b"already a member" in response.content
    invite(coordinator, "x@a.example", key="a")
    again = invite(coordinator, "x@a.example", key="b")
    assert b"already waiting" in again.content


def test_agency_form_keeps_input_and_refuses_duplicates(cast, client_for) -> None:  # type: ignore[no-untyped-def]
    coordinator = client_for("coordinator")
    response = coordinator.post(
        reverse("partnerships:agency_create"),
        {"name": "A Health", "type": "health", "headcount": "12"},
    )
    body = response.content.decode()
    assert (
        response.status_code == 200
        and "already has an agency with that name" in body
        and 'value="12"' in body
    )
    ok = coordinator.post(
        reverse("partnerships:agency_create"),
        {"name": "A Education", "type": "education", "headcount": "300", "submission_key": "z"},
    )
    assert ok.status_code == 302 and Agency.objects.get(name="A Education").headcount == 300


def test_the_last_lead_cannot_be_removed(cast, client_for) -> None:  # type: ignore[no-untyped-def]
    lead_membership = Membership.objects.get(user=cast.lead, partnership=cast.a)
    response = client_for("coordinator").post(
        reverse("partnerships:membership_remove", args=[lead_membership.pk])
    )
    assert response.status_code == 400 and b"at least one lead" in response.content
    lead_membership.refresh_from_db()
    assert lead_membership.is_active


def test_role_change_is_audited_with_before_and_after(cast, client_for) -> None:  # type: ignore[no-untyped-def]
    reader = Membership.objects.get(user=cast.reader, partnership=cast.a)
    client_for("coordinator").post(
        reverse("partnerships:membership_edit", args=[reader.pk]),
        {"role": "moderator", "agency": "", "job_title": "Nurse"},
    )
    event = AuditEvent.objects.get(action="partnerships.membership.updated")
    assert event.data["before"]["role"] == "reader" and event.data["after"]["role"] == "moderator"


def test_switching_partnership(cast, client_for) -> None:  # type: ignore[no-untyped-def]
    Membership.objects.create(user=cast.viewer, partnership=cast.b, role="viewer")
    client = client_for("viewer")
    assert "Partnership A" in client.get("/").content.decode()
    client.post(reverse("partnerships:switch"), {"partnership": cast.b.pk})
    page = client.get("/").content.decode()
    assert "You are now working in Partnership B" in page
    # Cannot switch into a partnership you are not a member of.
    outsider = client_for("outsider")
    assert (
        outsider.post(reverse("partnerships:switch"), {"partnership": cast.a.pk}).status_code == 404
    )


def test_settings_page_query_count_does_not_grow(
    cast, client_for, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    from howgood.accounts.models import User

    client = client_for("coordinator")
    client.get(reverse("partnerships:settings"))
    with django_assert_num_queries(10):
        small = client.get(reverse("partnerships:settings"))
    assert small.status_code == 200
    assert "| A Health | Health | 200 | 1 |" in page_text(small)
    for i in range(30):
        user = User.objects.create_user(email=f"m{i}@a.example", password="x", full_name=f"M {i}")
        Membership.objects.create(
            user=user, partnership=cast.a, role="contributor", agency=cast.health
        )
        Agency.objects.create(partnership=cast.a, name=f"Agency {i}", type="other")
    with django_assert_num_queries(10):
        large = client.get(reverse("partnerships:settings"))
    assert large.status_code == 200
    text = page_text(large)
    assert "| A Health | Health | 200 | 31 |" in text
    assert "| Agency 29 | Other | Not given | 0 |" in text
    assert "| M 29 | m29@a.example | Contributor | A Health |" in text
    assert text.count("| Contributor | A Health |") == 30
