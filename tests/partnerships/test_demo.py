"""`make demo`'s data: loads at the seed letter's scale, and loads again over itself."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True)


def test_demo_loads_twice_with_every_capability(framework) -> None:  # type: ignore[no-untyped-def]
    from howgood.improvement.models import Action, DataPoint, Measure, PdsaCycle, Phase
    from howgood.surveys.models import Response, Survey

    call_command("load_default_questionnaires", verbosity=0, stdout=io.StringIO())
    for _ in range(2):
        call_command("demo_load", stdout=io.StringIO())
    staff = Survey.objects.get(title="Staff survey 2021")
    assert 280 <= Response.objects.filter(survey=staff, complete=True).count() <= 320
    assert Survey.objects.count() == 4
    assert Measure.objects.count() == 6 and DataPoint.objects.count() == 6 * 24
    assert Phase.objects.count() == 1 and PdsaCycle.objects.count() == 3
    assert Action.objects.filter(agreed_on__isnull=True).count() == 2
