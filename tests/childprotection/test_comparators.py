"""The national figures load from the published files, revised values winning."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from howgood.childprotection.models import Comparator

pytestmark = pytest.mark.django_db


def test_the_published_figures_load_and_reload_without_doubles() -> None:
    call_command("load_comparators", verbosity=0)
    held = Comparator.objects.count()
    call_command("load_comparators", verbosity=0)
    assert Comparator.objects.count() == held
    register = Comparator.objects.filter(indicator="Children on the child protection register")
    assert register.count() == 32
    clacks = register.get(area_name="Clackmannanshire")
    assert clacks.period == "2021 July snapshot"
    assert clacks.unit == "Crude rate per 1,000 children aged 0-15 years"
    orkney = register.get(area_name="Orkney Islands")
    assert orkney.value is None and orkney.numerator is None  # not published
    scotland = Comparator.objects.filter(
        area_name="Scotland", indicator="Children on the Child Protection Register"
    )
    # 31 July 2022: first published 2,031, revised to 2,019 a year later.
    assert scotland.get(reference_date=date(2022, 7, 31)).value == Decimal(2019)
    assert scotland.get(reference_date=date(2021, 7, 31)).value == Decimal(2104)
    # 31 March 2000: quoted as 2,050 twice, revised to 2,049.
    assert scotland.get(reference_date=date(2000, 3, 31)).value == Decimal(2049)
