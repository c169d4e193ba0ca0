"""Shared set-up for benchmarks: a throwaway SQLite database (or DATABASE_URL), migrated."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def django_ready() -> None:
    sys.path.insert(0, str(ROOT))
    if "DATABASE_URL" not in os.environ:
        path = Path(tempfile.mkdtemp(prefix="howgood-bench-")) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("HOWGOOD_ENV", "test")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    import io
    import warnings

    warnings.filterwarnings("ignore", message="No directory at")
    call_command("load_framework", verbosity=0, stdout=io.StringIO())


def timed(fn: Callable[[], object], repeat: int = 5) -> tuple[float, list[float]]:
    """Median wall time in seconds over ``repeat`` runs (after one warm-up run)."""
    fn()
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs), runs


GOAL_PREFIX = "GOAL\t"


def goal(name: str, now: str, baseline: str, aim: str, met: bool) -> None:
    """Print one goal of an issue in the shape `make bench` gathers into its summary.

    ``now`` and ``baseline`` are figures measured in the same run, with their units
    ("104 ms CPU per response"); ``aim`` is the issue's goal in words ("within 2x of the
    minimal view").
    """
    verdict = "met" if met else "NOT met"
    print(f"{GOAL_PREFIX}{name}\t{now}\t{baseline}\t{aim}\t{verdict}", flush=True)
