"""Issue 13, documents: every Word, PDF and Excel file the demo partnership can ask for.

Loads the demo, then makes each registered document of the demo's record-reading exercise,
surveys, improvement plan and position statement the way a task worker does (its builder,
called with the report's target and params), and prints for each:

- the time warm: the median of BENCH_DOC_RUNS (3) runs after one warm-up run, in wall
  time and in the process's CPU time (on a shared machine, wall time also counts the
  other people's work);
- the cold time: the first run with nothing kept (the cache emptied), so every chart is
  drawn;
- the baseline, measured in the same run: the same document made the old way
  (``_old_way``: every chart drawn afresh, its PNG written twice, Word tables filled cell
  by cell with each cell's style looked up by name, PDFs given palette PNGs), kept here
  only as a baseline;
- the resident memory (RSS) of the process before and after making it, and its peak.

Aim (issue 13): every demo document under 2 s warm on this machine.
"""

from __future__ import annotations

import contextlib
import gc
import io
import os
import resource
import statistics
import time
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

os.environ.setdefault("HOWGOOD_DEMO", "1")

from _setup import django_ready, goal

AIM_S = 2.0
RUNS = int(os.environ.get("BENCH_DOC_RUNS", "3"))


def rss_mb() -> float:
    """The process's resident memory now, in MB (Linux: /proc/self/status)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _old_table(self: Any, header: Any, rows: Any, numeric_columns: Any) -> Any:
    """Word tables filled cell by cell as before issue 13: ``table.cell(i, j)`` walks the
    whole table for each cell, and each cell's style is looked up by name."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml import OxmlElement

    from howgood.toolkit import word

    rows = [list(r) for r in rows]
    table = self.document.add_table(rows=1 + len(rows), cols=len(header))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    self._table_look(table)
    for j, text in enumerate(header):
        cell = table.cell(0, j)
        paragraph = cell.paragraphs[0]
        paragraph.style = "Table Heading"
        paragraph.paragraph_format.keep_with_next = True
        word._shade(cell._tc.get_or_add_tcPr(), word.HEADER_FILL)
        paragraph.add_run(str(text))
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for i, row in enumerate(rows, start=1):
        table.rows[i]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for j, value in enumerate(row):
            paragraph = table.cell(i, j).paragraphs[0]
            paragraph.style = "Table Text"
            paragraph.add_run(word._cell_text(value))
    self.document.add_paragraph(style="Table Spacer")
    return table


def _old_render(fig: Any, formats: Any) -> tuple[str, bytes]:
    """Chart PNGs as before issue 13: saved at 200 dpi, read back, 256 colours chosen by
    median cut and written again with the smallest compression."""
    from PIL import Image

    from howgood.toolkit.charts import base

    svg, _ = base.render(fig, [f for f in formats if f == "svg"])
    png = b""
    if "png" in formats:
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=200, metadata={"Software": None})
        with Image.open(io.BytesIO(buffer.getvalue())) as image:
            fewer = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
            out = io.BytesIO()
            fewer.save(out, format="PNG", optimize=True, dpi=(200, 200))
        png = out.getvalue()
    return svg, png


@contextlib.contextmanager
def _old_way() -> Iterator[None]:
    """The baseline: each document made as before issue 13, with every chart drawn afresh
    (none kept), PNGs written twice, tables filled cell by cell and PDFs given palette
    PNGs. Kept only here, to measure against."""
    from howgood.records import charts as records_charts
    from howgood.toolkit import word
    from howgood.toolkit.charts import bars, base, distribution, spc

    def not_kept(draw: Any, /, **arguments: Any) -> Any:
        return draw(**arguments)

    patches: list[tuple[Any, str, Any]] = [
        (word.ReportDocument, "_table", _old_table),
        (base, "kept", not_kept),
        (records_charts, "kept", not_kept),
        (bars, "render", _old_render),
        (distribution, "render", _old_render),
        (spc, "render", _old_render),
        (base.Chart, "print_data_uri", base.Chart.png_data_uri),
    ]
    saved = [(owner, name, owner.__dict__[name]) for owner, name, _ in patches]
    try:
        for owner, name, value in patches:
            setattr(owner, name, value)
        yield
    finally:
        for owner, name, value in saved:
            setattr(owner, name, value)


def targets() -> list[tuple[str, str, Any]]:
    """(label, builder name, report) for every document of the demo partnership."""
    from howgood.improvement.models import Plan
    from howgood.partnerships.models import Partnership
    from howgood.records.models import Exercise
    from howgood.reports.registry import _BUILDERS
    from howgood.selfevaluation.models import PositionStatement
    from howgood.surveys.models import Survey

    partnership = Partnership.objects.get(slug="forthvale-demo")
    from django.db.models import Count

    # The exercise and the survey with the most to show.
    exercise = (
        Exercise.objects.filter(partnership=partnership)
        .annotate(n=Count("cases__moderation"))
        .order_by("-n", "pk")
        .first()
    )
    survey = (
        Survey.objects.filter(partnership=partnership)
        .annotate(n=Count("responses"))
        .order_by("-n", "pk")
        .first()
    )
    plan = Plan.objects.filter(partnership=partnership).order_by("pk").first()
    statement = PositionStatement.objects.filter(partnership=partnership).order_by("pk").first()
    out = []
    for name in sorted(_BUILDERS):
        app = name.split(".")[0]
        target = {
            "records": exercise,
            "surveys": survey,
            "improvement": plan,
            "selfevaluation": statement,
        }.get(app)
        if target is None:
            continue
        out.append((name, name, SimpleNamespace(target_id=target.pk, params={}, kind=name)))
        if name in ("records.findings.docx", "surveys.report.docx"):
            out.append(
                (
                    f"{name} (shared)",
                    name,
                    SimpleNamespace(target_id=target.pk, params={"share": True}, kind=name),
                )
            )
    return out


def once(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def cpu(fn: Callable[[], object]) -> float:
    """The process's CPU time for ``fn``: on a shared machine, the work itself."""
    start = time.process_time()
    fn()
    return time.process_time() - start


def big_table() -> tuple[float, float]:
    """Seconds to add one 120 x 7 table to a Word document, row by row and the old way."""
    from howgood.toolkit.word import ReportDocument

    rows = [
        [f"Action {i}", "Owner", i, 0.5 * i, "In progress", "Amber", "SMART"] for i in range(120)
    ]
    header = ["Action", "Owner", "Number", "Rate", "Status", "RAG", "SMART"]

    def make() -> None:
        doc = ReportDocument(title="Plan", subtitle="", partnership="Bench", date="today")
        doc.table(header, rows, "A long table", (2, 3))

    now = statistics.median(once(make) for _ in range(3))
    with _old_way():
        old = once(make)
    return now, old


def main() -> None:
    django_ready()
    from django.core.cache import cache
    from django.core.management import call_command

    from howgood.demo.build import demo_build
    from howgood.reports.registry import builder

    start = time.perf_counter()
    call_command("load_default_questionnaires", verbosity=0)
    demo_build()
    print(f"(demo loaded in {time.perf_counter() - start:.0f} s)")
    # The document libraries, as a worker has them after its first document.
    import docx  # noqa: F401
    import weasyprint  # noqa: F401

    import howgood.toolkit.charts.base  # noqa: F401

    gc.collect()
    print(f"Worker memory (RSS) before any document: {rss_mb():.0f} MB")
    print(
        f"Each document: warm (median of {RUNS} after one run) in wall time and CPU time, "
        "cold (nothing kept: every chart drawn), the old way (the median of "
        f"{max(1, RUNS - 1)}: charts drawn afresh and written twice, tables filled cell by "
        "cell), the file's size, the process's memory (RSS) before and after."
    )
    print(
        f"{'document':32s} {'warm':>7s} {'CPU':>7s} {'cold':>7s} {'old way':>8s} {'size':>8s} "
        f"{'RSS before -> after':>20s}"
    )
    worst = 0.0
    for label, name, report in targets():
        build = builder(name).build
        before = rss_mb()
        cache.clear()
        cold = once(lambda b=build, r=report: b(r))
        warm = statistics.median([once(lambda b=build, r=report: b(r)) for _ in range(RUNS)])
        warm_cpu = statistics.median([cpu(lambda b=build, r=report: b(r)) for _ in range(RUNS)])
        size = len(build(report).content)
        with _old_way():
            old = statistics.median(
                [once(lambda b=build, r=report: b(r)) for _ in range(max(1, RUNS - 1))]
            )
        gc.collect()
        after = rss_mb()
        worst = max(worst, warm)
        print(
            f"{label:32s} {warm:5.2f} s {warm_cpu:5.2f} s {cold:5.2f} s {old:6.2f} s "
            f"{size / 1024:5.0f} KB "
            f"{before:7.0f} -> {after:4.0f} MB",
            flush=True,
        )
        goal(
            f"{label} warm",
            f"{warm:.2f} s ({warm_cpu:.2f} s CPU; cold {cold:.2f} s)",
            f"{old:.2f} s the old way",
            f"under {AIM_S:.0f} s",
            warm < AIM_S,
        )
    print(f"Worker memory (RSS) after every document: {rss_mb():.0f} MB (peak {peak_mb():.0f} MB)")
    table_now, table_old = big_table()
    print(
        f"One 120 x 7 Word table: {table_now:.2f} s row by row; {table_old:.2f} s cell by cell "
        "(the old way)"
    )
    goal(
        "a 120 x 7 Word table",
        f"{table_now:.2f} s",
        f"{table_old:.2f} s cell by cell",
        "linear in its cells",
        table_now * 10 < table_old,
    )
    print(f"Slowest document warm: {worst:.2f} s (aim: every one under {AIM_S:.0f} s)")


if __name__ == "__main__":
    main()
