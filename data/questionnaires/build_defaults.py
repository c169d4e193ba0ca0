"""Build HowGood's default record-reading template as an XLSForm workbook.

Run from the repository root::

    .venv/bin/python data/questionnaires/build_defaults.py

It writes ``data/questionnaires/record-reading-template.xlsx`` next to this script.  The
template lives here as Python data so that it can be reviewed as code and rebuilt
identically: change this file and run it again, never edit the workbook by hand.  The
workbook's content is the same on every run, and so are its bytes on a given set of
installed packages (the zip and document timestamps are fixed to :data:`FIXED_TIMESTAMP`).

The template is HowGood's *proposed* multi-agency case file audit (DOMAIN.md section 2.6),
built from the National Guidance for Child Protection in Scotland 2021 (updated 2023) and
the Care Inspectorate's published approach to reading children's records.  It is not the
Care Inspectorate's own template (document 013), which was not available.

Conventions the tests rely on (``tests/questionnaires/test_default_templates.py``):

* every six-point evaluation ``X`` (``select_one six_point``) is followed at once by a
  required text item ``X_reason`` shown when ``${X} != ''``, with a length constraint;
  :func:`evaluation` makes both rows, and no other item name ends in ``_reason``;
* every question, reasons included, carries ``qi`` and ``statement`` tags;
* free-text items warn against writing names (:data:`NO_NAMES`).
"""

from __future__ import annotations

import datetime
import io
import re
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "record-reading-template.xlsx"

FORM_TITLE = "Record reading template (HowGood default)"
FORM_ID = "howgood_record_reading"
VERSION = "2026.1"
# Written into the zip entries and the document properties so that rebuilding the
# workbook gives the same bytes (openpyxl would otherwise stamp the current time).
FIXED_TIMESTAMP = (2026, 1, 1, 0, 0, 0)

SURVEY_HEADER = [
    "type",
    "name",
    "label",
    "hint",
    "required",
    "required_message",
    "relevant",
    "constraint",
    "constraint_message",
    "appearance",
    "qi",
    "statement",
]
CHOICES_HEADER = ["list_name", "name", "label"]
SETTINGS_HEADER = ["form_title", "form_id", "version"]

NO_NAMES = (
    "Do not write names of children, family members or staff; use roles "
    "(for example 'mother', 'health visitor')."
)
ANSWER_MESSAGE = "Choose an answer. If the record does not show it, choose 'Not known'."
TEXT_LIMIT = 2000
TEXT_CONSTRAINT = f"string-length(.) <= {TEXT_LIMIT}"
TEXT_MESSAGE = f"Keep this to {TEXT_LIMIT:,} characters or fewer."
REASON_MIN = 20
REASON_CONSTRAINT = f"string-length(.) >= {REASON_MIN} and string-length(.) <= {TEXT_LIMIT}"
REASON_MESSAGE = (
    f"Write at least a short sentence ({REASON_MIN} characters or more, and no more than "
    f"{TEXT_LIMIT:,}) saying what in the record led to this evaluation."
)
REASON_REQUIRED_MESSAGE = (
    "Give the reason for your evaluation: your reading partner and the moderator need it "
    "to agree a final evaluation."
)
NOT_FUTURE = ". <= today()"
NOT_FUTURE_MESSAGE = "The date cannot be in the future."
NONE_ALONE = "not(selected(., 'none') and count-selected(.) > 1)"
NONE_ALONE_MESSAGE = "'None' cannot be chosen together with other answers."


# --------------------------------------------------------------------------------------
# Choice lists
# --------------------------------------------------------------------------------------

CHOICES: dict[str, list[tuple[str, str]]] = {
    # The shared answer for "is this evident in the record?" questions.
    "ynp": [
        ("yes", "Yes"),
        ("no", "No"),
        ("partly", "Partly"),
        ("not_applicable", "Not applicable"),
        ("not_known", "Not known"),
    ],
    # Plain facts (was an IRD held?), where "partly" or "not applicable" make no sense.
    # The names are those of ynp, so answers can be counted together.
    "ynk": [
        ("yes", "Yes"),
        ("no", "No"),
        ("not_known", "Not known"),
    ],
    # The Care Inspectorate's six-point scale (DOMAIN.md 1.4, verified).
    "six_point": [
        ("6", "6 Excellent"),
        ("5", "5 Very good"),
        ("4", "4 Good"),
        ("3", "3 Adequate"),
        ("2", "2 Weak"),
        ("1", "1 Unsatisfactory"),
    ],
    "age_band": [
        ("unborn", "Unborn baby"),
        ("under_1", "Under 1 year"),
        ("1_to_4", "1 to 4 years"),
        ("5_to_11", "5 to 11 years"),
        ("12_to_15", "12 to 15 years"),
        ("16_to_17", "16 or 17 years"),
    ],
    "sex": [
        ("female", "Female"),
        ("male", "Male"),
        ("not_known", "Not known or not recorded"),
    ],
    # The pre-inspection return's categories (DOMAIN.md 2.4), with the stage at which
    # involvement ended for children investigated but not registered.
    "cp_status": [
        ("registered", "On the child protection register"),
        ("deregistered", "Removed from the child protection register during the period"),
        ("not_registered_ird", "Not registered: ended at the IRD"),
        ("not_registered_investigation", "Not registered: ended after investigation"),
        ("not_registered_cppm", "Not registered: ended at the CPPM"),
        ("vyp", "Vulnerable young person process (or local equivalent)"),
        ("carm", "Care and risk management (CARM) process (or local equivalent)"),
        ("other", "Other"),
    ],
    "legal_status": [
        ("none", "No compulsory measures"),
        ("voluntary", "Looked after by voluntary agreement (section 25)"),
        ("icso", "Interim compulsory supervision order"),
        ("cso_home", "Compulsory supervision order, at home"),
        ("cso_away", "Compulsory supervision order, away from home"),
        ("cpo", "Child protection order"),
        ("other_order", "Other order"),
        ("not_known", "Not known"),
    ],
    "concerns": [
        ("domestic_abuse", "Domestic abuse"),
        ("neglect", "Neglect"),
        ("parental_substance_use", "Parental alcohol or drug use"),
        ("parental_mental_health", "Parental mental ill health"),
        ("emotional_abuse", "Emotional abuse"),
        ("physical_abuse", "Physical abuse"),
        ("sexual_abuse", "Sexual abuse"),
        ("exploitation", "Criminal or sexual exploitation"),
        ("online_harm", "Online harm"),
        ("child_behaviour", "Child's own behaviour or mental health placing them at risk"),
        ("other", "Other"),
    ],
    "agencies": [
        ("social_work", "Social work"),
        ("health", "Health"),
        ("education", "Education or early learning and childcare"),
        ("police", "Police"),
        ("scra", "Children's Reporter (SCRA)"),
        ("third_sector", "Third sector"),
        ("other", "Other"),
    ],
    "ird_agencies": [
        ("police", "Police"),
        ("health", "Health"),
        ("social_work", "Social work"),
        ("education", "Education or early learning and childcare"),
        ("third_sector", "Third sector"),
        ("other", "Other"),
    ],
    "ird_outcome": [
        ("no_investigation_info", "No investigation: information shared with the named person"),
        ("no_investigation_plan", "No investigation: support through a child's plan"),
        ("further_enquiries", "Further enquiries"),
        ("single_agency", "Single-agency child protection investigation"),
        ("joint", "Joint (inter-agency) child protection investigation"),
        ("other", "Other"),
        ("not_known", "Not known"),
    ],
    "chronology_type": [
        ("single_agency", "Single-agency only"),
        ("multi_agency", "Multi-agency"),
        ("both", "Both single-agency and multi-agency"),
    ],
    "assessment_tools": [
        ("national_risk_framework", "National Risk Framework"),
        ("my_world_triangle", "My World Triangle"),
        ("resilience_matrix", "Resilience matrix"),
        ("other_tool", "Another recognised tool"),
        ("none", "None evident"),
    ],
    "plan_type": [
        ("cp_plan", "Child protection plan (within the child's plan)"),
        ("childs_plan", "Child's plan, without a child protection plan"),
        ("single_agency", "Single-agency plan only"),
        ("none", "No plan"),
        ("not_known", "Not known"),
    ],
    "shanarri": [
        ("safe", "Safe"),
        ("healthy", "Healthy"),
        ("achieving", "Achieving"),
        ("nurtured", "Nurtured"),
        ("active", "Active"),
        ("respected", "Respected"),
        ("responsible", "Responsible"),
        ("included", "Included"),
    ],
}


# --------------------------------------------------------------------------------------
# Survey rows
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One row of the survey sheet (a question, a note, or a group's begin/end)."""

    type: str
    name: str
    label: str = ""
    hint: str = ""
    required: bool = False
    required_message: str = ""
    relevant: str = ""
    constraint: str = ""
    constraint_message: str = ""
    appearance: str = ""
    qi: str = ""
    statement: str = ""

    def cells(self) -> list[str]:
        return [
            self.type,
            self.name,
            self.label,
            self.hint,
            "yes" if self.required else "",
            self.required_message,
            self.relevant,
            self.constraint,
            self.constraint_message,
            self.appearance,
            self.qi,
            self.statement,
        ]


def ask(
    list_name: str,
    name: str,
    label: str,
    *,
    qi: str,
    statement: str,
    hint: str = "",
    required: bool = True,
    relevant: str = "",
    multiple: bool = False,
    constraint: str = "",
    constraint_message: str = "",
) -> Row:
    """A select_one (or select_multiple) question on ``list_name``."""
    kind = "select_multiple" if multiple else "select_one"
    if multiple and not constraint and any(n == "none" for n, _ in CHOICES[list_name]):
        constraint, constraint_message = NONE_ALONE, NONE_ALONE_MESSAGE
    return Row(
        type=f"{kind} {list_name}",
        name=name,
        label=label,
        hint=hint,
        required=required,
        required_message=ANSWER_MESSAGE if required and not multiple else "",
        relevant=relevant,
        constraint=constraint,
        constraint_message=constraint_message,
        qi=qi,
        statement=statement,
    )


def date(
    name: str,
    label: str,
    *,
    qi: str,
    statement: str,
    hint: str = "Leave blank if the record does not show the date.",
    required: bool = False,
    relevant: str = "",
    not_before: str = "",
    not_before_label: str = "",
) -> Row:
    """A date that may not be in the future nor (if given) before another date."""
    constraint, message = NOT_FUTURE, NOT_FUTURE_MESSAGE
    if not_before:
        constraint = f"{NOT_FUTURE} and (${{{not_before}}} = '' or . >= ${{{not_before}}})"
        message = f"The date cannot be in the future or before the {not_before_label}."
    return Row(
        type="date",
        name=name,
        label=label,
        hint=hint,
        required=required,
        relevant=relevant,
        constraint=constraint,
        constraint_message=message,
        qi=qi,
        statement=statement,
    )


def text(
    name: str,
    label: str,
    *,
    qi: str,
    statement: str,
    hint: str = "",
    required: bool = False,
    relevant: str = "",
) -> Row:
    """Optional free text, with the no-names warning in its hint."""
    return Row(
        type="text",
        name=name,
        label=label,
        hint=f"{hint} {NO_NAMES}".strip(),
        required=required,
        relevant=relevant,
        constraint=TEXT_CONSTRAINT,
        constraint_message=TEXT_MESSAGE,
        appearance="multiline",
        qi=qi,
        statement=statement,
    )


def evaluation(
    name: str,
    label: str,
    *,
    qi: str,
    statement: str,
    hint: str,
    required: bool = True,
    relevant: str = "",
) -> list[Row]:
    """A six-point evaluation and, straight after it, its required written reason."""
    return [
        Row(
            type="select_one six_point",
            name=name,
            label=label,
            hint=hint,
            required=required,
            required_message="Choose an evaluation from 6 Excellent to 1 Unsatisfactory."
            if required
            else "",
            relevant=relevant,
            qi=qi,
            statement=statement,
        ),
        Row(
            type="text",
            name=f"{name}_reason",
            label="Why did you give this evaluation?",
            hint="Say what in the record shows the strengths and weaknesses that led to "
            f"this evaluation. {NO_NAMES}",
            required=True,
            required_message=REASON_REQUIRED_MESSAGE,
            relevant=f"${{{name}}} != ''",
            constraint=REASON_CONSTRAINT,
            constraint_message=REASON_MESSAGE,
            appearance="multiline",
            qi=qi,
            statement=statement,
        ),
    ]


def note(name: str, label: str) -> Row:
    return Row(type="note", name=name, label=label)


@dataclass(frozen=True)
class Section:
    name: str
    label: str
    hint: str
    rows: list[Row]


# Skip-logic conditions used in several places.
IRD_HELD = "${ird_held} = 'yes'"
CPPM_HELD = "${cppm_held} = 'yes'"
HAS_CHRONOLOGY = "${chron_present} = 'yes'"
HAS_ASSESSMENT = "${assess_present} = 'yes'"
HAS_PLAN = "${plan_type} != 'none' and ${plan_type} != 'not_known'"
HAS_CP_PLAN = "${plan_type} = 'cp_plan'"
CHILD_SEEN = "${child_seen} = 'yes' or ${child_seen} = 'partly'"
WELLBEING_BETTER = "${wellbeing_improved} = 'yes' or ${wellbeing_improved} = 'partly'"

SCALE_NOTE = (
    "Sections B to H end with an evaluation on the six-point scale: 6 Excellent (outstanding "
    "or sector leading), 5 Very good (major strengths), 4 Good (important strengths, with "
    "some areas for improvement), 3 Adequate (strengths just outweigh weaknesses), "
    "2 Weak (important weaknesses) and 1 Unsatisfactory (major weaknesses). Evaluate what "
    "the record shows for this child, and always say why. The participation evaluation "
    "is optional."
)
PRIVACY_NOTE = (
    "This reading is identified only by its pseudonymous reading ID. Do not record names, "
    "dates of birth, addresses, CHI numbers or other identifying details of the child, "
    "family members or staff anywhere in this form; refer to people by their role. If "
    "you find something that suggests a child may not be safe now, stop and raise a "
    "matter of concern straight away."
)

SECTIONS: list[Section] = [
    Section(
        "a_context",
        "Context",
        "Who the record is about and what you read. No names: the reading ID is enough.",
        [
            note("a_privacy", PRIVACY_NOTE),
            note("a_scale", SCALE_NOTE),
            ask(
                "age_band",
                "age_band",
                "Child's age at the start of the period reviewed",
                qi="2.1",
                statement="1",
            ),
            ask("sex", "sex", "Child's sex as recorded", qi="2.1", statement="1"),
            ask(
                "cp_status",
                "cp_status",
                "Child protection status during the period reviewed",
                hint="Choose the category the record was sampled from.",
                qi="5.2",
                statement="1",
            ),
            ask(
                "legal_status",
                "legal_status",
                "Legal status during the period reviewed",
                hint="Choose all that applied at any time during the period.",
                multiple=True,
                qi="6.1",
                statement="1",
            ),
            ask(
                "concerns",
                "concerns",
                "Areas of concern recorded",
                hint="Choose all that the record identifies.",
                multiple=True,
                qi="5.2",
                statement="1",
            ),
            ask(
                "agencies",
                "records_available",
                "Which agencies' records did you read?",
                hint="Choose all that apply.",
                multiple=True,
                qi="7.1",
                statement="4",
            ),
            date(
                "period_start",
                "Start of the period reviewed",
                hint="Usually the date of the concern that brought the child into the sample, "
                "or the date set for this audit.",
                required=True,
                qi="2.1",
                statement="1",
            ),
            date(
                "period_end",
                "End of the period reviewed",
                hint="",
                required=True,
                not_before="period_start",
                not_before_label="start of the period reviewed",
                qi="2.1",
                statement="1",
            ),
            text(
                "context_notes",
                "Anything about the records that your reading partner or the moderator should know",
                hint="For example a record that could not be found, or a gap in recording.",
                qi="6.4",
                statement="4",
            ),
        ],
    ),
    Section(
        "b_risk",
        "Recognising and responding to risk",
        "The response to the concern that brought the child into child protection processes "
        "during the period reviewed.",
        [
            date(
                "date_concern",
                "Date the concern was received",
                qi="5.2",
                statement="1",
            ),
            ask(
                "ynp",
                "initial_response_timely",
                "Was the initial concern responded to in a timely way?",
                qi="5.2",
                statement="1",
            ),
            ask(
                "ynk",
                "ird_held",
                "Was an inter-agency referral discussion (IRD) held?",
                qi="5.2",
                statement="1",
            ),
            date(
                "ird_date",
                "Date the IRD started",
                relevant=IRD_HELD,
                not_before="date_concern",
                not_before_label="date the concern was received",
                qi="5.2",
                statement="1",
            ),
            ask(
                "ynp",
                "ird_timely",
                "Was the IRD convened as soon as reasonably practicable?",
                hint="Out of hours, the IRD may be limited to immediate protective action, with "
                "a fuller IRD normally on the next working day.",
                relevant=IRD_HELD,
                qi="5.2",
                statement="1",
            ),
            ask(
                "ird_agencies",
                "ird_agencies",
                "Which agencies took part in the IRD?",
                hint="Police, health and social work must take part (National Guidance 2021, "
                "para 3.23). Choose only agencies that took part in the discussion.",
                multiple=True,
                relevant=IRD_HELD,
                qi="5.2, 7.1",
                statement="1",
            ),
            ask(
                "ynp",
                "ird_education",
                "Was education or early learning and childcare involved where they had a "
                "contribution to make?",
                relevant=IRD_HELD,
                qi="5.2, 7.1",
                statement="1",
            ),
            ask(
                "ynp",
                "ird_record_start",
                "Does the IRD record show when and why the IRD was started?",
                relevant=IRD_HELD,
                qi="5.2, 6.1",
                statement="1",
            ),
            ask(
                "ynp",
                "ird_record_attendees",
                "Does the IRD record show who took part, by role and agency?",
                relevant=IRD_HELD,
                qi="5.2, 6.1",
                statement="1",
            ),
            ask(
                "ynp",
                "ird_record_information",
                "Does the IRD record show the information each agency shared?",
                relevant=IRD_HELD,
                qi="5.2, 6.1",
                statement="1",
            ),
            ask(
                "ynp",
                "ird_record_decisions",
                "Does the IRD record show the decisions made and the reasons for them?",
                relevant=IRD_HELD,
                qi="5.2, 6.1",
                statement="1",
            ),
            ask(
                "ynp",
                "ird_lead_professional",
                "Was a lead professional identified before the IRD closed?",
                relevant=IRD_HELD,
                qi="5.2, 5.3",
                statement="1",
            ),
            ask(
                "ird_outcome",
                "ird_outcome",
                "What did the IRD decide?",
                relevant=IRD_HELD,
                qi="5.2",
                statement="1",
            ),
            ask(
                "ynp",
                "other_children_considered",
                "Were brothers, sisters and other children in the same household or "
                "situation considered?",
                qi="5.2",
                statement="1",
            ),
            ask(
                "ynp",
                "jii_considered",
                "Was the need for a joint investigative interview (JII) considered?",
                relevant=IRD_HELD,
                qi="5.2, 6.1",
                statement="1",
            ),
            ask(
                "ynp",
                "medical_considered",
                "Was the need for a medical or health assessment considered?",
                relevant=IRD_HELD,
                qi="5.2",
                statement="1",
            ),
            ask(
                "ynp",
                "legal_measures_considered",
                "Were legal measures to protect the child considered where they might be needed?",
                qi="5.2, 6.1",
                statement="1",
            ),
            ask(
                "ynp",
                "reporter_considered",
                "Was referral to the Children's Reporter considered?",
                qi="5.2, 6.1",
                statement="1",
            ),
            ask(
                "ynp",
                "interim_safety_plan",
                "Was an interim safety plan in place where one was needed?",
                qi="5.2, 5.3",
                statement="1",
            ),
            ask(
                "ynk",
                "cppm_held",
                "Was a child protection planning meeting (CPPM) held?",
                qi="5.2",
                statement="1",
            ),
            date(
                "cppm_date",
                "Date of the first CPPM in the period",
                relevant=CPPM_HELD,
                not_before="ird_date",
                not_before_label="date the IRD started",
                qi="5.2",
                statement="1",
            ),
            ask(
                "ynp",
                "cppm_timely",
                "Was the CPPM held within the expected timescale, or an exception agreed and "
                "recorded?",
                hint="National Guidance 2021 expects the CPPM within 28 calendar days "
                "(Appendix D). An exception must be agreed by the accountable senior manager "
                "and the reasons recorded (para 3.38). Check your local procedures.",
                relevant=CPPM_HELD,
                qi="5.2, 6.1",
                statement="1",
            ),
            *evaluation(
                "initial_response_quality",
                "How good was the response to the initial concern?",
                hint="Consider how quickly and how well agencies recognised the risk, shared "
                "information, made decisions and kept the child safe.",
                qi="5.2",
                statement="1",
            ),
        ],
    ),
    Section(
        "c_chronology",
        "Chronology",
        "A chronology summarises key events in date order, reflecting strengths as well as "
        "concerns (National Guidance 2021, paras 3.172 to 3.177).",
        [
            ask(
                "ynk",
                "chron_present",
                "Is there a chronology in the record?",
                qi="5.2",
                statement="1",
            ),
            ask(
                "chronology_type",
                "chron_type",
                "What kind of chronology is it?",
                relevant=HAS_CHRONOLOGY,
                qi="5.2, 7.1",
                statement="1",
            ),
            ask(
                "ynp",
                "chron_up_to_date",
                "Is the chronology up to date?",
                relevant=HAS_CHRONOLOGY,
                qi="5.2",
                statement="1",
            ),
            ask(
                "ynp",
                "chron_key_events",
                "Does it summarise the key events and highlight patterns, rather than "
                "listing every contact?",
                relevant=HAS_CHRONOLOGY,
                qi="5.2",
                statement="1",
            ),
            ask(
                "ynp",
                "chron_strengths",
                "Does it record strengths as well as concerns?",
                relevant=HAS_CHRONOLOGY,
                qi="5.2",
                statement="1",
            ),
            ask(
                "ynp",
                "chron_used",
                "Has the chronology been analysed and used to inform assessment and planning?",
                relevant=HAS_CHRONOLOGY,
                qi="5.2, 5.3",
                statement="1, 2",
            ),
            *evaluation(
                "chron_quality",
                "How good is the chronology?",
                hint="Evaluate the chronology as a working tool for understanding this "
                "child's experiences over time.",
                relevant=HAS_CHRONOLOGY,
                qi="5.2",
                statement="1",
            ),
        ],
    ),
    Section(
        "d_assessment",
        "Assessment",
        "The most recent assessment of risk and need in the period reviewed.",
        [
            ask(
                "ynk",
                "assess_present",
                "Is there an assessment of risk and need in the record?",
                qi="5.2",
                statement="1",
            ),
            ask(
                "ynp",
                "assess_up_to_date",
                "Is the assessment up to date?",
                relevant=HAS_ASSESSMENT,
                qi="5.2",
                statement="1",
            ),
            ask(
                "ynp",
                "assess_multi_agency",
                "Does the assessment include contributions from the agencies involved with "
                "the child?",
                relevant=HAS_ASSESSMENT,
                qi="5.2, 7.1",
                statement="1",
            ),
            ask(
                "agencies",
                "assess_agencies",
                "Which agencies contributed to the assessment?",
                hint="Choose all that apply.",
                multiple=True,
                required=False,
                relevant=HAS_ASSESSMENT,
                qi="5.2, 7.1",
                statement="1",
            ),
            ask(
                "ynp",
                "assess_analysis",
                "Does the assessment analyse risk and need, rather than only describe them?",
                relevant=HAS_ASSESSMENT,
                qi="5.2",
                statement="1",
            ),
            ask(
                "assessment_tools",
                "assess_tools",
                "Which practice tools informed the analysis?",
                hint="Choose all that are evident.",
                multiple=True,
                relevant=HAS_ASSESSMENT,
                qi="5.2",
                statement="1",
            ),
            ask(
                "ynp",
                "assess_cumulative_harm",
                "Does the assessment consider the cumulative effect of harm over time?",
                relevant=HAS_ASSESSMENT,
                qi="5.2",
                statement="1",
            ),
            ask(
                "ynp",
                "assess_strengths",
                "Does the assessment identify strengths and protective factors?",
                relevant=HAS_ASSESSMENT,
                qi="5.2",
                statement="1",
            ),
            ask(
                "ynp",
                "assess_child_views",
                "Are the child's views included in the assessment?",
                relevant=HAS_ASSESSMENT,
                qi="5.2, 5.4",
                statement="1, 3",
            ),
            ask(
                "ynp",
                "assess_parent_views",
                "Are the views of parents or carers included in the assessment?",
                relevant=HAS_ASSESSMENT,
                qi="5.2, 5.4",
                statement="1, 3",
            ),
            *evaluation(
                "assess_quality",
                "How good is the assessment of risk and need?",
                hint="Consider whether the assessment is current, shared across agencies, "
                "analytical, and informed by the child's and family's views.",
                relevant=HAS_ASSESSMENT,
                qi="5.2",
                statement="1",
            ),
        ],
    ),
    Section(
        "e_planning",
        "Planning",
        "The child's plan, including any child protection plan, and how it is carried out "
        "and reviewed.",
        [
            ask(
                "plan_type",
                "plan_type",
                "Which plan is in place for the child?",
                qi="5.3",
                statement="2",
            ),
            ask(
                "ynp",
                "plan_smart",
                "Are the plan's actions SMART (specific, measurable, achievable, relevant "
                "and time-bound)?",
                relevant=HAS_PLAN,
                qi="5.3",
                statement="2",
            ),
            ask(
                "ynp",
                "plan_addresses_risks",
                "Does the plan address the risks and needs identified in the assessment?",
                relevant=HAS_PLAN,
                qi="5.3",
                statement="2",
            ),
            ask(
                "ynp",
                "plan_outcomes",
                "Is the plan focused on outcomes for the child, not only on tasks and services?",
                relevant=HAS_PLAN,
                qi="5.3",
                statement="2",
            ),
            ask(
                "ynp",
                "lead_professional",
                "Is there a lead professional for the plan?",
                relevant=HAS_PLAN,
                qi="5.3",
                statement="2",
            ),
            ask(
                "ynp",
                "core_group_identified",
                "Was a core group identified?",
                relevant=HAS_CP_PLAN,
                qi="5.3, 7.1",
                statement="2",
            ),
            date(
                "core_group_first_date",
                "Date of the first core group meeting",
                relevant=HAS_CP_PLAN,
                not_before="cppm_date",
                not_before_label="date of the CPPM",
                qi="5.3",
                statement="2",
            ),
            ask(
                "ynp",
                "core_group_timely",
                "Did the core group first meet within 15 working days of the CPPM?",
                hint="National Guidance 2021 expects the first core group within 15 working "
                "days of the CPPM (Appendix D). Check your local procedures.",
                relevant=HAS_CP_PLAN,
                qi="5.3, 6.1",
                statement="2",
            ),
            ask(
                "ynp",
                "core_group_regular",
                "Did the core group meet regularly and review progress against the plan?",
                relevant=HAS_CP_PLAN,
                qi="5.3, 7.1",
                statement="2",
            ),
            ask(
                "ynp",
                "contingency_plan",
                "Is there a contingency plan saying what will happen if the plan is not "
                "working or risks increase?",
                relevant=HAS_PLAN,
                qi="5.3",
                statement="2",
            ),
            ask(
                "ynp",
                "plan_reviewed",
                "Was the plan reviewed within the expected timescale?",
                hint="For a child protection plan, a review CPPM is normally held within six "
                "months (sooner for an unborn baby). Check your local procedures.",
                relevant=HAS_PLAN,
                qi="5.3, 6.1",
                statement="2",
            ),
            date(
                "review_cppm_date",
                "Date of the first review CPPM",
                relevant=HAS_CP_PLAN,
                not_before="cppm_date",
                not_before_label="date of the CPPM",
                qi="5.3",
                statement="2",
            ),
            *evaluation(
                "plan_quality",
                "How good is the planning for this child?",
                hint="Consider whether the plan is clear, outcome-focused, shared, carried out "
                "and reviewed, and whether it is helping.",
                relevant=HAS_PLAN,
                qi="5.3",
                statement="2",
            ),
        ],
    ),
    Section(
        "f_experience",
        "The child's experience and relationships",
        "What the record shows about the child's contact with professionals, their "
        "relationships, and the difference help has made.",
        [
            ask(
                "ynp",
                "child_seen",
                "Was the child seen by professionals during the period reviewed?",
                hint="Choose 'Not applicable' for an unborn baby.",
                qi="5.2, 5.3",
                statement="1, 2",
            ),
            ask(
                "ynp",
                "child_seen_promptly",
                "Was the child seen promptly after the concern was raised?",
                relevant=CHILD_SEEN,
                qi="5.2",
                statement="1",
            ),
            ask(
                "ynp",
                "child_seen_alone",
                "Was the child seen alone where that was appropriate?",
                hint="Choose 'Not applicable' where seeing the child alone was not appropriate, "
                "for example because of age.",
                relevant=CHILD_SEEN,
                qi="5.2, 5.3",
                statement="1, 2",
            ),
            ask(
                "ynp",
                "key_relationship",
                "Does the child have a trusted, consistent relationship with at least one "
                "professional?",
                qi="2.1, 5.3",
                statement="2",
            ),
            ask(
                "ynp",
                "worker_continuity",
                "Has the child had continuity of key worker?",
                qi="2.1, 7.1",
                statement="2",
            ),
            Row(
                type="integer",
                name="worker_changes",
                label="How many times did the child's social worker or lead professional "
                "change during the period reviewed?",
                hint="Leave blank if the record does not show it.",
                constraint=". >= 0 and . <= 50",
                constraint_message="Enter a whole number from 0 to 50.",
                qi="7.1",
                statement="2",
            ),
            ask(
                "ynp",
                "relationships_supported",
                "Are the child's important relationships (with family, friends and carers) "
                "understood and supported?",
                qi="2.1, 5.3",
                statement="2",
            ),
            ask(
                "ynp",
                "child_safer",
                "Is the child safer as a result of the help given?",
                qi="2.1",
                statement="1, 2",
            ),
            ask(
                "ynp",
                "wellbeing_improved",
                "Has the child's wellbeing improved?",
                qi="2.1",
                statement="2",
            ),
            ask(
                "shanarri",
                "wellbeing_areas",
                "In which wellbeing indicators (SHANARRI) has the child's wellbeing improved?",
                hint="Choose all that the record shows.",
                multiple=True,
                required=False,
                relevant=WELLBEING_BETTER,
                qi="2.1",
                statement="2",
            ),
            *evaluation(
                "impact_evaluation",
                "How well have services improved this child's safety, wellbeing and life chances?",
                hint="This is the record's evaluation of quality indicator 2.1, impact on "
                "children and young people.",
                qi="2.1",
                statement="2",
            ),
        ],
    ),
    Section(
        "g_participation",
        "Participation",
        "How the child and family were involved in decisions about their lives.",
        [
            ask(
                "ynp",
                "views_sought",
                "Were the child's views sought in a way that suited their age and understanding?",
                qi="5.4, 6.3",
                statement="3",
            ),
            ask(
                "ynp",
                "views_recorded",
                "Are the child's views recorded, in their own words where possible?",
                qi="5.4, 6.3",
                statement="3",
            ),
            ask(
                "ynp",
                "views_influenced",
                "Is there evidence that the child's views influenced decisions?",
                qi="5.4, 6.3",
                statement="3",
            ),
            ask(
                "ynp",
                "child_involved_meetings",
                "Was the child supported to take part in decisions and in meetings about "
                "them, where appropriate?",
                qi="5.4, 6.3",
                statement="3",
            ),
            ask(
                "ynp",
                "family_involved",
                "Were parents or carers involved in decisions and in meetings?",
                qi="5.4, 6.3",
                statement="3",
            ),
            ask(
                "ynp",
                "advocacy_offered",
                "Was independent advocacy offered to the child?",
                qi="5.4, 6.3",
                statement="3",
            ),
            ask(
                "ynp",
                "family_support_offered",
                "Was advocacy or other support to take part offered to parents or carers?",
                qi="5.4, 6.3",
                statement="3",
            ),
            ask(
                "ynp",
                "accessible_information",
                "Was information shared with the child and family in a form they could understand?",
                hint="For example plain language, an interpreter, or an accessible format.",
                qi="5.4, 6.3",
                statement="3",
            ),
            *evaluation(
                "participation_quality",
                "How well were the child and family involved?",
                hint="Optional. If you give an evaluation, say why.",
                required=False,
                qi="5.4, 6.3",
                statement="3",
            ),
        ],
    ),
    Section(
        "h_leadership",
        "Leadership and oversight",
        "What the record shows of management oversight, supervision and quality assurance.",
        [
            ask(
                "ynp",
                "management_oversight",
                "Is management oversight recorded at key decision points?",
                qi="9.3, 6.4",
                statement="4",
            ),
            ask(
                "ynp",
                "oversight_effective",
                "Did management oversight make a difference, for example by giving direction, "
                "challenge or a decision?",
                qi="9.3, 6.4",
                statement="4",
            ),
            ask(
                "ynp",
                "supervision",
                "Is there evidence that the child's circumstances were discussed in supervision?",
                qi="9.3",
                statement="4",
            ),
            ask(
                "ynp",
                "quality_assurance",
                "Is there evidence of quality assurance, for example an audit or a "
                "chairperson's review?",
                qi="6.4",
                statement="4",
            ),
            ask(
                "ynp",
                "escalation",
                "Where there was drift or professional disagreement, was it escalated and "
                "resolved?",
                qi="9.2, 9.3",
                statement="4",
            ),
            ask(
                "ynp",
                "recording_quality",
                "Is the record up to date, clear and easy to follow?",
                qi="6.4",
                statement="4",
            ),
            *evaluation(
                "leadership_quality",
                "How well did leadership and oversight support good practice for this child?",
                hint="Evaluate only what the record shows.",
                qi="9.2, 9.3, 6.4",
                statement="4",
            ),
        ],
    ),
]

README_LINES = [
    "HowGood default record-reading template (multi-agency case file audit)",
    "",
    "This is HowGood's proposed template for reading children's records in a joint "
    "self-evaluation of services for children at risk of harm. It was built from the "
    "National Guidance for Child Protection in Scotland 2021 (updated 2023), the Care "
    "Inspectorate's published approach to reviewing children's records in its joint "
    "inspections, the Care Inspectorate's Practice Guide to Chronologies (2017) and "
    "published IRD recording forms.",
    "",
    "It is NOT the Care Inspectorate's 'Reviewing children's records template' "
    "(document 013) or its guidance (document 015), which were not available when it was "
    "written. Do not present its results as Care Inspectorate evaluations.",
    "",
    "Check it locally before use: compare the questions, skip logic and timescales with "
    "your child protection committee's procedures and, if you have them, the current Care "
    "Inspectorate documents, and change what does not fit.",
    "",
    "The qi column tags each question with quality indicators of the Care Inspectorate's "
    "quality framework (2019, revised), and the statement column with the four inspection "
    "statements (1 to 4). Several indicator names and the statements' wording are not yet "
    "verified: see HowGood's framework reference data.",
    "",
    "Every six-point evaluation is followed by a required written reason: the question "
    "with the same name ending in _reason.",
    "",
    "No names: a reading is identified only by its pseudonymous reading ID. Refer to "
    "people by their role.",
    "",
    "The survey, choices and settings sheets are an XLSForm questionnaire; this README "
    "sheet is ignored when the workbook is uploaded. The workbook is generated by "
    "data/questionnaires/build_defaults.py in the HowGood repository: change the script "
    "and run it again rather than editing the workbook by hand.",
    "",
    f"Form ID {FORM_ID}, version {VERSION}.",
]


# --------------------------------------------------------------------------------------
# Writing the workbook
# --------------------------------------------------------------------------------------


def survey_rows() -> list[list[str]]:
    """The survey sheet below its header, groups included."""
    rows: list[list[str]] = []
    for section in SECTIONS:
        rows.append(Row("begin_group", section.name, section.label, section.hint).cells())
        rows.extend(row.cells() for row in section.rows)
        rows.append(Row("end_group", section.name).cells())
    return rows


def choice_rows() -> list[list[str]]:
    return [[list_name, name, label] for list_name, opts in CHOICES.items() for name, label in opts]


def build_workbook() -> Workbook:
    return xlsform_workbook(
        README_LINES, survey_rows(), choice_rows(), FORM_TITLE, FORM_ID, VERSION
    )


def xlsform_workbook(
    readme_lines: list[str],
    survey_cells: list[list[str]],
    choice_cells: list[list[str]],
    title: str,
    form_id: str,
    version: str,
) -> Workbook:
    """A README sheet, then the XLSForm survey, choices and settings sheets.

    Shared with ``build_surveys.py``, which builds the default survey instruments the same
    way.
    """
    wb = Workbook()
    readme = wb.active
    readme.title = "README"
    for line in readme_lines:
        readme.append([line])
    readme.column_dimensions["A"].width = 110
    for (cell,) in readme.iter_rows(min_row=1, max_row=readme.max_row, max_col=1):
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    readme["A1"].font = Font(bold=True)

    survey = wb.create_sheet("survey")
    survey.append(SURVEY_HEADER)
    for cells in survey_cells:
        survey.append(cells)
    widths = {"A": 28, "B": 30, "C": 60, "D": 50, "G": 40, "H": 40, "I": 40}
    for column, width in widths.items():
        survey.column_dimensions[column].width = width

    choices = wb.create_sheet("choices")
    choices.append(CHOICES_HEADER)
    for cells in choice_cells:
        choices.append(cells)
    choices.column_dimensions["A"].width = 20
    choices.column_dimensions["B"].width = 30
    choices.column_dimensions["C"].width = 60

    settings = wb.create_sheet("settings")
    settings.append(SETTINGS_HEADER)
    settings.append([title, form_id, version])
    settings.column_dimensions["A"].width = 45
    settings.column_dimensions["B"].width = 25

    for sheet in (survey, choices, settings):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"

    fixed = datetime.datetime(*FIXED_TIMESTAMP)
    wb.properties.creator = "HowGood"
    wb.properties.title = title
    wb.properties.created = fixed
    wb.properties.modified = fixed
    return wb


_MODIFIED_RE = re.compile(rb"<dcterms:modified([^>]*)>[^<]*</dcterms:modified>")


def workbook_bytes() -> bytes:
    """The workbook's bytes, with every timestamp fixed so that rebuilding changes nothing."""
    return stable_bytes(build_workbook())


def stable_bytes(wb: Workbook) -> bytes:
    """``wb`` saved, with the zip and document timestamps set to :data:`FIXED_TIMESTAMP`."""
    buffer = io.BytesIO()
    wb.save(buffer)
    stamp = "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z".format(*FIXED_TIMESTAMP).encode()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _MODIFIED_RE.sub(
                    rb"<dcterms:modified\1>" + stamp + rb"</dcterms:modified>", data
                )
            fixed_info = zipfile.ZipInfo(info.filename, date_time=FIXED_TIMESTAMP)
            fixed_info.compress_type = zipfile.ZIP_DEFLATED
            fixed_info.external_attr = info.external_attr
            target.writestr(fixed_info, data)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    output = Path(args[0]) if args else OUTPUT
    output.write_bytes(workbook_bytes())
    questions = sum(1 for s in SECTIONS for r in s.rows if r.type != "note")
    print(f"Wrote {output} ({len(SECTIONS)} sections, {questions} questions).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
