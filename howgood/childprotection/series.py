"""The data series a partnership can make into a plan measure, and how each is measured.

Each series reads the months the Data section computes (``selectors.monthly``) and gives a
measure's points: (month, numerator, denominator or None). A proportion (a p-chart) leaves
out a month with nothing to divide by.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Series:
    key: str
    title: str
    definition: str
    numerator_field: str
    numerator: str
    denominator_field: str = ""
    denominator: str = ""
    chart: str = "c"
    improvement: str = ""
    multiply: int = 1

    def measure_data(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "type": "outcome" if self.key == "wellbeing_share" else "process",
            "definition": self.definition,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "frequency": "monthly",
            "improvement": self.improvement,
            "chart": self.chart,
            "rules": "mdc",
            "multiply": self.multiply,
        }

    def points(
        self, months: Mapping[str, Mapping[str, Any]]
    ) -> Iterator[tuple[str, int, int | None]]:
        for key, month in months.items():
            numerator = month[self.numerator_field]
            if not self.denominator_field:
                yield key, numerator, None
                continue
            denominator = month[self.denominator_field]
            if denominator:
                yield key, numerator, denominator


SERIES: dict[str, Series] = {
    s.key: s
    for s in (
        Series(
            key="wellbeing_share",
            title="Child protection concerns re-classified to wellbeing",
            definition="Of the child protection concerns received in the month, those re-classified "
            "to a wellbeing concern at screening or the inter-agency referral discussion. "
            "From the partnership's concern log (Data section), updated as each extract arrives.",
            numerator_field="wellbeing",
            numerator="Concerns re-classified to wellbeing",
            denominator_field="concerns",
            denominator="Child protection concerns received",
            chart="p",
            multiply=100,
        ),
        Series(
            key="cppms_in_time",
            title="Planning meetings within the timescale",
            definition="Of the child protection planning meetings (CPPMs) held in the month, those "
            "held within the partnership's timescale from the concern (28 calendar days unless "
            "it is set otherwise). From the Data section.",
            numerator_field="cppms_in_time",
            numerator="CPPMs within the timescale",
            denominator_field="cppms",
            denominator="CPPMs held",
            chart="p",
            improvement="increase",
            multiply=100,
        ),
        Series(
            key="concerns",
            title="Child protection concerns received",
            definition="Child protection concerns received in the month. From the Data section.",
            numerator_field="concerns",
            numerator="Child protection concerns received",
        ),
        Series(
            key="registrations",
            title="Registrations on the child protection register",
            definition="Children placed on the child protection register in the month. From the "
            "Data section.",
            numerator_field="registrations",
            numerator="Registrations",
        ),
        Series(
            key="reregistrations",
            title="Re-registrations",
            definition="Registrations of a child de-registered within the partnership's "
            "re-registration window (18 months unless set otherwise). From the Data section.",
            numerator_field="reregistrations",
            numerator="Re-registrations",
            improvement="decrease",
        ),
        Series(
            key="on_register",
            title="Children on the child protection register at month end",
            definition="Children on the register on the last day of the month. From the Data "
            "section.",
            numerator_field="on_register",
            numerator="Children on the register",
            chart="xmr",
        ),
    )
}
