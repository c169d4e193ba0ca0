"""The demo's record-reading exercise, at the scale of a real partnership's 2021 exercise: a case list of a few
hundred invented records, 31 sampled, 21 readers in pairs with inspectors as moderators,
every record read twice and moderated, and two matters of concern; a second round a year on
(30 records, marked as a repeat: two of the areas for improvement accepted in spring clearly
improved, one did not, and the strength accepted slipped); and a small follow-up under way so
the demo reader and moderator have work waiting.

:func:`make_ready` is the one way an exercise is made ready to read, for the demo, the tests
and the access matrix alike."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from django.db.models import QuerySet

from howgood.accounts.models import User
from howgood.core.demobuild import DemoBuild
from howgood.partnerships.models import Membership, Partnership, TrainingCourse, TrainingRecord
from howgood.questionnaires.models import QuestionnaireVersion, Submission
from howgood.questionnaires.rendering import VersionTree, relevant
from howgood.records import services
from howgood.records.caselist import CaseRow
from howgood.records.models import Case, Concern, Conclusion, Exercise, Moderation, Pair, Reading

CATEGORIES = [
    "registered",
    "investigated_not_registered",
    "vulnerable_young_person",
    "care_and_risk_management",
]
AGES = ["unborn", "0-4", "5-11", "12-15", "16-17"]
REASONS = [
    "The record shows a prompt, well-coordinated response with clear decisions and rationale recorded.",
    "Information was shared between agencies but decisions were not always recorded with reasons.",
    "The chronology and assessment were up to date and used to inform the plan for the child.",
    "The plan lacked timescales and it was not clear who was responsible for each action.",
]


def _answer(
    item: Any, choices: list[tuple[str, str]], rng: random.Random, list_name: str, base: date
) -> Any:
    if item.type == "select_one":
        names = [n for n, _ in choices]
        if list_name == "six_point":
            return rng.choices(["6", "5", "4", "3", "2"], weights=[1, 4, 6, 3, 1])[0]
        if "yes" in names:
            return (
                rng.choices(
                    ["yes", "partly", "no"]
                    + [n for n in names if n not in ("yes", "partly", "no")],
                    weights=[7, 2, 2] + [0.3] * (len(names) - 3 if len(names) > 3 else 0),
                )[0]
                if "partly" in names
                else rng.choices(["yes", "no"], weights=[8, 2])[0]
            )
        return rng.choice(names)
    if item.type == "select_multiple":
        return rng.sample([n for n, _ in choices], k=min(len(choices), rng.randint(1, 2)))
    if item.type == "integer":
        return rng.randint(0, 3)
    if item.type == "date":
        # The optional dates are left out; the required ones (the period reviewed) are given,
        # or the reading could not be submitted. No random draw, so the other answers stay.
        if not item.required:
            return None
        return base - timedelta(days=180) if item.name.endswith("_start") else base
    if item.type == "text":
        return rng.choice(REASONS) if item.required else ""
    return None


def reading_answers(
    tree: VersionTree, list_names: dict[int, str], rng: random.Random, base: date
) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for section in tree.sections:
        if not relevant(section.relevant, answers):
            continue
        for item in tree.section_items(section):
            if item.type == "note" or not relevant(item.relevant, answers):
                continue
            value = _answer(
                item,
                tree.choices.get(item.choice_list_id or 0, []),
                rng,
                list_names.get(item.choice_list_id or 0, ""),
                base,
            )
            if value not in (None, "", []):
                answers[item.name] = value
    return answers


def _template() -> QuestionnaireVersion | None:
    return (
        QuestionnaireVersion.objects.filter(
            questionnaire__partnership__isnull=True,
            form_id="howgood_record_reading",
            status="published",
        )
        .order_by("-number")
        .first()
    )


def _case_rows(rng: random.Random, n: int, first: int) -> list[CaseRow]:
    return [
        CaseRow(
            row=i + 2,
            reference=f"DEMO-{first + i}",
            category=rng.choices(CATEGORIES, weights=[3, 5, 1, 1])[0],
            age_band=rng.choice(AGES),
            sex=rng.choice(["female", "male"]),
            agencies=["social_work", "health", "education"],
        )
        for i in range(n)
    ]


def load(build: DemoBuild) -> None:
    coordinator = build.people["coordinator"].user
    made = _load(
        build.partnership,
        coordinator,
        build.people["lead"].user,
        build.readers,
        build.activities["Reading children's records"],
    )
    if made is not None:
        load_second_round(build, *made)
    # The demo reader and moderator read as a pair in a follow-up: work on their home pages.
    load_follow_up(
        build.partnership, coordinator, build.people["reader"], build.people["moderator"]
    )


def clear(partnerships: QuerySet[Partnership]) -> None:
    """The demo's exercises with their matters of concern, readings, moderations and the
    answers they hold. Readings and moderations protect their answers and people, so they
    are unwound from the most dependent up."""
    Concern.objects.filter(partnership__in=partnerships).delete()
    exercises = Exercise.objects.filter(partnership__in=partnerships)
    submissions = list(
        Reading.objects.filter(case__exercise__in=exercises).values_list("submission_id", flat=True)
    ) + list(
        Moderation.objects.filter(case__exercise__in=exercises).values_list(
            "submission_id", flat=True
        )
    )
    Moderation.objects.filter(case__exercise__in=exercises).delete()
    Reading.objects.filter(case__exercise__in=exercises).delete()
    Pair.objects.filter(exercise__in=exercises).delete()
    exercises.delete()
    Submission.objects.filter(pk__in=submissions).delete()


def make_ready(
    *,
    exercise: Exercise,
    rows: list[CaseRow],
    size: int,
    seed: int,
    pairs: list[tuple[Membership, Membership]],
    actor: User,
    margin: float = 0.1,
    filename: str = "cases.csv",
) -> Exercise:
    """Make an exercise ready to read as its coordinator would, through the services: import
    the case list, draw a sample of ``size`` (95% confidence, ``margin``, seeded), make the
    pairs (reader, moderator; both must be trained) and assign the records evenly."""
    services.cases_import(exercise=exercise, rows=rows, actor=actor, filename=filename)
    services.sample_draw(
        exercise=exercise,
        confidence=0.95,
        margin=margin,
        proportion=0.5,
        size=size,
        seed=seed,
        actor=actor,
    )
    for reader, moderator in pairs:
        services.pair_create(exercise=exercise, reader=reader, moderator=moderator, actor=actor)
    services.assign_balanced(exercise=exercise, actor=actor)
    return exercise


def _load(
    partnership: Partnership,
    coordinator: User,
    lead: User,
    readers: list[Membership],
    activity: Any,
) -> tuple[Exercise, list[Membership]] | None:
    rng = random.Random(31)
    template = _template()
    if template is None:
        return None
    exercise = services.exercise_create(
        partnership=partnership,
        title="Record reading, spring (demo)",
        template=template,
        activity=activity,
        actor=coordinator,
    )
    # Inspectors from the scrutiny bodies moderate, each paired with three local readers.
    moderators = []
    for i, name in enumerate(
        [
            "Ruth Inglis",
            "Colin Baird",
            "Janet Moir",
            "Alan Reid",
            "Kathleen Dow",
            "Ewan Park",
            "Sheena Rae",
        ]
    ):
        user = User.objects.create_user(
            email=f"inspector{i + 1}@demo.howgood.invalid",
            password=None,
            full_name=f"{name} (inspector)",
            is_demo=True,
        )
        member = Membership.objects.create(
            user=user, partnership=partnership, role="moderator", job_title="Inspector"
        )
        TrainingRecord.objects.create(
            partnership=partnership,
            membership=member,
            trained_on=activity.starts_on,
            trained_by="Care Inspectorate strategic scrutiny team (demo)",
            course=TrainingCourse.MODERATION,
        )
        moderators.append(member)
    make_ready(
        exercise=exercise,
        rows=_case_rows(rng, 312, 10000),
        size=31,
        seed=2021,
        pairs=[(reader, moderators[i % len(moderators)]) for i, reader in enumerate(readers)],
        actor=coordinator,
        margin=0.15,
        filename="demo-case-list.csv",
    )
    tree = VersionTree.load(template)
    list_names = dict(template.choice_lists.values_list("id", "name"))
    cases = list(
        Case.objects.filter(exercise=exercise, sample_status="sampled").select_related(
            "pair__reader__user", "pair__moderator__user"
        )
    )
    base = activity.starts_on - timedelta(days=120)
    for n, case in enumerate(cases):
        reader_answers = reading_answers(tree, list_names, rng, base)
        moderator_answers = dict(reader_answers)
        for name in list(moderator_answers)[
            ::9
        ]:  # the moderator differs on about one answer in nine
            item = next(i for i in tree.items if i.name == name)
            if (
                item.type == "select_one"
                and list_names.get(item.choice_list_id or 0) == "six_point"
            ):
                moderator_answers[name] = str(max(1, int(moderator_answers[name]) - 1))
        assert case.pair is not None
        _read_and_submit(case, case.pair.reader, reader_answers, tree)
        _read_and_submit(case, case.pair.moderator, moderator_answers, tree)
        moderation = services.moderation_start(case=case, actor=case.pair.moderator.user)
        differences = {k: v for k, v in reader_answers.items() if moderator_answers.get(k) != v}
        services.moderation_save(
            moderation=moderation,
            lock_version=moderation.lock_version,
            values=differences,
            notes={k: "Agreed after discussing what the record shows." for k in differences},
            actor=case.pair.moderator.user,
            complete=True,
        )
        if n in (4, 17):
            concern = services.concern_raise(
                case=case,
                description="Recent incident in the record has no follow-up recorded. "
                "Check the child's current safety plan.",
                actor=case.pair.reader.user,
            )
            if n == 4:
                services.concern_advance(concern=concern, note="", actor=lead)
    services.conclusions_refresh(exercise=exercise, actor=coordinator)
    return exercise, moderators


def load_follow_up(
    partnership: Partnership, coordinator: User, reader: Membership, moderator: Membership
) -> None:
    """A small follow-up exercise under way, so the demo reader and the demo moderator have
    work waiting: six records for their pair, two read by both (waiting for the moderator to
    moderate), one the reader has started, three not started."""
    rng = random.Random(47)
    template = _template()
    if template is None:
        return
    exercise = services.exercise_create(
        partnership=partnership,
        title="Record reading, autumn follow-up (demo)",
        template=template,
        activity=None,
        actor=coordinator,
    )
    make_ready(
        exercise=exercise,
        rows=_case_rows(rng, 60, 20000),
        size=6,
        seed=2022,
        pairs=[(reader, moderator)],
        actor=coordinator,
        margin=0.3,
        filename="demo-follow-up-case-list.csv",
    )
    tree = VersionTree.load(template)
    list_names = dict(template.choice_lists.values_list("id", "name"))
    cases = list(
        Case.objects.filter(exercise=exercise, sample_status="sampled").order_by("reading_id")
    )
    base = date.today() - timedelta(days=120)
    first_section = {i.name for i in tree.section_items(tree.sections[0])}
    for n, case in enumerate(cases[:3]):
        answers = reading_answers(tree, list_names, rng, base)
        if n == 2:  # the reader has done the first section only
            partial = {k: v for k, v in answers.items() if k in first_section}
            reading = services.reading_open(case=case, membership=reader)
            services.reading_save(
                reading=reading,
                lock_version=reading.lock_version,
                values=partial,
                section_index=1,
                actor=reader.user,
                items=tree.items,
            )
            continue
        for member in (reader, moderator):
            _read_and_submit(case, member, answers, tree)


def _read_and_submit(
    case: Case, member: Membership, values: dict[str, Any], tree: VersionTree
) -> None:
    """One person reads the whole record through the services and submits the reading."""
    reading = services.reading_open(case=case, membership=member)
    reading = services.reading_save(
        reading=reading,
        lock_version=reading.lock_version,
        values=values,
        section_index=len(tree.sections) - 1,
        actor=member.user,
        items=tree.items,
    )
    services.reading_submit(reading=reading, lock_version=reading.lock_version, actor=member.user)


def _good(item: Any, list_name: str, rng: random.Random) -> str:
    return rng.choice(["4", "5", "5", "6"]) if list_name == "six_point" else "yes"


def _poor(item: Any, list_name: str, rng: random.Random) -> str:
    return rng.choice(["2", "3"]) if list_name == "six_point" else "no"


def load_second_round(build: DemoBuild, first: Exercise, moderators: list[Membership]) -> None:
    """A year on, the partnership reads 30 records again on the same template, marked as a
    repeat of the spring reading. Of the three areas for improvement it accepted in spring,
    two clearly improved and one did not; one strength it accepted slipped."""
    coordinator, lead = build.people["coordinator"].user, build.people["lead"].user
    improvements = list(
        Conclusion.objects.filter(exercise=first, kind="improvement").order_by("id")
    )
    strengths = list(Conclusion.objects.filter(exercise=first, kind="strength").order_by("id"))
    accepted = improvements[:3] + strengths[:1]
    for conclusion in accepted:
        services.conclusion_decide(
            statement=conclusion, status="accepted", text=conclusion.suggested_text, actor=lead
        )
    improved = {c.key for c in improvements[:2]}
    slipped = {c.key for c in strengths[:1]}
    rng = random.Random(2025)
    template = first.template
    exercise = services.exercise_create(
        partnership=build.partnership,
        title="Record reading, a year on (demo)",
        template=template,
        activity=None,
        actor=coordinator,
    )
    services.exercise_repeat_set(exercise=exercise, earlier=first, actor=coordinator)
    make_ready(
        exercise=exercise,
        rows=_case_rows(rng, 300, 30000),
        size=30,
        seed=2022,
        pairs=[(r, moderators[i % len(moderators)]) for i, r in enumerate(build.readers)],
        actor=coordinator,
        margin=0.15,
        filename="demo-second-round-case-list.csv",
    )
    tree = VersionTree.load(template)
    list_names = dict(template.choice_lists.values_list("id", "name"))
    items = {i.name: i for i in tree.items}
    base = date.today() - timedelta(days=60)
    cases = Case.objects.filter(exercise=exercise, sample_status="sampled").select_related(
        "pair__reader__user", "pair__moderator__user"
    )
    for case in cases:
        answers = reading_answers(tree, list_names, rng, base)
        for name in list(answers):
            list_name = list_names.get(items[name].choice_list_id or 0, "")
            if name in improved and rng.random() < 0.93:
                answers[name] = _good(items[name], list_name, rng)
            elif name in slipped and rng.random() < 0.35:
                answers[name] = _poor(items[name], list_name, rng)
        assert case.pair is not None
        _read_and_submit(case, case.pair.reader, answers, tree)
        _read_and_submit(case, case.pair.moderator, answers, tree)
        moderation = services.moderation_start(case=case, actor=case.pair.moderator.user)
        services.moderation_save(
            moderation=moderation,
            lock_version=moderation.lock_version,
            values={},
            notes={},
            actor=case.pair.moderator.user,
            complete=True,
        )
    services.conclusions_refresh(exercise=exercise, actor=coordinator)
