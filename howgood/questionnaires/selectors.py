"""Reads of questionnaires: the lists for the pages, a version's definition (and its XLSForm
workbook), a submission's answers."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from django.db.models import Count, Max, Prefetch, Q, QuerySet

from howgood.core.exports import safe_row
from howgood.partnerships.models import Membership
from howgood.questionnaires import access
from howgood.questionnaires.definition import ChoiceDef, FormDef, ItemDef, SectionDef
from howgood.questionnaires.models import (
    Answer,
    Item,
    Questionnaire,
    QuestionnaireVersion,
    Submission,
)

AnswerValue = str | int | Decimal | date | list[str] | None


def questionnaire_list(membership: Membership) -> QuerySet[Questionnaire]:
    return (
        access.questionnaires.instances_user_has_permission_for(
            membership.user, "questionnaires.view", partnership=membership.partnership
        )
        .annotate(
            version_count=Count("versions"),
            latest_number=Max("versions__number"),
            published_count=Count("versions", filter=Q(versions__status="published")),
        )
        .order_by("partnership_id", "title")
    )


def versions_of(questionnaire: Questionnaire) -> QuerySet[QuestionnaireVersion]:
    return questionnaire.versions.annotate(item_count=Count("items")).select_related(
        "created_by", "published_by"
    )


def version_items(version: QuestionnaireVersion) -> QuerySet[Item]:
    return (
        version.items.select_related("section", "choice_list")
        .prefetch_related("quality_indicators", "statements", Prefetch("choice_list__choices"))
        .order_by("order")
    )


def definition_of(version: QuestionnaireVersion) -> FormDef:
    """Rebuild the neutral definition from the database (for copying and export)."""
    lists = {
        cl.name: [ChoiceDef(name=c.name, label=c.label) for c in cl.choices.all()]
        for cl in version.choice_lists.prefetch_related("choices")
    }
    items_by_section: dict[int, list[ItemDef]] = {}
    for item in version.items.select_related("choice_list").prefetch_related(
        "quality_indicators", "statements"
    ):
        items_by_section.setdefault(item.section_id, []).append(
            ItemDef(
                name=item.name,
                type=item.type,
                label=item.label,
                hint=item.hint,
                required=item.required,
                required_message=item.required_message,
                relevant=item.relevant,
                constraint=item.constraint,
                constraint_message=item.constraint_message,
                appearance=item.appearance,
                choice_list=item.choice_list.name if item.choice_list else "",
                qi=[qi.number for qi in item.quality_indicators.all()],
                statements=[s.number for s in item.statements.all()],
                row=item.source_row,
                extra=dict(item.extra),
                min_value=item.min_value,
                max_value=item.max_value,
                min_length=item.min_length,
                max_length=item.max_length,
            )
        )
    sections = [
        SectionDef(
            name=s.name,
            title=s.title,
            hint=s.hint,
            relevant=s.relevant,
            row=s.source_row,
            items=items_by_section.get(s.pk, []),
        )
        for s in version.sections.all()
    ]
    return FormDef(
        title=version.title,
        form_id=version.form_id,
        version=version.source_version,
        source_format=version.source_format,
        default_language=version.default_language,
        sections=sections,
        choice_lists=lists,
    )


def version_export_xlsform(version: QuestionnaireVersion) -> bytes:
    """The version as an XLSForm workbook (survey, choices and settings sheets).

    Every cell goes through ``core.exports.safe_cell``: a title, group label or REDCap
    form name that starts like a formula comes back as text.
    """
    # Imported here, not at the top: the document libraries (matplotlib, python-docx,
    # openpyxl, WeasyPrint) take seconds to load and only document builders need them.
    from openpyxl import Workbook
    from openpyxl.styles import Font

    formdef = definition_of(version)
    wb = Workbook()
    survey = wb.active
    assert survey is not None
    survey.title = "survey"
    survey.append(
        safe_row(
            [
                "type",
                "name",
                "label",
                "hint",
                "required",
                "required_message",
                "relevant",
                "constraint",
                "constraint_message",
                "appearance",
                "qi",
                "statement",
            ]
        )
    )
    for section in formdef.sections:
        survey.append(
            safe_row(
                ["begin_group", section.name, section.title, section.hint, "", "", section.relevant]
            )
        )
        for item in section.items:
            kind = f"{item.type} {item.choice_list}" if item.choice_list else item.type
            survey.append(
                safe_row(
                    [
                        kind,
                        item.name,
                        item.label,
                        item.hint,
                        "yes" if item.required else "",
                        item.required_message,
                        item.relevant,
                        item.constraint,
                        item.constraint_message,
                        item.appearance,
                        ", ".join(item.qi),
                        ", ".join(str(s) for s in item.statements),
                    ]
                )
            )
        survey.append(safe_row(["end_group", section.name]))
    choices = wb.create_sheet("choices")
    choices.append(safe_row(["list_name", "name", "label"]))
    for list_name, options in formdef.choice_lists.items():
        for option in options:
            choices.append(safe_row([list_name, option.name, option.label]))
    settings_sheet = wb.create_sheet("settings")
    settings_sheet.append(safe_row(["form_title", "form_id", "version", "default_language"]))
    settings_sheet.append(
        safe_row(
            [
                formdef.title,
                formdef.form_id or f"howgood_{version.pk}",
                f"{version.number}",
                formdef.default_language or "",
            ]
        )
    )
    for sheet in (survey, choices, settings_sheet):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def answers_of(submission: Submission) -> dict[str, AnswerValue]:
    """The submission's answers by item name, typed as the item expects."""
    return answer_values(submission.pk)


def answer_values(submission_id: int) -> dict[str, AnswerValue]:
    """``answers_of`` by the submission's id: one query of plain values, no model objects."""
    result: dict[str, AnswerValue] = {}
    rows = (
        Answer.objects.filter(submission_id=submission_id)
        .order_by("item__order", "id")
        .values_list("item__name", "item__type", "value_text", "value_number", "value_date")
    )
    for name, kind, text, number, day in rows:
        if kind == "select_multiple":
            current = result.setdefault(name, [])
            assert isinstance(current, list)
            current.append(text)
        elif kind == "date":
            result[name] = day
        elif kind == "integer":
            result[name] = int(number) if number is not None else None
        elif kind == "decimal":
            result[name] = number.normalize() if number is not None else None
        else:
            result[name] = text
    return result
