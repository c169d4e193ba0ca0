"""The Data section's services refuse what they must, in words a person can act on."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from howgood.childprotection import services
from howgood.childprotection.models import Comparator, ConcernImport, PracticeChange
from howgood.core.tables import TableError
from howgood.improvement import services as improvement_services
from howgood.improvement.models import DataPoint
from tests.childprotection.files import HEADER, ROWS, csv_of, extract

pytestmark = pytest.mark.django_db


def _stage(cast: Any, data: bytes | None = None, name: str = "x.csv") -> ConcernImport:
    return services.extract_stage(
        partnership=cast.a, data=data or extract(), filename=name, actor=cast.coordinator
    )


def test_settings_change_the_figures_version(cast) -> None:  # type: ignore[no-untyped-def]
    settings = services.settings_update(
        partnership=cast.a, data={"cppm_days": 21, "reregistration_months": 24}, actor=cast.lead
    )
    settings.refresh_from_db()
    assert (settings.cppm_days, settings.reregistration_months, settings.version) == (21, 24, 1)


def test_rows_that_do_not_fit_together_are_refused(cast) -> None:  # type: ignore[no-untyped-def]
    # Within one file: two de-registration dates for C001's January registration.
    clash = csv_of(
        [
            "C001,2024-04-02,Police,investigation,,,2024-01-20,2024-04-01",
            "C001,2024-04-03,Health,investigation,,,2024-01-20,2024-04-05",
        ]
    )
    with pytest.raises(TableError) as refused:
        _stage(cast, clash, "april.csv")
    assert refused.value.problems == [
        "Row 3: the registration on 2024-01-20 has two de-registration dates, "
        "2024-04-01 and 2024-04-05"
    ]
    # Against a concern already held, which is named by its date.
    services.extract_apply(extract=_stage(cast), actor=cast.coordinator)
    late = csv_of(["C001,2024-01-05,Police,investigation,,,2024-01-20,2024-02-28"])
    with pytest.raises(TableError) as held:
        _stage(cast, late, "january.csv")
    assert held.value.problems == [
        "A concern already held (received 15/02/2024) does not fit with this file: the "
        "registration on 2024-01-20 has two de-registration dates, 2024-02-28 and "
        "2024-03-01. Import a file that covers that month too."
    ]


def test_extract_steps_refused_out_of_order(cast) -> None:  # type: ignore[no-untyped-def]
    staged = _stage(cast)
    with pytest.raises(ValidationError, match="Only an applied extract can be undone"):
        services.extract_undo(extract=staged, actor=cast.coordinator)
    with pytest.raises(ValidationError, match="already been matched"):
        services.extract_map(extract=staged, columns={}, actor=cast.coordinator)
    services.extract_apply(extract=staged, actor=cast.coordinator)
    with pytest.raises(ValidationError, match="Only a checked extract waiting"):
        services.extract_apply(extract=staged, actor=cast.coordinator)
    with pytest.raises(ValidationError, match="Only an extract waiting to be applied"):
        services.extract_discard(extract=staged, actor=cast.coordinator)
    later = services.extract_apply(
        extract=_stage(cast, csv_of([ROWS[0].replace("2024-01-05", "2024-01-06")]), "again.csv"),
        actor=cast.coordinator,
    )
    with pytest.raises(ValidationError, match=r"The later extract again\.csv replaced"):
        services.extract_undo(extract=staged, actor=cast.coordinator)
    services.extract_undo(extract=later, actor=cast.coordinator)
    services.extract_undo(extract=staged, actor=cast.coordinator)


def test_a_column_chosen_twice_is_refused(cast) -> None:  # type: ignore[no-untyped-def]
    staged = _stage(cast, b"Ref,Recd,Source,Result\nX1,2024-05-01,Police,investigation\n")
    with pytest.raises(ValidationError, match="one was chosen twice"):
        services.extract_map(
            extract=staged,
            columns={"child": 0, "received": 1, "agency": 0, "outcome": 3},
            actor=cast.coordinator,
        )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"investigations": 9}, "Investigations cannot be more than the concerns."),
        ({"cppms_in_time": 3}, "Meetings within the timescale cannot be more than the meetings."),
        ({"reregistrations": 2}, "Re-registrations cannot be more than the registrations."),
        ({"on_register": -1}, "Counts are whole numbers, 0 or more."),
    ],
)
def test_counts_that_cannot_be_are_refused(cast, change: dict[str, int], message: str) -> None:  # type: ignore[no-untyped-def]
    counts = {
        "concerns": 5,
        "wellbeing": 1,
        "investigations": 2,
        "cppms": 1,
        "cppms_in_time": 1,
        "registrations": 1,
        "reregistrations": 0,
        "deregistrations": 0,
        "on_register": 3,
    }
    with pytest.raises(ValidationError) as refused:
        services.counts_save(
            partnership=cast.a,
            month=date(2024, 1, 9),
            data={**counts, **change},
            actor=cast.coordinator,
        )
    assert message in " ".join(refused.value.messages)


def test_months_to_come_are_refused(cast) -> None:  # type: ignore[no-untyped-def]
    coming = timezone.localdate() + timedelta(days=40)
    with pytest.raises(ValidationError, match="The month is in the future"):
        services.counts_save(partnership=cast.a, month=coming, data={}, actor=cast.coordinator)
    with pytest.raises(TableError) as refused:
        services.counts_import(
            partnership=cast.a,
            rows=[(2, coming, dict.fromkeys(services.COUNT_FIELDS, 0))],
            actor=cast.coordinator,
        )
    assert refused.value.problems == [f"Row 2: the month {coming:%B %Y} is in the future"]


def test_population_and_changes_in_practice(cast) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="Enter a year from 1990"):
        services.population_save(
            partnership=cast.a, year=1980, children=10, source="", actor=cast.lead
        )
    with pytest.raises(ValidationError, match="Enter the number of children"):
        services.population_save(
            partnership=cast.a, year=2024, children=0, source="", actor=cast.lead
        )
    made = services.population_save(
        partnership=cast.a, year=2024, children=9_120, source=" NRS mid-2024 ", actor=cast.lead
    )
    assert (made.children, made.source) == (9_120, "NRS mid-2024")
    with pytest.raises(ValidationError, match="Say what changed"):
        services.practice_change_add(
            partnership=cast.a, month=date(2024, 2, 3), title="  ", actor=cast.lead
        )
    change = services.practice_change_add(
        partnership=cast.a, month=date(2024, 2, 3), title="New IRD guidance", actor=cast.lead
    )
    assert change.month == date(2024, 2, 1)
    with pytest.raises(ValidationError, match="already marked from February 2024"):
        services.practice_change_add(
            partnership=cast.a, month=date(2024, 2, 20), title="Again", actor=cast.lead
        )
    services.practice_change_remove(change=change, actor=cast.lead)
    assert not PracticeChange.objects.exists()


def test_series_and_samples_refuse_what_is_not_theirs(cast, exercise) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="Choose one of the data series"):
        services.series_measure_create(partnership=cast.a, series="nonsense", actor=cast.lead)
    first = services.series_measure_create(partnership=cast.a, series="concerns", actor=cast.lead)
    assert (
        services.series_measure_create(partnership=cast.a, series="concerns", actor=cast.lead)
        == first
    )
    with pytest.raises(ValidationError, match="of this partnership"):
        services.reclassified_sample(
            partnership=cast.b,
            exercise=exercise,
            start=date(2024, 1, 1),
            end=date(2024, 3, 1),
            actor=cast.lead,
        )
    with pytest.raises(ValidationError, match="before its start"):
        services.reclassified_sample(
            partnership=cast.a,
            exercise=exercise,
            start=date(2024, 3, 1),
            end=date(2024, 1, 1),
            actor=cast.lead,
        )
    with pytest.raises(ValidationError, match="No concerns were re-classified"):
        services.reclassified_sample(
            partnership=cast.a,
            exercise=exercise,
            start=date(2024, 1, 1),
            end=date(2024, 3, 1),
            actor=cast.lead,
        )
    # A child with two re-classified concerns is one record.
    twice = csv_of([*ROWS, "C002,2024-02-20,Health,wellbeing,,,,"], HEADER)
    services.extract_apply(extract=_stage(cast, twice), actor=cast.coordinator)
    assert (
        services.reclassified_sample(
            partnership=cast.a,
            exercise=exercise,
            start=date(2024, 1, 1),
            end=date(2024, 3, 31),
            actor=cast.lead,
        )
        == 4
    )


def test_points_set_refuses_bad_points_and_changes_nothing_when_nothing_changed(cast) -> None:  # type: ignore[no-untyped-def]
    measure = services.series_measure_create(
        partnership=cast.a, series="wellbeing_share", actor=cast.lead
    )
    with pytest.raises(ValidationError) as refused:
        improvement_services.points_set(
            measure=measure, points=[(date(2024, 1, 1), Decimal(5), Decimal(4))], actor=None
        )
    assert refused.value.messages[0].startswith("January 2024: ")
    points = [(date(2024, 1, 1), Decimal(2), Decimal(4))]
    assert improvement_services.points_set(measure=measure, points=points, actor=None) == 1
    assert improvement_services.points_set(measure=measure, points=points, actor=None) == 0
    assert DataPoint.objects.filter(measure=measure).count() == 1


def test_a_revised_figure_is_kept_whatever_the_order(cast) -> None:  # type: ignore[no-untyped-def]
    header = "area,measure,reference_date_or_period,breakdown_type,breakdown,value,unit,as_published_in,source_url,note\n"
    rows = (
        "Scotland,Children on the Child Protection Register,2022-07-31,Total,All children,2019,count,B,http://b,revised\n"
        "Scotland,Children on the Child Protection Register,2022-07-31,Total,All children,2031,count,A,http://a,first published\n"
        "Scotland,Children on the Child Protection Register,2022-07-31,Sex,Girls,1000,count,A,http://a,\n"
    )
    services.comparators_load(
        scotpho=b"area_code,area_type,area_name,year,period,type_definition,indicator,numerator,measure,upper_confidence_interval,lower_confidence_interval\n",
        national=(header + rows).encode(),
    )
    assert Comparator.objects.get().value == Decimal(2019)
