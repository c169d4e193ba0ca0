"""Making new recovery codes: ten new ones shown once, the old ones stop working, and the
change is on the audit trail."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken

from howgood.accounts import services
from howgood.core.models import AuditEvent
from tests.conftest import sign_in


@pytest.mark.django_db
def test_new_recovery_codes_replace_the_old_ones(cast: Any) -> None:
    old = services.recovery_codes_regenerate(user=cast.coordinator, actor=cast.coordinator)
    client = sign_in(Client(), cast.coordinator)
    page = client.get(reverse("accounts:recovery_codes")).content.decode()
    assert "You have 10 recovery codes left." in page

    response = client.post(reverse("accounts:recovery_codes"))
    assert response.status_code == 200
    body = response.content.decode()
    shown = re.findall(r"<li>([0-9a-f]{6}-[0-9a-f]{6})</li>", body)
    assert len(shown) == 10
    assert "You will not see them again." in body
    assert set(
        StaticToken.objects.filter(device__user=cast.coordinator).values_list("token", flat=True)
    ) == set(shown)
    assert not set(old) & set(shown)
    assert (
        AuditEvent.objects.filter(
            action="accounts.two_factor.recovery_regenerated", actor=cast.coordinator
        ).count()
        == 2
    )
