"""The questionnaire engine through its services: import, versions, answers, export."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from openpyxl import load_workbook

from howgood.core.models import AuditEvent
from howgood.questionnaires import selectors, services
from howgood.questionnaires.definition import DefinitionError
from howgood.questionnaires.examples import large_form, pulse_survey
from howgood.questionnaires.models import Answer, Item, Questionnaire, QuestionnaireVersion

pytestmark = pytest.mark.django_db


def import_pulse(cast, **kwargs):  # type: ignore[no-untyped-def]
    return services.questionnaire_import(
        partnership=cast.a,
        files={"pulse.xlsx": pulse_survey()},
        actor=cast.coordinator,
        kind="staff_survey",
        **kwargs,
    )


def test_import_builds_sections_items_choices_and_tags(cast, framework) -> None:  # type: ignore[no-untyped-def]
    version = import_pulse(cast)
    assert version.status == "draft" and version.number == 1
    assert version.title == "Staff pulse check (example)"
    assert [s.title for s in version.sections.all()] == [
        "About your work",
        "Recognising and responding to risk",
        "Support, training and leadership",
    ]
    quality = version.items.get(name="ird_quality")
    assert quality.relevant == "${ird_involved} = 'yes'"
    assert sorted(qi.number for qi in quality.quality_indicators.all()) == ["5.2", "7.1"]
    assert [s.number for s in quality.statements.all()] == [1]
    assert version.items.get(name="years").max_value == 50
    assert list(version.items.get(name="role").choice_list.choices.values_list("name", flat=True))[
        :2
    ] == ["social_worker", "health_visitor"]
    assert (
        AuditEvent.objects.filter(
            action="questionnaires.version.imported", partnership=cast.a
        ).count()
        == 1
    )


def test_unknown_quality_indicator_is_refused_with_its_row(cast, framework) -> None:  # type: ignore[no-untyped-def]
    from tests.questionnaires.workbooks import workbook

    data = workbook([["text", "q1", "Question", "", "", "", "", "", "12.9"]])
    with pytest.raises(DefinitionError) as error:
        services.questionnaire_import(
            partnership=cast.a, files={"bad.xlsx": data}, actor=cast.coordinator
        )
    problem = error.value.problems[0]
    assert (problem.sheet, problem.row) == ("survey", 2) and "12.9" in problem.message
    assert not Questionnaire.objects.exists() and not Item.objects.exists()


def test_bad_file_imports_nothing(cast, framework) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DefinitionError):
        services.questionnaire_import(
            partnership=cast.a, files={"x.xlsx": b"not a workbook"}, actor=cast.coordinator
        )
    assert Questionnaire.objects.count() == 0


def test_publish_freezes_and_derive_makes_next_draft(cast, framework) -> None:  # type: ignore[no-untyped-def]
    version = import_pulse(cast)
    services.version_publish(version=version, actor=cast.coordinator)
    version.refresh_from_db()
    assert version.status == "published" and version.published_at and version.is_frozen
    with pytest.raises(services.FrozenVersion):
        services.version_replace(
            version=version, files={"pulse.xlsx": pulse_survey()}, actor=cast.coordinator
        )
    with pytest.raises(services.FrozenVersion):
        services.version_publish(version=version, actor=cast.coordinator)
    new = services.version_derive(version=version, actor=cast.coordinator)
    assert (new.number, new.status, new.questionnaire_id) == (2, "draft", version.questionnaire_id)
    assert new.items.count() == version.items.count()
    assert new.items.get(name="ird_quality").quality_indicators.count() == 2
    services.version_publish(version=new, actor=cast.coordinator)
    version.refresh_from_db()
    assert version.status == "retired"


def test_shared_questionnaire_is_copied_into_the_partnership(cast, framework) -> None:  # type: ignore[no-untyped-def]
    shared = services.questionnaire_import(
        partnership=None, files={"pulse.xlsx": pulse_survey()}, actor=None
    )
    copy = services.version_derive(version=shared, actor=cast.coordinator, partnership=cast.a)
    assert copy.questionnaire.partnership == cast.a and copy.number == 1
    assert shared.questionnaire.partnership is None


def test_answers_are_typed_rows_that_record_their_version(cast, framework) -> None:  # type: ignore[no-untyped-def]
    version = import_pulse(cast)
    submission = services.submission_create(version=version)
    services.answers_save(
        submission=submission,
        values={
            "role": "teacher",
            "years": 12,
            "worked_with": ["sw", "police"],
            "last_training": date(2025, 5, 1),
            "risk_comment": "",
            "confident_risk": "agree",
        },
    )
    rows = Answer.objects.filter(submission=submission)
    assert rows.count() == 6  # two rows for the two chosen agencies, none for the empty comment
    assert rows.get(item__name="years").value_number == Decimal(12)
    assert rows.get(item__name="last_training").value_date == date(2025, 5, 1)
    assert {a.item.version_id for a in rows} == {version.pk}
    assert selectors.answers_of(submission) == {
        "role": "teacher",
        "confident_risk": "agree",
        "years": 12,
        "worked_with": ["sw", "police"],
        "last_training": date(2025, 5, 1),
    }
    services.answers_save(submission=submission, values={"worked_with": ["health"], "years": None})
    answers = selectors.answers_of(submission)
    assert answers["worked_with"] == ["health"] and "years" not in answers


def test_answers_cannot_point_at_another_versions_items(cast, framework) -> None:  # type: ignore[no-untyped-def]
    version = import_pulse(cast)
    submission = services.submission_create(version=version)
    with pytest.raises(ValueError):
        services.answers_save(submission=submission, values={"nonexistent": "x"})


def test_export_round_trips_through_the_importer(cast, framework) -> None:  # type: ignore[no-untyped-def]
    version = import_pulse(cast)
    exported = selectors.version_export_xlsform(version)
    book = load_workbook(io.BytesIO(exported))
    assert book.sheetnames == ["survey", "choices", "settings"]
    again = services.questionnaire_import(
        partnership=cast.a, files={"again.xlsx": exported}, actor=cast.coordinator
    )
    original = selectors.definition_of(version)
    copy = selectors.definition_of(again)
    assert [i.name for i in copy.items] == [i.name for i in original.items]
    assert [(i.type, i.label, i.relevant, i.required, i.qi) for i in copy.items] == [
        (i.type, i.label, i.relevant, i.required, i.qi) for i in original.items
    ]
    assert copy.choice_lists == original.choice_lists


def test_large_form_imports_in_few_queries(cast, framework, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    data = large_form(500)
    # The rows go in with bulk_create: PostgreSQL takes each table's 500 rows in one insert,
    # SQLite in batches its limit on query parameters allows (ten more inserts in all).
    with django_assert_num_queries(25 if connection.vendor == "sqlite" else 15):
        version = services.questionnaire_import(
            partnership=cast.a, files={"big.xlsx": data}, actor=cast.coordinator
        )
    assert version.items.count() == 500
    assert version.items.get(name="q499").label == "Question 500"
    assert QuestionnaireVersion.objects.count() == 1
