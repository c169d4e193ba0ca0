"""The demo partnership's child protection data: three years of invented concerns at a
small council's scale (about 300 a year), imported as an extract would be.

Made to show the threshold question: many concerns are re-classified to wellbeing, more of
education's and the third sector's than of the police's, and fewer after new inter-agency
referral discussion (IRD) guidance, marked as a change in practice. The re-classified share
is followed in the plan as a measure. Nothing here is real.
"""

from __future__ import annotations

import csv
import io
import random
from datetime import date, timedelta

from django.core.management import call_command
from django.utils import timezone

from howgood.childprotection import services
from howgood.childprotection.models import Comparator
from howgood.core.demobuild import DemoBuild

MONTHS = 36
GUIDANCE_MONTH = 20  # the month (from the first) the new IRD guidance took effect
AGENCIES = {  # referring agency: (share of concerns, chance re-classified before the guidance)
    "Police": (0.34, 0.25),
    "Education": (0.20, 0.66),
    "Health": (0.19, 0.38),
    "Social work": (0.13, 0.26),
    "Third sector": (0.08, 0.70),
    "Family, friends or public": (0.06, 0.45),
}
AFTER_GUIDANCE = 0.65  # the chance of re-classification, relative to before


def _month_start(first: date, offset: int) -> date:
    index = first.year * 12 + first.month - 1 + offset
    return date(index // 12, index % 12 + 1, 1)


def concerns_csv(rng: random.Random, today: date) -> bytes:
    """The extract, as the council's system would write it."""
    this_month = today.replace(day=1)
    first = _month_start(this_month, -MONTHS)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "child_id",
            "date_received",
            "referring_agency",
            "outcome",
            "ird_date",
            "cppm_date",
            "registration_date",
            "deregistration_date",
            "cppm_exception_reason",
        ]
    )
    names, weights = list(AGENCIES), [a[0] for a in AGENCIES.values()]
    children: list[str] = []
    deregistered: list[tuple[str, date]] = []  # children who could come back
    latest = today - timedelta(days=1)
    written: set[tuple[str, str, str]] = set()  # each concern once
    for offset in range(MONTHS):
        start = _month_start(first, offset)
        for _ in range(rng.randint(20, 30)):
            received = start + timedelta(days=rng.randrange(28))
            if received > latest:
                continue
            agency = rng.choices(names, weights)[0]
            if children and rng.random() < 0.18:
                child = rng.choice(children)
            else:
                child = f"FV{len(children) + 10001}"
                children.append(child)
            chance = AGENCIES[agency][1] * (AFTER_GUIDANCE if offset >= GUIDANCE_MONTH else 1)
            row = [child, received.isoformat(), agency, "", "", "", "", "", ""]
            if rng.random() < chance:
                row[3] = "wellbeing"
                if rng.random() < 0.5:
                    row[4] = (received + timedelta(days=rng.randint(1, 3))).isoformat()
            elif rng.random() < 0.2:
                row[3] = "no further action"
            else:
                row[3] = "investigation"
                row[4] = (received + timedelta(days=rng.randint(0, 2))).isoformat()
                if rng.random() < 0.45:
                    days = rng.randint(8, 26) if rng.random() < 0.8 else rng.randint(29, 45)
                    cppm = received + timedelta(days=days)
                    if cppm <= latest:
                        row[5] = cppm.isoformat()
                        if days > 28 and rng.random() < 0.5:
                            row[8] = "Family unavailable; agreed by the service manager"
                        if rng.random() < 0.55:
                            returning = [d for d in deregistered if d[1] < cppm]
                            if returning and rng.random() < 0.12:
                                who, _ = returning.pop(rng.randrange(len(returning)))
                                row[0] = who
                            row[6] = cppm.isoformat()
                            ends = cppm + timedelta(days=rng.randint(80, 330))
                            if ends <= latest:
                                row[7] = ends.isoformat()
                                deregistered.append((row[0], ends))
            if (row[0], row[1], row[2]) in written:
                continue
            written.add((row[0], row[1], row[2]))
            writer.writerow(row)
    return out.getvalue().encode()


def load(build: DemoBuild) -> None:
    partnership = build.partnership
    coordinator = build.people["coordinator"].user
    if not Comparator.objects.exists():
        call_command("load_comparators", verbosity=0)
    today = timezone.localdate()
    staged = services.extract_stage(
        partnership=partnership,
        data=concerns_csv(random.Random(14), today),  # its own: the same data whatever else changes
        filename="forthvale-concerns.csv",
        actor=coordinator,
    )
    services.extract_apply(extract=staged, actor=coordinator)
    for back, children in enumerate((9_120, 9_180, 9_240, 9_310)):
        year = today.year - back
        services.population_save(
            partnership=partnership,
            year=year,
            children=children,
            source="Invented for the demo (a small council's size)",
            actor=coordinator,
        )
    guidance = _month_start(today.replace(day=1), -MONTHS + GUIDANCE_MONTH)
    services.practice_change_add(
        partnership=partnership,
        month=guidance,
        title="New inter-agency referral discussion guidance",
        actor=coordinator,
    )
    measure = services.series_measure_create(
        partnership=partnership, series="wellbeing_share", actor=coordinator
    )
    build.made["childprotection"] = {"extract": staged, "measure": measure}
