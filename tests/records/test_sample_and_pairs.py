"""Sampling, replacement, pairs of trained readers and assignment."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from howgood.partnerships.models import Membership
from howgood.records import services
from howgood.records.caselist import read_case_list
from howgood.records.models import Case, Pair
from tests.records.conftest import case_csv, train

pytestmark = pytest.mark.django_db


def _import(cast, exercise, n=40):  # type: ignore[no-untyped-def]
    services.cases_import(
        exercise=exercise,
        rows=read_case_list(case_csv(n), "c.csv"),
        actor=cast.coordinator,
        filename="c.csv",
    )


def test_calculator_and_draw_through_the_page(cast, exercise, client_for) -> None:  # type: ignore[no-untyped-def]
    _import(cast, exercise, 300)
    client = client_for("coordinator")
    page = client.get(
        reverse("records:sample", args=[exercise.pk]),
        {"confidence": "0.95", "margin": "10", "proportion": "50"},
    )
    assert b"<strong>73</strong> of 300" in page.content
    response = client.post(
        reverse("records:sample", args=[exercise.pk]),
        {"confidence": "0.95", "margin": "10", "proportion": "50", "size": ""},
    )
    assert response.status_code == 302
    exercise.refresh_from_db()
    assert exercise.sample_size == 73 and exercise.sample_seed is not None
    assert Case.objects.filter(exercise=exercise, sample_status="sampled").count() == 73


def test_the_same_seed_draws_the_same_sample(cast, exercise) -> None:  # type: ignore[no-untyped-def]
    _import(cast, exercise)
    first = services.sample_draw(
        exercise=exercise,
        confidence=0.95,
        margin=0.1,
        proportion=0.5,
        size=10,
        seed=7,
        actor=cast.coordinator,
    )
    again = services.sample_draw(
        exercise=exercise,
        confidence=0.95,
        margin=0.1,
        proportion=0.5,
        size=10,
        seed=7,
        actor=cast.coordinator,
    )
    assert first == again and sum(len(v) for v in first.values()) == 10
    # Proportional to the categories: 16 registered of 40 -> 4 of 10.
    assert len(first["registered"]) == 4


def test_an_unavailable_record_is_replaced_by_the_next_draw(cast, exercise) -> None:  # type: ignore[no-untyped-def]
    _import(cast, exercise)
    services.sample_draw(
        exercise=exercise,
        confidence=0.95,
        margin=0.1,
        proportion=0.5,
        size=8,
        seed=3,
        actor=cast.coordinator,
    )
    out = (
        Case.objects.filter(exercise=exercise, sample_status="sampled", category="registered")
        .order_by("draw_rank")
        .first()
    )
    replacement = services.case_replace(case=out, reason="Record archived", actor=cast.coordinator)
    out.refresh_from_db()
    assert out.sample_status == "unavailable" and out.unavailable_reason == "Record archived"
    assert replacement.category == "registered" and replacement.sample_status == "sampled"
    ranks = Case.objects.filter(
        exercise=exercise, category="registered", sample_status="sampled"
    ).values_list("draw_rank", flat=True)
    assert replacement.draw_rank == max(ranks)
    with pytest.raises(ValidationError):
        services.case_replace(case=out, reason="again", actor=cast.coordinator)


def test_only_trained_people_can_be_paired(cast, exercise) -> None:  # type: ignore[no-untyped-def]
    reader = Membership.objects.get(user=cast.reader, partnership=cast.a)
    moderator = Membership.objects.get(user=cast.moderator, partnership=cast.a)
    with pytest.raises(ValidationError, match="not on the training register"):
        services.pair_create(
            exercise=exercise, reader=reader, moderator=moderator, actor=cast.coordinator
        )
    train(reader, moderator)
    pair = services.pair_create(
        exercise=exercise, reader=reader, moderator=moderator, actor=cast.coordinator
    )
    assert pair.reader == reader


def test_suggested_pairs_cross_agencies(cast, exercise, client_for) -> None:  # type: ignore[no-untyped-def]
    reader = Membership.objects.get(user=cast.reader, partnership=cast.a)  # health
    moderator = Membership.objects.get(user=cast.moderator, partnership=cast.a)  # social work
    contributor = Membership.objects.get(user=cast.contributor, partnership=cast.a)  # social work
    viewer = Membership.objects.get(user=cast.viewer, partnership=cast.a)  # social work
    train(reader, moderator, contributor, viewer)
    client_for("coordinator").post(reverse("records:pairs", args=[exercise.pk]), {"suggest": "1"})
    pairs = list(Pair.objects.filter(exercise=exercise))
    assert len(pairs) == 2
    assert any({p.reader_id, p.moderator_id} == {reader.pk, moderator.pk} for p in pairs)


def test_balanced_assignment_and_workload(cast, ready, client_for) -> None:  # type: ignore[no-untyped-def]
    assert (
        Case.objects.filter(exercise=ready, sample_status="sampled", pair__isnull=True).count() == 0
    )
    page = client_for("coordinator").get(reverse("records:pairs", args=[ready.pk])).content.decode()
    assert "Reader Person" in page and ">8<" in page


def test_pages_query_counts_do_not_grow(
    cast, exercise, client_for, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    _import(cast, exercise, 20)
    services.sample_draw(
        exercise=exercise,
        confidence=0.95,
        margin=0.1,
        proportion=0.5,
        size=5,
        seed=1,
        actor=cast.coordinator,
    )
    reader = Membership.objects.get(user=cast.reader, partnership=cast.a)
    moderator = Membership.objects.get(user=cast.moderator, partnership=cast.a)
    train(reader, moderator)
    services.pair_create(
        exercise=exercise, reader=reader, moderator=moderator, actor=cast.coordinator
    )
    services.assign_balanced(exercise=exercise, actor=cast.coordinator)
    client = client_for("coordinator")
    urls = [
        reverse(n, args=[exercise.pk])
        for n in ("records:exercise", "records:cases", "records:assign", "records:pairs")
    ]
    counts = {}
    for url in urls:
        client.get(url)
        with django_assert_max_num_queries(40) as run:
            client.get(url)
        counts[url] = len(run.captured_queries)
    services.sample_draw(
        exercise=exercise,
        confidence=0.95,
        margin=0.1,
        proportion=0.5,
        size=20,
        seed=1,
        actor=cast.coordinator,
    )
    services.pair_create(
        exercise=exercise, reader=moderator, moderator=reader, actor=cast.coordinator
    )
    services.assign_balanced(exercise=exercise, actor=cast.coordinator)
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            client.get(url)
