"""Example XLSForm workbooks built in code: for the demo, the tests and the benchmarks."""

from __future__ import annotations

import io

from openpyxl import Workbook

SURVEY_HEADER = [
    "type",
    "name",
    "label",
    "hint",
    "required",
    "relevant",
    "constraint",
    "constraint_message",
    "qi",
    "statement",
]


def _book(
    survey_rows: list[list[str]], choices: list[list[str]], title: str, form_id: str
) -> bytes:
    wb = Workbook()
    survey = wb.active
    survey.title = "survey"
    survey.append(SURVEY_HEADER)
    for row in survey_rows:
        survey.append(row + [""] * (len(SURVEY_HEADER) - len(row)))
    sheet = wb.create_sheet("choices")
    sheet.append(["list_name", "name", "label"])
    for row in choices:
        sheet.append(row)
    settings = wb.create_sheet("settings")
    settings.append(["form_title", "form_id", "version"])
    settings.append([title, form_id, "1"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


AGREE = [
    ["agree5", n, lab]
    for n, lab in [
        ("strongly_agree", "Strongly agree"),
        ("agree", "Agree"),
        ("neither", "Neither agree nor disagree"),
        ("disagree", "Disagree"),
        ("strongly_disagree", "Strongly disagree"),
    ]
]
YES_NO = [["yesno", "yes", "Yes"], ["yesno", "no", "No"]]


def pulse_survey() -> bytes:
    """A short staff pulse check with skip logic and QI tags (invented questions)."""
    rows = [
        [
            "begin_group",
            "about_you",
            "About your work",
            "We ask only about your role, never your name.",
        ],
        [
            "select_one role",
            "role",
            "Which best describes your role?",
            "",
            "yes",
            "",
            "",
            "",
            "",
            "",
        ],
        [
            "text",
            "role_other",
            "What is your role?",
            "",
            "yes",
            "${role} = 'other'",
            "string-length(.) <= 100",
            "Answer in 100 characters or fewer",
        ],
        [
            "integer",
            "years",
            "How many years have you worked with children and families?",
            "",
            "",
            "",
            ". >= 0 and . <= 50",
            "Enter a number from 0 to 50",
        ],
        ["end_group", "about_you"],
        ["begin_group", "risk", "Recognising and responding to risk"],
        [
            "select_one agree5",
            "confident_risk",
            "I am confident in recognising when a child may be at risk of harm",
            "",
            "yes",
            "",
            "",
            "",
            "2.1, 5.2",
            "1",
        ],
        [
            "select_one yesno",
            "ird_involved",
            "In the last year, have you taken part in an inter-agency referral discussion (IRD)?",
            "",
            "yes",
            "",
            "",
            "",
            "5.2",
            "1",
        ],
        [
            "select_one agree5",
            "ird_quality",
            "The IRDs I took part in shared information well between agencies",
            "",
            "yes",
            "${ird_involved} = 'yes'",
            "",
            "",
            "5.2, 7.1",
            "1",
        ],
        [
            "select_multiple agencies",
            "worked_with",
            "Which agencies have you worked with on child protection this year?",
            "Select all that apply",
            "",
            "",
            "",
            "",
            "7.1",
            "4",
        ],
        [
            "text",
            "risk_comment",
            "Is there anything else you want to tell us about responding to risk?",
            "Do not include the names of children, families or colleagues",
            "",
            "",
            "string-length(.) <= 1000",
            "Answer in 1,000 characters or fewer",
        ],
        ["end_group", "risk"],
        ["begin_group", "support", "Support, training and leadership"],
        [
            "select_one agree5",
            "supervision",
            "I get the supervision I need to support children at risk of harm",
            "",
            "yes",
            "",
            "",
            "",
            "3.1, 9.3",
            "4",
        ],
        [
            "date",
            "last_training",
            "When did you last attend child protection training?",
            "If you are not sure, give your best estimate",
            "",
            "",
            ". <= today()",
            "The date must be today or earlier",
        ],
        ["end_group", "support"],
    ]
    choices = [
        ["role", "social_worker", "Social worker"],
        ["role", "health_visitor", "Health visitor or school nurse"],
        ["role", "teacher", "Teacher or education staff"],
        ["role", "police", "Police officer"],
        ["role", "third_sector", "Third sector worker"],
        ["role", "other", "Other"],
        *AGREE,
        *YES_NO,
        ["agencies", "sw", "Social work"],
        ["agencies", "health", "Health"],
        ["agencies", "education", "Education"],
        ["agencies", "police", "Police"],
        ["agencies", "reporter", "Children's Reporter"],
        ["agencies", "third", "Third sector"],
    ]
    return _book(rows, choices, "Staff pulse check (example)", "staff_pulse_example")


def large_form(items: int = 500, per_section: int = 50, skip_every: int = 5) -> bytes:
    """A generated form with ``items`` questions for volume tests and benchmarks."""
    rows: list[list[str]] = []
    kinds = ["select_one agree5", "integer", "text", "select_multiple agencies5", "date"]
    for n in range(items):
        if n % per_section == 0:
            if n:
                rows.append(["end_group", f"s{n // per_section - 1}"])
            rows.append(["begin_group", f"s{n // per_section}", f"Section {n // per_section + 1}"])
        kind = kinds[n % len(kinds)]
        relevant = (
            f"${{q{n - 1}}} != ''" if n % skip_every == skip_every - 1 and n % per_section else ""
        )
        constraint = ". >= 0 and . <= 1000" if kind == "integer" else ""
        rows.append(
            [
                kind,
                f"q{n}",
                f"Question {n + 1}",
                "",
                "yes" if n % 3 == 0 else "",
                relevant,
                constraint,
                "",
                "2.1" if n % 7 == 0 else "",
                "1" if n % 11 == 0 else "",
            ]
        )
    rows.append(["end_group", f"s{(items - 1) // per_section}"])
    choices = [*AGREE] + [["agencies5", f"a{i}", f"Agency {i}"] for i in range(5)]
    return _book(rows, choices, f"Generated form with {items} items", f"generated_{items}")
