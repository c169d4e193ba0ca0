"""Idle sign-out: only what the person does keeps them signed in, not a page polling itself.

A waiting document's status page asks the server every 2 seconds (htmx) or reloads itself
every 3 (the meta refresh without JavaScript). Left open on an unattended screen it must
not keep a session about children alive past SESSION_IDLE_MINUTES. Time is moved by
rewriting the session's stored "last activity" timestamp, never by sleeping.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from howgood.core.middleware import LAST_ACTIVITY_KEY
from howgood.core.models import AuditEvent
from howgood.improvement.demo import ready_plan
from howgood.reports.models import GeneratedReport

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
TIMED_OUT_WORDS = "You were signed out because you had not done anything for 30 minutes."


@pytest.fixture
def waiting(cast: Any) -> GeneratedReport:
    """A document still being prepared (no worker will pick it up in these tests)."""
    plan = ready_plan(partnership=cast.a, actor=cast.coordinator)
    return GeneratedReport.objects.create(
        partnership=cast.a,
        kind="improvement.plan.docx",
        target_id=plan.pk,
        plan=plan,
        title="Joint improvement plan: governance report (Word)",
        capability="improvement.view",
        requested_by=cast.coordinator,
    )


def last_activity(client: Client) -> float:
    return float(client.session[LAST_ACTIVITY_KEY])


def idle_for(client: Client, minutes: float) -> None:
    """As if the person's last real request was ``minutes`` ago (polls may have come since)."""
    session = client.session
    session[LAST_ACTIVITY_KEY] = time.time() - minutes * 60
    session.save()


def test_polling_does_not_count_as_activity_but_pages_do(cast, client_for, waiting) -> None:  # type: ignore[no-untyped-def]
    client = client_for("coordinator")
    status = reverse("reports:status", args=[waiting.pk])
    page = client.get(status)  # opening the page is something the person did
    assert "Your document is being prepared" in page.content.decode()
    idle_for(client, 10)
    before = last_activity(client)
    partial = client.get(status, **HTMX)
    assert partial.status_code == 200 and "being prepared" in partial.content.decode()
    assert client.get(status, {"poll": "1"}).status_code == 200  # the meta refresh
    assert last_activity(client) == before
    client.get(reverse("partnerships:programme"))
    assert last_activity(client) > before + 9 * 60


def test_a_session_idle_past_the_limit_is_signed_out_even_though_it_polled(  # type: ignore[no-untyped-def]
    cast, client_for, waiting
) -> None:
    client = client_for("coordinator")
    status = reverse("reports:status", args=[waiting.pk])
    client.get(status)
    # The page has polled every 2 seconds since: 29 minutes on, still signed in ...
    idle_for(client, 29)
    for _ in range(3):
        assert "being prepared" in client.get(status, **HTMX).content.decode()
    assert "_auth_user_id" in client.session
    # ... but 31 minutes after the person last did anything, the next poll signs them out.
    idle_for(client, 31)
    poll = client.get(status, **HTMX)
    sign_in_url = f"{reverse('accounts:sign_in')}?timed_out=1&next={status}"
    assert poll["HX-Redirect"] == sign_in_url  # htmx takes the whole page to sign-in
    assert "being prepared" not in poll.content.decode()
    assert "_auth_user_id" not in client.session
    assert (
        AuditEvent.objects.filter(action="accounts.user.timed_out", actor=cast.coordinator).count()
        == 1
    )
    page = client.get(poll["HX-Redirect"])
    assert TIMED_OUT_WORDS in page.content.decode()
    # Nothing of the document is shown to whoever sits down at the screen now.
    again = client.get(status)
    assert again.status_code == 302 and again["Location"].startswith(reverse("accounts:sign_in"))


def test_the_meta_refresh_fallback_is_signed_out_too(cast, client_for, waiting) -> None:  # type: ignore[no-untyped-def]
    client = client_for("coordinator")
    status = reverse("reports:status", args=[waiting.pk])
    page = client.get(status).content.decode()
    assert f'<meta http-equiv="refresh" content="3;url={status}?poll=1">' in page
    idle_for(client, 31)
    response = client.get(status, {"poll": "1"})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:sign_in')}?timed_out=1&next={status}"
    assert "_auth_user_id" not in client.session


def test_an_ordinary_page_after_the_idle_limit_signs_out(cast, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("viewer")
    client.get("/")
    idle_for(client, 31)
    response = client.get(reverse("partnerships:programme"), follow=True)
    assert response.redirect_chain[0][0].startswith(f"{reverse('accounts:sign_in')}?timed_out=1")
    assert TIMED_OUT_WORDS in response.content.decode()
    assert "_auth_user_id" not in client.session
