"""Access expectations for record reading."""

from __future__ import annotations

from typing import Any

from tests.access_matrix.rules import MANAGERS, expect

READ_ROLES = MANAGERS | {"reader", "moderator"}
FINDINGS = MANAGERS | {"moderator", "viewer", "scrutiny"}
# Documents with one row per reading: roles that see findings and case data (two-factor).
CASE_DATA = MANAGERS | {"moderator"}


def objects(cast: Any) -> dict[str, Any]:
    from howgood.partnerships.models import Membership
    from howgood.questionnaires import services as qservices
    from howgood.records import services
    from howgood.records.caselist import read_case_list
    from howgood.records.demo import make_ready
    from howgood.records.models import Case, Pair, Reading
    from tests.records.conftest import case_csv, template_bytes, train

    version = qservices.questionnaire_import(
        partnership=cast.a,
        files={"t.xlsx": template_bytes()},
        actor=cast.coordinator,
        kind="record_reading",
    )
    version = qservices.version_publish(version=version, actor=cast.coordinator)
    exercise = services.exercise_create(
        partnership=cast.a,
        title="Matrix reading",
        template=version,
        activity=None,
        actor=cast.coordinator,
    )
    reader = Membership.objects.get(user=cast.reader, partnership=cast.a)
    other_reader = Membership.objects.get(user=cast.other_reader, partnership=cast.a)
    moderator = Membership.objects.get(user=cast.moderator, partnership=cast.a)
    train(reader, other_reader, moderator)
    make_ready(
        exercise=exercise,
        rows=read_case_list(case_csv(10), "c.csv"),
        size=4,
        seed=1,
        pairs=[(reader, moderator), (other_reader, moderator)],
        actor=cast.coordinator,
    )
    pair, other_pair = Pair.objects.filter(exercise=exercise).order_by("pk")
    # The records below are the first pair's; the second pair has records of its own.
    case = Case.objects.filter(exercise=exercise, pair=pair).order_by("pk").first()
    assert Case.objects.filter(exercise=exercise, pair=other_pair).exists()
    reading = services.reading_open(case=case, membership=reader)
    concern = services.concern_raise(case=case, description="Worried", actor=cast.reader)
    assert (
        Reading.objects.filter(pk=reading.pk).exists() and Pair.objects.filter(pk=pair.pk).exists()
    )
    from howgood.records.models import Conclusion
    from howgood.reports.models import GeneratedReport

    statement = Conclusion.objects.create(
        exercise=exercise,
        key="ird_held",
        kind="strength",
        suggested_text="Most records",
        text="Most records",
    )
    # A coordinator's workbook with one row per reading (case-level data).
    report = GeneratedReport.objects.create(
        partnership=cast.a,
        kind="records.readings.xlsx",
        target_id=exercise.pk,
        exercise=exercise,
        title="Findings",
        capability="records.case_data",
        case_level=True,
        status="ready",
        filename="f.xlsx",
        content_type="application/octet-stream",
        content=b"x",
    )
    return {
        "r_exercise": exercise,
        "r_case": case,
        "r_pair": pair,
        "r_reading": reading,
        "r_concern": concern,
        "r_statement": statement,
        "r_report": report,
    }


def _pk(key: str) -> Any:
    return lambda o: {"pk": o[key].pk}


ASSIGNED_READER = {**expect(set()), "reader": 200}  # only the person whose reading it is
THE_PAIR = {
    **expect({"reader", "moderator"}, denied=404),
    "other_reader": 404,
}  # only the pair's two people; others (a reader of another pair too) see nothing
CONCERN = {**expect(MANAGERS, denied=404), "reader": 200}  # managers and the person who raised it

EXPECTATIONS: dict[str, dict[str, Any]] = {
    "records:index": {
        "expect": {
            **expect(READ_ROLES, outsider=200),
            "reader": 302,
            "other_reader": 302,
            "moderator": 302,
        }
    },
    "records:exercise_create": {"expect": expect(MANAGERS, outsider=200)},
    "records:exercise": {"kwargs": _pk("r_exercise"), "expect": expect(MANAGERS)},
    "records:case_import": {"kwargs": _pk("r_exercise"), "expect": expect(MANAGERS)},
    "records:cases": {"kwargs": _pk("r_exercise"), "expect": expect(MANAGERS)},
    "records:keymap": {"kwargs": _pk("r_exercise"), "expect": expect({"coordinator"})},
    "records:sample": {"kwargs": _pk("r_exercise"), "expect": expect(MANAGERS)},
    "records:pairs": {"kwargs": _pk("r_exercise"), "expect": expect(MANAGERS)},
    "records:assign": {"kwargs": _pk("r_exercise"), "expect": expect(MANAGERS)},
    "records:case_data_delete": {"kwargs": _pk("r_exercise"), "expect": expect(MANAGERS)},
    "records:pair_delete": {"kwargs": _pk("r_pair"), "expect": expect(MANAGERS)},
    "records:case_replace": {"kwargs": _pk("r_case"), "expect": expect(MANAGERS)},
    "records:reading_start": {
        "kwargs": _pk("r_case"),
        "method": "post",
        "post": False,
        "expect": {**THE_PAIR, "reader": 302, "moderator": 302},
    },
    "records:concern_create": {"kwargs": _pk("r_case"), "expect": THE_PAIR},
    "records:my_readings": {"expect": expect(READ_ROLES, outsider=200)},
    "records:reading_section": {
        "kwargs": lambda o: {"pk": o["r_reading"].pk, "index": 0},
        "expect": {**expect(set(), denied=404), "reader": 200},
    },
    "records:reading_autosave": {
        "kwargs": lambda o: {"pk": o["r_reading"].pk, "index": 0},
        "method": "post",
        "post": False,
        "expect": {**expect(set(), denied=404), "reader": 200},
    },
    "records:reading_check": {
        "kwargs": _pk("r_reading"),
        "expect": {**expect(set(), denied=404), "reader": 200},
    },
    "records:moderation": {
        "kwargs": _pk("r_case"),
        "expect": {**THE_PAIR, "reader": 403, "moderator": 302},
    },
    "records:concerns": {"expect": expect(READ_ROLES, outsider=200)},
    "records:findings": {"kwargs": _pk("r_exercise"), "expect": expect(FINDINGS)},
    "records:change": {"kwargs": _pk("r_exercise"), "expect": expect(FINDINGS)},
    "records:change_export": {
        "kwargs": _pk("r_exercise"),
        "method": "post",
        "post": False,
        "expect": expect(FINDINGS, ok=302),
    },
    "records:repeat": {"kwargs": _pk("r_exercise"), "expect": expect(MANAGERS)},
    "records:findings_chart": {
        "kwargs": lambda o: {"pk": o["r_exercise"].pk, "key": "six"},
        "expect": expect(FINDINGS, ok=404),
    },  # nothing moderated yet: no chart
    "records:agreement": {"kwargs": _pk("r_exercise"), "expect": expect(FINDINGS)},
    "records:conclusions_suggest": {
        "kwargs": _pk("r_exercise"),
        "method": "post",
        "post": False,
        "expect": expect(MANAGERS, ok=302),
    },
    "records:conclusion_decide": {
        "kwargs": _pk("r_statement"),
        "method": "post",
        "post": False,
        "expect": expect(MANAGERS, ok=302),
    },
    "records:findings_export": {
        "kwargs": lambda o: {"pk": o["r_exercise"].pk, "fmt": "xlsx"},
        "method": "post",
        "post": False,
        "expect": expect(FINDINGS, ok=302),
    },
    # Viewers and scrutiny partners may see findings but never a per-reading workbook, even
    # by guessing its number (tests/access_matrix/test_documents.py opens what each gets).
    "reports:status": {"kwargs": _pk("r_report"), "expect": expect(CASE_DATA)},
    "reports:download": {"kwargs": _pk("r_report"), "expect": expect(CASE_DATA)},
    "reports:retry": {  # a ready document: "Try again" changes nothing and goes back
        "kwargs": _pk("r_report"),
        "method": "post",
        "post": False,
        "expect": expect(CASE_DATA, ok=302),
    },
    "records:concern": {"kwargs": _pk("r_concern"), "expect": CONCERN},
}
