"""Making an account: who the audit trail says made it."""

from __future__ import annotations

from typing import Any

import pytest

from howgood.accounts import services
from howgood.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_an_account_is_recorded_as_made_by_whoever_made_it_or_by_its_owner(cast: Any) -> None:
    made = services.user_create(
        email="new.worker@a.example", full_name="New Worker", password=None, actor=cast.lead
    )
    own = services.user_create(
        email="self.made@a.example", full_name="Self Made", password="a long passphrase", actor=None
    )
    assert own.check_password("a long passphrase") and not made.has_usable_password()
    events = AuditEvent.objects.filter(action="accounts.user.created").order_by("id")
    assert [(e.actor, e.target_id) for e in events] == [
        (cast.lead, str(made.pk)),
        (own, str(own.pk)),
    ]
