"""Child protection indicators per month, from a child-level log of concerns.

:func:`monthly_indicators` is the one pure function behind the Data section's threshold
page (issue 14). Each input row is one child protection concern, with the pseudonymous
child id, the date it was received, the referring agency, the outcome at screening or the
inter-agency referral discussion (IRD), and the dates of the child protection planning
meeting (CPPM), registration and de-registration that followed (or that the child already
had). It returns ``{"YYYY-MM": {...}}``.

Which date a figure is counted by:

* ``concerns``, ``wellbeing`` (re-classified to a wellbeing concern), ``investigations``
  and ``by_agency`` (``{agency: {"concerns": n, "wellbeing": n}}``): the month received;
* ``cppms`` and ``cppms_in_time``: the month of the CPPM;
* ``registrations`` and ``reregistrations``: the month registered;
* ``deregistrations``: the month de-registered;
* ``on_register``: the children on the register at the end of the month.

Conventions (each one is tested):

* **Every month** from the earliest to the latest date in any field of any row is present,
  in calendar order, even with nothing in it (all counts 0, ``wellbeing_share`` None,
  ``by_agency`` ``{}``). No rows give ``{}``. ``by_agency`` lists agencies in name order
  and only those with a concern that month.
* ``wellbeing_share`` is a **fraction from 0 to 1** (a float, not a percentage, not
  rounded): ``wellbeing / concerns``, and ``None`` in a month with no concerns.
* Rows are concerns, so one meeting or registration can appear on several rows of the same
  child. **A CPPM is counted once per (child, CPPM date)**, a registration once per
  (child, registration date) and a de-registration once per (child, de-registration date):
  that is what a partnership means by "registrations". Two children registered on the same
  day are two registrations; a child whose two open registrations (see below) end on the
  same day leaves the register once, so that is one de-registration.
* **CPPM timescale**: a CPPM is in time when it is at most ``cppm_days`` calendar days
  after the concern was received (28 by default, National Guidance for Child Protection in
  Scotland 2021, updated 2023). When several concerns of the child carry the same CPPM, the
  clock starts at the **earliest** of them (the concern that started the process), so the
  figure is never flattered by a later concern. Exceptions agreed by a senior manager are
  not known here; the caller shows them separately.
* **Re-registration**: a registration on date R is a re-registration when the same child
  has a de-registration D, from another registration, with ``R − reregistration_months
  calendar months ≤ D ≤ R`` (18 months by default; a local convention, not national
  guidance). Calendar months are subtracted from the date and a day the earlier month does
  not have is clamped to its last day: 31 August 2026 − 18 months is 28 February 2025
  (29 February 2024 from 31 August 2025, a leap year). A de-registration on the very day
  of the re-registration counts; a registration's own de-registration never does.
  ``reregistration_months=0`` counts only a de-registration on the day itself.
* **On the register at month end**: distinct children with a registration on or before the
  month's last day that is not de-registered by then. A child de-registered **on** the last
  day of the month is off the register at month end; a child registered and never
  de-registered stays on from the registration date. A child with two open registrations
  at once (an extract that missed a de-registration) is still one child. It is computed by
  a sweep over the registration and de-registration events month by month, never by
  re-checking every child for every month.
* When several rows carry the same registration, one row may have no de-registration date
  (a row exported before it) and another a date: the date is used. Two different
  de-registration dates for one registration are refused.
* A registration (and de-registration) may be dated before the concern on its row: a
  concern about a child already on the register, or registered before, carries the
  child's registration. Only a CPPM must not come before its concern.
* Child ids, agency names and outcomes are used exactly as given (case and spaces count:
  "Wellbeing" is refused, "Police " is another agency); the import tidies them first.

Refused with :class:`ValueError` naming the row (counting from 1, as the import's
"Row N: ..." errors do) and the value:

* a missing field; a child id or agency that is not a non-empty string;
* an outcome other than ``"investigation"``, ``"wellbeing"`` or ``"no_further_action"``;
* a received date that is missing, or any date that is not a ``datetime.date`` (a
  ``datetime`` is refused too: the time of day would be silently dropped);
* a CPPM before the concern was received; a de-registration without a registration, or
  before it; two de-registration dates for the same registration;
* ``cppm_days`` or ``reregistration_months`` that is not a whole number 0 or more (this
  message names the setting, not a row).

Speed: one pass over the rows to collect counts per month and the distinct meetings and
registrations, then one pass over the months; time grows linearly with the rows plus the
months (``bench/childprotection.py``: 100,000 concerns well under a second).

No Django imports.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from calendar import monthrange
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

__all__ = ["OUTCOMES", "monthly_indicators", "months_before"]

OUTCOMES = ("investigation", "wellbeing", "no_further_action")

_FIELDS = ("child", "received", "agency", "outcome", "cppm", "registered", "deregistered")


def months_before(day: date, months: int) -> date:
    """``day`` minus ``months`` calendar months, clamped to the end of a shorter month.

    31 August 2026 minus 18 months is 28 February 2025; 31 March minus one month is the
    last day of February. Before the year 1 it gives ``date.min``.
    """
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    if year < 1:
        return date.min
    return date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


def _whole(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} must be a whole number, 0 or more, not {value!r}")
    return value


def _date(number: int, name: str, value: object) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ValueError(f"Row {number}: {name} must be a date, not {value!r}")
    return value


def _text(number: int, name: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"Row {number}: {name} must be some text, not {value!r}")
    return value


def _key(index: int) -> str:
    year, month = divmod(index, 12)
    return f"{year:04d}-{month + 1:02d}"


def monthly_indicators(
    concerns: Iterable[Mapping[str, Any]],
    *,
    cppm_days: int = 28,
    reregistration_months: int = 18,
) -> dict[str, dict[str, Any]]:
    """The indicators for every month from the earliest to the latest date in the rows.

    Each month's dict has ``concerns``, ``wellbeing``, ``wellbeing_share`` (a fraction
    0..1, or None with no concerns), ``investigations``, ``cppms``, ``cppms_in_time``,
    ``registrations``, ``reregistrations``, ``deregistrations``, ``on_register`` and
    ``by_agency``. The module docstring gives every convention and what is refused.
    """
    cppm_days = _whole("cppm_days", cppm_days)
    reregistration_months = _whole("reregistration_months", reregistration_months)

    concern_n: dict[int, int] = defaultdict(int)
    wellbeing_n: dict[int, int] = defaultdict(int)
    investigation_n: dict[int, int] = defaultdict(int)
    agencies: dict[int, dict[str, list[int]]] = defaultdict(dict)
    # (child, CPPM date) -> earliest concern received that carries it.
    meetings: dict[tuple[str, date], date] = {}
    # (child, registration date) -> de-registration date (or None while open).
    episodes: dict[tuple[str, date], date | None] = {}
    first: date | None = None
    last: date | None = None

    for number, row in enumerate(concerns, start=1):
        try:
            values = [row[name] for name in _FIELDS]
        except KeyError as missing:
            raise ValueError(f"Row {number}: the field {missing.args[0]!r} is missing") from None
        child = _text(number, "the child", values[0])
        received = _date(number, "the date received", values[1])
        agency = _text(number, "the agency", values[2])
        outcome = values[3]
        cppm = _date(number, "the CPPM date", values[4])
        registered = _date(number, "the registration date", values[5])
        deregistered = _date(number, "the de-registration date", values[6])
        if received is None:
            raise ValueError(f"Row {number}: the date received is missing")
        if outcome not in OUTCOMES:
            raise ValueError(
                f"Row {number}: the outcome {outcome!r} is not one of "
                "'investigation', 'wellbeing' or 'no_further_action'"
            )

        month = received.year * 12 + received.month - 1
        concern_n[month] += 1
        counts = agencies[month].setdefault(agency, [0, 0])
        counts[0] += 1
        if outcome == "wellbeing":
            wellbeing_n[month] += 1
            counts[1] += 1
        elif outcome == "investigation":
            investigation_n[month] += 1
        low = high = received

        if cppm is not None:
            if cppm < received:
                raise ValueError(
                    f"Row {number}: the CPPM date {cppm.isoformat()} is before the date "
                    f"received {received.isoformat()}"
                )
            high = cppm
            known = meetings.get((child, cppm))
            if known is None or received < known:
                meetings[child, cppm] = received

        if deregistered is not None and registered is None:
            raise ValueError(
                f"Row {number}: de-registered on {deregistered.isoformat()} "
                "without a registration date"
            )
        if registered is not None:
            low = min(low, registered)
            high = max(high, registered)
            episode = (child, registered)
            if deregistered is not None:
                if deregistered < registered:
                    raise ValueError(
                        f"Row {number}: the de-registration date {deregistered.isoformat()} "
                        f"is before the registration date {registered.isoformat()}"
                    )
                high = max(high, deregistered)
                known_end = episodes.get(episode)
                if known_end is not None and known_end != deregistered:
                    raise ValueError(
                        f"Row {number}: the registration on {registered.isoformat()} has "
                        f"two de-registration dates, {known_end.isoformat()} and "
                        f"{deregistered.isoformat()}"
                    )
                episodes[episode] = deregistered
            else:
                episodes.setdefault(episode, None)

        if first is None or low < first:
            first = low
        if last is None or high > last:
            last = high

    if first is None or last is None:
        return {}

    cppm_n: dict[int, int] = defaultdict(int)
    in_time_n: dict[int, int] = defaultdict(int)
    for (_child, held), received in meetings.items():
        month = held.year * 12 + held.month - 1
        cppm_n[month] += 1
        if (held - received).days <= cppm_days:
            in_time_n[month] += 1

    registration_n: dict[int, int] = defaultdict(int)
    reregistration_n: dict[int, int] = defaultdict(int)
    deregistration_n: dict[int, int] = defaultdict(int)
    joining: dict[int, list[str]] = defaultdict(list)
    leaving: dict[int, list[str]] = defaultdict(list)
    ends: dict[str, list[date]] = defaultdict(list)
    for (child, registered), deregistered in episodes.items():
        month = registered.year * 12 + registered.month - 1
        registration_n[month] += 1
        joining[month].append(child)
        if deregistered is not None:
            month = deregistered.year * 12 + deregistered.month - 1
            leaving[month].append(child)
            ends[child].append(deregistered)
    for dates in ends.values():
        dates.sort()
        for day in set(dates):
            deregistration_n[day.year * 12 + day.month - 1] += 1
    for (child, registered), deregistered in episodes.items():
        child_ends = ends.get(child)
        if child_ends is None:
            continue
        window = months_before(registered, reregistration_months)
        inside = bisect_right(child_ends, registered) - bisect_left(child_ends, window)
        if deregistered == registered:
            inside -= 1  # its own de-registration, the same day
        if inside > 0:
            reregistration_n[registered.year * 12 + registered.month - 1] += 1

    result: dict[str, dict[str, Any]] = {}
    open_registrations: dict[str, int] = defaultdict(int)
    on_register = 0
    for month in range(first.year * 12 + first.month - 1, last.year * 12 + last.month):
        for child in joining.get(month, ()):
            open_registrations[child] += 1
            if open_registrations[child] == 1:
                on_register += 1
        for child in leaving.get(month, ()):
            open_registrations[child] -= 1
            if open_registrations[child] == 0:
                on_register -= 1
        concerns_here = concern_n.get(month, 0)
        wellbeing_here = wellbeing_n.get(month, 0)
        by_agency = agencies.get(month, {})
        result[_key(month)] = {
            "concerns": concerns_here,
            "wellbeing": wellbeing_here,
            "wellbeing_share": wellbeing_here / concerns_here if concerns_here else None,
            "investigations": investigation_n.get(month, 0),
            "cppms": cppm_n.get(month, 0),
            "cppms_in_time": in_time_n.get(month, 0),
            "registrations": registration_n.get(month, 0),
            "reregistrations": reregistration_n.get(month, 0),
            "deregistrations": deregistration_n.get(month, 0),
            "on_register": on_register,
            "by_agency": {
                name: {"concerns": n[0], "wellbeing": n[1]} for name, n in sorted(by_agency.items())
            },
        }
    return result
