"""A small record-reading template and an exercise ready to read, for the records tests."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from howgood.partnerships.models import Membership, TrainingCourse, TrainingRecord
from howgood.questionnaires import services as qservices
from tests.questionnaires.workbooks import workbook

SIX = [
    ["six_point", str(n), w]
    for n, w in [
        (6, "6 Excellent"),
        (5, "5 Very good"),
        (4, "4 Good"),
        (3, "3 Adequate"),
        (2, "2 Weak"),
        (1, "1 Unsatisfactory"),
    ]
]
YNP = [
    ["ynp", "yes", "Yes"],
    ["ynp", "no", "No"],
    ["ynp", "partly", "Partly"],
    ["ynp", "na", "Not applicable"],
]


def template_bytes() -> bytes:
    rows = [
        ["begin_group", "risk", "Recognising and responding to risk"],
        [
            "select_one ynp",
            "ird_held",
            "Was an inter-agency referral discussion (IRD) held?",
            "",
            "yes",
            "",
            "",
            "",
            "5.2",
            "1",
        ],
        [
            "select_one ynp",
            "ird_timely",
            "Was the IRD timely?",
            "",
            "yes",
            "${ird_held} = 'yes'",
            "",
            "",
            "5.2",
            "1",
        ],
        [
            "select_one six_point",
            "initial_quality",
            "How good was the initial response?",
            "",
            "yes",
            "",
            "",
            "",
            "5.2",
            "1",
        ],
        [
            "text",
            "initial_quality_reason",
            "Why did you give this evaluation?",
            "",
            "yes",
            "${initial_quality} != ''",
            "string-length(.) <= 2000",
            "",
            "5.2",
            "1",
        ],
        ["end_group", "risk"],
        ["begin_group", "experience", "The child's experience"],
        [
            "select_one ynp",
            "seen_alone",
            "Was the child seen alone?",
            "",
            "yes",
            "",
            "",
            "",
            "2.1",
            "2",
        ],
        ["text", "comments", "Anything else?", "Use roles, not names", "", "", "", "", "2.1", "2"],
        ["end_group", "experience"],
    ]
    return workbook(rows, SIX + YNP, title="Test reading template")


@pytest.fixture
def template(cast: Any, framework: Any) -> Any:
    version = qservices.questionnaire_import(
        partnership=cast.a,
        files={"t.xlsx": template_bytes()},
        actor=cast.coordinator,
        kind="record_reading",
    )
    return qservices.version_publish(version=version, actor=cast.coordinator)


def train(*memberships: Membership, course: str | None = None) -> None:
    """Put people on the training register: moderators in moderation (which covers reading
    too), everyone else in record reading, unless ``course`` says otherwise."""
    for m in memberships:
        TrainingRecord.objects.get_or_create(
            partnership=m.partnership,
            membership=m,
            trained_on=date(2026, 1, 5),
            course=course
            or (
                TrainingCourse.MODERATION
                if m.role == "moderator"
                else TrainingCourse.RECORD_READING
            ),
            defaults={"trained_by": "Care Inspectorate"},
        )


@pytest.fixture
def exercise(cast: Any, template: Any) -> Any:
    from howgood.records import services

    return services.exercise_create(
        partnership=cast.a,
        title="Spring reading",
        template=template,
        activity=None,
        actor=cast.coordinator,
    )


def case_csv(n: int = 40) -> bytes:
    categories = [
        "registered",
        "investigated not registered",
        "vulnerable young person",
        "care and risk management",
    ]
    lines = ["reference,category,age_band,sex,agencies,date_concern"]
    for i in range(n):
        lines.append(
            f"SW{1000 + i},{categories[i % 4] if i % 5 else 'registered'},5-11,{'female' if i % 2 else 'male'},"
            f"social work; health,2026-0{1 + i % 9}-1{i % 9}"
        )
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def ready(cast: Any, exercise: Any) -> Any:
    """Exercise with 40 records imported, 8 sampled, one pair (reader + moderator), all assigned."""
    from howgood.records.caselist import read_case_list
    from howgood.records.demo import make_ready

    reader = Membership.objects.get(user=cast.reader, partnership=cast.a)
    moderator = Membership.objects.get(user=cast.moderator, partnership=cast.a)
    train(reader, moderator)
    return make_ready(
        exercise=exercise,
        rows=read_case_list(case_csv(), "cases.csv"),
        size=8,
        seed=42,
        pairs=[(reader, moderator)],
        actor=cast.coordinator,
    )


def read_and_moderate(cast: Any, exercise: Any, answers_for: Any) -> list[Any]:
    """Both members of the pair read every sampled record; the moderator agrees the reader's answers."""
    from howgood.records import services
    from howgood.records.models import Case

    cases = list(
        Case.objects.filter(exercise=exercise, sample_status="sampled")
        .select_related("pair__reader", "pair__moderator")
        .order_by("reading_id")
    )
    for index, case in enumerate(cases):
        for member, who in ((case.pair.reader, "reader"), (case.pair.moderator, "moderator")):
            reading = services.reading_open(case=case, membership=member)
            services.reading_save(
                reading=reading,
                lock_version=reading.lock_version,
                values=answers_for(index, who),
                section_index=1,
                actor=member.user,
            )
            reading.refresh_from_db()
            services.reading_submit(
                reading=reading, lock_version=reading.lock_version, actor=member.user
            )
        moderation = services.moderation_start(case=case, actor=case.pair.moderator.user)
        reader_answers = answers_for(index, "reader")
        services.moderation_save(
            moderation=moderation,
            lock_version=moderation.lock_version,
            values=reader_answers,
            notes={},
            actor=case.pair.moderator.user,
            complete=True,
        )
    return cases


def answers(index: int, who: str) -> dict[str, Any]:
    """Answers for the ``index``-th record: 6 of 8 good or better, free-text reasons given."""
    quality = "4" if index < 6 else "2"  # 6 of 8 good or better
    return {
        "ird_held": "yes" if index < 7 else "no",
        "ird_timely": "yes" if index < 2 else ("no" if index < 7 else None),
        "initial_quality": quality if who == "reader" or index % 2 else "3",
        "initial_quality_reason": "Reason given here",
        "seen_alone": "yes" if index < 3 else "no",
    }
