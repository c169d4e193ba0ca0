"""Questionnaire workflows: import, publish, derive, export, and saving typed answers.

Imports are all-or-nothing: a file is read into a :class:`FormDef` first (which raises
:class:`DefinitionError` with every problem located by sheet and row, and refuses a
questionnaire over the size limits in :mod:`~howgood.questionnaires.definition`), outside
any transaction; then quality-indicator tags are resolved and everything is written,
inside one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from howgood.accounts.models import User
from howgood.core import audit
from howgood.frameworks.models import InspectionStatement, QualityIndicator
from howgood.partnerships.models import Partnership
from howgood.questionnaires.definition import (
    DefinitionError,
    FormDef,
    Problem,
)
from howgood.questionnaires.models import (
    Answer,
    Choice,
    ChoiceList,
    Item,
    Questionnaire,
    QuestionnaireVersion,
    Section,
    Submission,
    VersionStatus,
)
from howgood.questionnaires.redcap import read_redcap
from howgood.questionnaires.selectors import AnswerValue, definition_of
from howgood.questionnaires.xlsform import read_xlsform, read_xlsform_sheets

REDCAP_HEADER = "variable / field name"


class FrozenVersion(Exception):
    """Raised when something tries to change a published version."""


def read_definition(files: Mapping[str, bytes]) -> FormDef:
    """Read uploaded files into a definition, choosing the reader by what they are.

    One .xlsx/.xls file, or one CSV (pyxform's single-CSV layout, or a REDCap data
    dictionary, told apart by its header), or several CSVs, one per XLSForm sheet.
    """
    if not files:
        raise DefinitionError([Problem("file", None, "Choose a file to upload.")])
    if len(files) > 1:
        names = {name.lower() for name in files}
        if not all(name.endswith(".csv") for name in names):
            raise DefinitionError(
                [
                    Problem(
                        "file",
                        None,
                        "Upload one Excel workbook, or CSV files only (one per sheet: survey.csv, choices.csv, settings.csv).",
                    )
                ]
            )
        return read_xlsform_sheets(dict(files))
    ((filename, data),) = files.items()
    lower = filename.lower()
    if lower.endswith(".csv"):
        first_line = data[:2000].decode("utf-8-sig", errors="replace").lower().split("\n", 1)[0]
        if REDCAP_HEADER in first_line:
            return read_redcap(data, filename)
        return read_xlsform(data, filename)
    if lower.endswith((".xlsx", ".xls")):
        return read_xlsform(data, filename)
    raise DefinitionError(
        [
            Problem(
                "file",
                None,
                f"{filename} is not a file HowGood can read. Upload an XLSForm as .xlsx, .xls or .csv, or a REDCap data dictionary as .csv.",
            )
        ]
    )


def _tag_maps() -> tuple[dict[str, QualityIndicator], dict[int, InspectionStatement]]:
    """Quality indicators and inspection statements of the default framework, by number."""

    indicators = {
        qi.number: qi
        for qi in QualityIndicator.objects.filter(framework__is_default=True, retired=False)
    }
    statements = {
        s.number: s
        for s in InspectionStatement.objects.filter(framework__is_default=True, retired=False)
    }
    return indicators, statements


def _resolve_tags(
    formdef: FormDef,
) -> tuple[dict[str, list[QualityIndicator]], dict[str, list[InspectionStatement]]]:
    indicators, statements = _tag_maps()
    problems: list[Problem] = []
    item_qis: dict[str, list[QualityIndicator]] = {}
    item_statements: dict[str, list[InspectionStatement]] = {}
    sheet = "data dictionary" if formdef.source_format == "redcap" else "survey"
    for item in formdef.iter_items():
        found = []
        for code in item.qi:
            if code not in indicators:
                problems.append(
                    Problem(
                        sheet,
                        item.row,
                        f"qi column: {code} is not a quality indicator of the framework in use. Use numbers like 2.1 or 5.3.",
                    )
                )
            else:
                found.append(indicators[code])
        item_qis[item.name] = found
        found_s = []
        for number in item.statements:
            if number not in statements:
                problems.append(
                    Problem(
                        sheet,
                        item.row,
                        f"statement column: {number} is not an inspection statement. Use 1, 2, 3 or 4.",
                    )
                )
            else:
                found_s.append(statements[number])
        item_statements[item.name] = found_s
    if problems:
        raise DefinitionError(problems)
    return item_qis, item_statements


def _build(version: QuestionnaireVersion, formdef: FormDef) -> None:
    """Write sections, choice lists, items and tags for a definition (bulk, few queries)."""
    item_qis, item_statements = _resolve_tags(formdef)
    lists = ChoiceList.objects.bulk_create(
        ChoiceList(version=version, name=name) for name in formdef.choice_lists
    )
    list_by_name = {cl.name: cl for cl in lists}
    Choice.objects.bulk_create(
        Choice(choice_list=list_by_name[name], name=c.name, label=c.label, order=i)
        for name, choices in formdef.choice_lists.items()
        for i, c in enumerate(choices)
    )
    sections = Section.objects.bulk_create(
        Section(
            version=version,
            order=i,
            name=s.name,
            title=s.title,
            hint=s.hint,
            relevant=s.relevant,
            source_row=s.row,
        )
        for i, s in enumerate(formdef.sections)
    )
    items: list[Item] = []
    order = 0
    for section, sdef in zip(sections, formdef.sections, strict=True):
        for idef in sdef.items:
            items.append(
                Item(
                    version=version,
                    section=section,
                    order=order,
                    name=idef.name,
                    type=idef.type,
                    label=idef.label,
                    hint=idef.hint,
                    required=idef.required,
                    required_message=idef.required_message,
                    relevant=idef.relevant,
                    constraint=idef.constraint,
                    constraint_message=idef.constraint_message,
                    appearance=idef.appearance,
                    choice_list=list_by_name.get(idef.choice_list) if idef.choice_list else None,
                    min_value=idef.min_value,
                    max_value=idef.max_value,
                    min_length=idef.min_length,
                    max_length=idef.max_length,
                    extra=dict(idef.extra),
                    source_row=idef.row,
                )
            )
            order += 1
    Item.objects.bulk_create(items)
    qi_through = Item.quality_indicators.through
    st_through = Item.statements.through
    qi_through.objects.bulk_create(
        qi_through(item_id=item.pk, qualityindicator_id=qi.pk)
        for item in items
        for qi in item_qis[item.name]
    )
    st_through.objects.bulk_create(
        st_through(item_id=item.pk, inspectionstatement_id=st.pk)
        for item in items
        for st in item_statements[item.name]
    )


def questionnaire_import(
    *,
    partnership: Partnership,
    files: Mapping[str, bytes],
    actor: User | None,
    title: str = "",
    kind: str = "other",
    questionnaire: Questionnaire | None = None,
    definition: FormDef | None = None,
) -> QuestionnaireVersion:
    """Import files as a new draft version (of a new questionnaire unless one is given).

    Raises DefinitionError (and writes nothing) when the files cannot be imported. The
    files are read before the transaction that writes the version opens: reading a large
    file takes seconds, and on SQLite an open transaction holds the write lock that every
    sign-in needs. A caller that already holds a transaction (the upload page's
    one-create-per-submission guard) reads the files first with :func:`read_definition`
    and passes the result as ``definition``.
    """
    formdef = definition if definition is not None else read_definition(files)
    return _version_create(
        partnership=partnership,
        files=files,
        actor=actor,
        title=title,
        kind=kind,
        questionnaire=questionnaire,
        formdef=formdef,
    )


@transaction.atomic
def _version_create(
    *,
    partnership: Partnership,
    files: Mapping[str, bytes],
    actor: User | None,
    title: str,
    kind: str,
    questionnaire: Questionnaire | None,
    formdef: FormDef,
) -> QuestionnaireVersion:
    if questionnaire is None:
        questionnaire = Questionnaire.objects.create(
            partnership=partnership, title=title or formdef.title, kind=kind
        )
        created = True
    else:
        created = False
    number = (
        questionnaire.versions.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        number=number,
        title=title or formdef.title or questionnaire.title,
        form_id=formdef.form_id,
        source_version=formdef.version,
        source_format=formdef.source_format,
        source_filename=", ".join(sorted(files))[:255],
        default_language=formdef.default_language,
        created_by=actor,
    )
    _build(version, formdef)
    if created:
        audit.log(
            actor=actor,
            action="questionnaires.questionnaire.created",
            target=questionnaire,
            partnership=partnership,
        )
    audit.log(
        actor=actor,
        action="questionnaires.version.imported",
        target=version,
        partnership=partnership,
        data={
            "files": sorted(files),
            "items": sum(len(s.items) for s in formdef.sections),
            "format": formdef.source_format,
        },
    )
    return version


def version_replace(
    *, version: QuestionnaireVersion, files: Mapping[str, bytes], actor: User | None
) -> QuestionnaireVersion:
    """Replace a draft's whole content with a corrected file (read before the transaction
    opens, as in :func:`questionnaire_import`)."""
    if version.is_frozen:
        raise FrozenVersion(
            "A published version cannot change. Make a new version from it instead."
        )
    return _version_rewrite(
        version=version, files=files, actor=actor, formdef=read_definition(files)
    )


@transaction.atomic
def _version_rewrite(
    *,
    version: QuestionnaireVersion,
    files: Mapping[str, bytes],
    actor: User | None,
    formdef: FormDef,
) -> QuestionnaireVersion:
    version = QuestionnaireVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_frozen:
        raise FrozenVersion(
            "A published version cannot change. Make a new version from it instead."
        )
    version.items.all().delete()
    version.sections.all().delete()
    version.choice_lists.all().delete()
    version.title = formdef.title or version.title
    version.form_id, version.source_version = formdef.form_id, formdef.version
    version.source_format, version.default_language = (
        formdef.source_format,
        formdef.default_language,
    )
    version.source_filename = ", ".join(sorted(files))[:255]
    version.save()
    _build(version, formdef)
    audit.log(
        actor=actor,
        action="questionnaires.version.replaced",
        target=version,
        partnership=version.questionnaire.partnership,
        data={"files": sorted(files)},
    )
    return version


@transaction.atomic
def version_publish(*, version: QuestionnaireVersion, actor: User | None) -> QuestionnaireVersion:
    """Freeze a draft. Earlier published versions are retired (kept for their answers)."""
    version = QuestionnaireVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_frozen:
        raise FrozenVersion("This version is already published.")
    if not version.items.filter(
        type__in=["text", "integer", "decimal", "date", "select_one", "select_multiple"]
    ).exists():
        raise FrozenVersion("This version has no questions to answer, so it cannot be published.")
    now = timezone.now()
    retired = list(
        QuestionnaireVersion.objects.filter(
            questionnaire=version.questionnaire, status=VersionStatus.PUBLISHED
        ).values_list("number", flat=True)
    )
    QuestionnaireVersion.objects.filter(
        questionnaire=version.questionnaire, status=VersionStatus.PUBLISHED
    ).update(status=VersionStatus.RETIRED)
    version.status, version.published_at, version.published_by = VersionStatus.PUBLISHED, now, actor
    version.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    audit.log(
        actor=actor,
        action="questionnaires.version.published",
        target=version,
        partnership=version.questionnaire.partnership,
        data={"retired_versions": retired},
    )
    return version


@transaction.atomic
def version_derive(
    *, version: QuestionnaireVersion, actor: User | None, partnership: Partnership | None = None
) -> QuestionnaireVersion:
    """A new draft copied from any version. For a shared default, the copy belongs to
    ``partnership`` as a new questionnaire; otherwise it is the next version of the same one.
    """
    formdef = definition_of(version)
    source = version.questionnaire
    if source.partnership_id is None:
        if partnership is None:
            raise ValueError("Copying a shared questionnaire needs the partnership to copy it into")
        target = Questionnaire.objects.create(
            partnership=partnership,
            title=source.title,
            kind=source.kind,
            description=source.description,
        )
        number = 1
        audit.log(actor=actor, action="questionnaires.questionnaire.created", target=target)
    else:
        target = source
        number = (
            target.versions.order_by("-number").values_list("number", flat=True).first() or 0
        ) + 1
    new = QuestionnaireVersion.objects.create(
        questionnaire=target,
        number=number,
        title=version.title,
        form_id=version.form_id,
        source_version=version.source_version,
        source_format=version.source_format,
        source_filename=version.source_filename,
        default_language=version.default_language,
        derived_from=version,
        created_by=actor,
    )
    _build(new, formdef)
    audit.log(
        actor=actor,
        action="questionnaires.version.derived",
        target=new,
        partnership=target.partnership,
        data={"from_version": version.pk},
    )
    return new


# --- Answers -------------------------------------------------------------------------------


def submission_create(*, version: QuestionnaireVersion) -> Submission:
    return Submission.objects.create(version=version, started_on=timezone.localdate())


@transaction.atomic(savepoint=False)  # inside a caller's transaction: no savepoint of its own
def answers_save(
    *,
    submission: Submission,
    values: Mapping[str, AnswerValue],
    items: Iterable[Item] | None = None,
) -> None:
    """Store answers as typed rows, replacing earlier answers to the same items.

    ``values`` maps item name to its cleaned value; None or '' or [] removes the answer.
    Items must belong to the submission's version.
    """
    by_name = {i.name: i for i in (items if items is not None else submission.version.items.all())}
    unknown = set(values) - set(by_name)
    if unknown:
        raise ValueError(f"Not items of this version: {sorted(unknown)}")
    touched = [by_name[name].pk for name in values]
    Answer.objects.filter(submission=submission, item_id__in=touched).delete()
    rows: list[Answer] = []
    for name, value in values.items():
        item = by_name[name]
        if value is None or value == "" or value == []:
            continue
        if item.version_id != submission.version_id:
            raise ValueError("Answers must be given against the submission's own version")
        if isinstance(value, list):
            rows.extend(Answer(submission=submission, item=item, value_text=str(v)) for v in value)
        elif isinstance(value, date):
            rows.append(
                Answer(
                    submission=submission, item=item, value_date=value, value_text=value.isoformat()
                )
            )
        elif isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            rows.append(
                Answer(
                    submission=submission,
                    item=item,
                    value_number=Decimal(value),
                    value_text=str(value),
                )
            )
        else:
            rows.append(Answer(submission=submission, item=item, value_text=str(value)))
    Answer.objects.bulk_create(rows)
