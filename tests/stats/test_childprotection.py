"""Child protection indicators per month (issue 14): worked examples, edges and properties.

The worked examples are small tables of concern rows with every month's figures worked
out by hand; the property tests compare the function with a slow, obvious recomputation
(every month checked against every row) on small random logs.
"""

from __future__ import annotations

import calendar
import random
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from howgood.stats.childprotection import OUTCOMES, monthly_indicators, months_before

# Deadlines off: timings are unreliable while the whole suite runs in parallel.
PROPS = settings(deadline=None, max_examples=200)

Row = dict[str, Any]


def d(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def row(
    child: str,
    received: str,
    agency: str,
    outcome: str,
    cppm: str | None = None,
    registered: str | None = None,
    deregistered: str | None = None,
) -> Row:
    return {
        "child": child,
        "received": d(received),
        "agency": agency,
        "outcome": outcome,
        "cppm": d(cppm),
        "registered": d(registered),
        "deregistered": d(deregistered),
    }


def month(
    concerns: int = 0,
    wellbeing: int = 0,
    investigations: int = 0,
    cppms: int = 0,
    cppms_in_time: int = 0,
    registrations: int = 0,
    reregistrations: int = 0,
    deregistrations: int = 0,
    on_register: int = 0,
    by_agency: dict[str, dict[str, int]] | None = None,
) -> dict[str, Any]:
    return {
        "concerns": concerns,
        "wellbeing": wellbeing,
        "wellbeing_share": wellbeing / concerns if concerns else None,
        "investigations": investigations,
        "cppms": cppms,
        "cppms_in_time": cppms_in_time,
        "registrations": registrations,
        "reregistrations": reregistrations,
        "deregistrations": deregistrations,
        "on_register": on_register,
        "by_agency": by_agency or {},
    }


# ---------------------------------------------------------------------------------------
# A worked example: four months of a small partnership.
#
#  #  child received    agency        outcome            CPPM        registered  de-registered
#  1  C1    2025-01-06  Police        investigation      2025-01-30  2025-01-30  -
#  2  C1    2025-02-10  Health        investigation      -           2025-01-30  -
#  3  C2    2025-01-15  Education     wellbeing          -           -           -
#  4  C3    2025-01-20  Education     no_further_action  -           -           -
#  5  C4    2025-02-03  Police        investigation      2025-03-07  2025-03-07  2025-04-30
#  6  C2    2025-03-03  Education     wellbeing          -           -           -
#  7  C5    2025-03-10  Third sector  investigation      2025-03-20  -           -
#  8  C6    2025-01-02  Police        investigation      2025-01-08  2025-01-08  2025-02-14
#  9  C6    2025-04-01  Health        investigation      2025-04-29  2025-04-29  -
#
# Row 2 is a second concern about C1, already on the register: the same registration, not a
# new one. C4's CPPM is 32 days after the concern (late); C6's second CPPM exactly 28 (in
# time). C6 is re-registered in April, 2 months after a de-registration. C4 is de-registered
# on 30 April, the last day of the month, so is not on the register at the end of April.
# ---------------------------------------------------------------------------------------

WORKED = [
    row("C1", "2025-01-06", "Police", "investigation", "2025-01-30", "2025-01-30"),
    row("C1", "2025-02-10", "Health", "investigation", None, "2025-01-30"),
    row("C2", "2025-01-15", "Education", "wellbeing"),
    row("C3", "2025-01-20", "Education", "no_further_action"),
    row("C4", "2025-02-03", "Police", "investigation", "2025-03-07", "2025-03-07", "2025-04-30"),
    row("C2", "2025-03-03", "Education", "wellbeing"),
    row("C5", "2025-03-10", "Third sector", "investigation", "2025-03-20"),
    row("C6", "2025-01-02", "Police", "investigation", "2025-01-08", "2025-01-08", "2025-02-14"),
    row("C6", "2025-04-01", "Health", "investigation", "2025-04-29", "2025-04-29"),
]

WORKED_EXPECTED = {
    "2025-01": month(
        concerns=4,
        wellbeing=1,
        investigations=2,
        cppms=2,
        cppms_in_time=2,
        registrations=2,
        on_register=2,
        by_agency={
            "Education": {"concerns": 2, "wellbeing": 1},
            "Police": {"concerns": 2, "wellbeing": 0},
        },
    ),
    "2025-02": month(
        concerns=2,
        investigations=2,
        deregistrations=1,
        on_register=1,
        by_agency={
            "Health": {"concerns": 1, "wellbeing": 0},
            "Police": {"concerns": 1, "wellbeing": 0},
        },
    ),
    "2025-03": month(
        concerns=2,
        wellbeing=1,
        investigations=1,
        cppms=2,
        cppms_in_time=1,
        registrations=1,
        on_register=2,
        by_agency={
            "Education": {"concerns": 1, "wellbeing": 1},
            "Third sector": {"concerns": 1, "wellbeing": 0},
        },
    ),
    "2025-04": month(
        concerns=1,
        investigations=1,
        cppms=1,
        cppms_in_time=1,
        registrations=1,
        reregistrations=1,
        deregistrations=1,
        on_register=2,
        by_agency={"Health": {"concerns": 1, "wellbeing": 0}},
    ),
}


def test_worked_example() -> None:
    result = monthly_indicators(WORKED)
    assert result == WORKED_EXPECTED
    assert list(result) == ["2025-01", "2025-02", "2025-03", "2025-04"]
    assert result["2025-01"]["wellbeing_share"] == 0.25
    assert list(result["2025-01"]) == [
        "concerns",
        "wellbeing",
        "wellbeing_share",
        "investigations",
        "cppms",
        "cppms_in_time",
        "registrations",
        "reregistrations",
        "deregistrations",
        "on_register",
        "by_agency",
    ]


def test_the_rows_may_come_in_any_order_and_from_a_generator() -> None:
    shuffled = WORKED[:]
    random.Random(14).shuffle(shuffled)
    assert monthly_indicators(r for r in shuffled) == WORKED_EXPECTED


def test_a_28_day_timescale_of_a_week_changes_only_the_in_time_counts() -> None:
    result = monthly_indicators(WORKED, cppm_days=7)
    # Only C6's first CPPM (6 days) is within a week.
    assert [m["cppms_in_time"] for m in result.values()] == [1, 0, 0, 0]
    assert [m["cppms"] for m in result.values()] == [2, 0, 2, 1]


# --- the range of months ---------------------------------------------------------------


def test_no_rows_give_no_months() -> None:
    assert monthly_indicators([]) == {}
    assert monthly_indicators(iter(())) == {}


def test_every_month_between_is_present_with_zeros() -> None:
    result = monthly_indicators(
        [
            row("A", "2024-11-30", "Police", "wellbeing"),
            row("B", "2025-03-01", "Health", "no_further_action"),
        ]
    )
    assert list(result) == ["2024-11", "2024-12", "2025-01", "2025-02", "2025-03"]
    for key in ("2024-12", "2025-01", "2025-02"):
        assert result[key] == month()
        assert result[key]["wellbeing_share"] is None
        assert result[key]["by_agency"] == {}
    assert result["2024-11"]["wellbeing_share"] == 1.0
    assert result["2025-03"]["wellbeing_share"] == 0.0


def test_the_range_runs_from_the_earliest_to_the_latest_date_in_any_field() -> None:
    # Registered long before this concern (already on the register) and de-registered after.
    result = monthly_indicators(
        [row("A", "2025-03-10", "Police", "investigation", None, "2025-01-20", "2025-06-02")]
    )
    assert list(result) == ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"]
    assert result["2025-01"] == month(registrations=1, on_register=1)
    assert result["2025-03"]["concerns"] == 1
    assert [m["on_register"] for m in result.values()] == [1, 1, 1, 1, 1, 0]
    assert result["2025-06"]["deregistrations"] == 1
    # A CPPM can be the last date.
    late = monthly_indicators([row("A", "2025-12-20", "Police", "investigation", "2026-01-09")])
    assert list(late) == ["2025-12", "2026-01"]
    assert late["2026-01"] == month(cppms=1, cppms_in_time=1)


def test_agency_names_are_used_exactly_as_given() -> None:
    result = monthly_indicators(
        [
            row("A", "2025-01-02", "Police", "wellbeing"),
            row("B", "2025-01-03", "Police ", "wellbeing"),
            row("C", "2025-01-04", "police", "no_further_action"),
        ]
    )
    assert result["2025-01"]["by_agency"] == {
        "Police": {"concerns": 1, "wellbeing": 1},
        "Police ": {"concerns": 1, "wellbeing": 1},
        "police": {"concerns": 1, "wellbeing": 0},
    }


# --- counting distinct meetings, registrations and de-registrations ---------------------


def test_a_registration_on_several_rows_is_one_registration() -> None:
    rows = [
        row("A", "2025-01-02", "Police", "investigation", "2025-01-20", "2025-01-20", "2025-05-02"),
        row("A", "2025-02-11", "Health", "investigation", None, "2025-01-20", "2025-05-02"),
        row("A", "2025-03-15", "Education", "wellbeing", None, "2025-01-20", "2025-05-02"),
        # Another child registered the same day is another registration.
        row("B", "2025-01-05", "Police", "investigation", "2025-01-20", "2025-01-20"),
    ]
    result = monthly_indicators(rows)
    assert result["2025-01"]["registrations"] == 2
    assert result["2025-01"]["cppms"] == 2
    assert result["2025-05"]["deregistrations"] == 1
    assert [m["on_register"] for m in result.values()] == [2, 2, 2, 2, 1]


def test_a_cppm_on_several_rows_is_one_cppm_timed_from_the_earliest_concern() -> None:
    rows = [
        # Two concerns lead to one CPPM on 10 March: 38 days after the first, 9 after the
        # second. The clock starts at the first, so it is late.
        row("A", "2025-01-31", "Police", "investigation", "2025-03-10"),
        row("A", "2025-03-01", "Health", "investigation", "2025-03-10"),
    ]
    result = monthly_indicators(rows)
    assert result["2025-03"]["cppms"] == 1
    assert result["2025-03"]["cppms_in_time"] == 0
    # In the other order the same.
    assert monthly_indicators(rows[::-1]) == result
    # The same meeting on a second row of the same concern date counts once too.
    same = monthly_indicators([rows[1], rows[1]])
    assert same["2025-03"]["cppms"] == 1
    assert same["2025-03"]["cppms_in_time"] == 1


@pytest.mark.parametrize(
    ("received", "cppm", "in_time"),
    [
        ("2025-02-01", "2025-02-01", 1),  # the same day: 0 days
        ("2025-02-01", "2025-03-01", 1),  # 28 days: in time
        ("2025-01-31", "2025-03-01", 0),  # 29 days: late
        ("2024-02-01", "2024-02-29", 1),  # 28 days in a leap year
        ("2024-02-01", "2024-03-01", 0),  # 29 days in a leap year
    ],
)
def test_cppm_timescale_is_at_most_28_calendar_days(received: str, cppm: str, in_time: int) -> None:
    result = monthly_indicators([row("A", received, "Police", "investigation", cppm)])
    assert result[cppm[:7]]["cppms"] == 1
    assert result[cppm[:7]]["cppms_in_time"] == in_time


def test_a_de_registration_date_on_one_row_of_a_registration_is_used() -> None:
    # The older row was exported before the de-registration; the newer carries it.
    open_row = row("A", "2025-01-02", "Police", "investigation", None, "2025-01-10")
    closed_row = row("A", "2025-02-02", "Health", "wellbeing", None, "2025-01-10", "2025-02-20")
    for rows in ([open_row, closed_row], [closed_row, open_row]):
        result = monthly_indicators(rows)
        assert result["2025-02"]["deregistrations"] == 1
        assert result["2025-02"]["on_register"] == 0
        assert result["2025-01"]["registrations"] == 1


# --- on the register at month end ------------------------------------------------------


@pytest.mark.parametrize(
    ("deregistered", "on_in_march"),
    [
        ("2025-03-30", 0),
        ("2025-03-31", 0),  # de-registered on the last day: off at month end
        ("2025-04-01", 1),  # the next day: still on at the end of March
    ],
)
def test_de_registration_on_the_last_day_of_the_month(deregistered: str, on_in_march: int) -> None:
    result = monthly_indicators(
        [row("A", "2025-03-01", "Police", "investigation", None, "2025-03-02", deregistered)]
    )
    assert result["2025-03"]["on_register"] == on_in_march


def test_registered_on_the_last_day_of_the_month_is_on_at_month_end() -> None:
    result = monthly_indicators(
        [row("A", "2025-03-01", "Police", "investigation", "2025-03-31", "2025-03-31")]
    )
    assert result["2025-03"]["on_register"] == 1


def test_registered_and_de_registered_in_the_same_month() -> None:
    result = monthly_indicators(
        [row("A", "2025-03-01", "Police", "investigation", None, "2025-03-05", "2025-03-25")]
    )
    assert result["2025-03"] == month(
        concerns=1,
        investigations=1,
        registrations=1,
        deregistrations=1,
        on_register=0,
        by_agency={"Police": {"concerns": 1, "wellbeing": 0}},
    )


def test_a_child_with_two_open_registrations_is_one_child_on_the_register() -> None:
    # An extract that missed a de-registration: two registrations open at once.
    rows = [
        row("A", "2025-01-02", "Police", "investigation", None, "2025-01-10"),
        row("A", "2025-02-02", "Police", "investigation", None, "2025-02-10", "2025-04-15"),
    ]
    result = monthly_indicators(rows)
    assert [m["on_register"] for m in result.values()] == [1, 1, 1, 1]
    assert sum(m["registrations"] for m in result.values()) == 2
    # No de-registration before the second registration, so it is not a re-registration.
    assert sum(m["reregistrations"] for m in result.values()) == 0


def test_two_open_registrations_ending_the_same_day_are_one_de_registration() -> None:
    rows = [
        row("A", "2025-01-02", "Police", "investigation", None, "2025-01-10", "2025-03-05"),
        row("A", "2025-02-02", "Police", "investigation", None, "2025-02-10", "2025-03-05"),
        row("B", "2025-02-03", "Health", "investigation", None, "2025-02-11", "2025-03-05"),
    ]
    result = monthly_indicators(rows)
    assert [m["registrations"] for m in result.values()] == [1, 2, 0]
    assert result["2025-03"]["deregistrations"] == 2  # A once, B once
    assert [m["on_register"] for m in result.values()] == [1, 2, 0]


def test_on_register_counts_distinct_children() -> None:
    rows = [
        row("A", "2025-01-02", "Police", "investigation", None, "2025-01-10", "2025-02-05"),
        row("A", "2025-02-20", "Police", "investigation", None, "2025-02-25"),
        row("B", "2025-01-03", "Health", "investigation", None, "2025-01-12", "2025-03-31"),
    ]
    result = monthly_indicators(rows)
    assert [m["on_register"] for m in result.values()] == [2, 2, 1]
    assert result["2025-02"]["reregistrations"] == 1


# --- re-registration within the window --------------------------------------------------


def rereg(previous_end: str, again: str, months: int = 18) -> int:
    rows = [
        row("A", "2000-01-01", "Police", "investigation", None, "2000-01-05", previous_end),
        row("A", again, "Police", "investigation", None, again),
    ]
    result = monthly_indicators(rows, reregistration_months=months)
    return int(result[again[:7]]["reregistrations"])


@pytest.mark.parametrize(
    ("previous_end", "again", "expected"),
    [
        ("2024-03-15", "2025-09-15", 1),  # exactly 18 months before: inside
        ("2024-03-14", "2025-09-15", 0),  # a day more: outside
        ("2025-09-15", "2025-09-15", 1),  # de-registered and registered again the same day
        # 31 August 2026 minus 18 months is 28 February 2025 (clamped: no 31 February).
        ("2025-02-28", "2026-08-31", 1),
        ("2025-02-27", "2026-08-31", 0),
        # 31 August 2025 minus 18 months is 29 February 2024 (a leap year).
        ("2024-02-29", "2025-08-31", 1),
        ("2024-02-28", "2025-08-31", 0),
        # 30 September 2025 minus 18 months is 30 March 2024, not the end of March.
        ("2024-03-30", "2025-09-30", 1),
        ("2024-03-29", "2025-09-30", 0),
    ],
)
def test_reregistration_window_in_calendar_months(
    previous_end: str, again: str, expected: int
) -> None:
    assert rereg(previous_end, again) == expected


def test_reregistration_window_is_configurable() -> None:
    assert rereg("2024-09-15", "2025-09-15", months=12) == 1
    assert rereg("2024-09-14", "2025-09-15", months=12) == 0
    assert rereg("2025-09-15", "2025-09-15", months=0) == 1
    assert rereg("2025-09-14", "2025-09-15", months=0) == 0


def test_a_registration_is_not_a_reregistration_because_of_its_own_de_registration() -> None:
    # Registered and de-registered on the same day: its own de-registration does not count.
    same_day = [row("A", "2025-05-01", "Police", "investigation", None, "2025-05-02", "2025-05-02")]
    assert monthly_indicators(same_day)["2025-05"]["reregistrations"] == 0
    # Nor does a later de-registration of an earlier registration.
    rows = [
        row("A", "2025-01-01", "Police", "investigation", None, "2025-01-02", "2025-06-01"),
        row("A", "2025-03-01", "Police", "investigation", None, "2025-03-02", "2025-03-20"),
    ]
    result = monthly_indicators(rows)
    assert sum(m["reregistrations"] for m in result.values()) == 0
    # Another child's de-registration never makes a re-registration.
    other = [
        row("A", "2025-01-01", "Police", "investigation", None, "2025-01-02", "2025-02-01"),
        row("B", "2025-03-01", "Police", "investigation", None, "2025-03-02"),
    ]
    assert sum(m["reregistrations"] for m in monthly_indicators(other).values()) == 0


def test_the_same_child_and_registration_date_is_one_registration() -> None:
    # Two concerns carrying a registration (and de-registration) on 2 May: one of each.
    rows = [
        row("A", "2025-05-01", "Police", "investigation", None, "2025-05-02", "2025-05-02"),
        row("A", "2025-05-01", "Health", "investigation", None, "2025-05-02", "2025-05-02"),
    ]
    result = monthly_indicators(rows)
    assert result["2025-05"]["registrations"] == 1
    assert result["2025-05"]["deregistrations"] == 1


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 8, 31), 18, date(2025, 2, 28)),
        (date(2025, 8, 31), 18, date(2024, 2, 29)),
        (date(2025, 3, 31), 1, date(2025, 2, 28)),
        (date(2025, 1, 15), 1, date(2024, 12, 15)),
        (date(2025, 1, 15), 0, date(2025, 1, 15)),
        (date(2025, 12, 31), 12, date(2024, 12, 31)),
        (date(1, 5, 1), 18, date.min),  # before the year 1
        (date(2, 5, 1), 16, date(1, 1, 1)),
    ],
)
def test_months_before(day: date, months: int, expected: date) -> None:
    assert months_before(day, months) == expected


# --- what is refused -------------------------------------------------------------------


def good(**changes: Any) -> Row:
    base = row("A", "2025-01-02", "Police", "investigation", "2025-01-20", "2025-01-20")
    base.update(changes)
    return base


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (good(outcome="screened out"), "Row 2: the outcome 'screened out' is not one of"),
        (good(outcome=None), "Row 2: the outcome None is not one of"),
        (good(outcome="Wellbeing"), "Row 2: the outcome 'Wellbeing' is not one of"),
        (good(child=""), "Row 2: the child must be some text, not ''"),
        (good(child=17), "Row 2: the child must be some text, not 17"),
        (good(agency="  "), "Row 2: the agency must be some text, not '  '"),
        (good(agency=None), "Row 2: the agency must be some text, not None"),
        (good(received=None), "Row 2: the date received is missing"),
        (good(received="2025-01-02"), "Row 2: the date received must be a date, not '2025-01-02'"),
        (
            good(received=datetime(2025, 1, 2, 9, 30)),
            "Row 2: the date received must be a date, not datetime.datetime(2025, 1, 2, 9, 30)",
        ),
        (good(cppm="soon"), "Row 2: the CPPM date must be a date, not 'soon'"),
        (good(registered=20250120), "Row 2: the registration date must be a date, not 20250120"),
        (good(deregistered="x"), "Row 2: the de-registration date must be a date, not 'x'"),
        (
            good(cppm=date(2025, 1, 1)),
            "Row 2: the CPPM date 2025-01-01 is before the date received 2025-01-02",
        ),
        (
            good(registered=None, deregistered=date(2025, 3, 1)),
            "Row 2: de-registered on 2025-03-01 without a registration date",
        ),
        (
            good(deregistered=date(2025, 1, 19)),
            "Row 2: the de-registration date 2025-01-19 is before the registration date 2025-01-20",
        ),
    ],
)
def test_bad_rows_are_refused_with_their_row_number(bad: Row, message: str) -> None:
    with pytest.raises(ValueError) as error:
        monthly_indicators([good(), bad, good()])
    assert str(error.value).startswith(message)


def test_the_outcomes_are_listed_in_the_error() -> None:
    with pytest.raises(ValueError) as error:
        monthly_indicators([good(outcome="ird")])
    assert str(error.value) == (
        "Row 1: the outcome 'ird' is not one of 'investigation', 'wellbeing' or 'no_further_action'"
    )
    assert OUTCOMES == ("investigation", "wellbeing", "no_further_action")


def test_a_missing_field_is_refused() -> None:
    incomplete = good()
    del incomplete["deregistered"]
    with pytest.raises(ValueError, match=r"^Row 3: the field 'deregistered' is missing$"):
        monthly_indicators([good(), good(), incomplete])


def test_two_de_registration_dates_for_one_registration_are_refused() -> None:
    rows = [
        good(deregistered=date(2025, 3, 1)),
        good(deregistered=None),
        good(deregistered=date(2025, 4, 1)),
    ]
    with pytest.raises(ValueError) as error:
        monthly_indicators(rows)
    assert str(error.value) == (
        "Row 3: the registration on 2025-01-20 has two de-registration dates, "
        "2025-03-01 and 2025-04-01"
    )


@pytest.mark.parametrize("value", [-1, 1.5, True, "28", None])
def test_settings_must_be_whole_numbers(value: Any) -> None:
    with pytest.raises(ValueError, match=r"^cppm_days must be a whole number, 0 or more"):
        monthly_indicators([good()], cppm_days=value)
    with pytest.raises(ValueError, match=r"^reregistration_months must be a whole number"):
        monthly_indicators([good()], reregistration_months=value)


def test_settings_are_checked_even_with_no_rows() -> None:
    with pytest.raises(ValueError):
        monthly_indicators([], cppm_days=-1)


# --- properties against a slow, obvious recomputation -----------------------------------

START = date(2016, 1, 1)
CHILDREN = ["A", "B", "C", "D", "E"]
AGENCIES = ["Police", "Health", "Education"]


@st.composite
def logs(draw: st.DrawFn) -> list[Row]:
    """Small concern logs over about three years, with re-used registrations."""
    rows: list[Row] = []
    ends: dict[tuple[str, date], date | None] = {}
    for _ in range(draw(st.integers(0, 14))):
        child = draw(st.sampled_from(CHILDREN))
        received = START + timedelta(days=draw(st.integers(0, 1100)))
        cppm = draw(st.none() | st.integers(0, 45).map(lambda n, r=received: r + timedelta(n)))
        registered = draw(
            st.none()
            | st.integers(-400, 60).map(lambda n, r=received: r + timedelta(n))
            | st.sampled_from(sorted({reg for (c, reg) in ends if c == child}) or [None])
        )
        deregistered = None
        if registered is not None:
            if (child, registered) in ends:
                deregistered = draw(st.sampled_from([None, ends[child, registered]]))
            else:
                deregistered = draw(
                    st.none() | st.integers(0, 700).map(lambda n, r=registered: r + timedelta(n))
                )
                ends[child, registered] = deregistered
        rows.append(
            {
                "child": child,
                "received": received,
                "agency": draw(st.sampled_from(AGENCIES)),
                "outcome": draw(st.sampled_from(OUTCOMES)),
                "cppm": cppm,
                "registered": registered,
                "deregistered": deregistered,
            }
        )
    return rows


def month_end(key: str) -> date:
    year, number = int(key[:4]), int(key[5:])
    return date(year, number, calendar.monthrange(year, number)[1])


def minus_months(day: date, months: int) -> date:
    """Month subtraction written differently: step back, then walk the day down."""
    year, number = day.year, day.month
    for _ in range(months):
        year, number = (year - 1, 12) if number == 1 else (year, number - 1)
    last = day.day
    while True:
        try:
            return date(year, number, last)
        except ValueError:
            last -= 1


def slow(rows: list[Row], cppm_days: int = 28, window: int = 18) -> dict[str, dict[str, Any]]:
    """Every month checked against every row: obviously right, and quadratic."""
    if not rows:
        return {}
    fields = ("received", "cppm", "registered", "deregistered")
    dates = [r[f] for r in rows for f in fields if r[f] is not None]
    keys: list[str] = []
    year, number = min(dates).year, min(dates).month
    while (year, number) <= (max(dates).year, max(dates).month):
        keys.append(f"{year:04d}-{number:02d}")
        year, number = (year + 1, 1) if number == 12 else (year, number + 1)
    episodes: dict[tuple[str, date], date | None] = {}
    for r in rows:
        if r["registered"] is not None:
            key = (r["child"], r["registered"])
            episodes[key] = episodes.get(key) or r["deregistered"]
    meetings = {(r["child"], r["cppm"]) for r in rows if r["cppm"] is not None}
    started = {
        m: min(r["received"] for r in rows if (r["child"], r["cppm"]) == m) for m in meetings
    }
    result = {}
    for key in keys:
        here = [r for r in rows if r["received"].isoformat()[:7] == key]
        held = [m for m in meetings if m[1].isoformat()[:7] == key]
        joined = [e for e in episodes if e[1].isoformat()[:7] == key]
        left = {(e[0], end) for e, end in episodes.items() if end and end.isoformat()[:7] == key}
        again = [
            (child, reg)
            for child, reg in joined
            if any(
                other == child
                and other_reg != reg
                and end is not None
                and minus_months(reg, window) <= end <= reg
                for (other, other_reg), end in episodes.items()
            )
        ]
        on = {
            child
            for (child, reg), end in episodes.items()
            if reg <= month_end(key) and (end is None or end > month_end(key))
        }
        agencies = sorted({r["agency"] for r in here})
        result[key] = month(
            concerns=len(here),
            wellbeing=sum(r["outcome"] == "wellbeing" for r in here),
            investigations=sum(r["outcome"] == "investigation" for r in here),
            cppms=len(held),
            cppms_in_time=sum((m[1] - started[m]).days <= cppm_days for m in held),
            registrations=len(joined),
            reregistrations=len(again),
            deregistrations=len(left),
            on_register=len(on),
            by_agency={
                a: {
                    "concerns": sum(r["agency"] == a for r in here),
                    "wellbeing": sum(
                        r["agency"] == a and r["outcome"] == "wellbeing" for r in here
                    ),
                }
                for a in agencies
            },
        )
    return result


@PROPS
@given(logs(), st.integers(0, 40), st.integers(0, 24))
def test_matches_the_slow_recomputation(rows: list[Row], cppm_days: int, window: int) -> None:
    assert monthly_indicators(rows, cppm_days=cppm_days, reregistration_months=window) == slow(
        rows, cppm_days, window
    )


@PROPS
@given(logs())
def test_totals_and_bounds(rows: list[Row]) -> None:
    result = monthly_indicators(rows)
    months = list(result.values())
    assert sum(m["concerns"] for m in months) == len(rows)
    assert list(result) == sorted(result)
    for m in months:
        assert 0 <= m["wellbeing"] <= m["concerns"]
        assert m["wellbeing"] + m["investigations"] <= m["concerns"]
        assert 0 <= m["cppms_in_time"] <= m["cppms"]
        assert 0 <= m["reregistrations"] <= m["registrations"]
        assert 0 <= m["on_register"] <= len(CHILDREN)
        if m["concerns"]:
            assert 0.0 <= m["wellbeing_share"] <= 1.0
        else:
            assert m["wellbeing_share"] is None
            assert m["by_agency"] == {}
        assert sum(a["concerns"] for a in m["by_agency"].values()) == m["concerns"]
        assert sum(a["wellbeing"] for a in m["by_agency"].values()) == m["wellbeing"]
    registrations = {(r["child"], r["registered"]) for r in rows if r["registered"]}
    assert sum(m["registrations"] for m in months) == len(registrations)
    # Every de-registration follows its registration, so the register never goes negative
    # and ends at the registrations still open.
    if months:
        still_open = sum(m["registrations"] - m["deregistrations"] for m in months)
        assert months[-1]["on_register"] <= still_open


@PROPS
@given(logs(), st.randoms(use_true_random=False))
def test_row_order_does_not_matter(rows: list[Row], rng: random.Random) -> None:
    shuffled = rows[:]
    rng.shuffle(shuffled)
    assert monthly_indicators(shuffled) == monthly_indicators(rows)


def shift_years(day: date | None, years: int) -> date | None:
    return None if day is None else day.replace(year=day.year + years)


@PROPS
@given(logs(), st.sampled_from([4, 8, 28, -4]))
def test_shifting_every_date_by_whole_years_shifts_the_keys_only(
    rows: list[Row], years: int
) -> None:
    # Multiples of four years between 1901 and 2099 keep every 29 February a real date.
    shifted = [
        {
            **r,
            **{
                f: shift_years(r[f], years)
                for f in ("received", "cppm", "registered", "deregistered")
            },
        }
        for r in rows
    ]
    before = monthly_indicators(rows)
    after = monthly_indicators(shifted)
    assert list(after) == [f"{int(k[:4]) + years:04d}{k[4:]}" for k in before]
    assert list(after.values()) == list(before.values())


def big_log(n: int, seed: int = 1) -> Iterator[Row]:
    rng = random.Random(seed)
    for i in range(n):
        received = START + timedelta(days=rng.randrange(3000))
        yield {
            "child": f"C{i % (n // 3 + 1)}",
            "received": received,
            "agency": rng.choice(AGENCIES),
            "outcome": rng.choice(OUTCOMES),
            "cppm": None,
            "registered": None,
            "deregistered": None,
        }


def test_a_larger_log_counts_every_concern_once() -> None:
    result = monthly_indicators(big_log(3000))
    assert sum(m["concerns"] for m in result.values()) == 3000
    assert all(m["on_register"] == 0 for m in result.values())
