"""Issues 5 and 11: the SPC engine on 10, 100, 10,000 and 1,000,000 points, timed the way
the measure page uses it.

For each size it times, median of several runs:

* the run chart (``run_chart``, IHI rules; the page reads its lists, not per-point objects);
* an XmR chart with Making Data Count rules and a P chart with Anhøj rules, each **built
  and then every point read** as ``improvement/charts.py`` reads them for the measure page
  (value, centre, limits, point type, rules, excluded);
* the baseline, measured in the same run on the same values: a plain Python loop that
  works out an XmR chart by hand (mean, mean moving range, a flag per point outside the
  limits) and reads each value once. The ratio to it says how far the engine is from the
  least a pure-Python chart can cost on this machine at this moment.

Wall time (``perf_counter``) is the figure the aim is judged on; CPU time of this process
(``process_time``) is printed beside it, as the machine is shared and wall time includes
waiting for it. Aim: 10,000 points under 20 ms for every chart, and linear growth (1,000,000
points about 100 times 10,000).
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from howgood.stats.spc import ControlChartResult, control_chart, run_chart

SIZES = (10, 100, 10_000, 1_000_000)


def timed(fn: Callable[[], object], n: int) -> tuple[float, float]:
    """Median wall and CPU seconds of ``fn`` over a number of runs suited to ``n``."""
    repeat = 201 if n <= 100 else 21 if n <= 10_000 else 3
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return statistics.median(walls), statistics.median(cpus)


def read_points(chart: ControlChartResult) -> int:
    """Every point's fields, as ``improvement.charts._control`` and the page read them."""
    flagged = 0
    for point in chart.points:
        _ = (point.value, point.centre, point.lcl, point.ucl, point.excluded, point.point_type)
        if tuple(point.rules):
            flagged += 1
    return flagged


def baseline(values: list[float]) -> int:
    """An XmR chart by hand in plain Python: the least a chart can cost."""
    n = len(values)
    mean = sum(values) / n
    moving = sum(abs(b - a) for a, b in pairwise(values)) / max(n - 1, 1)
    low, high = mean - 2.66 * moving, mean + 2.66 * moving
    return sum(1 for v in values if v < low or v > high)


def main() -> None:
    rng = random.Random(5)
    print("SPC engine, built and every point read (median; wall ms / CPU ms)")
    header = ("points", "baseline", "run chart", "XmR (MDC)", "P (Anhøj)", "XmR/baseline")
    print("  " + "  ".join(f"{h:>15}" for h in header))
    results: dict[int, dict[str, tuple[float, float]]] = {}
    for n in SIZES:
        values = [rng.gauss(50, 5) for _ in range(n)]
        counts = [float(rng.randint(5, 20)) for _ in range(n)]
        sizes = [40.0] * n

        def xmr(values: list[float] = values) -> int:
            chart = control_chart(
                values, chart="xmr", rules="mdc", improvement="increase", target=55.0
            )
            return read_points(chart)

        def p(counts: list[float] = counts, sizes: list[float] = sizes) -> int:
            chart = control_chart(
                counts, chart="p", denominators=sizes, rules="anhoej", improvement="decrease"
            )
            return read_points(chart)

        row = {
            "baseline": timed(lambda values=values: baseline(values), n),
            "run": timed(lambda values=values: run_chart(values, rules="ihi"), n),
            "xmr": timed(xmr, n),
            "p": timed(p, n),
        }
        results[n] = row
        cells = [f"{n:,}"] + [
            f"{row[k][0] * 1000:.2f} / {row[k][1] * 1000:.2f}"
            for k in ("baseline", "run", "xmr", "p")
        ]
        cells.append(f"{row['xmr'][0] / row['baseline'][0]:.1f}x")
        print("  " + "  ".join(f"{c:>15}" for c in cells))

    ten_thousand = results[10_000]
    worst = max(ten_thousand[k][0] for k in ("run", "xmr", "p"))
    worst_cpu = max(ten_thousand[k][1] for k in ("run", "xmr", "p"))
    load = os.getloadavg()[0]
    cores = os.cpu_count() or 1
    if worst < 0.020:
        verdict = "met"
    elif worst_cpu < 0.020:
        verdict = (
            f"NOT met on wall time, met on CPU time (load average {load:.1f} on {cores} "
            "cores: wall time includes waiting for a CPU)"
        )
    else:
        verdict = "NOT met"
    print(
        f"  aim: 10,000 points under 20 ms -> {verdict}; slowest chart "
        f"{worst * 1000:.1f} ms wall, {worst_cpu * 1000:.1f} ms CPU"
    )
    for key, name in (("baseline", "baseline"), ("run", "run chart"), ("xmr", "XmR"), ("p", "P")):
        wall = results[1_000_000][key][0] / results[10_000][key][0]
        cpu = results[1_000_000][key][1] / results[10_000][key][1]
        per_point = results[1_000_000][key][1] / 1_000_000 * 1e6
        print(
            f"  {name:>9}: 1,000,000 / 10,000 points = {wall:.0f}x wall, {cpu:.0f}x CPU for "
            f"100x the points (linear is 100x); {per_point:.2f} µs CPU a point at a million"
        )
    print(
        "  (the run chart sorts once for its median, n log n: more than 100x from 10,000 to a "
        "million is expected there)"
    )


if __name__ == "__main__":
    main()
