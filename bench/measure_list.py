"""Issue 5: the measure list with 200 measures of 60 points each.

Prints the time of the whole page (every measure's chart judged by the SPC engine, icons
and sparklines drawn) and its query count, for 20 and for 200 measures: the count must not
grow with the number of measures.
"""

from __future__ import annotations

import random
import statistics
import time
from datetime import date
from decimal import Decimal

from _setup import django_ready


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


def main() -> None:
    django_ready()
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
        assert client.get(url).status_code == 200
        runs = []
        for _ in range(7):
            start = time.perf_counter()
            response = client.get(url)
            runs.append(time.perf_counter() - start)
        assert response.status_code == 200 and response.content.count(b"<tr>") >= n
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        results[n] = (statistics.median(runs), len(queries))
    print("Measure list, 60 points per measure (median of 7)")
    for n, (seconds, count) in results.items():
        print(
            f"  {n:>4} measures: {seconds * 1000:7.1f} ms, {count} queries, {seconds / n * 1000:5.2f} ms per measure"
        )
    print(
        f"  query count constant as measures grow -> {'yes' if results[20][1] == results[200][1] else 'NO'}"
    )


if __name__ == "__main__":
    main()
