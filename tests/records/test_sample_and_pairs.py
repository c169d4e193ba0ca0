"""Sampling, replacement, pairs of trained readers and assignment."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from howgood.partnerships.models import Membership, TrainingCourse
from howgood.records import selectors, services
from howgood.records.caselist import read_case_list
from howgood.records.models import Case, Pair
from tests.pagetext import page_text
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
    other_reader = Membership.objects.get(user=cast.other_reader, partnership=cast.a)  # police
    moderator = Membership.objects.get(user=cast.moderator, partnership=cast.a)  # social work
    lead = Membership.objects.get(user=cast.lead, partnership=cast.a)  # social work
    train(reader, other_reader, moderator)
    train(lead, course=TrainingCourse.MODERATION)
    client_for("coordinator").post(reverse("records:pairs", args=[exercise.pk]), {"suggest": "1"})
    pairs = {(p.reader_id, p.moderator_id) for p in Pair.objects.filter(exercise=exercise)}
    # Two readers, two people trained in moderation: each reader gets a moderator from
    # another agency.
    assert pairs == {(reader.pk, lead.pk), (other_reader.pk, moderator.pk)}


def test_people_who_cannot_read_are_never_paired_and_the_page_says_why(
    cast, exercise, client_for
) -> None:  # type: ignore[no-untyped-def]
    reader = Membership.objects.get(user=cast.reader, partnership=cast.a)
    moderator = Membership.objects.get(user=cast.moderator, partnership=cast.a)
    contributor = Membership.objects.get(user=cast.contributor, partnership=cast.a)
    viewer = Membership.objects.get(user=cast.viewer, partnership=cast.a)
    train(reader, moderator, contributor, viewer)
    client = client_for("coordinator")
    url = reverse("records:pairs", args=[exercise.pk])
    made = client.post(url, {"suggest": "1"}, follow=True).content.decode()
    pairs = list(Pair.objects.filter(exercise=exercise))
    assert [(p.reader_id, p.moderator_id) for p in pairs] == [(reader.pk, moderator.pk)]
    assert "Made 1 pair " in made
    page = client.get(url).content.decode()
    not_offered = page[page.index('data-testid="not-offered"') :]
    not_offered = not_offered[: not_offered.index("</table>")]
    assert "Contributor Person" in not_offered and "Viewer Person" in not_offered
    assert "Their role (Contributor) cannot read children&#x27;s records." in not_offered
    assert "Their role (Viewer) cannot read children&#x27;s records." in not_offered
    pickers = page[page.index("<h2>Add a pair</h2>") :]
    assert f'value="{reader.pk}"' in pickers and f'value="{contributor.pk}"' not in pickers
    # The rule is the service's: asking for the contributor directly is refused too.
    with pytest.raises(ValidationError, match="cannot read children's records"):
        services.pair_create(
            exercise=exercise, reader=contributor, moderator=moderator, actor=cast.coordinator
        )
    refused = client.post(url, {"reader": contributor.pk, "moderator": moderator.pk})
    assert refused.status_code == 200 and Pair.objects.filter(exercise=exercise).count() == 1


def test_moderating_needs_moderation_training_and_the_course_is_a_choice(
    cast, exercise, client_for
) -> None:  # type: ignore[no-untyped-def]
    reader = Membership.objects.get(user=cast.reader, partnership=cast.a)
    other_reader = Membership.objects.get(user=cast.other_reader, partnership=cast.a)
    moderator = Membership.objects.get(user=cast.moderator, partnership=cast.a)
    train(reader, other_reader, course=TrainingCourse.RECORD_READING)
    train(moderator, course=TrainingCourse.MODERATION)
    with pytest.raises(ValidationError, match="not trained in moderation"):
        services.pair_create(
            exercise=exercise, reader=reader, moderator=other_reader, actor=cast.coordinator
        )
    page = client_for("coordinator").get(reverse("records:pairs", args=[exercise.pk]))
    body = page.content.decode()
    moderators = body[
        body.index('name="moderator"') : body.index("</select>", body.index('name="moderator"'))
    ]
    readers = body[
        body.index('name="reader"') : body.index("</select>", body.index('name="reader"'))
    ]
    # Moderation training covers reading too: the moderator may be chosen as either.
    assert f'value="{moderator.pk}"' in moderators and f'value="{moderator.pk}"' in readers
    assert f'value="{reader.pk}"' in readers and f'value="{reader.pk}"' not in moderators
    assert "Trained in record reading, not moderation: can read, cannot moderate." in body
    pair = services.pair_create(
        exercise=exercise, reader=reader, moderator=moderator, actor=cast.coordinator
    )
    assert (pair.reader, pair.moderator) == (reader, moderator)


def test_with_nobody_trained_in_moderation_no_pairs_are_made_and_the_page_says_why(
    cast, exercise, client_for
) -> None:  # type: ignore[no-untyped-def]
    from howgood.partnerships.models import TrainingRecord

    reader = Membership.objects.get(user=cast.reader, partnership=cast.a)
    other_reader = Membership.objects.get(user=cast.other_reader, partnership=cast.a)
    coordinator = Membership.objects.get(user=cast.coordinator, partnership=cast.a)
    train(reader, other_reader)
    TrainingRecord.objects.create(
        partnership=cast.a,
        membership=coordinator,
        trained_on="2026-01-05",
        trained_by="Council",
        course=TrainingCourse.OTHER,
        course_note="Trauma-informed practice",
    )
    response = client_for("coordinator").post(
        reverse("records:pairs", args=[exercise.pk]), {"suggest": "1"}
    )
    body = response.content.decode()
    assert response.status_code == 400 and not Pair.objects.filter(exercise=exercise).exists()
    assert "Nobody on the training register is trained in moderation" in body
    assert "Choose the reader" not in body  # the add-a-pair form was not sent
    not_offered = body[body.index('data-testid="not-offered"') :]
    row = not_offered[not_offered.index("Coordinator Person") :]
    assert row[: row.index("</tr>")].endswith(
        "<td>Only for another course: not trained in record reading or moderation.</td>"
    )


def _sampled(cast, exercise, size=6):  # type: ignore[no-untyped-def]
    _import(cast, exercise, 40)
    services.sample_draw(
        exercise=exercise,
        confidence=0.95,
        margin=0.1,
        proportion=0.5,
        size=size,
        seed=5,
        actor=cast.coordinator,
    )


def test_records_are_not_assigned_to_a_pair_someone_in_it_cannot_read(
    cast, exercise, client_for
) -> None:  # type: ignore[no-untyped-def]
    from howgood.partnerships.services import membership_update

    _sampled(cast, exercise)
    reader = Membership.objects.get(user=cast.reader, partnership=cast.a)
    moderator = Membership.objects.get(user=cast.moderator, partnership=cast.a)
    train(reader, moderator)
    pair = services.pair_create(
        exercise=exercise, reader=reader, moderator=moderator, actor=cast.coordinator
    )
    membership_update(
        membership=reader, role="contributor", agency=reader.agency, job_title="", actor=cast.lead
    )
    case = Case.objects.filter(exercise=exercise, sample_status="sampled").first()
    with pytest.raises(ValidationError, match="Reader Person is a contributor"):
        services.cases_assign(
            exercise=exercise, assignments={case.pk: pair.pk}, actor=cast.coordinator
        )
    with pytest.raises(ValidationError, match="No pair can take records"):
        services.assign_balanced(exercise=exercise, actor=cast.coordinator)
    client = client_for("coordinator")
    url = reverse("records:assign", args=[exercise.pk])
    refused = client.post(url, {f"case_{case.pk}": str(pair.pk)}, follow=True)
    body = refused.content.decode()
    assert refused.status_code == 400 and "Assignments saved" not in body
    assert "Reader Person is a contributor in this partnership" in body
    assert not Case.objects.filter(exercise=exercise, pair__isnull=False).exists()
    page = client.get(url).content.decode()
    assert "Pairs that cannot take records" in page
    assert "Reader Person and Moderator Person" in page[page.index('data-testid="pairs-refused"') :]
    # The pair no longer appears among the choices for a record.
    assert f'<option value="{pair.pk}"' not in page


def test_an_exercise_shows_the_records_that_cannot_progress(cast, ready, client_for) -> None:  # type: ignore[no-untyped-def]
    from howgood.partnerships.services import membership_deactivate, membership_update

    client = client_for("coordinator")
    url = reverse("records:exercise", args=[ready.pk])
    assert 'data-testid="stuck"' not in client.get(url).content.decode()
    moderator = Membership.objects.get(user=cast.moderator, partnership=cast.a)
    membership_deactivate(membership=moderator, actor=cast.lead)
    stuck = selectors.records_that_cannot_progress(ready)
    assert len(stuck) == 8
    page = client.get(url).content.decode()
    panel = page[page.index('data-testid="stuck"') :]
    panel = panel[: panel.index("</table>")]
    assert "8 records cannot progress" in page
    for case in Case.objects.filter(exercise=ready, sample_status="sampled"):
        assert case.reading_id in panel
    assert "Moderator Person is no longer a member of this partnership." in panel
    assert "Move the record to another pair" in panel
    # A record the reader has started stays with its pair: the page says what else to do.
    reader = Membership.objects.get(user=cast.reader, partnership=cast.a)
    first = Case.objects.filter(exercise=ready, sample_status="sampled").order_by("reading_id")[0]
    services.reading_open(case=first, membership=reader)
    membership_update(
        membership=reader, role="viewer", agency=reader.agency, job_title="", actor=cast.lead
    )
    page = client.get(url).content.decode()
    row = page[page.index(first.reading_id, page.index('data-testid="stuck"')) :]
    row = row[: row.index("</tr>")]
    assert "Reader Person is a viewer in this partnership" in row
    assert "Reading has started, so the record stays with its pair" in row


def test_balanced_assignment_and_workload(cast, ready, client_for) -> None:  # type: ignore[no-untyped-def]
    assert (
        Case.objects.filter(exercise=ready, sample_status="sampled", pair__isnull=True).count() == 0
    )
    page = client_for("coordinator").get(reverse("records:pairs", args=[ready.pk])).content.decode()
    assert "Reader Person" in page and ">8<" in page


def test_pages_query_counts_do_not_grow(
    cast, exercise, client_for, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    # Each page makes the same number of queries with 5 records and one pair as with 20
    # records and two pairs, and shows the new records and pair.
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
    queries = {"exercise": 18, "cases": 10, "assign": 14, "pairs": 15}
    urls = {name: reverse(f"records:{name}", args=[exercise.pk]) for name in queries}

    def pages() -> dict[str, str]:
        shown = {}
        for name, url in urls.items():
            with django_assert_num_queries(queries[name]):
                response = client.get(url)
            assert response.status_code == 200
            shown[name] = page_text(response)
        return shown

    for url in urls.values():
        client.get(url)  # first visits fill the session and caches
    few = pages()
    assert "5 of 5 sampled records assigned." in few["exercise"]
    assert few["exercise"].count("| Reader Person and Moderator Person | 0 of 2 started |") == 5
    assert few["cases"].count("| Sampled |") == 5
    assert "| 1 pair of trained readers. |" in few["exercise"]
    services.sample_draw(
        exercise=exercise,
        confidence=0.95,
        margin=0.1,
        proportion=0.5,
        size=20,
        seed=1,
        actor=cast.coordinator,
    )
    other_reader = Membership.objects.get(user=cast.other_reader, partnership=cast.a)
    train(other_reader)
    services.pair_create(
        exercise=exercise, reader=other_reader, moderator=moderator, actor=cast.coordinator
    )
    services.assign_balanced(exercise=exercise, actor=cast.coordinator)
    many = pages()
    assert "| 20 of 20 records, stratified by category, seed 1. |" in many["exercise"]
    assert "| 2 pairs of trained readers. |" in many["exercise"]
    assert "| 20 of 20 sampled records assigned. |" in many["exercise"]
    progress = many["exercise"]
    assert progress.count("| Reader Person and Moderator Person | 0 of 2 started |") == 10
    assert progress.count("| Second Reader Person and Moderator Person | 0 of 2 started |") == 10
    assert many["cases"].count("| Sampled |") == 20
    assert many["assign"].count("| Pair for R-") == 20
    assert (
        "| Second Reader Person | A Police | Moderator Person | A Social Work | 10 | Remove |"
        in many["pairs"]
    )
    assert (
        "| Moderator Person | 20 | Reader Person | 10 | Second Reader Person | 10 |"
        in (many["pairs"])
    )


def _second_pair_fails(monkeypatch):  # type: ignore[no-untyped-def]
    """Make the second of the suggested pairs fail after the first has been written."""
    real = services.pair_create
    made: list[Pair] = []

    def pair_create(**kwargs):  # type: ignore[no-untyped-def]
        if made:
            raise ValidationError("The second pair could not be made.")
        made.append(real(**kwargs))
        return made[-1]

    monkeypatch.setattr(services, "pair_create", pair_create)
    return made


def _two_pairs_waiting(cast):  # type: ignore[no-untyped-def]
    reader = Membership.objects.get(user=cast.reader, partnership=cast.a)
    other_reader = Membership.objects.get(user=cast.other_reader, partnership=cast.a)
    moderator = Membership.objects.get(user=cast.moderator, partnership=cast.a)
    lead = Membership.objects.get(user=cast.lead, partnership=cast.a)
    train(reader, other_reader, moderator)
    train(lead, course=TrainingCourse.MODERATION)


def test_suggested_pairs_are_made_all_or_none(cast, exercise, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from howgood.core.models import AuditEvent

    _two_pairs_waiting(cast)
    made = _second_pair_fails(monkeypatch)
    with pytest.raises(ValidationError):
        services.pairs_create_suggested(exercise=exercise, actor=cast.coordinator)
    assert len(made) == 1  # the first pair was written before the second failed
    assert Pair.objects.filter(exercise=exercise).count() == 0
    assert AuditEvent.objects.filter(action="records.pair.created").count() == 0


def test_a_failure_while_suggesting_pairs_on_the_page_leaves_no_pairs(
    cast, exercise, monkeypatch, client_for
) -> None:  # type: ignore[no-untyped-def]
    _two_pairs_waiting(cast)
    made = _second_pair_fails(monkeypatch)
    response = client_for("coordinator").post(
        reverse("records:pairs", args=[exercise.pk]), {"suggest": "1"}
    )
    assert response.status_code == 400
    assert "The second pair could not be made." in response.content.decode()
    assert len(made) == 1
    assert Pair.objects.filter(exercise=exercise).count() == 0
