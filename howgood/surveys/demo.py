"""The demo's surveys, at the scale of a real partnership's 2021 surveys, all invented.

- The staff survey: about 300 responses across the six agencies, closed. Staff in
  education are clearly less sure than social work staff that they hear what happened
  after they raise a concern, and health staff less sure that information comes in
  time: perception gaps between services like those a real partnership found in 2021, for
  the analysis to flag.
- The children and young people's survey and the parents and carers survey, closed.
- A short staff pulse survey that is open now, with access codes, some of them used.

Answers follow each questionnaire's skip logic. Responses are made the way the public
pages make them (a submission, its answers, an anonymous response), with dates inside
the survey's window and no times.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from django.db.models import QuerySet

from howgood.core.demobuild import DemoBuild
from howgood.partnerships.models import Activity, Agency, Partnership
from howgood.questionnaires.models import Answer, QuestionnaireVersion, Submission
from howgood.questionnaires.rendering import VersionTree, relevant
from howgood.surveys import services
from howgood.surveys.models import CommentTag, CommentTheme, Response, Survey

# Responses per agency type (about 300 in all) and the roles people in it hold.
STAFF_RESPONSES = {
    "social_work": (82, ["social_worker"] * 9 + ["other"]),
    "health": (74, ["health_visitor_school_nurse"] * 3 + ["doctor_health"]),
    "education": (88, ["teacher_education"] * 9 + ["other"]),
    "police": (31, ["police"]),
    "reporter": (8, ["reporter"]),
    "third_sector": (19, ["third_sector"]),
}
# How far each agency leans from the partnership's usual answer, per question (in scale
# points; positive = less agreement). The two big gaps are of the kind a real partnership found between its services.
LEANS: dict[str, dict[str, float]] = {
    "education": {"told_outcome": 1.5, "information_in_time": 0.6, "ird_right_people": 0.5},
    "health": {"information_in_time": 1.2, "told_outcome": 0.5},
    "social_work": {"workload_manageable": 0.9, "told_outcome": -0.4},
    "police": {"ird_timely": -0.5, "confident_practice_model": 0.6},
    "third_sector": {"views_respected": 0.8, "priorities_known": 0.7},
}
# The usual answer per question on a 1 (strongly agree / always) to 5 scale.
USUAL = {
    "recognise_risk": 1.6,
    "know_what_to_do": 1.5,
    "told_outcome": 2.9,
    "early_help": 2.8,
    "neglect_response": 2.9,
    "outside_home_risk": 2.8,
    "information_in_time": 2.6,
    "workload_manageable": 3.0,
    "specialist_help": 3.3,
    "advocacy_available": 2.8,
    "views_improve_services": 2.7,
    "leaders_visible": 2.7,
    "leaders_listen": 2.9,
    "priorities_known": 2.7,
    "learning_shared": 2.7,
}
STAFF_COMMENTS = {
    "Feedback after a referral": [
        "We rarely hear back after making a referral, so we do not know if the child is safe.",
        "It would help to be told the outcome when I raise a concern about a pupil.",
        "Feedback after referrals is patchy: sometimes a phone call, often nothing.",
    ],
    "Information sharing": [
        "Information from health often arrives after the meeting it was needed for.",
        "Sharing information is much better than it was, but it still depends on who you know.",
        "Chronologies are not always shared between services before a case conference.",
    ],
    "Joint training": [
        "The multi-agency training on neglect was excellent and should be repeated.",
        "More joint training with police and health would help us understand each other's roles.",
    ],
    "Workload": [
        "Caseloads are too high to spend the time with children that they need.",
        "Vacancies mean we are always catching up rather than planning ahead.",
    ],
    "Working together": [
        "Core groups work well when everyone attends and actions are followed up.",
        "The team around the child approach in schools is working well.",
        "Relationships between social work and education have improved a lot this year.",
    ],
}
CHILD_COMMENTS = [
    "My worker listens to me and helps me.",
    "I wish I saw the same worker every time.",
    "I like going to the group on Thursdays.",
    "Sometimes meetings are too long and I do not understand the words.",
]
CARER_COMMENTS = {
    "what_helped": [
        "Having one worker who kept in touch every week.",
        "The family support worker helped with the school and with money worries.",
        "Being given the plan in writing so I could read it again.",
    ],
    "what_could_be_better": [
        "Tell us sooner what you are worried about, not at the meeting.",
        "Workers changed too often and we had to tell our story again.",
        "Call back when you say you will.",
    ],
}


def _version(form_id: str) -> QuestionnaireVersion | None:
    return (
        QuestionnaireVersion.objects.filter(
            form_id=form_id, questionnaire__partnership__isnull=True, status="published"
        )
        .order_by("-number")
        .first()
    )


def _scale_answer(rng: random.Random, centre: float, options: list[str]) -> str:
    """One answer on an ordered scale (the first option best), near ``centre`` (1-based)."""
    point = round(centre + rng.gauss(0, 0.85))
    return options[min(len(options), max(1, point)) - 1]


def _make_response(
    survey: Survey,
    tree: VersionTree,
    answers: dict[str, Any],
    on: date,
    agency: Agency | None,
    rng: random.Random,
) -> Response:
    submission = Submission.objects.create(version=survey.version, started_on=on, submitted_on=on)
    by_name = {i.name: i for i in tree.items}
    Answer.objects.bulk_create(
        Answer(submission=submission, item=by_name[name], value_text=str(value))
        for name, value in answers.items()
        if value not in (None, "")
    )
    return Response.objects.create(
        survey=survey,
        token=f"demo-{rng.getrandbits(128):032x}",
        submission=submission,
        agency=agency,
        complete=True,
    )


def _answers(
    tree: VersionTree,
    rng: random.Random,
    fixed: dict[str, Any],
    centre_of: Any,
    comments: dict[str, list[str]],
) -> dict[str, Any]:
    """Answers to every item that applies, in questionnaire order (skip logic followed)."""
    answers: dict[str, Any] = dict(fixed)
    for section in tree.sections:
        if not relevant(section.relevant, answers):
            continue
        for item in [i for i in tree.items if i.section_id == section.pk]:
            if item.type == "note" or item.name in answers or not relevant(item.relevant, answers):
                continue
            options = [name for name, _ in tree.choices.get(item.choice_list_id or 0, [])]
            if item.type == "text":
                pool = comments.get(item.name, [])
                if pool and rng.random() < 0.35:
                    answers[item.name] = rng.choice(pool)
            elif item.type == "select_one":
                if item.name in ("ird_involved", "invited_meetings", "copy_of_plan"):
                    answers[item.name] = rng.choices(options, weights=[6, 4, 1][: len(options)])[0]
                elif item.name in ("training_when", "supervision_freq"):
                    answers[item.name] = rng.choices(options, weights=[5, 4, 2, 1][: len(options)])[
                        0
                    ]
                elif rng.random() < 0.03 and not item.required:
                    continue  # a few people skip a question
                else:
                    answers[item.name] = _scale_answer(rng, centre_of(item.name), options)
    return answers


def load(build: DemoBuild) -> None:
    build.made["surveys"] = _load(
        build.partnership, build.people["coordinator"].user, build.activities, build.rng
    )


def clear(partnerships: QuerySet[Partnership]) -> None:
    """The demo surveys, their responses and the answers they hold."""
    submissions = list(
        Response.objects.filter(survey__partnership__in=partnerships).values_list(
            "submission_id", flat=True
        )
    )
    Survey.objects.filter(partnership__in=partnerships).delete()  # before their answers
    Submission.objects.filter(pk__in=submissions).delete()


def _load(
    partnership: Partnership, coordinator: Any, activities: dict[str, Activity], rng: random.Random
) -> dict[str, Survey]:
    agencies = list(Agency.objects.filter(partnership=partnership))
    if _version("howgood_staff_survey") is None:
        return {}  # the shipped questionnaires are not loaded (load_default_questionnaires)
    made = {
        "staff": _staff(partnership, coordinator, activities["Staff survey"], agencies, rng),
        "children": _families(
            partnership,
            coordinator,
            activities["Children and young people's survey"],
            "howgood_children_survey",
            "Children and young people's survey",
            42,
            rng,
        ),
        "carers": _families(
            partnership,
            coordinator,
            activities["Parents and carers survey"],
            "howgood_carers_survey",
            "Parents and carers survey",
            37,
            rng,
        ),
    }
    made["pulse"] = _pulse(partnership, coordinator, agencies, rng)
    return made


def _create(
    partnership: Partnership,
    coordinator: Any,
    version: QuestionnaireVersion,
    title: str,
    audience: list[Agency],
    opens_on: date,
    closes_on: date,
    access_mode: str,
    activity: Activity | None,
) -> Survey:
    return services.survey_create(
        partnership=partnership,
        title=title,
        version=version,
        audience=audience,
        opens_on=opens_on,
        closes_on=closes_on,
        access_mode=access_mode,
        actor=coordinator,
        activity=activity,
    )


def _window(activity: Activity, rng: random.Random) -> date:
    days = max(0, (activity.ends_on - activity.starts_on).days)
    return activity.starts_on + timedelta(days=rng.randint(0, days))


def _staff(
    partnership: Partnership,
    coordinator: Any,
    activity: Activity,
    agencies: list[Agency],
    rng: random.Random,
) -> Survey:
    version = _version("howgood_staff_survey")
    assert version is not None
    survey = _create(
        partnership,
        coordinator,
        version,
        "Staff survey 2021",
        agencies,
        activity.starts_on,
        activity.ends_on,
        "link",
        activity,
    )
    tree = VersionTree.load(survey.version)
    pool = {
        "what_works_well": STAFF_COMMENTS["Working together"] + STAFF_COMMENTS["Joint training"],
        "what_could_be_better": [
            c
            for theme in ("Feedback after a referral", "Information sharing", "Workload")
            for c in STAFF_COMMENTS[theme]
        ],
    }
    for agency in agencies:
        count, roles = STAFF_RESPONSES.get(agency.type, (10, ["other"]))
        leans = LEANS.get(agency.type, {})
        for _ in range(count):
            person = rng.gauss(0, 0.35)
            answers = _answers(
                tree,
                rng,
                {
                    "role": rng.choice(roles),
                    "job_type": rng.choices(
                        ["practitioner", "first_line_manager", "middle_senior_manager"],
                        weights=[7, 2, 1],
                    )[0],
                },
                lambda name, leans=leans, person=person: (
                    USUAL.get(name, 2.2) + leans.get(name, 0.0) + person
                ),
                pool,
            )
            _make_response(survey, tree, answers, _window(activity, rng), agency, rng)
    _themes(survey, STAFF_COMMENTS, tag_share=0.7, rng=rng)
    return survey


def _families(
    partnership: Partnership,
    coordinator: Any,
    activity: Activity,
    form_id: str,
    title: str,
    count: int,
    rng: random.Random,
) -> Survey:
    version = _version(form_id)
    assert version is not None, f"{form_id} is loaded with the staff survey"
    survey = _create(
        partnership,
        coordinator,
        version,
        f"{title} 2021",
        [],
        activity.starts_on,
        activity.ends_on,
        "both",
        activity,
    )
    tree = VersionTree.load(survey.version)
    child = form_id == "howgood_children_survey"
    comments = {"anything_else": CHILD_COMMENTS} if child else CARER_COMMENTS
    for _ in range(count):
        fixed = (
            {"age_child": rng.choices(["under_12", "12_to_15", "16_or_over"], [3, 5, 2])[0]}
            if child
            else {}
        )
        person = rng.gauss(0, 0.4)
        answers = _answers(
            tree,
            rng,
            fixed,
            lambda name, person=person: (
                (1.5 if child else 2.3)
                + person
                + (
                    0.6
                    if name in ("what_i_say_counts", "workers_reliable", "know_what_next")
                    else 0
                )
            ),
            comments,
        )
        _make_response(survey, tree, answers, _window(activity, rng), None, rng)
    return survey


def _themes(
    survey: Survey, themes: dict[str, list[str]], tag_share: float, rng: random.Random
) -> None:
    """Tag most of the comments with the theme they were written for, as a coordinator would."""
    text_answers = Answer.objects.filter(
        submission__survey_response__survey=survey, item__type="text"
    ).exclude(value_text="")
    for name, comments in themes.items():
        theme = CommentTheme.objects.create(survey=survey, name=name)
        CommentTag.objects.bulk_create(
            CommentTag(theme=theme, answer=answer)
            for answer in text_answers.filter(value_text__in=comments)
            if rng.random() < tag_share
        )


def _pulse(
    partnership: Partnership, coordinator: Any, agencies: list[Agency], rng: random.Random
) -> Survey:
    """A short follow-up survey open now, answered through the same services as the pages."""
    version = QuestionnaireVersion.objects.filter(
        questionnaire__partnership=partnership, status="published"
    ).first()
    assert version is not None, "the demo's pulse questionnaire is imported first"
    today = date.today()
    survey = _create(
        partnership,
        coordinator,
        version,
        "Staff pulse survey: one year on",
        agencies[:3],
        today - timedelta(days=6),
        today + timedelta(days=14),
        "both",
        None,
    )
    codes = services.codes_generate(survey=survey, count=60, actor=coordinator)
    tree = VersionTree.load(version)
    for i in range(17):
        response = services.response_start(
            survey=survey,
            code=codes[i].code if i < 9 else "",
            agency=agencies[i % 3],
        )
        answers = _answers(
            tree,
            rng,
            {},
            lambda name: 2.2,
            {"risk_comment": ["Better than a year ago.", "Still waiting for feedback."]},
        )
        services.response_save(
            response=response, values=answers, section_index=len(tree.sections) - 1
        )
        services.response_submit(response=response)
    return survey
