"""Run every benchmark and print its figures, then each goal beside its baseline: `make bench`.

Every benchmark prints its own detail; the lines it marks with ``_setup.goal`` (a goal of an
issue, the figure now and the baseline measured in the same run) are gathered into one table
at the end.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from _setup import GOAL_PREFIX

HERE = Path(__file__).resolve().parent


def main() -> int:
    goals: list[list[str]] = []
    failed: list[str] = []
    for script in sorted(HERE.glob("*.py")):
        if script.name.startswith("_") or script.name == "run_all.py":
            continue
        print(f"== {script.name}", flush=True)
        process = subprocess.Popen(
            [sys.executable, str(script)], cwd=HERE, stdout=subprocess.PIPE, text=True
        )
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith(GOAL_PREFIX):
                goals.append([script.name, *line.rstrip("\n").split("\t")[1:]])
            else:
                print(line, end="", flush=True)
        if process.wait() != 0:
            failed.append(script.name)
    print("\n== Goals, each beside its baseline measured in the same run")
    for script, name, now, baseline, aim, verdict in goals:
        print(f"- {name} ({script}): {now}; baseline {baseline}; aim {aim}: {verdict}")
    if failed:
        print(f"\nFailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
