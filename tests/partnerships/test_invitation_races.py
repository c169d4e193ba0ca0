"""Accepting an invitation twice, or ten times at once: one account, one membership, no 500s.

The parallel tests use real threads, each with its own database connection, against a
committed database (``transaction=True``), so they race exactly as two app servers would.
Run them on PostgreSQL too (DATABASE_URL=postgres://...).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from howgood.accounts.models import User
from howgood.core.models import AuditEvent
from howgood.partnerships import services
from howgood.partnerships.models import Invitation, Membership
from tests.conftest import PASSWORD, sign_in

PARALLEL = 10
NEW_PASSWORD = "a long enough pass phrase"
ACCOUNT_FORM = {"full_name": "New Person", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
ALREADY_ACCEPTED = "This invitation has already been accepted"


@dataclass
class Outcome:
    status: int
    location: str
    body: str
    error: str = ""


def invitation_for(cast, email: str = "new.person@health.example") -> tuple[Invitation, str]:  # type: ignore[no-untyped-def]
    invitation, token = services.invitation_send(
        partnership=cast.a, email=email, role="contributor", agency=None, actor=cast.coordinator
    )
    return invitation, reverse("partnerships:invitation_accept", args=[token])


def post_in_parallel(clients: list[Client], path: str, data: dict[str, str]) -> list[Outcome]:
    """POST the same form from every client at the same moment, each in its own thread."""
    barrier = threading.Barrier(len(clients))
    outcomes: list[Outcome | None] = [None] * len(clients)

    def run(i: int, client: Client) -> None:
        try:
            barrier.wait()
            response = client.post(path, data)
            outcomes[i] = Outcome(
                response.status_code, response.get("Location", ""), response.content.decode()
            )
        except Exception as error:  # a 500: the view raised
            outcomes[i] = Outcome(500, "", "", f"{type(error).__name__}: {error}")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert all(o is not None for o in outcomes)
    return [o for o in outcomes if o is not None]


@pytest.mark.django_db(transaction=True)
def test_ten_parallel_account_creations_make_one_account_and_clear_pages(cast) -> None:  # type: ignore[no-untyped-def]
    invitation, path = invitation_for(cast)
    outcomes = post_in_parallel([Client() for _ in range(PARALLEL)], path, ACCOUNT_FORM)

    errors = [o.error for o in outcomes if o.status == 500]
    assert errors == []
    assert User.objects.filter(email="new.person@health.example").count() == 1
    assert Membership.objects.filter(user__email="new.person@health.example").count() == 1
    assert AuditEvent.objects.filter(action="partnerships.invitation.accepted").count() == 1
    assert AuditEvent.objects.filter(action="accounts.user.created").count() == 1
    winners = [o for o in outcomes if o.status == 302]
    assert [o.location for o in winners] == ["/"]
    losers = [o for o in outcomes if o.status != 302]
    assert len(losers) == PARALLEL - 1
    for loser in losers:
        assert loser.status == 410
        assert ALREADY_ACCEPTED in loser.body
        assert "Sign in with the email address the invitation was sent to" in loser.body
        assert "send you a new invitation" not in loser.body
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


@pytest.mark.django_db(transaction=True)
def test_ten_parallel_accepts_by_a_signed_in_person_make_one_membership(cast) -> None:  # type: ignore[no-untyped-def]
    person = User.objects.create_user(
        email="existing@health.example", password=PASSWORD, full_name="Existing Person"
    )
    _, path = invitation_for(cast, "existing@health.example")
    clients = [sign_in(Client(), person, verified=False) for _ in range(PARALLEL)]
    outcomes = post_in_parallel(clients, path, {})

    assert [o.error for o in outcomes if o.status == 500] == []
    assert Membership.objects.filter(user=person, partnership=cast.a).count() == 1
    assert AuditEvent.objects.filter(action="partnerships.invitation.accepted").count() == 1
    assert AuditEvent.objects.filter(action="partnerships.membership.created").count() == 1
    # Every click did what the person asked: each lands on the home page in the partnership.
    assert [(o.status, o.location) for o in outcomes] == [(302, "/")] * PARALLEL
    home = clients[-1].get("/")
    assert "You have joined Partnership A." in home.content.decode()


@pytest.mark.django_db
def test_the_same_account_form_sent_twice_from_one_browser(cast) -> None:  # type: ignore[no-untyped-def]
    _, path = invitation_for(cast)
    browser = Client()
    first = browser.post(path, ACCOUNT_FORM)
    assert (first.status_code, first["Location"]) == (302, "/")
    # The browser kept the first answer's cookie: the second press is the same submission.
    second = browser.post(path, ACCOUNT_FORM)
    assert (second.status_code, second["Location"]) == (302, "/")
    home = browser.get("/").content.decode()
    assert "You have joined Partnership A." in home
    # The browser dropped the first answer (a double click cancels it): a clear page.
    dropped = Client().post(path, ACCOUNT_FORM)
    body = dropped.content.decode()
    assert dropped.status_code == 410
    assert ALREADY_ACCEPTED in body
    assert "Sign in with the email address the invitation was sent to" in body
    assert User.objects.filter(email="new.person@health.example").count() == 1
    assert Membership.objects.filter(user__email="new.person@health.example").count() == 1


@pytest.mark.django_db
def test_used_expired_and_cancelled_links_say_what_to_do(cast) -> None:  # type: ignore[no-untyped-def]
    accepted, accepted_path = invitation_for(cast, "one@a.example")
    accepted.accepted_at = timezone.now()
    accepted.save()
    expired, expired_path = invitation_for(cast, "two@a.example")
    expired.expires_at = timezone.now() - timedelta(days=1)
    expired.save()
    cancelled, cancelled_path = invitation_for(cast, "three@a.example")
    services.invitation_revoke(invitation=cancelled, actor=cast.coordinator)

    body = Client().get(accepted_path).content.decode()
    assert ALREADY_ACCEPTED in body and "send you a new invitation" not in body
    for path, words in ((expired_path, "It has expired."), (cancelled_path, "been cancelled")):
        response = Client().get(path)
        page = response.content.decode()
        assert response.status_code == 410
        assert words in page and "send you a new invitation" in page


@pytest.mark.django_db
def test_service_refuses_a_used_invitation_with_a_clear_reason(cast) -> None:  # type: ignore[no-untyped-def]
    invitation, _ = invitation_for(cast)
    services.invitation_accept_new_account(
        invitation=invitation, full_name="New Person", password=NEW_PASSWORD
    )
    with pytest.raises(services.InvitationUsed) as refused:
        services.invitation_accept_new_account(
            invitation=invitation, full_name="New Person", password=NEW_PASSWORD
        )
    assert refused.value.messages == ["This invitation has already been accepted."]
    assert User.objects.filter(email="new.person@health.example").count() == 1


@pytest.mark.django_db
def test_an_account_made_meanwhile_by_another_invitation_asks_to_sign_in(cast) -> None:  # type: ignore[no-untyped-def]
    invitation, path = invitation_for(cast)
    form_page = Client()
    assert b"Create your HowGood account" in form_page.get(path).content
    # Meanwhile the same person accepted partnership B's invitation and has an account.
    User.objects.create_user(
        email="new.person@health.example", password=PASSWORD, full_name="New Person"
    )
    with pytest.raises(services.AccountExists):
        services.invitation_accept_new_account(
            invitation=invitation, full_name="New Person", password=NEW_PASSWORD
        )
    response = form_page.post(path, ACCOUNT_FORM, follow=True)
    body = response.content.decode()
    assert response.redirect_chain[0][0] == f"{reverse('accounts:sign_in')}?next={path}"
    assert "There is already a HowGood account for new.person@health.example" in body
    invitation.refresh_from_db()
    assert invitation.is_open  # still there to accept once signed in


def _last_step_fails(monkeypatch):  # type: ignore[no-untyped-def]
    """The last step of accepting (the membership's audit event) fails, after the account,
    the membership and the accepted invitation have been written."""
    real = services.audit.log

    def record(**kwargs):  # type: ignore[no-untyped-def]
        if kwargs.get("action") == "partnerships.membership.created":
            raise RuntimeError("The audit trail could not be written.")
        return real(**kwargs)

    monkeypatch.setattr(services.audit, "log", record)


@pytest.mark.django_db
def test_a_failure_part_way_through_accepting_with_a_new_account_leaves_nothing(
    cast, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    invitation, path = invitation_for(cast)
    _last_step_fails(monkeypatch)
    with pytest.raises(RuntimeError):
        services.invitation_accept_new_account(
            invitation=invitation, full_name="New Person", password=NEW_PASSWORD
        )
    assert not User.objects.filter(email="new.person@health.example").exists()
    assert not Membership.objects.filter(user__email="new.person@health.example").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert not AuditEvent.objects.filter(action="partnerships.invitation.accepted").exists()
    # Through the page: a server error, and still nothing saved, so the link works again.
    page = Client(raise_request_exception=False)
    assert page.post(path, ACCOUNT_FORM).status_code == 500
    assert not User.objects.filter(email="new.person@health.example").exists()
    monkeypatch.undo()
    joined = page.post(path, ACCOUNT_FORM)
    assert joined.status_code == 302
    assert (
        Membership.objects.filter(
            user__email="new.person@health.example", partnership=cast.a, role="contributor"
        ).count()
        == 1
    )


@pytest.mark.django_db
def test_a_failure_part_way_through_accepting_when_signed_in_leaves_nothing(
    cast, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    person = User.objects.create_user(
        email="new.person@health.example", password=PASSWORD, full_name="New Person"
    )
    invitation, path = invitation_for(cast)
    _last_step_fails(monkeypatch)
    with pytest.raises(RuntimeError):
        services.invitation_accept(invitation=invitation, user=person)
    assert not Membership.objects.filter(user=person).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    page = sign_in(Client(raise_request_exception=False), person)
    assert page.post(path).status_code == 500
    assert not Membership.objects.filter(user=person).exists()
    invitation.refresh_from_db()
    assert invitation.is_open
