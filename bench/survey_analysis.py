"""Issue 4: the analysis of 100,000 responses to a 40-question staff survey, on PostgreSQL.

Builds (once, in a database of its own) a survey of a role question and 39 five-point
agreement questions answered by 100,000 people in six agencies: 4,000,000 answers. Then
prints the time for the whole analysis page (the request, the grouped query, the tests of
every question by agency and by role, suppression, and the template), the time of the
same aggregation written as one SQL query by hand (the baseline, measured in the same run,
interleaved), and their ratio. Aim: within 1.5 times, and under 2 s.

Needs PostgreSQL: BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/howgood_bench_survey).
The data is kept between runs (it takes a minute or two to make); BENCH_REBUILD=1 remakes it.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

RESPONSES = int(os.environ.get("BENCH_RESPONSES", "100000"))
SCALE_QUESTIONS = 39
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/howgood_bench_survey")


def ensure_database() -> None:
    import psycopg

    name = urlparse(PG_URL).path.lstrip("/")
    admin = PG_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def build() -> object:
    from django.db import connection, transaction
    from django.utils import timezone

    from howgood.partnerships.models import Agency, Partnership
    from howgood.questionnaires.services import questionnaire_import, version_publish
    from howgood.surveys.models import Survey
    from tests.questionnaires.workbooks import workbook

    existing = Survey.objects.filter(title=f"Bench survey {RESPONSES}").first()
    if existing and not os.environ.get("BENCH_REBUILD"):
        return existing
    Partnership.objects.filter(slug=f"bench-survey-{RESPONSES}").delete()
    agree = ["strongly_agree", "agree", "neither", "disagree", "strongly_disagree"]
    roles = ["social_worker", "nurse", "teacher", "police", "reporter", "third_sector", "other"]
    rows = [["begin_group", "about", "About you"], ["select_one role", "role", "Your role"]]
    rows.append(["end_group", "about"])
    for s in range(3):
        rows.append(["begin_group", f"s{s}", f"Section {s + 1}"])
        for i in range(13):
            n = s * 13 + i
            rows.append(["select_one agree5", f"q{n}", f"Statement {n + 1}", "", "yes"])
        rows.append(["end_group", f"s{s}"])
    choices = [["agree5", a, a.replace("_", " ").capitalize()] for a in agree] + [
        ["role", r, r.replace("_", " ").capitalize()] for r in roles
    ]
    with transaction.atomic():
        partnership = Partnership.objects.create(
            name=f"Bench survey {RESPONSES}", slug=f"bench-survey-{RESPONSES}"
        )
        agencies = [
            Agency.objects.create(partnership=partnership, name=f"Agency {k}", headcount=40000)
            for k in range(6)
        ]
        version = version_publish(
            version=questionnaire_import(
                partnership=partnership,
                files={"bench.xlsx": workbook(rows, choices)},
                actor=None,
                kind="staff_survey",
            ),
            actor=None,
        )
        today = timezone.localdate()
        survey = Survey.objects.create(
            partnership=partnership,
            title=f"Bench survey {RESPONSES}",
            version=version,
            opens_on=today,
            closes_on=today,
            link_token=f"bench-{RESPONSES}",
            closed_early_on=today,  # results are shown once a survey has closed
        )
        survey.audience.set(agencies)
    role_item = version.items.get(name="role").pk
    scale_items = list(version.items.exclude(name="role").values_list("pk", flat=True))
    agency_ids = [a.pk for a in agencies]
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.42)")
        # Submissions and anonymous responses, each in one statement.
        cursor.execute(
            "INSERT INTO questionnaires_submission (version_id, started_on, submitted_on) "
            "SELECT %s, %s, %s FROM generate_series(1, %s) RETURNING id",
            [version.pk, today, today, RESPONSES],
        )
        submission_ids = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "INSERT INTO surveys_response (survey_id, token, submission_id, agency_id, "
            "section_index, resume_hash, complete) "
            "SELECT %s, md5(random()::text || s.id), s.id, "
            "(%s::bigint[])[1 + (s.id %% 6)], 0, '', true "
            "FROM questionnaires_submission s WHERE s.id BETWEEN %s AND %s",
            [survey.pk, agency_ids, min(submission_ids), max(submission_ids)],
        )
        cursor.execute(
            "INSERT INTO questionnaires_answer (submission_id, item_id, value_text) "
            "SELECT s.id, %s, (%s::text[])[1 + floor(random() * 7)::int] "
            "FROM questionnaires_submission s WHERE s.id BETWEEN %s AND %s",
            [role_item, roles, min(submission_ids), max(submission_ids)],
        )
        # 39 agreement answers each; the first agency leans towards disagreeing on the
        # first statement, so there is a gap to flag.
        cursor.execute(
            "INSERT INTO questionnaires_answer (submission_id, item_id, value_text) "
            "SELECT r.submission_id, i, (%s::text[])[least(5, 1 + floor(random() * 4)::int "
            "  + CASE WHEN r.agency_id = %s AND i = %s THEN 1 ELSE 0 END)] "
            "FROM surveys_response r CROSS JOIN unnest(%s::bigint[]) AS i "
            "WHERE r.survey_id = %s",
            [agree, agency_ids[0], scale_items[0], scale_items, survey.pk],
        )
        cursor.execute("ANALYZE")
    print(
        f"  built {RESPONSES:,} responses x {1 + len(scale_items)} questions in "
        f"{time.perf_counter() - start:.0f} s"
    )
    return survey


RAW_SQL = """
SELECT a.item_id, a.value_text, r.agency_id, role.value_text, COUNT(*)
FROM questionnaires_answer a
JOIN surveys_response r ON r.submission_id = a.submission_id
LEFT JOIN questionnaires_answer role ON role.submission_id = a.submission_id AND role.item_id = %s
WHERE r.survey_id = %s AND r.complete
GROUP BY 1, 2, 3, 4
"""


def main() -> None:
    ensure_database()
    os.environ["DATABASE_URL"] = PG_URL
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _setup import django_ready

    django_ready()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse

    from howgood.accounts.models import User
    from howgood.partnerships.models import Membership

    setup_test_environment()
    survey = build()
    user, _ = User.objects.get_or_create(
        email="bench-survey@example.invalid", defaults={"full_name": "Bench viewer"}
    )
    Membership.objects.get_or_create(
        user=user, partnership=survey.partnership, defaults={"role": "viewer"}
    )
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("surveys:analysis", args=[survey.pk])
    role_item = survey.version.items.get(name="role").pk

    def page() -> int:
        response = client.get(url)
        assert response.status_code == 200
        return len(response.content)

    def raw() -> None:
        with connection.cursor() as cursor:
            cursor.execute(RAW_SQL, [role_item, survey.pk])
            cursor.fetchall()

    size = page()
    raw()
    page_runs, raw_runs = [], []
    for _ in range(7):
        start = time.perf_counter()
        page()
        page_runs.append(time.perf_counter() - start)
        start = time.perf_counter()
        raw()
        raw_runs.append(time.perf_counter() - start)
    page_time, raw_time = statistics.median(page_runs), statistics.median(raw_runs)
    with CaptureQueriesContext(connection) as queries:
        page()
    answers = survey.responses.count() * (1 + SCALE_QUESTIONS)
    print(
        f"Survey analysis on PostgreSQL: {survey.responses.count():,} responses, "
        f"{answers:,} answers (median of 7, interleaved with the raw query)"
    )
    print(
        f"  analysis page:      {page_time * 1000:8.0f} ms ({size // 1024} KB, {len(queries)} queries)"
    )
    print(f"  one raw SQL query:  {raw_time * 1000:8.0f} ms")
    print(f"  ratio:              {page_time / raw_time:8.2f}x")
    print(
        f"  aim: within 1.5x -> {'met' if page_time <= 1.5 * raw_time else 'NOT met'}; "
        f"under 2 s -> {'met' if page_time < 2 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
