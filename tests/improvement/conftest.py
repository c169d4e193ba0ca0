from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from howgood.improvement import services
from howgood.improvement.demo import ready_plan
from howgood.partnerships.models import Membership


@pytest.fixture
def owner(cast: Any) -> Membership:
    return Membership.objects.get(user=cast.action_owner, partnership=cast.a)


@pytest.fixture
def plan(cast: Any, framework: Any) -> Any:
    return ready_plan(partnership=cast.a, actor=cast.coordinator)


@pytest.fixture
def measure(cast: Any, owner: Membership) -> Any:
    """A monthly proportion with 24 months of data, lower is better, a target of 25%."""
    made = services.measure_create(
        partnership=cast.a,
        actor=cast.coordinator,
        data={
            "title": "Referrals re-classified as wellbeing concerns",
            "type": "outcome",
            "definition": "Of the child protection referrals in the month, those re-classified.",
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
    today = date.today()
    for i in range(24):
        month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
        year, m = month.year, month.month - (23 - i)
        while m <= 0:
            year, m = year - 1, m + 12
        services.point_save(
            measure=made,
            period=date(year, m, 1),
            numerator=Decimal(14 + (i % 3)),
            denominator=Decimal(40),
            actor=cast.coordinator,
        )
    return made
