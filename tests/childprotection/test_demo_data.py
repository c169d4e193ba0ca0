"""The demo's invented concerns show what the threshold question is about."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from howgood.accounts.models import User
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


def test_the_demo_shows_agencies_apart_and_a_fall_after_the_guidance(framework, settings) -> None:  # type: ignore[no-untyped-def]
    settings.HOWGOOD_DEMO = True
    call_command("load_default_questionnaires", verbosity=0, stdout=io.StringIO())
    call_command("demo_load", stdout=io.StringIO())
    viewer = sign_in(Client(), User.objects.get(email="viewer@demo.howgood.invalid"))
    page = viewer.get(reverse("childprotection:index")).content.decode()
    agencies = page.split('data-testid="agency-table"')[1].split("</table>")[0]
    share = {
        name: int(pct)
        for name, pct in re.findall(
            r"<th scope=\"row\">([^<]+)</th><td>[^<]*</td><td>[^<]*</td><td>(\d+)%", agencies
        )
    }
    assert set(share) == {
        "Education",
        "Family, friends or public",
        "Health",
        "Police",
        "Social work",
        "Third sector",
    }
    assert share["Education"] > share["Police"] and share["Third sector"] > share["Police"]
    assert "above the" in agencies.split("Education")[1].split("</tr>")[0]
    assert "above the" in agencies.split("Third sector")[1].split("</tr>")[0]
    # Two phases on the chart: the mean after the new guidance is lower than before it.
    means = re.findall(
        r"<td>\d+</td><td>\d+</td><td>\d+%</td><td>(\d+)%</td>",
        page.split('data-testid="wellbeing-table"')[1].split("</table>")[0],
    )
    assert len(set(means)) == 2 and int(means[-1]) < int(means[0])
    assert "New inter-agency referral discussion guidance" in page
    assert "FV1" not in page  # no child id on a viewer's page
