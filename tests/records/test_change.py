"""Rounds of record reading: a second exercise marked as a repeat of the first, and the change
page that compares them question by question, with the areas for improvement accepted last
time first and no direction claimed where the change could be chance."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document as Docx

from howgood.core.models import AuditEvent
from howgood.improvement.models import Measure
from howgood.partnerships.models import Membership
from howgood.records import services
from howgood.records.caselist import read_case_list
from howgood.records.demo import make_ready
from howgood.records.models import Conclusion, Exercise, Moderation
from howgood.reports.models import GeneratedReport
from tests.pagetext import page_text
from tests.records.conftest import answers, case_csv, read_and_moderate

pytestmark = pytest.mark.django_db


def then_answers(index: int, who: str) -> dict[str, Any]:
    # Seen alone: 3 of 8. IRD held: 7 of 8. Initial response good or better: 6 of 8.
    return answers(index, "reader")


def now_answers(index: int, who: str) -> dict[str, Any]:
    found = answers(index, "reader")
    found["seen_alone"] = "yes"  # 8 of 8
    found["initial_quality"] = "4" if index < 2 else "2"  # 2 of 8 good or better
    return found


def second_round(cast: Any, template: Any) -> Exercise:
    exercise = services.exercise_create(
        partnership=cast.a,
        title="Autumn reading",
        template=template,
        activity=None,
        actor=cast.coordinator,
    )
    reader = Membership.objects.get(user=cast.reader, partnership=cast.a)
    moderator = Membership.objects.get(user=cast.moderator, partnership=cast.a)
    make_ready(
        exercise=exercise,
        rows=read_case_list(case_csv(), "cases.csv"),
        size=8,
        seed=43,
        pairs=[(reader, moderator)],
        actor=cast.coordinator,
    )
    read_and_moderate(cast, exercise, now_answers)
    return exercise


def test_the_second_round_compared_with_the_first(  # type: ignore[no-untyped-def]
    cast, template, ready, client_for, django_capture_on_commit_callbacks
) -> None:
    first = ready
    read_and_moderate(cast, first, then_answers)
    services.conclusions_refresh(exercise=first, actor=cast.coordinator)
    area = Conclusion.objects.get(exercise=first, key="seen_alone", kind="improvement")
    services.conclusion_decide(
        statement=area, status="accepted", text=area.suggested_text, actor=cast.lead
    )
    strength = Conclusion.objects.get(exercise=first, key="ird_held", kind="strength")
    services.conclusion_decide(
        statement=strength, status="accepted", text=strength.suggested_text, actor=cast.lead
    )
    second = second_round(cast, template)
    coordinator = client_for("coordinator")
    assert "Compare with an earlier round" in page_text(
        coordinator.get(reverse("records:exercise", args=[second.pk]))
    )
    made = coordinator.post(reverse("records:repeat", args=[second.pk]), {"earlier": first.pk})
    assert made["Location"] == reverse("records:change", args=[second.pk])
    second.refresh_from_db()
    assert second.repeat_of == first
    assert AuditEvent.objects.get(action="records.exercise.repeat_set").data == {
        "repeat_of": "Spring reading"
    }
    # The first round cannot then repeat the second.
    cycle = coordinator.post(reverse("records:repeat", args=[first.pk]), {"earlier": second.pk})
    assert "Choose an earlier record reading, not this one or a later round of it." in page_text(
        cycle
    )

    text = page_text(client_for("viewer").get(reverse("records:change", args=[second.pk])))
    assert "Spring reading (then) compared with Autumn reading (now)." in text
    # The area for improvement accepted last time comes first, with what happened to it.
    assert (
        "The areas for improvement accepted last time | Up. | Was the child seen alone (yes): "
        "less than half (3 of 8) then, all (8 of 8) now; a change of +62 points (95% interval "
        "+17 to +86). It went up, and this is unlikely to be chance. The numbers are small, so "
        "only a large change would show."
    ) in text
    assert (
        "| Was the child seen alone | (yes) | 3 of 8 | 8 of 8 | +62 points (+17 to +86) | Went up |"
        in text
    )
    # A fall whose interval leaves out no change, but which Fisher's test says could be
    # chance (p = 0.13): no direction is claimed.
    assert (
        "| How good was the initial response | (good or better) | 6 of 8 | 2 of 8 | "
        "-50 points (-75 to -2) | No clear change |"
    ) in text
    assert (
        "| Was an inter-agency referral discussion (IRD) held | (yes) | 7 of 8 | 7 of 8 | +0 points (-36 to +36) | No clear change |"
        in text
    )
    assert "By quality indicator" in text

    # A compared question becomes a measure: a P chart whose points are the rounds (each
    # round dated by its last moderation: here the first was finished half a year ago).
    same_month = coordinator.post(
        reverse("improvement:measure_from_rounds", args=[second.pk]),
        {"item": "seen_alone"},
        follow=True,
    )
    assert "Two rounds were read in the same month" in page_text(same_month)
    Moderation.objects.filter(case__exercise=first).update(
        completed_at=timezone.now() - timedelta(days=183)
    )
    made = coordinator.post(
        reverse("improvement:measure_from_rounds", args=[second.pk]), {"item": "seen_alone"}
    )
    measure = Measure.objects.get(rounds__exercise=second, rounds__item_name="seen_alone")
    assert made["Location"] == reverse("improvement:measure", args=[measure.pk])
    assert (measure.title, measure.chart) == (
        "Was the child seen alone (yes), by round of record reading",
        "p",
    )
    assert [(int(p.numerator), int(p.denominator)) for p in measure.points.order_by("period")] == [
        (3, 8),
        (8, 8),
    ]
    coordinator.post(
        reverse("improvement:measure_from_rounds", args=[second.pk]), {"item": "seen_alone"}
    )
    assert Measure.objects.filter(rounds__exercise=second).count() == 1  # the same again
    refused = coordinator.post(
        reverse("improvement:measure_from_rounds", args=[second.pk]),
        {"item": "comments"},
        follow=True,
    )
    assert "Choose a question with a yes or good-or-better count." in page_text(refused)

    # In Word: the viewer's copy is for sharing, so rounds of 8 (under 10) are withheld.
    first.partnership.suppression_threshold = 10
    first.partnership.save()
    with django_capture_on_commit_callbacks(execute=True):
        client_for("viewer").post(reverse("records:change_export", args=[second.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        coordinator.post(reverse("records:change_export", args=[second.pk]))
    shared, exact = (
        Docx(io.BytesIO(bytes(r.content)))
        for r in GeneratedReport.objects.filter(kind="records.change.docx").order_by("id")
    )
    shared_rows = [[c.text for c in row.cells] for t in shared.tables for row in t.rows]
    assert [
        "Was the child seen alone (yes)",
        "",
        "",
        "Was the child seen alone: withheld, as the numbers in a round are small.",
        "",
    ] in shared_rows
    exact_rows = [[c.text for c in row.cells] for t in exact.tables for row in t.rows]
    assert [
        "Was the child seen alone (yes)",
        "3 of 8",
        "8 of 8",
        "+62 points (+17 to +86)",
        "Went up",
    ] in exact_rows


def test_a_reading_that_repeats_nothing_says_so(cast, exercise, client_for) -> None:  # type: ignore[no-untyped-def]
    text = page_text(client_for("lead").get(reverse("records:change", args=[exercise.pk])))
    assert "is not marked as a repeat of an earlier record reading" in text
    assert "Say which record reading it repeats" in text


def test_repeats_stay_within_the_partnership(cast, exercise, template) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import ValidationError

    elsewhere = Exercise.objects.create(
        partnership=cast.b, title="B's reading", template=template, created_by=cast.outsider
    )
    with pytest.raises(ValidationError, match="Choose a record reading of this partnership"):
        services.exercise_repeat_set(exercise=exercise, earlier=elsewhere, actor=cast.lead)
    assert (
        services.exercise_repeat_set(exercise=exercise, earlier=None, actor=cast.lead).repeat_of
        is None
    )
