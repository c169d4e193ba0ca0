"""The training register's free-text courses become choices; nothing written there is lost."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def _migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_free_text_courses_become_choices_and_other_keeps_the_words(cast: Any) -> None:
    from howgood.partnerships.models import Membership

    reader = Membership.objects.get(user=cast.reader, partnership=cast.a)
    moderator = Membership.objects.get(user=cast.moderator, partnership=cast.a)
    # Forward again to every app's latest migration: going back to partnerships 0001 also
    # unapplies the other apps' migrations that depend on later partnerships ones.
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    before = _migrate([("partnerships", "0001_initial")])
    Old = before.get_model("partnerships", "TrainingRecord")

    def old(membership: Any, course: str, day: int = 5) -> int:
        return int(
            Old.objects.create(
                partnership_id=cast.a.pk,
                membership_id=membership.pk,
                trained_on=date(2026, 1, day),
                trained_by="Care Inspectorate",
                course=course,
            ).pk
        )

    plain = old(reader, "Record reading")
    hyphen = old(reader, "record-reading")  # the same day: both are kept
    reader_course = old(reader, "Record reader training", day=6)
    moderation = old(moderator, "Moderation")
    both = old(moderator, "Record reading and moderation", day=6)
    other = old(moderator, "Trauma-informed practice")

    after = _migrate(latest)
    rows = {
        r.pk: (r.course, r.course_note)
        for r in after.get_model("partnerships", "TrainingRecord").objects.all()
    }
    assert rows == {
        plain: ("record_reading", ""),
        hyphen: ("record_reading", "record-reading"),
        reader_course: ("record_reading", ""),
        moderation: ("moderation", ""),
        both: ("moderation", ""),
        other: ("other", "Trauma-informed practice"),
    }
