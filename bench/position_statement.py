"""Issue 6: the position statement with 200 evidence links of mixed kinds.

Builds a partnership with a 40-question staff survey (300 responses), a record-reading
exercise (200 moderated readings of a 120-item template), 10 measures of 24 points, 30 plan
actions and 20 documents, and a statement citing them. Prints:

- the statement page's time and query count with 20 and with 200 evidence links (the
  count must not grow with the links);
- the time to make the Word document of a 5,000-word statement with 200 evidence links and
  10 measures' charts.
"""

from __future__ import annotations

import random
import statistics
import time
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

from _setup import django_ready


def build(rng: random.Random) -> tuple[object, object, list[tuple[str, dict]]]:
    from django.utils import timezone
    from findings import build as build_exercise

    from howgood.accounts.models import User
    from howgood.improvement import services as improvement
    from howgood.improvement.demo import ready_plan
    from howgood.partnerships.models import Agency, Membership
    from howgood.questionnaires.models import Answer, Submission
    from howgood.questionnaires.services import questionnaire_import, version_publish
    from howgood.selfevaluation import services
    from howgood.surveys.models import Response, Survey
    from tests.core.hostile import plain_pdf
    from tests.questionnaires.workbooks import workbook

    exercise, _ = build_exercise(200)
    partnership = exercise.partnership
    agencies = [
        Agency.objects.create(partnership=partnership, name=f"Agency {k}", headcount=100)
        for k in range(4)
    ]
    agree = ["strongly_agree", "agree", "neither", "disagree", "strongly_disagree"]
    rows = [["select_one agree5", f"q{n}", f"Statement {n + 1}", "", "yes"] for n in range(40)]
    version = version_publish(
        version=questionnaire_import(
            partnership=partnership,
            files={"s.xlsx": workbook(rows, [["agree5", a, a] for a in agree])},
            actor=None,
            kind="staff_survey",
        ),
        actor=None,
    )
    today = timezone.localdate()
    survey = Survey.objects.create(
        partnership=partnership,
        title="Staff survey",
        version=version,
        opens_on=today,
        closes_on=today,
        link_token="bench-statement",
        closed_early_on=today,  # results are shown once a survey has closed
    )
    survey.audience.set(agencies)
    items = list(version.items.all())
    submissions = Submission.objects.bulk_create(
        Submission(version=version, started_on=today, submitted_on=today) for _ in range(300)
    )
    Response.objects.bulk_create(
        Response(survey=survey, token=f"t{i}", submission=s, agency=agencies[i % 4], complete=True)
        for i, s in enumerate(submissions)
    )
    Answer.objects.bulk_create(
        Answer(submission=s, item=item, value_text=rng.choice(agree))
        for s in submissions
        for item in items
    )
    measures = []
    for k in range(10):
        m = improvement.measure_create(
            partnership=partnership,
            actor=None,
            data={
                "title": f"Measure {k}",
                "type": "process",
                "definition": "Counted",
                "numerator": "Things",
                "chart": "xmr",
                "rules": "mdc",
                "improvement": "increase",
                "target": Decimal(12),
            },
        )
        from howgood.improvement.models import DataPoint

        DataPoint.objects.bulk_create(
            DataPoint(
                measure=m,
                period=date(2024 + i // 12, i % 12 + 1, 1),
                numerator=Decimal(rng.randint(5, 20)),
            )
            for i in range(24)
        )
        measures.append(m)
    plan = ready_plan(partnership=partnership, actor=None, title="Plan")
    actions = [
        improvement.action_create(
            plan=plan,
            actor=None,
            data={"title": f"Action {k} by March", "due_on": today + timedelta(days=k)},
        )
        for k in range(30)
    ]
    pdf = plain_pdf()  # one the upload check reads through, as the tests use
    documents = [
        services.document_upload(
            partnership=partnership,
            title=f"Document {k}",
            dated=today,
            type="policy",
            summary="A document",
            name=f"d{k}.pdf",
            data=pdf,
            actor=None,
        )
        for k in range(20)
    ]
    from howgood.frameworks.models import QualityIndicator

    reading_items = list(exercise.template.items.all()[:40])
    qis = list(QualityIndicator.objects.filter(items__version=exercise.template).distinct()[:10])
    targets: list[tuple[str, dict]] = []
    targets += [("survey_question", {"survey": survey, "item": i}) for i in items] * 2  # 80
    targets = targets[:60]
    targets += [("reading_item", {"exercise": exercise, "item": i}) for i in reading_items]  # 40
    targets += [("reading_indicator", {"exercise": exercise, "quality_indicator": q}) for q in qis]
    targets += [("measure", {"measure": m}) for m in measures] * 4  # 40
    targets += [("action", {"action": a}) for a in actions]  # 30
    targets += [("document", {"document": d}) for d in documents]  # 20
    user = User.objects.create_user(email="statement@example.invalid", password=None, full_name="B")
    Membership.objects.create(user=user, partnership=partnership, role="viewer")
    return partnership, user, targets[:200]


def statement_with(partnership: object, targets: list[tuple[str, dict]], words: int) -> object:
    from howgood.selfevaluation import services

    statement = services.statement_create(
        partnership=partnership, title=f"Statement {len(targets)}", actor=None
    )
    sections = list(statement.sections.all())
    tokens: dict[int, list[str]] = {s.pk: [] for s in sections}
    for n, (kind, target) in enumerate(targets):
        section = sections[n % len(sections)]
        link = services.evidence_add(
            partnership=partnership, kind=kind, section=section, actor=None, targets=target
        )
        tokens[section.pk].append(link.token)
    per_section = words // len(sections)
    filler = "Children and families get help early from partners who work well together. "
    for section in sections:
        text = (filler * (per_section // 12 + 1)).split()[: per_section - 10]
        section.now = " ".join(text[: len(text) // 3])
        section.how_know = (
            " ".join(text[len(text) // 3 : 2 * len(text) // 3]) + " " + " ".join(tokens[section.pk])
        )
        section.next = " ".join(text[2 * len(text) // 3 :])
        section.save()
    return statement


def main() -> None:
    django_ready()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse

    from howgood.selfevaluation.exports import build_docx
    from howgood.selfevaluation.selectors import statement_words

    setup_test_environment()
    rng = random.Random(6)
    partnership, user, targets = build(rng)
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    results = {}
    statements = {}
    for n in (20, 200):
        statement = statement_with(partnership, targets[:n] if n == 200 else targets[::10], 5000)
        statements[n] = statement
        url = reverse("selfevaluation:statement", args=[statement.pk])
        assert client.get(url).status_code == 200
        runs = []
        for _ in range(5):
            start = time.perf_counter()
            response = client.get(url)
            runs.append(time.perf_counter() - start)
        assert response.status_code == 200
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        results[n] = (statistics.median(runs), len(queries))
    print("Position statement page (median of 5)")
    for n, (seconds, count) in results.items():
        print(f"  {n:>3} evidence links: {seconds * 1000:7.0f} ms, {count} queries")
    print(
        f"  query count constant as links grow -> {'yes' if results[20][1] == results[200][1] else 'NO'}"
    )
    statement = statements[200]
    words = statement_words(statement.sections.all())
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        built = build_docx(SimpleNamespace(target_id=statement.pk, params={}))
        runs.append(time.perf_counter() - start)
    import io

    import docx

    shapes = len(docx.Document(io.BytesIO(built.content)).inline_shapes)
    print(
        f"Word export: {words:,} words, 200 evidence links, {shapes} charts: "
        f"{statistics.median(runs):.1f} s (median of 3), {len(built.content) // 1024} KB"
    )


if __name__ == "__main__":
    main()
