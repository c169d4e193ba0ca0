"""Issue 5: the SPC engine on 10, 100, 10,000 and 1,000,000 points.

Prints the time of ``run_chart`` and ``control_chart`` (XmR with Making Data Count rules,
and a P chart with Anhøj rules) for each size, and the time per point, which stays flat
when growth is linear. Aim: 10,000 points under 20 ms.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from howgood.stats.spc import control_chart, run_chart


def best(fn: Callable[[], object], n: int) -> float:
    repeat = 7 if n <= 10_000 else 3
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> None:
    rng = random.Random(5)
    print("SPC engine (median wall time)")
    print(
        f"  {'points':>9}  {'run chart':>12}  {'XmR (MDC)':>12}  {'P (Anhøj)':>12}  per point (XmR)"
    )
    results = {}
    for n in (10, 100, 10_000, 1_000_000):
        values = [rng.gauss(50, 5) for _ in range(n)]
        counts = [float(rng.randint(5, 20)) for _ in range(n)]
        sizes = [40.0] * n
        run = best(lambda values=values: run_chart(values, rules="ihi"), n)
        xmr = best(
            lambda values=values: control_chart(
                values, chart="xmr", rules="mdc", improvement="increase", target=55.0
            ),
            n,
        )
        p = best(
            lambda counts=counts, sizes=sizes: control_chart(
                counts, chart="p", denominators=sizes, rules="anhoej", improvement="decrease"
            ),
            n,
        )
        results[n] = (run, xmr, p)
        print(
            f"  {n:>9,}  {run * 1000:>9.2f} ms  {xmr * 1000:>9.2f} ms  {p * 1000:>9.2f} ms"
            f"  {xmr / n * 1e6:8.2f} µs"
        )
    run, xmr, p = results[10_000]
    worst = max(run, xmr, p)
    print(
        f"  aim: 10,000 points under 20 ms -> {'met' if worst < 0.020 else 'NOT met'} ({worst * 1000:.1f} ms)"
    )
    growth = results[1_000_000][1] / results[10_000][1]
    print(
        f"  1,000,000 / 10,000 points: {growth:.0f}x the time for 100x the points (linear is 100x)"
    )


if __name__ == "__main__":
    main()
