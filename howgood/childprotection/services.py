"""Every change to a partnership's child protection data.

An extract goes through three steps: staged (read, checked and held apart, with a preview of
what it will change), applied (it replaces the concerns received in the whole months it
covers, which are kept as superseded, never deleted), and, if need be, undone (its rows
stop counting and the ones it replaced count again). Nothing is half-imported: a file with
any problem is refused with every problem and its row number, and nothing is kept.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from howgood.accounts.models import User
from howgood.childprotection import extract as extracts
from howgood.childprotection import selectors
from howgood.childprotection import series as series_defs
from howgood.childprotection.models import (
    ChildConcern,
    Comparator,
    ConcernImport,
    DataSettings,
    ImportStatus,
    MonthlyCount,
    Population,
    PracticeChange,
    SeriesMeasure,
)
from howgood.core import audit
from howgood.core.tables import TableError, header_key
from howgood.core.updates import model_update
from howgood.improvement import services as improvement_services
from howgood.improvement.models import Measure
from howgood.partnerships.models import Partnership
from howgood.records import services as records_services
from howgood.records.caselist import CaseRow
from howgood.records.models import CaseCategory, Exercise
from howgood.stats.childprotection import monthly_indicators

SETTINGS_FIELDS = ("cppm_days", "reregistration_months")
COUNT_FIELDS = (
    "concerns",
    "wellbeing",
    "investigations",
    "cppms",
    "cppms_in_time",
    "registrations",
    "reregistrations",
    "deregistrations",
    "on_register",
)


def settings_for(partnership: Partnership) -> DataSettings:
    """The partnership's data settings, made with the defaults the first time."""
    made, _ = DataSettings.objects.get_or_create(partnership=partnership)
    return made


def _changed(partnership: Partnership) -> None:
    """Every change to the data moves its version on (the kept figures go stale) and brings
    the plan measures made from it up to date."""
    settings_for(partnership)
    DataSettings.objects.filter(partnership=partnership).update(version=F("version") + 1)
    measures_sync(partnership=partnership)
    # Work the figures out once the change is saved, so that nobody opening the page waits
    # for them (a second at ten years of data).
    transaction.on_commit(lambda: selectors.monthly(partnership))


@transaction.atomic
def settings_update(
    *, partnership: Partnership, data: Mapping[str, Any], actor: User | None
) -> DataSettings:
    settings = settings_for(partnership)
    model_update(
        instance=settings,
        fields=SETTINGS_FIELDS,
        data=data,
        actor=actor,
        audit_action="childprotection.settings.updated",
    )
    _changed(partnership)
    return settings


# --- Extracts ------------------------------------------------------------------------------


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _month_end(day: date) -> date:
    return day.replace(day=monthrange(day.year, day.month)[1])


def _current(partnership: Partnership) -> Any:
    return ChildConcern.objects.filter(
        partnership=partnership, batch__status=ImportStatus.APPLIED, superseded_by__isnull=True
    )


def _check_together(extract: ConcernImport, rows: Sequence[extracts.ConcernRow]) -> None:
    """The extract's rows beside the concerns it would leave in place must make sense
    together (one de-registration date per registration, say): TableError otherwise."""
    settings = settings_for(extract.partnership)
    kept = list(
        _current(extract.partnership)
        .exclude(received__range=(extract.period_start, extract.period_end))
        .values("child", "received", "agency", "outcome", "cppm", "registered", "deregistered")
    )
    ordered = [
        {
            "child": r.child,
            "received": r.received,
            "agency": r.agency,
            "outcome": r.outcome,
            "cppm": r.cppm,
            "registered": r.registered,
            "deregistered": r.deregistered,
        }
        for r in rows
    ] + kept
    try:
        monthly_indicators(
            ordered,
            cppm_days=settings.cppm_days,
            reregistration_months=settings.reregistration_months,
        )
    except ValueError as error:
        message = str(error)
        found = re.match(r"Row (\d+): (.*)", message)
        if found is None:  # pragma: no cover - every row error names its row
            raise TableError([message]) from error
        index = int(found.group(1)) - 1
        if index < len(rows):
            raise TableError([f"Row {rows[index].row}: {found.group(2)}"]) from error
        other = kept[index - len(rows)]
        raise TableError(
            [
                f"A concern already held (received {other['received']:%d/%m/%Y}) does not fit "
                f"with this file: {found.group(2)}. Import a file that covers that month too."
            ]
        ) from error


def _stage_rows(extract: ConcernImport, rows: Sequence[extracts.ConcernRow]) -> None:
    extract.period_start = _month_start(min(r.received for r in rows))
    extract.period_end = _month_end(max(r.received for r in rows))
    _check_together(extract, rows)
    ChildConcern.objects.bulk_create(
        (
            ChildConcern(
                partnership_id=extract.partnership_id,
                batch=extract,
                child=r.child,
                received=r.received,
                agency=r.agency,
                outcome=r.outcome,
                ird=r.ird,
                cppm=r.cppm,
                registered=r.registered,
                deregistered=r.deregistered,
                cppm_exception=r.cppm_exception,
                source_row=r.row,
            )
            for r in rows
        ),
        batch_size=2000,
    )
    extract.rows = len(rows)
    extract.upload = b""
    extract.save(update_fields=["period_start", "period_end", "rows", "upload", "updated_at"])


@transaction.atomic
def extract_stage(
    *, partnership: Partnership, data: bytes, filename: str, actor: User | None
) -> ConcernImport:
    """Read an extract and hold it for a preview. Raises TableError (with every problem,
    nothing kept) or returns the staged extract; ``extract.upload`` is non-empty when its
    columns must be mapped first (``extract_map``)."""
    table = extracts.table_of(data, filename)
    extracts.refuse_identifiers(table[0])  # such a file is never kept, not for a moment
    extract = ConcernImport.objects.create(
        partnership=partnership, filename=filename[:200], uploaded_by=actor
    )
    columns = extracts.match_columns(table[0], settings_for(partnership).column_map)
    if any(field not in columns for field in extracts.REQUIRED):
        extract.upload = data
        extract.save(update_fields=["upload"])
    else:
        _stage_rows(extract, extracts.read_concerns(table, columns, today=timezone.localdate()))
    audit.log(
        actor=actor,
        action="childprotection.extract.staged",
        target=extract,
        data={"file": filename[:100], "rows": extract.rows},
    )
    return extract


def extract_columns(extract: ConcernImport) -> tuple[list[str], dict[str, int]]:
    """The column names of a file waiting to be mapped, and the match found so far."""
    table = extracts.table_of(bytes(extract.upload), extract.filename)
    settings = settings_for(extract.partnership)
    return table[0], extracts.match_columns(table[0], settings.column_map)


def extract_map(
    *, extract: ConcernImport, columns: Mapping[str, int], actor: User | None
) -> ConcernImport:
    """Read a staged file with the columns the person chose ({field: column index}). The
    choice is remembered for the partnership's next extract even when a row is wrong (the
    columns were right; the data needs fixing); a file with a wrong row is not kept."""
    with transaction.atomic():
        extract = ConcernImport.objects.select_for_update().get(pk=extract.pk)
        if extract.status != ImportStatus.STAGED or not extract.upload:
            raise ValidationError("This extract's columns have already been matched.")
        table = extracts.table_of(bytes(extract.upload), extract.filename)
        header = table[0]
        chosen = {
            f: i for f, i in columns.items() if f in extracts.FIELD_LABELS and 0 <= i < len(header)
        }
        if len(set(chosen.values())) < len(chosen):
            raise ValidationError("Choose a different column for each thing: one was chosen twice.")
        settings = settings_for(extract.partnership)
        remembered = dict(settings.column_map)
        remembered.update({header_key(header[i]): field for field, i in chosen.items()})
        settings.column_map = remembered
        settings.save(update_fields=["column_map", "updated_at"])
        audit.log(
            actor=actor,
            action="childprotection.extract.mapped",
            target=extract,
            data={"columns": {field: header[i][:60] for field, i in chosen.items()}},
        )
    try:
        with transaction.atomic():
            _stage_rows(extract, extracts.read_concerns(table, chosen, today=timezone.localdate()))
    except TableError:
        extract_discard(extract=extract, actor=actor)  # nothing of a refused file is kept
        raise
    return extract


def _locked_staged(extract: ConcernImport) -> ConcernImport:
    # The partnership's settings row is the lock: one change to its data at a time.
    DataSettings.objects.select_for_update().filter(partnership_id=extract.partnership_id).first()
    extract = ConcernImport.objects.select_for_update().get(pk=extract.pk)
    return extract


@transaction.atomic
def extract_apply(*, extract: ConcernImport, actor: User | None) -> ConcernImport:
    """Make a staged extract count: it replaces the concerns received in its months."""
    settings_for(extract.partnership)
    extract = _locked_staged(extract)
    if extract.status != ImportStatus.STAGED or extract.upload or not extract.rows:
        raise ValidationError("Only a checked extract waiting to be applied can be applied.")
    _check_together(
        extract,
        [
            extracts.ConcernRow(
                row=c.source_row,
                child=c.child,
                received=c.received,
                agency=c.agency,
                outcome=c.outcome,
                cppm=c.cppm,
                registered=c.registered,
                deregistered=c.deregistered,
            )
            for c in extract.child_concerns.all()
        ],
    )
    replaced = (
        _current(extract.partnership)
        .filter(received__range=(extract.period_start, extract.period_end))
        .update(superseded_by=extract)
    )
    extract.status, extract.replaced, extract.applied_at = (
        ImportStatus.APPLIED,
        replaced,
        timezone.now(),
    )
    extract.save(update_fields=["status", "replaced", "applied_at", "updated_at"])
    audit.log(
        actor=actor,
        action="childprotection.extract.applied",
        target=extract,
        data={
            "rows": extract.rows,
            "replaced": replaced,
            "from": extract.period_start.isoformat(),  # type: ignore[union-attr]
            "to": extract.period_end.isoformat(),  # type: ignore[union-attr]
        },
    )
    _changed(extract.partnership)
    return extract


@transaction.atomic
def extract_discard(*, extract: ConcernImport, actor: User | None) -> ConcernImport:
    extract = _locked_staged(extract)
    if extract.status != ImportStatus.STAGED:
        raise ValidationError("Only an extract waiting to be applied can be discarded.")
    ChildConcern.objects.filter(batch=extract).delete()
    extract.status, extract.upload, extract.rows = ImportStatus.DISCARDED, b"", 0
    extract.save(update_fields=["status", "upload", "rows", "updated_at"])
    audit.log(actor=actor, action="childprotection.extract.discarded", target=extract)
    return extract


@transaction.atomic
def extract_undo(*, extract: ConcernImport, actor: User | None) -> ConcernImport:
    """Stop an applied extract counting and bring back what it replaced. Refused while a
    later extract has replaced some of its rows (undo that one first)."""
    extract = _locked_staged(extract)
    if extract.status != ImportStatus.APPLIED:
        raise ValidationError("Only an applied extract can be undone.")
    later = selectors.undo_blocked_by(extract)
    if later is not None:
        raise ValidationError(
            f"The later extract {later.filename} replaced some of these concerns: undo it first."
        )
    restored = ChildConcern.objects.filter(superseded_by=extract).update(superseded_by=None)
    extract.status, extract.undone_at = ImportStatus.UNDONE, timezone.now()
    extract.save(update_fields=["status", "undone_at", "updated_at"])
    audit.log(
        actor=actor,
        action="childprotection.extract.undone",
        target=extract,
        data={"rows": extract.rows, "restored": restored},
    )
    _changed(extract.partnership)
    return extract


# --- Monthly counts, population, changes in practice ----------------------------------------


def _check_counts(values: Mapping[str, int]) -> dict[str, str]:
    errors = {}
    if values["wellbeing"] > values["concerns"]:
        errors["wellbeing"] = "Re-classified concerns cannot be more than the concerns."
    if values["investigations"] > values["concerns"]:
        errors["investigations"] = "Investigations cannot be more than the concerns."
    if values["cppms_in_time"] > values["cppms"]:
        errors["cppms_in_time"] = "Meetings within the timescale cannot be more than the meetings."
    if values["reregistrations"] > values["registrations"]:
        errors["reregistrations"] = "Re-registrations cannot be more than the registrations."
    return errors


@transaction.atomic
def counts_save(
    *, partnership: Partnership, month: date, data: Mapping[str, Any], actor: User | None
) -> MonthlyCount:
    """A month's counts (for a partnership without a child-level extract), replacing any
    given before for that month."""
    if month > timezone.localdate():
        raise ValidationError({"month": "The month is in the future."})
    values = {f: int(data.get(f) or 0) for f in COUNT_FIELDS}
    if any(v < 0 for v in values.values()):
        raise ValidationError("Counts are whole numbers, 0 or more.")
    errors = _check_counts(values)
    if errors:
        raise ValidationError(errors)
    made, _ = MonthlyCount.objects.update_or_create(
        partnership=partnership, month=_month_start(month), defaults=values
    )
    audit.log(
        actor=actor,
        action="childprotection.counts.saved",
        target=partnership,
        data={"month": made.month.isoformat(), **values},
    )
    _changed(partnership)
    return made


@transaction.atomic
def counts_import(
    *,
    partnership: Partnership,
    rows: Sequence[tuple[int, date, dict[str, int]]],
    actor: User | None,
) -> int:
    """Monthly counts from a file ((row, month, counts) each): all or none, "Row N: ..."."""
    problems = []
    today = timezone.localdate()
    for number, month, values in rows:
        if month > today:
            problems.append(f"Row {number}: the month {month:%B %Y} is in the future")
        problems.extend(f"Row {number}: {m}" for m in _check_counts(values).values())
    if problems:
        raise TableError(problems)
    for _, month, values in rows:
        MonthlyCount.objects.update_or_create(
            partnership=partnership, month=_month_start(month), defaults=values
        )
    audit.log(
        actor=actor,
        action="childprotection.counts.imported",
        target=partnership,
        data={"months": len(rows)},
    )
    _changed(partnership)
    return len(rows)


@transaction.atomic
def population_save(
    *, partnership: Partnership, year: int, children: int, source: str, actor: User | None
) -> Population:
    if not 1990 <= year <= timezone.localdate().year + 1:
        raise ValidationError({"year": "Enter a year from 1990 to next year."})
    if children < 1:
        raise ValidationError({"children": "Enter the number of children aged 0 to 15."})
    made, _ = Population.objects.update_or_create(
        partnership=partnership,
        year=year,
        defaults={"children": children, "source": source.strip()[:200]},
    )
    audit.log(
        actor=actor,
        action="childprotection.population.saved",
        target=partnership,
        data={"year": year, "children": children},
    )
    _changed(partnership)
    return made


@transaction.atomic
def practice_change_add(
    *, partnership: Partnership, month: date, title: str, actor: User | None
) -> PracticeChange:
    title = " ".join(title.split())
    if not title:
        raise ValidationError({"title": "Say what changed, for example new IRD guidance."})
    start = _month_start(month)
    if PracticeChange.objects.filter(partnership=partnership, month=start).exists():
        raise ValidationError({"month": f"A change is already marked from {start:%B %Y}."})
    made = PracticeChange.objects.create(partnership=partnership, month=start, title=title[:200])
    audit.log(
        actor=actor,
        action="childprotection.change.added",
        target=partnership,
        data={"month": start.isoformat(), "title": made.title},
    )
    _changed(partnership)
    return made


@transaction.atomic
def practice_change_remove(*, change: PracticeChange, actor: User | None) -> None:
    partnership = change.partnership
    audit.log(
        actor=actor,
        action="childprotection.change.removed",
        target=partnership,
        data={"month": change.month.isoformat(), "title": change.title},
    )
    change.delete()
    _changed(partnership)


# --- From data to action --------------------------------------------------------------------


@transaction.atomic
def series_measure_create(*, partnership: Partnership, series: str, actor: User | None) -> Measure:
    """A plan measure whose points are a data series, kept in step as data arrives. Once
    per series: asked again, the same measure."""
    definition = series_defs.SERIES.get(series)
    if definition is None:
        raise ValidationError("Choose one of the data series.")
    existing = SeriesMeasure.objects.filter(partnership=partnership, series=series).first()
    if existing is not None:
        return existing.measure
    measure = improvement_services.measure_create(
        partnership=partnership, data=definition.measure_data(), actor=actor
    )
    SeriesMeasure.objects.create(partnership=partnership, measure=measure, series=series)
    audit.log(
        actor=actor,
        action="childprotection.series.measured",
        target=measure,
        data={"series": series},
    )
    measures_sync(partnership=partnership)
    return measure


def measures_sync(*, partnership: Partnership) -> None:
    """Bring every measure made from the data up to date with it (its points are the
    series' months, nothing else)."""
    links = list(SeriesMeasure.objects.filter(partnership=partnership).select_related("measure"))
    if not links:
        return
    months = selectors.monthly(partnership)
    for link in links:
        definition = series_defs.SERIES[link.series]
        improvement_services.points_set(
            measure=link.measure,
            points=[
                (
                    date.fromisoformat(f"{key}-01"),
                    Decimal(num),
                    None if den is None else Decimal(den),
                )
                for key, num, den in definition.points(months)
            ],
            actor=None,
        )


@transaction.atomic
def reclassified_sample(
    *, partnership: Partnership, exercise: Exercise, start: date, end: date, actor: User | None
) -> int:
    """The re-classified concerns received from ``start`` to ``end`` as the case list of a
    record-reading exercise (one record per child), to check whether the decisions were
    right. The child ids go into the exercise's key map, as any local reference does."""
    if exercise.partnership_id != partnership.pk:
        raise ValidationError("Choose a record-reading exercise of this partnership.")
    if end < start:
        raise ValidationError({"end": "The end of the period is before its start."})
    concerns = (
        _current(partnership)
        .filter(outcome="wellbeing", received__range=(start, end))
        .order_by("received", "child")
        .values_list("child", "received")
    )
    rows: list[CaseRow] = []
    seen: set[str] = set()
    for child, received in concerns:
        if child in seen:
            continue
        seen.add(child)
        rows.append(
            CaseRow(
                row=len(rows) + 2,
                reference=child,
                category=CaseCategory.RECLASSIFIED,
                age_band="not_recorded",
                sex="not_recorded",
                agencies=[],
                key_dates={"date_concern": received.isoformat()},
            )
        )
    if not rows:
        raise ValidationError("No concerns were re-classified to wellbeing in that period.")
    count = records_services.cases_import(
        exercise=exercise, rows=rows, actor=actor, filename="re-classified concerns"
    )
    audit.log(
        actor=actor,
        action="childprotection.sample.drawn",
        target=exercise,
        data={"from": start.isoformat(), "to": end.isoformat(), "records": count},
    )
    return count


# --- National figures ----------------------------------------------------------------------

SCOTPHO_SOURCE = "ScotPHO profiles (Public Health Scotland), Open Government Licence v3.0"


def _decimal(text: str) -> Decimal | None:
    text = text.strip()
    if not text or text.upper() == "NA":
        return None
    return Decimal(text)


@transaction.atomic
def comparators_load(*, scotpho: bytes, national: bytes) -> int:
    """Load (or refresh) the published figures: ScotPHO's by council and the Scottish
    Government's for Scotland. Where the national file gives a first-published and a
    revised value for the same date, the revised one is kept. Returns the figures held."""
    import csv
    import io

    seen: dict[tuple[str, str, str], dict[str, Any]] = {}
    for row in csv.DictReader(io.StringIO(scotpho.decode("utf-8-sig"))):
        key = (row["indicator"], row["area_name"], row["period"])
        seen[key] = {
            "area_code": row["area_code"],
            "reference_date": None,
            "value": _decimal(row["measure"]),
            "numerator": _decimal(row["numerator"]),
            "lower": _decimal(row["lower_confidence_interval"]),
            "upper": _decimal(row["upper_confidence_interval"]),
            "unit": row["type_definition"][:80],
            "source": SCOTPHO_SOURCE,
            "note": "",
        }
    for row in csv.DictReader(io.StringIO(national.decode("utf-8-sig"))):
        if row["breakdown_type"] != "Total":
            continue
        key = (row["measure"][:200], row["area"], row["reference_date_or_period"])
        if key in seen and "revised" in seen[key]["note"] and "revised" not in row["note"]:
            continue  # a revised value already read wins over another publication's
        try:
            day: date | None = date.fromisoformat(row["reference_date_or_period"])
        except ValueError:
            day = None
        seen[key] = {
            "area_code": "S92000003" if row["area"] == "Scotland" else "",
            "reference_date": day,
            "value": _decimal(row["value"]),
            "numerator": None,
            "lower": None,
            "upper": None,
            "unit": row["unit"][:80],
            "source": f"{row['as_published_in']}, {row['source_url']}"[:300],
            "note": row["note"],
        }
    for (indicator, area, period), values in seen.items():
        values.pop("note", None)
        Comparator.objects.update_or_create(
            indicator=indicator, area_name=area, period=period, defaults=values
        )
    return Comparator.objects.count()
