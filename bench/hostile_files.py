"""Issue 10: hostile files. Aim: under 300 MB peak memory and under 5 s for every one.

Builds each hostile file of the issue (and a benign file of the same kind, the baseline,
measured in the same run), then runs the real check or import path on it in a fresh
Python process of its own, so that the peak memory printed is that file's alone
(``resource.getrusage`` in the child: the peak resident size of the whole process,
Django loaded). For each file it prints the time, the peak memory, the process's memory
before the file was read (what Django and the libraries cost), what happened, the
baseline's figures and whether the aim was met.

Paths: measure import (``improvement.imports.read_points``, then ``points_import`` when
the file is good), case-list import (``records.caselist.read_case_list``), evidence upload
(``selfevaluation.files.check_upload``) and questionnaire import
(``questionnaires.services.questionnaire_import``, which writes to the database).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _setup import ROOT, django_ready

AIM_MB = 300
AIM_SECONDS = 5.0

# (label, path, file name, builder, baseline label); the builders live in tests/core/hostile.py
CASES: list[tuple[str, str, str, str, str]] = [
    # Measure import (action owners) and case-list import (coordinators)
    ("benign measure data, 24 months", "measure", "data.xlsx", "measure_benign", ""),
    (
        "1.6 KB, A1:XFD8000, a value in row 8000",
        "measure",
        "data.xlsx",
        "dim_8000",
        "benign measure data, 24 months",
    ),
    (
        "1.6 KB, A1:XFD1048576, a value in row 1048576",
        "measure",
        "data.xlsx",
        "dim_max",
        "benign measure data, 24 months",
    ),
    (
        "workbook whose shared text unpacks to 800 MB",
        "measure",
        "data.xlsx",
        "xlsx_bomb",
        "benign measure data, 24 months",
    ),
    ("benign case list, 400 records", "caselist", "cases.xlsx", "cases_benign", ""),
    (
        "1.6 KB case list, A1:XFD1048576, row 1048576",
        "caselist",
        "cases.xlsx",
        "dim_max_cases",
        "benign case list, 400 records",
    ),
    # Evidence upload
    ("benign Word file", "upload", "policy.docx", "docx_benign", ""),
    (
        "Word zip bomb: [Content_Types].xml unpacks to 800 MB",
        "upload",
        "bomb.docx",
        "docx_bomb",
        "benign Word file",
    ),
    (
        "Word file with a remote attachedTemplate",
        "upload",
        "letter.docx",
        "docx_template",
        "benign Word file",
    ),
    ("Word file with an embedded OLE object", "upload", "ole.docx", "docx_ole", "benign Word file"),
    ("benign Excel file", "upload", "data.xlsx", "xlsx_benign", ""),
    (
        "Excel file with an embedded OLE object",
        "upload",
        "ole.xlsx",
        "xlsx_ole",
        "benign Excel file",
    ),
    (
        "Excel file linked to a remote workbook",
        "upload",
        "linked.xlsx",
        "xlsx_link",
        "benign Excel file",
    ),
    ("benign PowerPoint file", "upload", "slides.pptx", "pptx_benign", ""),
    (
        "PowerPoint file with an embedded OLE object",
        "upload",
        "ole.pptx",
        "pptx_ole",
        "benign PowerPoint file",
    ),
    ("benign 20-page report PDF", "upload", "minutes.pdf", "pdf_benign", ""),
    ("PDF: /S /J#61vaScript", "upload", "a.pdf", "pdf_hex_js", "benign 20-page report PDF"),
    ("PDF: /S /L#61unch", "upload", "b.pdf", "pdf_hex_launch", "benign 20-page report PDF"),
    ("PDF: /JS( with no space", "upload", "c.pdf", "pdf_js_paren", "benign 20-page report PDF"),
    (
        "PDF: JavaScript in a compressed object stream",
        "upload",
        "d.pdf",
        "pdf_objstm",
        "benign 20-page report PDF",
    ),
    # Questionnaire import
    ("benign REDCap dictionary, 500 fields", "questionnaire", "dictionary.csv", "redcap_500", ""),
    (
        "REDCap dictionary at the limit, 2,000 fields",
        "questionnaire",
        "dictionary.csv",
        "redcap_2000",
        "benign REDCap dictionary, 500 fields",
    ),
    (
        "REDCap dictionary, 40,000 fields",
        "questionnaire",
        "dictionary.csv",
        "redcap_40000",
        "benign REDCap dictionary, 500 fields",
    ),
    (
        "REDCap dictionary, 100,000 fields",
        "questionnaire",
        "dictionary.csv",
        "redcap_100000",
        "benign REDCap dictionary, 500 fields",
    ),
    ("benign XLSForm, 500 questions", "questionnaire", "form.xlsx", "xlsform_500", ""),
    (
        "XLSForm, 100,000 questions",
        "questionnaire",
        "form.xlsx",
        "xlsform_100000",
        "benign XLSForm, 500 questions",
    ),
]


def build(name: str) -> bytes:
    from tests.core import hostile as h

    header = ["period", "value", "out_of"]
    case_header = ["reference", "category", "age_band", "sex"]
    if name == "measure_benign":
        rows = [header] + [[f"{2024 + m // 12}-{m % 12 + 1:02d}", "12", "40"] for m in range(24)]
        return h.tiny_xlsx(rows)
    if name == "dim_8000":
        return h.far_cell_xlsx(header, row=8000, column=1, dimension="A1:XFD8000")
    if name == "dim_max":
        return h.far_cell_xlsx(header, row=1_048_576, column=1, dimension="A1:XFD1048576")
    if name == "xlsx_bomb":
        return h.xlsx_bomb(unpacked_mb=800)
    if name == "cases_benign":
        rows = [case_header] + [[f"SW{n}", "registered", "5-11", "female"] for n in range(400)]
        return h.tiny_xlsx(rows)
    if name == "dim_max_cases":
        return h.far_cell_xlsx(case_header, row=1_048_576, column=1, dimension="A1:XFD1048576")
    builders = {
        "docx_benign": h.real_docx,
        "docx_bomb": lambda: h.office_bomb("docx", unpacked_mb=800),
        "docx_template": h.docx_with_remote_template,
        "docx_ole": lambda: h.with_ole_object("docx"),
        "xlsx_benign": h.real_xlsx,
        "xlsx_ole": lambda: h.with_ole_object("xlsx"),
        "xlsx_link": lambda: h.with_external_link(
            "xlsx", "externalLinkPath", "https://attacker.invalid/x.xlsx"
        ),
        "pptx_benign": h.real_pptx,
        "pptx_ole": lambda: h.with_ole_object("pptx"),
        "pdf_benign": lambda: h.report_pdf(20),
        "pdf_hex_js": lambda: h.pdf_with_action(h.HOSTILE_PDF_ACTIONS["hex-escaped JavaScript"]),
        "pdf_hex_launch": lambda: h.pdf_with_action(h.HOSTILE_PDF_ACTIONS["hex-escaped Launch"]),
        "pdf_js_paren": lambda: h.pdf_with_action(h.HOSTILE_PDF_ACTIONS["/JS( with no space"]),
        "pdf_objstm": lambda: h.pdf_with_action(
            h.HOSTILE_PDF_ACTIONS["hex-escaped JavaScript"], packed=True
        ),
        "redcap_500": lambda: h.redcap_dictionary(500),
        "redcap_2000": lambda: h.redcap_dictionary(2_000),
        "redcap_40000": lambda: h.redcap_dictionary(40_000),
        "redcap_100000": lambda: h.redcap_dictionary(100_000),
        "xlsform_500": lambda: h.xlsform_xlsx(500),
        "xlsform_100000": lambda: h.xlsform_xlsx(100_000),
    }
    return builders[name]()


# --- In the child process ------------------------------------------------------------------


def child(path: str, file_path: str, file_name: str) -> None:
    """Run one path on one file and print one JSON line of figures."""
    import resource

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.exceptions import ValidationError

    from howgood.core.tables import TableError
    from howgood.improvement.imports import read_points
    from howgood.improvement.models import Measure
    from howgood.improvement.services import points_import
    from howgood.partnerships.models import Partnership
    from howgood.questionnaires.definition import DefinitionError
    from howgood.questionnaires.services import questionnaire_import
    from howgood.records.caselist import read_case_list
    from howgood.selfevaluation.files import check_upload

    partnership = Partnership.objects.get(slug="bench-hostile")
    measure = Measure.objects.get(partnership=partnership)
    data = Path(file_path).read_bytes()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    try:
        if path == "measure":
            outcome = f"imported {points_import(measure=measure, rows=read_points(data, file_name, measure), actor=None)} points"
        elif path == "caselist":
            outcome = f"read {len(read_case_list(data, file_name))} records"
        elif path == "upload":
            outcome = f"accepted as {check_upload(file_name, data).content_type.split(';')[0]}"
        else:
            version = questionnaire_import(
                partnership=partnership, files={file_name: data}, actor=None
            )
            outcome = f"imported {version.items.count()} items"
    except TableError as error:
        outcome = "refused: " + error.problems[0]
    except ValidationError as error:
        outcome = "refused: " + " ".join(error.messages)
    except DefinitionError as error:
        outcome = "refused: " + str(error.problems[0])
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps({"seconds": seconds, "peak_kb": peak, "before_kb": before, "outcome": outcome})
    )


# --- In the parent -------------------------------------------------------------------------


def setup() -> None:
    """In its own process: migrate the database and make the partnership and measure."""
    django_ready()
    from howgood.improvement.services import measure_create
    from howgood.partnerships.models import Partnership

    partnership, _ = Partnership.objects.get_or_create(
        name="Bench hostile files", slug="bench-hostile"
    )
    measure_create(
        partnership=partnership,
        actor=None,
        data={
            "title": "Referrals re-classified",
            "type": "outcome",
            "definition": "Of the referrals in the month, those re-classified.",
            "numerator": "Re-classified",
            "denominator": "Referrals",
            "improvement": "decrease",
            "chart": "p",
            "rules": "mdc",
            "multiply": 100,
        },
    )


def run(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, __file__, *arguments],
        cwd=Path(__file__).resolve().parent,
        capture_output=True,
        text=True,
        check=False,
        env=os.environ.copy(),
    )


def measure_in_child(path: str, file_path: Path, file_name: str) -> dict[str, object]:
    done = run("--child", path, str(file_path), file_name)
    if done.returncode != 0:
        return {
            "seconds": float("nan"),
            "peak_kb": 0,
            "before_kb": 0,
            "outcome": f"CRASHED: {done.stderr.strip().splitlines()[-1:]}",
        }
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    """The parent stays small: it builds nothing and loads nothing itself. (Linux carries a
    process's peak memory over into the processes it starts, so a parent that had built
    an 800 MB test file would make every child report at least that.)"""
    if "DATABASE_URL" not in os.environ:
        database = Path(tempfile.mkdtemp(prefix="howgood-bench-")) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("HOWGOOD_ENV", "test")
    done = run("--setup")
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    folder = Path(tempfile.mkdtemp(prefix="howgood-hostile-"))
    results: dict[str, dict[str, object]] = {}
    print("Hostile files: each run in a fresh process (peak = that process's peak resident memory,")
    print("'before' = the same process before it read the file: Django and the libraries)")
    print(f"Aim: under {AIM_MB} MB and under {AIM_SECONDS:.0f} s for every file\n")
    print(
        f"{'file':<54} {'size':>9} {'time':>8} {'peak':>8} {'before':>8}  "
        f"{'baseline (time, peak)':<24} aim"
    )
    all_met = True
    for label, path, file_name, builder, baseline in CASES:
        file_path = folder / f"{builder}-{file_name}"
        built = run("--build", builder, str(file_path))
        if built.returncode != 0:
            raise SystemExit(built.stderr)
        figures = measure_in_child(path, file_path, file_name)
        results[label] = figures
        seconds = float(figures["seconds"])  # type: ignore[arg-type]
        peak_mb = int(figures["peak_kb"]) / 1024  # type: ignore[call-overload]
        before_mb = int(figures["before_kb"]) / 1024  # type: ignore[call-overload]
        met = seconds < AIM_SECONDS and peak_mb < AIM_MB
        all_met &= met
        base = results.get(baseline)
        base_text = (
            f"{float(base['seconds']):.3f} s, {int(base['peak_kb']) / 1024:.0f} MB"  # type: ignore[arg-type, call-overload]
            if base
            else "(this is a baseline)"
        )
        size = file_path.stat().st_size
        size_text = (
            f"{size / 1024:,.1f} KB" if size < 1024 * 1024 else f"{size / (1024 * 1024):,.1f} MB"
        )
        print(
            f"{label:<54} {size_text:>9} {seconds:>6.3f} s {peak_mb:>5.0f} MB {before_mb:>5.0f} MB"
            f"  {base_text:<24} {'met' if met else 'NOT met'}"
        )
        print(f"    {str(figures['outcome'])[:150]}")
    print(
        f"\nEvery file within {AIM_MB} MB and {AIM_SECONDS:.0f} s: {'met' if all_met else 'NOT met'}"
    )


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3], sys.argv[4])
    elif len(sys.argv) == 4 and sys.argv[1] == "--build":
        sys.path.insert(0, str(ROOT))
        Path(sys.argv[3]).write_bytes(build(sys.argv[2]))
    elif len(sys.argv) == 2 and sys.argv[1] == "--setup":
        setup()
    else:
        main()
