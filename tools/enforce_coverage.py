"""Fail unless the files HowGood holds to full coverage have every line and branch run.

Run by `make test-suite` after the suite has run under coverage.py (the data is in
`.coverage`; the settings are in pyproject.toml, [tool.coverage.*]). Like Zulip's
`enforce_fully_covered`, but by rule rather than by list: the statistics, every app's
services and every app's access chokepoint, including any that are added later.

    python tools/enforce_coverage.py          # after `coverage run -m pytest`
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Every file matching one of these (relative to the repository) must be 100% covered,
# lines and branches.
FULLY_COVERED = [
    "howgood/stats/**/*.py",
    "howgood/*/services.py",
    "howgood/*/services/**/*.py",
    "howgood/*/access.py",
    "howgood/*/policies.py",
    "howgood/*/access/**/*.py",
]

# Files that match a rule above but are not yet held to it, each with the reason. It only
# shrinks: a file listed here that becomes fully covered fails the check until it is removed.
# Empty: every file the rules name is held to full coverage.
NOT_YET_FULLY_COVERED: dict[str, str] = {}


def enforced_files(root: Path = ROOT) -> list[str]:
    """The repository-relative paths held to full coverage, sorted."""
    found = {
        path.relative_to(root).as_posix()
        for pattern in FULLY_COVERED
        for path in root.glob(pattern)
        if path.is_file()
    }
    return sorted(found - NOT_YET_FULLY_COVERED.keys())


def _ranges(lines: list[int]) -> str:
    """[3, 4, 5, 9] -> "3-5, 9"."""
    spans: list[list[int]] = []
    for line in sorted(lines):
        if spans and line == spans[-1][1] + 1:
            spans[-1][1] = line
        else:
            spans.append([line, line])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)


def _branch(arc: list[int]) -> str:
    source, target = arc
    return f"{source}->exit" if target < 0 else f"{source}->{target}"


def shortfalls(report: dict, files: list[str]) -> list[str]:
    """One line per file in ``files`` that is not fully covered, from a coverage JSON report.

    ``report["files"]`` maps each measured file to its summary, missing lines and missing
    branches (``coverage json``); a file absent from it never ran at all.
    """
    measured = report.get("files", {})
    problems = []
    for name in files:
        entry = measured.get(name)
        if entry is None:
            problems.append(f"{name}: never imported while the suite ran")
            continue
        missing_lines = entry.get("missing_lines", [])
        missing_branches = entry.get("missing_branches", [])
        if not missing_lines and not missing_branches:
            continue
        parts = []
        if missing_lines:
            parts.append(f"lines {_ranges(missing_lines)}")
        if missing_branches:
            parts.append("branches " + ", ".join(_branch(a) for a in missing_branches))
        percent = entry["summary"]["percent_covered_display"]
        problems.append(f"{name}: {percent}%, not run: {'; '.join(parts)}")
    for name in sorted(NOT_YET_FULLY_COVERED):
        entry = measured.get(name)
        if entry is not None and not entry["missing_lines"] and not entry["missing_branches"]:
            problems.append(f"{name}: now fully covered; remove it from NOT_YET_FULLY_COVERED")
    return problems


def main() -> int:
    import coverage  # installed by requirements-dev.txt; imported here so tests need not run it

    os.chdir(ROOT)  # coverage's data file and file names are relative to the repository
    files = enforced_files()
    cov = coverage.Coverage(config_file=str(ROOT / "pyproject.toml"))
    cov.load()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "coverage.json"
        total = cov.json_report(outfile=str(out), ignore_errors=True)
        report = json.loads(out.read_text())
    problems = shortfalls(report, files)
    print(f"Coverage of howgood/: {total:.1f}% of lines and branches ran.")
    measured = report.get("files", {})
    for name, reason in sorted(NOT_YET_FULLY_COVERED.items()):
        percent = measured.get(name, {}).get("summary", {}).get("percent_covered_display", "0")
        print(f"  not yet held to full coverage: {name} ({percent}%): {reason}")
    if problems:
        print(f"{len(problems)} of the {len(files)} files held to full coverage are not:")
        for line in problems:
            print(f"  {line}")
        print("Test what is not run (through the pages and services), or remove it.")
        return 1
    print(f"All {len(files)} files held to full coverage are fully covered.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
