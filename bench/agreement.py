"""The agreement page at 2,000 records, each read by both members of its pair (issue 13).

Builds an exercise on a 120-item template (as ``findings.py``: 40 six-point and 80
yes/no/partly questions) plus 10 tick-all-that-apply questions, with 2,000 records shared
among four pairs; both readers of every record have submitted (4,000 readings), and the
moderator gives the reader's answer about 70% of the time. Prints, warm, beside a baseline
measured in the same run: the code as it was before issue 13 (commit 2e04abb), kept in
``_agreement_before.py`` for this only:

- the kappa computation alone: every row's figures (percentage, kappas, "n of m") for every
  question, every pair and overall, from the answers already gathered; now from the
  counted pairs and marginal totals, before from lists of answers and the full k x k
  table of the k distinct answers;
- the whole page through the Django test client, now and with the old computation put in
  the page's place;
- that both give exactly the same figures (every row equal, floats compared with ==) and
  the same HTML (but for the CSRF token, which differs on every response).

Aim: the kappa computation under 50 ms at 2,000 records.
"""

from __future__ import annotations

import random
import re
import statistics
import time
from collections.abc import Callable
from typing import Any

from _setup import django_ready

N_RECORDS = 2000
N_PAIRS = 4


def build() -> tuple[Any, Any]:
    from django.utils import timezone

    from howgood.accounts.models import User
    from howgood.partnerships.models import Membership, Partnership
    from howgood.questionnaires.models import Answer, Submission
    from howgood.questionnaires.services import questionnaire_import, version_publish
    from howgood.records.models import Case, Exercise, Pair, Reading
    from tests.questionnaires.workbooks import workbook

    six = [["six_point", str(n), f"{n}"] for n in range(6, 0, -1)]
    ynp = [["ynp", "yes", "Yes"], ["ynp", "no", "No"], ["ynp", "partly", "Partly"]]
    agencies = [["agencies", name, name.title()] for name in ("police", "health", "school", "sw")]
    rows = []
    for s in range(8):
        rows.append(["begin_group", f"s{s}", f"Section {s + 1}"])
        for i in range(15):
            n = s * 15 + i
            kind = "select_one six_point" if i % 3 == 0 else "select_one ynp"
            indicator = f"{2 + s % 8}.1" if s % 8 < 4 else "5.3"
            rows.append([kind, f"q{n}", f"Question {n}", "", "", "", "", "", indicator, "1"])
        rows.append(["end_group", f"s{s}"])
    rows.append(["begin_group", "who", "Who was involved"])
    for m in range(10):
        rows.append(
            ["select_multiple agencies", f"m{m}", f"Agencies {m}", "", "", "", "", "", "5.3", "1"]
        )
    rows.append(["end_group", "who"])
    partnership = Partnership.objects.create(name="Bench agreement", slug="bench-agreement")
    template = version_publish(
        version=questionnaire_import(
            partnership=partnership,
            files={"t.xlsx": workbook(rows, six + ynp + agencies)},
            actor=None,
            kind="record_reading",
        ),
        actor=None,
    )
    exercise = Exercise.objects.create(partnership=partnership, title="Bench", template=template)
    users = [
        User.objects.create_user(
            email=f"agree-{i}@example.invalid", password=None, full_name=f"Reader {i}"
        )
        for i in range(2 * N_PAIRS)
    ]
    members = [
        Membership.objects.create(user=u, partnership=partnership, role="reader") for u in users
    ]
    pairs = [
        Pair.objects.create(exercise=exercise, reader=members[2 * p], moderator=members[2 * p + 1])
        for p in range(N_PAIRS)
    ]
    cases = Case.objects.bulk_create(
        Case(
            exercise=exercise,
            reading_id=f"R-{i:05d}",
            category="registered",
            age_band="5-11",
            sex="female",
            sample_status="sampled",
            pair=pairs[i % N_PAIRS],
        )
        for i in range(N_RECORDS)
    )
    today = timezone.localdate()
    submissions = Submission.objects.bulk_create(
        Submission(version=template, started_on=today, submitted_on=today)
        for _ in range(2 * N_RECORDS)
    )
    Reading.objects.bulk_create(
        Reading(
            case=case,
            membership=pair.reader if role == 0 else pair.moderator,
            submission=submissions[2 * i + role],
            status="submitted",
            submitted_at=timezone.now(),
        )
        for i, case in enumerate(cases)
        for pair in [pairs[i % N_PAIRS]]
        for role in (0, 1)
    )
    items = list(template.items.select_related("choice_list").exclude(choice_list=None))
    choices = {
        "six_point": ["1", "2", "3", "4", "5", "6"],
        "ynp": ["yes", "no", "partly"],
        "agencies": ["police", "health", "school", "sw"],
    }
    rng = random.Random(13)

    def answer(item: Any) -> list[str]:
        options = choices[item.choice_list.name]
        if item.type == "select_multiple":
            return [o for o in options if rng.random() < 0.5] or [options[0]]
        return [rng.choice(options)]

    batch: list[Any] = []
    for i in range(N_RECORDS):
        reader, moderator = submissions[2 * i], submissions[2 * i + 1]
        for item in items:
            first = answer(item)
            second = first if rng.random() < 0.7 else answer(item)
            for submission, values in ((reader, first), (moderator, second)):
                batch.extend(Answer(submission=submission, item=item, value_text=v) for v in values)
        if len(batch) > 20000:
            Answer.objects.bulk_create(batch)
            batch = []
    Answer.objects.bulk_create(batch)
    coordinator = User.objects.create_user(
        email="agree-scrutiny@example.invalid", password=None, full_name="Scrutiny"
    )
    # May read the findings and the agreement page, needs no two-factor.
    Membership.objects.create(user=coordinator, partnership=partnership, role="scrutiny")
    return exercise, coordinator


def median_ms(fn: Callable[[], object], repeat: int = 7) -> float:
    fn()  # warm
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs) * 1000


def main() -> None:
    django_ready()
    import _agreement_before as before
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from howgood.records import agreement as page_module

    setup_test_environment()
    start = time.perf_counter()
    exercise, user = build()
    print(f"(built {N_RECORDS} records read twice in {time.perf_counter() - start:.0f} s)")

    # The arguments of every row's figures, as each version of the page computes them.
    new_rows: list[tuple[Any, ...]] = []
    old_rows: list[tuple[Any, ...]] = []
    new_stats, old_stats = page_module._stats, before.old_stats

    def recording_new(*args: Any, **kwargs: Any) -> Any:
        new_rows.append((args, kwargs))
        return new_stats(*args, **kwargs)

    def recording_old(*args: Any, **kwargs: Any) -> Any:
        old_rows.append((args, kwargs))
        return old_stats(*args, **kwargs)

    page_module._stats, before.old_stats = recording_new, recording_old
    figures = page_module.compute(exercise)
    old_figures = before.old_compute(exercise)
    page_module._stats, before.old_stats = new_stats, old_stats
    same = figures == old_figures

    def new_kappas() -> None:
        for args, kwargs in new_rows:
            new_stats(*args, **kwargs)

    def old_kappas() -> None:
        for args, kwargs in old_rows:
            old_stats(*args, **kwargs)

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("records:agreement", args=[exercise.pk])
    compute = page_module.compute

    def page() -> str:
        response = client.get(url)
        assert response.status_code == 200
        # The CSRF token (masked afresh for each response) is the only thing that differs.
        return re.sub(r"\b[A-Za-z0-9]{64}\b", "(token)", response.content.decode())

    def old_page() -> str:
        page_module.compute = before.old_compute  # what the view calls
        try:
            return page()
        finally:
            page_module.compute = compute

    html_same = page() == old_page()
    kappa_new, kappa_old = median_ms(new_kappas), median_ms(old_kappas, repeat=3)
    page_new, page_old = median_ms(page), median_ms(old_page, repeat=3)
    overall = old_rows[-1][0]
    distinct = len(set(overall[1]) | set(overall[2]))
    print(
        f"Agreement page, {figures['records']} records read by both readers "
        f"({2 * N_RECORDS} readings), {len(figures['items'])} questions, "
        f"{len(figures['pairs'])} pairs, {figures['overall'].pairs} answers compared; "
        f"{distinct} distinct answers in the overall table"
    )
    print(f"  kappa computation alone, now (median of 7):      {kappa_new:8.1f} ms")
    print(
        f"  baseline, the computation before (median of 3):  {kappa_old:8.1f} ms "
        f"({kappa_old / kappa_new:.0f}x slower)"
    )
    print(f"  whole page, warm, now (median of 7):             {page_new:8.1f} ms")
    print(f"  baseline, the page as before (median of 3):      {page_old:8.1f} ms")
    print(
        f"  same figures (every row, floats ==) -> {'yes' if same else 'NO'}; "
        f"same HTML -> {'yes' if html_same else 'NO'}"
    )
    print(f"  aim: kappa computation under 50 ms -> {'met' if kappa_new < 50 else 'NOT met'}")


if __name__ == "__main__":
    main()
