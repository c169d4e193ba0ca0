"""Findings for 2,000 moderated readings of a 120-item template: the page and its charts.

Prints, for 200 and 2,000 readings:

- the findings page's HTML, cold (cache emptied: the findings computed afresh) and warm
  (read from the cache), beside the same aggregation as one hand-written SQL query (the
  baseline, measured in the same run), the cold ratio, and the query counts (they must
  not grow);
- at 2,000 readings, the whole page as a browser fetches it, the HTML and every chart
  image it shows: warm (charts kept in the cache), cold (cache emptied first: the page
  keeps the charts' data, each image request draws its chart once) and the baseline, the
  same requests with the cache emptied before each one, which is what every request did
  before charts were kept (each image request computed the findings and drew its chart
  again). Aim: warm under 1 s.
"""

from __future__ import annotations

import random

from _setup import django_ready


def build(n_readings: int) -> tuple[object, object]:
    from django.utils import timezone

    from howgood.accounts.models import User
    from howgood.partnerships.models import Membership, Partnership
    from howgood.questionnaires.models import Answer, Submission
    from howgood.questionnaires.services import questionnaire_import, version_publish
    from howgood.records.models import Case, Exercise, Moderation, Pair
    from tests.questionnaires.workbooks import workbook

    six = [["six_point", str(n), f"{n}"] for n in range(6, 0, -1)]
    ynp = [["ynp", "yes", "Yes"], ["ynp", "no", "No"], ["ynp", "partly", "Partly"]]
    rows = []
    for s in range(8):
        rows.append(["begin_group", f"s{s}", f"Section {s + 1}"])
        for i in range(15):
            n = s * 15 + i
            kind = "select_one six_point" if i % 3 == 0 else "select_one ynp"
            rows.append(
                [
                    kind,
                    f"q{n}",
                    f"Question {n}",
                    "",
                    "",
                    "",
                    "",
                    "",
                    f"{2 + s % 8}.1" if s % 8 < 4 else "5.3",
                    str(1 + s % 4),
                ]
            )
        rows.append(["end_group", f"s{s}"])
    partnership = Partnership.objects.create(name=f"Bench {n_readings}", slug=f"bench-{n_readings}")
    template = version_publish(
        version=questionnaire_import(
            partnership=partnership,
            files={"t.xlsx": workbook(rows, six + ynp)},
            actor=None,
            kind="record_reading",
        ),
        actor=None,
    )
    exercise = Exercise.objects.create(partnership=partnership, title="Bench", template=template)
    users = [
        User.objects.create_user(
            email=f"b{n_readings}-{i}@example.invalid", password=None, full_name=f"B {i}"
        )
        for i in range(2)
    ]
    members = [
        Membership.objects.create(user=u, partnership=partnership, role="reader") for u in users
    ]
    pair = Pair.objects.create(exercise=exercise, reader=members[0], moderator=members[1])
    cases = Case.objects.bulk_create(
        Case(
            exercise=exercise,
            reading_id=f"R-{i:05d}",
            category="registered",
            age_band="5-11",
            sex="female",
            sample_status="sampled",
            pair=pair,
        )
        for i in range(n_readings)
    )
    today = timezone.localdate()
    submissions = Submission.objects.bulk_create(
        Submission(version=template, started_on=today, submitted_on=today) for _ in cases
    )
    Moderation.objects.bulk_create(
        Moderation(case=c, moderator=members[1], submission=s, completed_at=timezone.now())
        for c, s in zip(cases, submissions, strict=True)
    )
    items = list(template.items.select_related("choice_list"))
    rng = random.Random(1)
    batch = []
    for submission in submissions:
        for item in items:
            value = (
                rng.choice(["1", "2", "3", "4", "5", "6"])
                if item.choice_list.name == "six_point"
                else rng.choice(["yes", "no", "partly"])
            )
            batch.append(Answer(submission=submission, item=item, value_text=value))
        if len(batch) > 20000:
            Answer.objects.bulk_create(batch)
            batch = []
    Answer.objects.bulk_create(batch)
    return exercise, users[1]


def main() -> None:
    django_ready()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse

    from howgood.partnerships.models import Membership

    setup_test_environment()
    results = {}
    warm: dict[int, tuple[float, int]] = {}
    exercises: dict[int, object] = {}
    users: dict[int, object] = {}
    for n in (200, 2000):
        exercise, user = build(n)
        exercises[n], users[n] = exercise, user
        Membership.objects.filter(user=user).update(
            role="scrutiny"
        )  # may read findings, needs no two-factor
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        url = reverse("records:findings", args=[exercise.pk])

        from django.core.cache import cache

        def page() -> None:
            # Cold: the findings computed afresh, as the comparison with the query needs.
            cache.clear()
            assert client.get(url).status_code == 200

        def warm_page() -> None:
            # Warm: the findings read from the cache, as a second visit does.
            assert client.get(url).status_code == 200

        sql = (
            "SELECT a.item_id, a.value_text, COUNT(*) FROM questionnaires_answer a "
            "JOIN records_moderation m ON m.submission_id = a.submission_id "
            "JOIN records_case c ON c.id = m.case_id "
            "WHERE c.exercise_id = %s AND m.completed_at IS NOT NULL GROUP BY a.item_id, a.value_text"
        )

        def raw() -> None:
            with connection.cursor() as cursor:
                cursor.execute(sql, [exercise.pk])
                cursor.fetchall()

        # Interleave the two so drift on a shared machine hits both alike; take medians.
        import statistics
        import time

        page(), raw()
        page_runs, warm_runs, raw_runs = [], [], []
        for _ in range(11):
            start = time.perf_counter()
            page()
            page_runs.append(time.perf_counter() - start)
            start = time.perf_counter()
            warm_page()
            warm_runs.append(time.perf_counter() - start)
            start = time.perf_counter()
            raw()
            raw_runs.append(time.perf_counter() - start)
        page_time, raw_time = statistics.median(page_runs), statistics.median(raw_runs)
        with CaptureQueriesContext(connection) as queries:
            page()
        with CaptureQueriesContext(connection) as warm_queries:
            warm_page()
        results[n] = (page_time, raw_time, len(queries))
        warm[n] = (statistics.median(warm_runs), len(warm_queries))
    print(
        "Findings page HTML, 120-item template (median of 11, cold and warm interleaved with "
        "the raw query; cold: cache emptied, the findings computed afresh and kept)"
    )
    for n, (page_time, raw_time, count) in results.items():
        print(
            f"  {n:>5} moderated readings: cold {page_time * 1000:7.1f} ms ({count} queries), "
            f"warm {warm[n][0] * 1000:6.1f} ms ({warm[n][1]} queries), "
            f"raw SQL {raw_time * 1000:7.1f} ms, cold/raw {page_time / raw_time:4.2f}x"
        )
    page_time, raw_time, _ = results[2000]
    print(
        f"  aim: cold page within 1.5x the raw query -> {'met' if page_time <= 1.5 * raw_time else 'NOT met'}; "
        f"under 1 s -> {'met' if page_time < 1 else 'NOT met'}"
    )
    print(
        "  query count constant as readings grow -> "
        f"{'yes' if results[200][2] == results[2000][2] and warm[200][1] == warm[2000][1] else 'NO'}"
    )
    whole_page(exercises[2000], users[2000])


def whole_page(exercise: object, user: object) -> None:
    """The page and every chart image on it, warm, cold and with no cache (the baseline)."""
    import gzip
    import re
    import statistics
    import time

    from django.core.cache import cache
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("records:findings", args=[exercise.pk])  # type: ignore[attr-defined]

    def fetch(clear_each: bool = False) -> tuple[int, int, int, int]:
        """(images, bytes of images, largest image, bytes sent gzipped) after fetching the
        page and its charts as a browser does."""
        if clear_each:
            cache.clear()
        response = client.get(url)
        assert response.status_code == 200
        sources = re.findall(r'<img src="([^"]+\.svg)"', response.content.decode())
        sizes, sent = [], 0
        for source in sources:
            if clear_each:
                cache.clear()
            image = client.get(source, HTTP_ACCEPT_ENCODING="gzip")
            assert image.status_code == 200 and image["Content-Type"] == "image/svg+xml"
            sent += len(image.content)
            sizes.append(len(gzip.decompress(image.content)))
        return len(sources), sum(sizes), max(sizes), sent

    def timed(run: object, repeat: int) -> float:
        runs = []
        for _ in range(repeat):
            start = time.perf_counter()
            run()  # type: ignore[operator]
            runs.append(time.perf_counter() - start)
        return statistics.median(runs)

    def cold() -> None:
        cache.clear()
        fetch()

    images, total, largest, sent = fetch()
    warm_time = timed(fetch, 7)
    cold_time = timed(cold, 3)
    baseline_time = timed(lambda: fetch(clear_each=True), 3)
    print(
        f"Whole findings page, HTML and its {images} chart images (SVG, {total / 1024:.0f} KB in all, "
        f"largest {largest / 1024:.0f} KB, {sent / 1024:.0f} KB sent gzipped), 2000 moderated readings"
    )
    print(f"  warm (charts kept, median of 7):              {warm_time * 1000:7.1f} ms")
    print(f"  cold (cache emptied first, median of 3):      {cold_time * 1000:7.1f} ms")
    print(
        f"  baseline, no cache (emptied before each request, as every request was before), "
        f"median of 3: {baseline_time * 1000:7.1f} ms"
    )
    print(
        f"  warm is {baseline_time / warm_time:.0f}x faster than the baseline; "
        f"aim: warm under 1 s -> {'met' if warm_time < 1 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
