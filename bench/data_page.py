"""Issue 14: a 100,000-row concern extract imported, and the threshold page at ten years of
data.

Builds ten years of a large council's concerns (``childprotection.concerns``, 100,000 rows)
as the CSV a case system would give, then times staging it (read, checked, held for the
preview) and applying it, with how much the process's peak size grew while staging. Then,
signed in as a viewer, times the Data page:
the first visit after the data changed (the indicators computed and kept) and later visits
(median of 5), with its query count; the same page for one year of data (10,000 rows, in a
second partnership) is the baseline, measured in the same run.
"""

from __future__ import annotations

import csv
import io
import resource
import statistics
import time
from typing import Any

from _setup import django_ready, goal
from childprotection import concerns

TEN_YEARS = 100_000
ONE_YEAR = 10_000


def extract_csv(rows: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "child_id",
            "date_received",
            "referring_agency",
            "outcome",
            "cppm_date",
            "registration_date",
            "deregistration_date",
        ]
    )
    seen = set()
    for r in rows:
        key = (r["child"], r["received"], r["agency"])
        if key in seen:
            continue
        seen.add(key)
        writer.writerow(
            [
                r["child"],
                r["received"].isoformat(),
                r["agency"],
                r["outcome"],
                r["cppm"].isoformat() if r["cppm"] else "",
                r["registered"].isoformat() if r["registered"] else "",
                r["deregistered"].isoformat() if r["deregistered"] else "",
            ]
        )
    return out.getvalue().encode()


def main() -> None:
    django_ready()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse

    from howgood.accounts.models import User
    from howgood.childprotection import services
    from howgood.partnerships.middleware import SESSION_KEY
    from howgood.partnerships.models import Membership, Partnership

    setup_test_environment()
    settings.HOWGOOD_MAX_UPLOAD_BYTES = 50 * 1024 * 1024  # a big council's ten years
    coordinator = User.objects.create_user(email="c@bench.invalid", password="x", full_name="C")
    viewer = User.objects.create_user(email="v@bench.invalid", password="x", full_name="V")
    timings: dict[str, dict[str, float]] = {}
    for label, size in (("one year", ONE_YEAR), ("ten years", TEN_YEARS)):
        partnership = Partnership.objects.create(name=f"Bench {label}", slug=f"bench-{size}")
        Membership.objects.create(user=coordinator, partnership=partnership, role="coordinator")
        Membership.objects.create(user=viewer, partnership=partnership, role="viewer")
        data = extract_csv(concerns(size))
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.perf_counter()
        staged = services.extract_stage(
            partnership=partnership, data=data, filename="extract.csv", actor=coordinator
        )
        stage_s = time.perf_counter() - start
        grew = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
        start = time.perf_counter()
        services.extract_apply(extract=staged, actor=coordinator)
        apply_s = time.perf_counter() - start
        client = Client()
        client.force_login(viewer)
        session = client.session
        session[SESSION_KEY] = partnership.pk
        session.save()
        url = reverse("childprotection:index")
        start = time.perf_counter()
        first = client.get(url)
        cold = time.perf_counter() - start
        assert first.status_code == 200, first.status_code
        runs = []
        for _ in range(5):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                client.get(url)
                runs.append(time.perf_counter() - start)
        warm = statistics.median(runs)
        timings[label] = {"warm": warm, "cold": cold}
        print(
            f"{label}: {staged.rows:,} concerns ({len(data) / 1e6:.1f} MB of CSV)\n"
            f"  staged (read, checked, held): {stage_s:6.2f} s; the process's peak grew {grew:.0f} MB\n"
            f"  applied:                      {apply_s:6.2f} s\n"
            f"  Data page, first visit:       {cold * 1000:6.0f} ms\n"
            f"  Data page, later (median 5):  {warm * 1000:6.0f} ms, {len(queries)} queries",
            flush=True,
        )
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak size: {peak_rss:.0f} MB")
    ten, one = timings["ten years"], timings["one year"]
    goal(
        "Data page at ten years of data (100,000 concerns)",
        f"{ten['warm'] * 1000:.0f} ms (first visit {ten['cold'] * 1000:.0f} ms)",
        f"one year {one['warm'] * 1000:.0f} ms",
        "under 500 ms",
        ten["warm"] < 0.5,
    )


if __name__ == "__main__":
    main()
