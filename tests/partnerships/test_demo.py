"""`make demo`'s data: loads at the seed letter's scale, loads again over itself deleting only
what it made, leaves the demo reader and moderator work to do, and runs in demo mode only."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]


def _home(email: str) -> str:
    from howgood.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email=email))
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_demo_loads_twice_with_every_capability(framework, settings) -> None:  # type: ignore[no-untyped-def]
    from howgood.accounts.models import User
    from howgood.core import audit
    from howgood.core.models import AuditEvent
    from howgood.improvement.models import Action, DataPoint, Measure, PdsaCycle, Phase
    from howgood.partnerships.services import partnership_create
    from howgood.surveys.models import Response, Survey

    settings.HOWGOOD_DEMO = True
    call_command("load_default_questionnaires", verbosity=0, stdout=io.StringIO())
    call_command("demo_load", stdout=io.StringIO())
    # Between loads: a failed sign-in and a lock-out (no partnership, no actor), and a real
    # partnership, made by a real person, even one marked as a demonstration.
    Client().post(reverse("accounts:sign_in"), {"email": "someone@example.org", "password": "x"})
    audit.log(actor=None, action="accounts.user.locked_out", data={"email": "a@example.org"})
    security = set(
        AuditEvent.objects.filter(
            action__in=["accounts.user.sign_in_failed", "accounts.user.locked_out"]
        ).values_list("pk", flat=True)
    )
    assert len(security) == 2
    real = User.objects.create_user(email="lead@council.example", password=None, full_name="Real")
    sandbox = partnership_create(name="Training sandbox", lead=real, actor=real, is_demo=True)
    theirs = set(AuditEvent.objects.filter(partnership=sandbox).values_list("pk", flat=True)) | set(
        AuditEvent.objects.filter(actor=real).values_list("pk", flat=True)
    )
    assert theirs

    call_command("demo_load", stdout=io.StringIO())

    survivors = set(AuditEvent.objects.values_list("pk", flat=True))
    assert security <= survivors and theirs <= survivors
    assert User.objects.filter(pk=real.pk).exists()
    assert sandbox.memberships.filter(user=real, role="lead").exists()
    staff = Survey.objects.get(title="Staff survey 2021")
    assert 280 <= Response.objects.filter(survey=staff, complete=True).count() <= 320
    assert Survey.objects.count() == 4
    plan_measures = DataPoint.objects.filter(measure__data_series__isnull=True)
    assert Measure.objects.count() == 7 and plan_measures.count() == 6 * 24
    # The seventh follows the Data section's re-classified share, a point a month.
    from_data = DataPoint.objects.filter(measure__data_series__series="wellbeing_share")
    assert from_data.count() == 36
    assert Phase.objects.count() == 1 and PdsaCycle.objects.count() == 3
    # Two of the plan's own actions, and two decided at meetings (the third, SMART, agreed).
    assert Action.objects.filter(agreed_on__isnull=True).count() == 4
    assert Action.objects.filter(decision__isnull=False, agreed_on__isnull=False).count() == 1


def test_the_demo_reader_and_moderator_have_work_waiting(framework, settings) -> None:  # type: ignore[no-untyped-def]
    settings.HOWGOOD_DEMO = True
    call_command("load_default_questionnaires", verbosity=0, stdout=io.StringIO())
    call_command("demo_load", stdout=io.StringIO())
    reader = _home("reader@demo.howgood.invalid")
    assert "Your readings" in reader
    assert "4 records to read. " in reader
    moderator = _home("moderator@demo.howgood.invalid")
    assert "4 records to read, 2 waiting for you to moderate." in moderator
    # The pairs page offers the demo moderator, trained in moderation, as a moderator, and
    # says why the trained contributors are not offered.
    from howgood.records.models import Exercise

    exercise = Exercise.objects.get(title="Record reading, spring (demo)")
    client = Client()
    from howgood.accounts.models import User

    client.force_login(User.objects.get(email="coordinator@demo.howgood.invalid"))
    page = client.get(reverse("records:pairs", args=[exercise.pk])).content.decode()
    moderators = page[page.index('name="moderator"') :]
    moderators = moderators[: moderators.index("</select>")]
    assert "Fiona Grant" in moderators
    not_offered = page[page.index('data-testid="not-offered"') :]
    assert "Their role (Contributor) cannot read children&#x27;s records." in not_offered


def test_demo_load_refuses_without_demo_mode(settings) -> None:  # type: ignore[no-untyped-def]
    from howgood.partnerships.models import Partnership

    settings.HOWGOOD_DEMO = False
    with pytest.raises(CommandError, match="only in demo mode"):
        call_command("demo_load", stdout=io.StringIO())
    assert not Partnership.objects.exists()
    # A real installation (no demo mode, not the tests) does not even have the demo: no demo
    # app, no `demo_load` command, no demo builders imported. The database named here does not
    # exist, so nothing could have been touched.
    env = {k: v for k, v in os.environ.items() if k not in ("HOWGOOD_DEMO", "PYTEST_VERSION")}
    env["DATABASE_URL"] = "sqlite:////nonexistent/howgood-demo-refusal.sqlite3"
    run = subprocess.run(
        [sys.executable, "manage.py", "demo_load"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 1
    assert "Unknown command: 'demo_load'" in run.stderr
    installed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, sys; django.setup(); from django.conf import settings; "
            "print(settings.INSTALLED_APPS[-1]); "
            "print(sorted(m for m in sys.modules if m.endswith('.demo')))",
        ],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert installed.stdout.splitlines() == ["howgood.reports", "[]"]


def test_the_demo_is_built_by_each_apps_own_part_in_the_order_of_the_layers() -> None:
    from howgood.demo.build import demo_parts

    assert [part.__name__ for part in demo_parts()] == [
        "howgood.partnerships.demo",
        "howgood.questionnaires.demo",
        "howgood.records.demo",
        "howgood.surveys.demo",
        "howgood.improvement.demo",
        "howgood.childprotection.demo",
        "howgood.selfevaluation.demo",
        "howgood.governance.demo",
    ]
