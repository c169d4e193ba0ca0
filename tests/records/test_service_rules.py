"""The rules of records/services.py that the pages rarely reach: each refusal says why in
words a coordinator, reader or moderator sees, and nothing is saved when a step is refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from howgood.core.models import AuditEvent
from howgood.partnerships.models import Membership, TrainingCourse, TrainingRecord
from howgood.questionnaires import selectors as qselectors
from howgood.questionnaires import services as qservices
from howgood.records import selectors, services
from howgood.records.caselist import read_case_list
from howgood.records.models import Case, Concern, Conclusion, Exercise, Moderation, Pair, Reading
from tests.questionnaires.workbooks import workbook
from tests.records.conftest import (
    SIX,
    YNP,
    answers,
    case_csv,
    read_and_moderate,
    template_bytes,
    train,
)

pytestmark = pytest.mark.django_db


def member(cast: Any, who: str) -> Membership:
    return Membership.objects.get(user=cast.users[who], partnership=cast.a)


def sampled(exercise: Exercise) -> list[Case]:
    return list(
        Case.objects.filter(exercise=exercise, sample_status="sampled")
        .select_related("pair__reader__user", "pair__moderator__user")
        .order_by("reading_id")
    )


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def read_and_submit(case: Case, membership: Membership, values: dict[str, Any]) -> Reading:
    reading = services.reading_open(case=case, membership=membership)
    reading = services.reading_save(
        reading=reading,
        lock_version=reading.lock_version,
        values=values,
        section_index=1,
        actor=membership.user,
    )
    return services.reading_submit(
        reading=reading, lock_version=reading.lock_version, actor=membership.user
    )


def refused(exc: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return exc.value.messages


# --- Exercises, case lists and the sample ------------------------------------------------------


def test_an_exercise_needs_a_published_template_of_this_partnership(cast, framework) -> None:  # type: ignore[no-untyped-def]
    draft = qservices.questionnaire_import(
        partnership=cast.a,
        files={"t.xlsx": template_bytes()},
        actor=cast.coordinator,
        kind="record_reading",
    )
    with pytest.raises(ValidationError) as exc:
        services.exercise_create(
            partnership=cast.a, title="Draft", template=draft, activity=None, actor=cast.coordinator
        )
    assert refused(exc) == ["Choose a published record-reading template."]
    theirs = qservices.version_publish(
        version=qservices.questionnaire_import(
            partnership=cast.b,
            files={"t.xlsx": template_bytes()},
            actor=cast.users["outsider"],
            kind="record_reading",
        ),
        actor=cast.users["outsider"],
    )
    with pytest.raises(ValidationError) as exc:
        services.exercise_create(
            partnership=cast.a,
            title="Theirs",
            template=theirs,
            activity=None,
            actor=cast.coordinator,
        )
    assert refused(exc) == ["Choose a template of this partnership or one shipped with HowGood."]
    assert not Exercise.objects.exists()
    assert events("records.exercise.created") == []


def test_reading_ids_stay_unique_when_the_random_draw_repeats(cast, exercise, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    letters = iter("AAAAAAAAAABBBBB")
    monkeypatch.setattr(services.secrets, "choice", lambda alphabet: next(letters))
    n = services.cases_import(
        exercise=exercise,
        rows=read_case_list(case_csv(2), "cases.csv"),
        actor=cast.coordinator,
        filename="cases.csv",
    )
    assert n == 2
    assert sorted(Case.objects.filter(exercise=exercise).values_list("reading_id", flat=True)) == [
        "R-AAAAA",
        "R-BBBBB",
    ]


def test_the_case_list_cannot_be_replaced_once_the_sample_is_drawn(cast, ready) -> None:  # type: ignore[no-untyped-def]
    before = set(Case.objects.filter(exercise=ready).values_list("reading_id", flat=True))
    with pytest.raises(ValidationError) as exc:
        services.cases_import(
            exercise=ready,
            rows=read_case_list(case_csv(3), "new.csv"),
            actor=cast.coordinator,
            filename="new.csv",
        )
    assert refused(exc) == [
        "The sample has been drawn, so the case list can no longer be replaced."
    ]
    assert set(Case.objects.filter(exercise=ready).values_list("reading_id", flat=True)) == before
    assert len(before) == 40


def test_a_sample_needs_a_case_list(cast, exercise) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as exc:
        services.sample_draw(
            exercise=exercise,
            confidence=0.95,
            margin=0.1,
            proportion=0.5,
            actor=cast.coordinator,
        )
    assert refused(exc) == ["Import the case list before drawing a sample."]
    exercise.refresh_from_db()
    assert exercise.sample_drawn_at is None


def test_the_sample_cannot_be_redrawn_once_reading_has_started(cast, ready) -> None:  # type: ignore[no-untyped-def]
    case = sampled(ready)[0]
    services.reading_open(case=case, membership=case.pair.reader)
    with pytest.raises(ValidationError) as exc:
        services.sample_draw(
            exercise=ready,
            confidence=0.95,
            margin=0.1,
            proportion=0.5,
            size=4,
            actor=cast.coordinator,
        )
    assert refused(exc) == ["Reading has started, so the sample can no longer be redrawn."]
    assert Case.objects.filter(exercise=ready, sample_status="sampled").count() == 8


def test_replacing_a_record_needs_a_reason_and_a_record_not_being_read(cast, ready) -> None:  # type: ignore[no-untyped-def]
    case = sampled(ready)[0]
    with pytest.raises(ValidationError) as exc:
        services.case_replace(case=case, reason="   ", actor=cast.coordinator)
    assert exc.value.message_dict == {"reason": ["Say why the record is unavailable"]}
    services.reading_open(case=case, membership=case.pair.reader)
    with pytest.raises(ValidationError) as exc:
        services.case_replace(case=case, reason="Record destroyed", actor=cast.coordinator)
    assert refused(exc) == ["This record is already being read, so it cannot be replaced."]
    case.refresh_from_db()
    assert case.sample_status == "sampled"
    assert events("records.case.replaced") == []


def test_a_record_cannot_be_replaced_when_its_category_has_no_more(cast, exercise) -> None:  # type: ignore[no-untyped-def]
    services.cases_import(
        exercise=exercise,
        rows=read_case_list(case_csv(1), "one.csv"),
        actor=cast.coordinator,
        filename="one.csv",
    )
    services.sample_draw(
        exercise=exercise,
        confidence=0.95,
        margin=0.1,
        proportion=0.5,
        size=1,
        seed=1,
        actor=cast.coordinator,
    )
    only = Case.objects.get(exercise=exercise)
    assert only.sample_status == "sampled"
    with pytest.raises(ValidationError) as exc:
        services.case_replace(case=only, reason="Record destroyed", actor=cast.coordinator)
    assert refused(exc) == ["There are no more registered records to draw from."]
    only.refresh_from_db()
    assert (only.sample_status, only.unavailable_reason) == ("sampled", "")


# --- Pairs -------------------------------------------------------------------------------------


def test_a_pair_needs_two_people_of_this_partnership_and_only_once(cast, ready) -> None:  # type: ignore[no-untyped-def]
    reader, moderator = member(cast, "reader"), member(cast, "moderator")
    outsider = Membership.objects.get(user=cast.users["outsider"])
    cases = [
        ((reader, reader), "A pair needs two different people."),
        ((reader, outsider), "Choose people from this partnership."),
        ((reader, moderator), "This pair already exists."),
    ]
    for (one, two), message in cases:
        with pytest.raises(ValidationError) as exc:
            services.pair_create(exercise=ready, reader=one, moderator=two, actor=cast.coordinator)
        assert refused(exc) == [message]
    assert Pair.objects.filter(exercise=ready).count() == 1


def test_a_pair_is_removed_only_before_it_starts_reading(cast, ready) -> None:  # type: ignore[no-untyped-def]
    reading_pair = Pair.objects.get(exercise=ready)
    first, second, *_ = sampled(ready)
    services.reading_open(case=first, membership=reading_pair.reader)
    with pytest.raises(ValidationError) as exc:
        services.pair_delete(pair=reading_pair, actor=cast.coordinator)
    assert refused(exc) == [
        "This pair has started reading, so it cannot be removed. Move its unread records instead."
    ]
    assert Pair.objects.filter(pk=reading_pair.pk).exists()
    train(member(cast, "other_reader"))
    unread_pair = services.pair_create(
        exercise=ready,
        reader=member(cast, "other_reader"),
        moderator=member(cast, "moderator"),
        actor=cast.coordinator,
    )
    services.cases_assign(
        exercise=ready, assignments={second.pk: unread_pair.pk}, actor=cast.coordinator
    )
    unread_pk = unread_pair.pk
    services.pair_delete(pair=unread_pair, actor=cast.coordinator)
    assert not Pair.objects.filter(pk=unread_pk).exists()
    second.refresh_from_db()
    assert second.pair_id is None  # back among the unassigned records
    assert Case.objects.filter(exercise=ready, pair=reading_pair).count() == 7
    assert [e.data for e in events("records.pair.deleted")] == [{"pair": unread_pk}]


def test_people_trained_in_moderation_with_no_reader_are_paired_across_agencies(
    cast, exercise
) -> None:  # type: ignore[no-untyped-def]
    moderators = [member(cast, who) for who in ("moderator", "lead", "other_reader")]
    train(*moderators, course="moderation")
    made = services.pairs_create_suggested(exercise=exercise, actor=cast.coordinator)
    assert len(made) == 1
    pair = made[0]
    # Two of the three work in social work, one in the police: the pair spans both.
    assert {pair.reader.agency.name, pair.moderator.agency.name} == {"A Social Work", "A Police"}
    # Nobody waits and someone may moderate: asking again makes nothing, without complaint.
    assert services.pairs_create_suggested(exercise=exercise, actor=cast.coordinator) == []
    assert Pair.objects.filter(exercise=exercise).count() == 1


def test_records_cannot_go_to_a_pair_whose_moderator_lost_moderation_training(cast, ready) -> None:  # type: ignore[no-untyped-def]
    pair = Pair.objects.get(exercise=ready)
    case = sampled(ready)[0]
    services.cases_assign(exercise=ready, assignments={case.pk: None}, actor=cast.coordinator)
    TrainingRecord.objects.filter(
        membership=pair.moderator, course=TrainingCourse.MODERATION
    ).update(course=TrainingCourse.RECORD_READING)
    problem = (
        "Moderator Person is not trained in moderation, so cannot moderate. Record their "
        "moderation training on the training register, or choose someone trained in moderation."
    )
    assert selectors.pairs_that_cannot_take_records(ready) == {pair.pk: problem}
    with pytest.raises(ValidationError) as exc:
        services.cases_assign(
            exercise=ready, assignments={case.pk: pair.pk}, actor=cast.coordinator
        )
    assert refused(exc) == [
        f"Record {case.reading_id} cannot go to Reader Person and Moderator Person: {problem}"
    ]
    case.refresh_from_db()
    assert case.pair_id is None


def test_assigning_records_refuses_what_is_not_this_exercises(cast, ready) -> None:  # type: ignore[no-untyped-def]
    case = sampled(ready)[0]
    unsampled = Case.objects.filter(exercise=ready, sample_status="population").first()
    with pytest.raises(ValidationError) as exc:
        services.cases_assign(
            exercise=ready, assignments={unsampled.pk: case.pair_id}, actor=cast.coordinator
        )
    assert refused(exc) == ["Assign sampled records of this exercise only."]
    with pytest.raises(ValidationError) as exc:
        services.cases_assign(
            exercise=ready, assignments={case.pk: case.pair_id + 999}, actor=cast.coordinator
        )
    assert refused(exc) == ["Choose a pair of this exercise."]
    unsampled.refresh_from_db()
    assert unsampled.pair_id is None


def test_assigning_records_unassigns_keeps_records_being_read_and_logs_only_changes(
    cast, ready
) -> None:  # type: ignore[no-untyped-def]
    first, second = sampled(ready)[:2]
    logged = len(events("records.cases.assigned"))
    # Giving a record the pair it already has changes nothing and logs nothing.
    services.cases_assign(
        exercise=ready, assignments={first.pk: first.pair_id}, actor=cast.coordinator
    )
    assert len(events("records.cases.assigned")) == logged
    services.cases_assign(exercise=ready, assignments={second.pk: None}, actor=cast.coordinator)
    second.refresh_from_db()
    assert second.pair_id is None
    assert events("records.cases.assigned")[-1].data == {second.reading_id: None}
    services.reading_open(case=first, membership=first.pair.reader)
    with pytest.raises(ValidationError) as exc:
        services.cases_assign(exercise=ready, assignments={first.pk: None}, actor=cast.coordinator)
    assert refused(exc) == [f"Record {first.reading_id} is being read, so it stays with its pair."]
    first.refresh_from_db()
    assert first.pair_id is not None


def test_records_are_shared_out_only_once_there_are_pairs(cast, exercise) -> None:  # type: ignore[no-untyped-def]
    services.cases_import(
        exercise=exercise,
        rows=read_case_list(case_csv(10), "cases.csv"),
        actor=cast.coordinator,
        filename="cases.csv",
    )
    services.sample_draw(
        exercise=exercise,
        confidence=0.95,
        margin=0.1,
        proportion=0.5,
        size=4,
        seed=3,
        actor=cast.coordinator,
    )
    with pytest.raises(ValidationError) as exc:
        services.assign_balanced(exercise=exercise, actor=cast.coordinator)
    assert refused(exc) == ["Create reading pairs first."]
    assert events("records.cases.assigned") == []


def test_records_stuck_with_a_moderator_who_can_no_longer_read(cast, ready) -> None:  # type: ignore[no-untyped-def]
    moderated, half_read, unassigned, *rest = sampled(ready)
    pair = moderated.pair
    for case in (moderated, half_read):
        read_and_submit(case, pair.reader, answers(0, "reader"))
    read_and_submit(moderated, pair.moderator, answers(0, "moderator"))
    moderation = services.moderation_start(case=moderated, actor=pair.moderator.user)
    services.moderation_save(
        moderation=moderation,
        lock_version=moderation.lock_version,
        values=answers(0, "reader"),
        notes={},
        actor=pair.moderator.user,
        complete=True,
    )
    services.cases_assign(exercise=ready, assignments={unassigned.pk: None}, actor=cast.coordinator)
    Membership.objects.filter(pk=pair.moderator_id).update(role="viewer")

    stuck = {s.case.reading_id: s for s in selectors.records_that_cannot_progress(ready)}
    # The moderated record is finished and the unassigned one has no pair: neither is stuck.
    assert sorted(stuck) == sorted(c.reading_id for c in [half_read, *rest])
    cannot = (
        "Moderator Person is a viewer in this partnership, and that role cannot read "
        "children's records."
    )
    # The reader has submitted, so only the moderator's part is outstanding.
    assert stuck[half_read.reading_id].problems == [cannot]
    assert stuck[half_read.reading_id].what_to_do == (
        "Reading has started, so the record stays with its pair: give Moderator Person a role "
        "that reads records (Partnership settings, Members)."
    )
    assert stuck[rest[0].reading_id].what_to_do == (
        "Move the record to another pair on the Assign records page."
    )


# --- Reading -----------------------------------------------------------------------------------


def test_opening_a_record_again_gives_the_same_reading_and_is_audited(cast, ready) -> None:  # type: ignore[no-untyped-def]
    case = sampled(ready)[0]
    first = services.reading_open(case=case, membership=case.pair.reader)
    again = services.reading_open(case=case, membership=case.pair.reader)
    assert again.pk == first.pk
    assert Reading.objects.filter(case=case).count() == 1
    assert [e.target_id for e in events("records.reading.opened")] == [str(first.pk)] * 2


def test_a_submitted_reading_cannot_change_and_submitting_twice_changes_nothing(
    cast, ready
) -> None:  # type: ignore[no-untyped-def]
    case = sampled(ready)[0]
    reading = read_and_submit(case, case.pair.reader, answers(0, "reader"))
    assert reading.status == "submitted"
    with pytest.raises(services.Conflict) as exc:
        services.reading_save(
            reading=reading,
            lock_version=reading.lock_version,
            values={"comments": "Late thought"},
            section_index=1,
            actor=cast.reader,
        )
    assert str(exc.value) == "This reading has been submitted and can no longer change."
    again = services.reading_submit(
        reading=reading, lock_version=reading.lock_version - 5, actor=cast.reader
    )
    assert (again.status, again.lock_version) == ("submitted", reading.lock_version)
    assert len(events("records.reading.submitted")) == 1
    assert "comments" not in qselectors.answers_of(again.submission)


def test_a_reading_changed_in_another_tab_is_not_submitted(cast, ready) -> None:  # type: ignore[no-untyped-def]
    case = sampled(ready)[0]
    reading = services.reading_open(case=case, membership=case.pair.reader)
    opened_at = reading.lock_version
    services.reading_save(
        reading=reading,
        lock_version=opened_at,
        values=answers(0, "reader"),
        section_index=1,
        actor=cast.reader,
        tab="other",
    )
    with pytest.raises(services.Conflict) as exc:
        services.reading_submit(reading=reading, lock_version=opened_at, actor=cast.reader)
    assert str(exc.value) == (
        "This reading was changed in another tab or window. Check your answers again, then submit."
    )
    reading.refresh_from_db()
    assert reading.status == "in_progress"


def conditional_template(cast: Any) -> Any:
    """A template whose second section applies only when an IRD was held."""
    rows = [
        ["begin_group", "risk", "Risk"],
        ["select_one ynp", "ird_held", "Was an IRD held?", "", "yes", "", "", "", "5.2", "1"],
        ["end_group", "risk"],
        ["begin_group", "ird", "The IRD", "", "", "${ird_held} = 'yes'"],
        [
            "select_one six_point",
            "ird_quality",
            "How good was the IRD?",
            "",
            "yes",
            "",
            "",
            "",
            "5.2",
            "1",
        ],
        ["end_group", "ird"],
    ]
    version = qservices.questionnaire_import(
        partnership=cast.a,
        files={"t.xlsx": workbook(rows, SIX + YNP, title="Conditional template")},
        actor=cast.coordinator,
        kind="record_reading",
    )
    return qservices.version_publish(version=version, actor=cast.coordinator)


def test_required_questions_of_a_section_that_does_not_apply_are_not_asked(cast, framework) -> None:  # type: ignore[no-untyped-def]
    from howgood.records.demo import make_ready

    reader, moderator = member(cast, "reader"), member(cast, "moderator")
    train(reader, moderator)
    exercise = services.exercise_create(
        partnership=cast.a,
        title="Conditional",
        template=conditional_template(cast),
        activity=None,
        actor=cast.coordinator,
    )
    make_ready(
        exercise=exercise,
        rows=read_case_list(case_csv(4), "cases.csv"),
        size=2,
        seed=1,
        pairs=[(reader, moderator)],
        actor=cast.coordinator,
    )
    held, not_held = sampled(exercise)
    with pytest.raises(ValidationError) as exc:
        read_and_submit(held, reader, {"ird_held": "yes"})
    assert refused(exc) == ["1 required question has no answer yet. Answer it, then submit."]
    assert read_and_submit(not_held, reader, {"ird_held": "no"}).status == "submitted"


# --- Matters of concern ------------------------------------------------------------------------


def test_a_concern_needs_a_description(cast, ready) -> None:  # type: ignore[no-untyped-def]
    case = sampled(ready)[0]
    with pytest.raises(ValidationError) as exc:
        services.concern_raise(case=case, description="  ", actor=cast.reader)
    assert exc.value.message_dict == {
        "description": ["Describe the concern about the child's current safety"]
    }
    assert not Concern.objects.exists()


def test_a_concern_is_raised_without_email_when_the_partnership_has_no_lead(
    cast, ready, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    Membership.objects.filter(partnership=cast.a, role="lead").update(is_active=False)
    case = sampled(ready)[0]
    with django_capture_on_commit_callbacks(execute=True):
        concern = services.concern_raise(
            case=case, description="Child may be at risk tonight", actor=cast.reader
        )
    assert mail.outbox == []
    assert (concern.reading_id, concern.status) == (case.reading_id, "raised")
    assert [s.status for s in concern.steps.all()] == ["raised"]
    assert [e.target_id for e in events("records.concern.raised")] == [str(concern.pk)]


def test_a_closed_concern_goes_no_further(cast, ready) -> None:  # type: ignore[no-untyped-def]
    concern = services.concern_raise(
        case=sampled(ready)[0], description="Child may be at risk", actor=cast.reader
    )
    for note in ("", "Referred to the duty team", "Child safe; case reviewed"):
        concern = services.concern_advance(concern=concern, note=note, actor=cast.lead)
    assert concern.status == "closed"
    with pytest.raises(ValidationError) as exc:
        services.concern_advance(concern=concern, note="Again", actor=cast.lead)
    assert refused(exc) == ["This matter of concern is closed."]
    assert concern.steps.count() == 4


# --- Moderation --------------------------------------------------------------------------------


def test_moderation_waits_for_a_pair(cast, ready) -> None:  # type: ignore[no-untyped-def]
    case = sampled(ready)[0]
    services.cases_assign(exercise=ready, assignments={case.pk: None}, actor=cast.coordinator)
    case.refresh_from_db()
    assert selectors.pair_readings(case) == (None, None)
    with pytest.raises(ValidationError) as exc:
        services.moderation_start(case=case, actor=cast.moderator)
    assert refused(exc) == [
        "Both members of the pair must submit their readings before moderation."
    ]
    assert not Moderation.objects.exists()


def test_moderation_saves_as_it_goes_and_refuses_stale_and_finished_changes(cast, ready) -> None:  # type: ignore[no-untyped-def]
    case = sampled(ready)[0]
    read_and_submit(case, case.pair.reader, answers(0, "reader"))
    read_and_submit(case, case.pair.moderator, answers(0, "moderator"))
    moderation = services.moderation_start(case=case, actor=cast.moderator)
    opened_at = moderation.lock_version
    saved = services.moderation_save(
        moderation=moderation,
        lock_version=opened_at,
        values={"initial_quality": "4"},
        notes={"initial_quality": "Agreed after discussion", "seen_alone": "  "},
        actor=cast.moderator,
        complete=False,
    )
    assert saved.completed_at is None
    assert saved.notes == {"initial_quality": "Agreed after discussion"}
    assert qselectors.answers_of(saved.submission)["initial_quality"] == "4"
    assert [e.target_id for e in events("records.moderation.saved")] == [str(moderation.pk)]
    with pytest.raises(services.Conflict) as exc:
        services.moderation_save(
            moderation=moderation,
            lock_version=opened_at,
            values={"initial_quality": "2"},
            notes={},
            actor=cast.moderator,
            complete=True,
        )
    assert str(exc.value) == (
        "This moderation was changed in another tab or window since you opened it."
    )
    done = services.moderation_save(
        moderation=moderation,
        lock_version=saved.lock_version,
        values={},
        notes={},
        actor=cast.moderator,
        complete=True,
    )
    with pytest.raises(services.Conflict) as exc:
        services.moderation_save(
            moderation=moderation,
            lock_version=done.lock_version,
            values={"initial_quality": "2"},
            notes={},
            actor=cast.moderator,
            complete=False,
        )
    assert str(exc.value) == "This moderation is complete and can no longer change."
    assert qselectors.answers_of(Moderation.objects.get().submission)["initial_quality"] == "4"


# --- Findings statements -----------------------------------------------------------------------


def test_refreshing_statements_drops_and_rewords_only_undecided_ones(
    cast, ready, framework
) -> None:  # type: ignore[no-untyped-def]
    read_and_moderate(cast, ready, answers)
    services.conclusions_refresh(exercise=ready, actor=cast.coordinator)
    statements = {s.key: s for s in Conclusion.objects.filter(exercise=ready)}
    wording = statements["ird_held"].text
    # An undecided statement worded differently (as findings were earlier) is reworded.
    Conclusion.objects.filter(pk=statements["ird_held"].pk).update(
        suggested_text="Old wording", text="Old wording"
    )
    # A suggestion no longer made (no such question now) goes, unless someone decided on it.
    Conclusion.objects.create(
        exercise=ready, key="gone", kind="strength", suggested_text="Gone", text="Gone"
    )
    kept = Conclusion.objects.create(
        exercise=ready,
        key="kept",
        kind="strength",
        suggested_text="Kept",
        text="Kept",
        status="accepted",
    )
    n = services.conclusions_refresh(exercise=ready, actor=cast.coordinator)
    after = {s.key: s for s in Conclusion.objects.filter(exercise=ready)}
    assert n == len(statements)
    assert after["ird_held"].text == wording
    assert after["ird_held"].suggested_text == wording
    assert "gone" not in after
    assert after["kept"].pk == kept.pk


def test_a_statement_decision_must_be_one_of_the_three_and_accepting_needs_words(
    cast, ready, framework
) -> None:  # type: ignore[no-untyped-def]
    read_and_moderate(cast, ready, answers)
    services.conclusions_refresh(exercise=ready, actor=cast.coordinator)
    statement = Conclusion.objects.filter(exercise=ready).first()
    with pytest.raises(ValidationError) as exc:
        services.conclusion_decide(
            statement=statement, status="maybe", text="Fine", actor=cast.coordinator
        )
    assert refused(exc) == ["Choose accept, edit or drop."]
    with pytest.raises(ValidationError) as exc:
        services.conclusion_decide(
            statement=statement, status="accepted", text="  ", actor=cast.coordinator
        )
    assert exc.value.message_dict == {"text": ["Enter the wording of the statement"]}
    statement.refresh_from_db()
    assert statement.status == "suggested"
    assert events("records.statement.decided") == []
