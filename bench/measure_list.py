"""Issues 5 and 13: the measure list and home with 200 measures of 60 points each.

Prints the time of the whole list page with each measure's judged chart kept (the usual
visit), and with every chart judged afresh by the SPC engine (the cache cleared first, as
after every measure changed), with the query counts, for 20 and for 200 measures: the
counts must not grow with the number of measures. Home is timed for a viewer, who sees the
measures that signal a change.
"""

from __future__ import annotations

import random
import statistics
import time
from datetime import date
from decimal import Decimal

from _setup import django_ready, goal


def build(partnership: object, n: int, rng: random.Random) -> None:
    from howgood.improvement.models import DataPoint, Measure

    kinds = ["xmr", "p", "run", "c", "u"]
    for k in range(n):
        kind = kinds[k % len(kinds)]
        m = Measure.objects.create(
            partnership=partnership,
            title=f"Measure {k:03d}",
            type="process",
            definition="Counted",
            numerator="Things",
            denominator="Opportunities" if kind in ("p", "u") else "",
            chart=kind,
            rules="ihi" if kind == "run" else "mdc",
            improvement="increase",
            target=Decimal("12"),
            multiply=100 if kind == "p" else 1,
        )
        DataPoint.objects.bulk_create(
            DataPoint(
                measure=m,
                period=date(2021 + i // 12, i % 12 + 1, 1),
                numerator=Decimal(rng.randint(5, 20)),
                denominator=Decimal(40) if kind in ("p", "u") else None,
            )
            for i in range(60)
        )


def _median_ms(fn: object, repeat: int = 7) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs)


def main() -> None:
    django_ready()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse

    from howgood.accounts.models import User
    from howgood.partnerships.models import Membership, Partnership

    setup_test_environment()
    rng = random.Random(200)
    results = {}
    for n in (20, 200):
        partnership = Partnership.objects.create(name=f"Bench {n}", slug=f"bench-measures-{n}")
        build(partnership, n, rng)
        user = User.objects.create_user(email=f"m{n}@example.invalid", password=None, full_name="B")
        Membership.objects.create(user=user, partnership=partnership, role="viewer")
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        session = client.session
        session["howgood_partnership_id"] = partnership.pk
        session.save()
        url = reverse("improvement:measures")
        home = reverse("home")
        assert client.get(url).status_code == 200
        warm = _median_ms(lambda: client.get(url))
        response = client.get(url)
        assert response.status_code == 200 and response.content.count(b"<tr>") >= n
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        warm_queries = len(queries)

        def afresh() -> None:
            cache.clear()  # every measure's chart judged again, as after each one changed
            client.get(url)

        cold = _median_ms(afresh, repeat=3)
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        cold_queries = len(queries)
        home_warm = _median_ms(lambda: client.get(home))
        results[n] = (warm, warm_queries, cold, cold_queries, home_warm)
    print("Measure list and home, 60 points per measure (median of 7; judged afresh: of 3)")
    for n, (warm, warm_q, cold, cold_q, home_warm) in results.items():
        print(
            f"  {n:>4} measures: list {warm:6.1f} ms kept ({warm_q} queries), "
            f"{cold:6.1f} ms judging every chart afresh ({cold_q} queries); home {home_warm:6.1f} ms"
        )
    constant = results[20][1] == results[200][1] and results[20][3] == results[200][3]
    print(f"  query count constant as measures grow -> {'yes' if constant else 'NO'}")
    warm, _, cold, _, home_warm = results[200]
    goal(
        "Measure list at 200 measures of 60 points, charts kept until their data change",
        f"{warm:.0f} ms",
        f"{cold:.0f} ms judging every chart afresh; {results[20][0]:.0f} ms at 20 measures",
        "under 300 ms, and the query count constant",
        warm < 300 and constant,
    )
    goal(
        "Home at 200 measures of 60 points (a viewer: measures that signal a change)",
        f"{home_warm:.0f} ms",
        f"{results[20][4]:.0f} ms at 20 measures",
        "under 300 ms",
        home_warm < 300,
    )


if __name__ == "__main__":
    main()
