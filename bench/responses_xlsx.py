"""The survey responses workbook (responses.xlsx) at 2,000 responses to a 40-question survey.

Prints the time to build the workbook now (``surveys.exports.responses_xlsx``, openpyxl's
write-only mode) beside the old build measured in the same run (the same rows through
``reports.xlsx.workbook``, openpyxl's normal mode, which the export used before issue 13),
and checks that both hold the same sheets and values. The rows are made up as
``surveys.exports.response_rows`` gives them: a reference, an agency and 40 answers as text
(choice labels, numbers, dates in words, some comments).
"""

from __future__ import annotations

import io
import random
from types import SimpleNamespace

from _setup import django_ready, timed

N_RESPONSES = 2000
N_QUESTIONS = 40


def rows() -> tuple[list[str], list[list[object]]]:
    rng = random.Random(13)
    scale = [
        "Strongly agree",
        "Agree",
        "Neither agree nor disagree",
        "Disagree",
        "Strongly disagree",
    ]
    agencies = ["Social work", "Health", "Police", "Education", "Third sector"]
    header = ["Response", "Agency", *[f"q{n:02d}" for n in range(N_QUESTIONS)]]
    out: list[list[object]] = []
    for r in range(N_RESPONSES):
        answers: list[object] = []
        for n in range(N_QUESTIONS):
            if n % 10 == 9:
                answers.append(
                    rng.choice(["", "More time for supervision, please. " * rng.randint(1, 4)])
                )
            elif n % 10 == 8:
                answers.append(str(rng.randint(0, 40)))
            elif n % 10 == 7:
                answers.append(f"{rng.randint(1, 28)} March 2026")
            else:
                answers.append(rng.choice([*scale, ""]))
        out.append(
            [
                f"{r:04X}-{rng.randrange(16**4):04X}-{rng.randrange(16**4):04X}",
                rng.choice(agencies),
                *answers,
            ]
        )
    return header, out


def main() -> None:
    django_ready()
    from openpyxl import load_workbook

    from howgood.reports.xlsx import Sheet, workbook
    from howgood.surveys.exports import RESPONSES_NOTES, responses_xlsx

    header, data = rows()
    survey = SimpleNamespace(title="Staff survey", partnership=SimpleNamespace(name="Bench"))

    def now() -> bytes:
        return responses_xlsx(survey, header, data)

    def before() -> bytes:
        return workbook(
            [Sheet(title="Responses", header=header, rows=data)],
            title="Survey responses: Staff survey",
            partnership="Bench",
            notes=list(RESPONSES_NOTES),
        )

    new_time, _ = timed(now, repeat=5)
    old_time, _ = timed(before, repeat=5)
    new_book = load_workbook(io.BytesIO(now()))
    old_book = load_workbook(io.BytesIO(before()))
    same = new_book.sheetnames == old_book.sheetnames and all(
        list(new_book[name].iter_rows(values_only=True))
        == list(old_book[name].iter_rows(values_only=True))
        for name in old_book.sheetnames
    )
    cells = N_RESPONSES * len(header)
    print(
        f"responses.xlsx, {N_RESPONSES} responses to a {N_QUESTIONS}-question survey ({cells:,} cells)"
    )
    print(f"  now, write-only mode (median of 5):             {new_time * 1000:7.0f} ms")
    print(
        f"  baseline, the old normal-mode build (median of 5): {old_time * 1000:7.0f} ms "
        f"({old_time / new_time:.1f}x slower)"
    )
    print(f"  same sheets and values -> {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
