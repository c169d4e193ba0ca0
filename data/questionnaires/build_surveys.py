"""Build HowGood's three default survey instruments as XLSForm workbooks.

Run from the repository root::

    .venv/bin/python data/questionnaires/build_surveys.py

It writes, next to this script:

* ``staff-survey.xlsx``: for all staff who work with children at risk of harm and their
  families (about 15 to 20 minutes);
* ``children-survey.xlsx``: for children and young people (short, plain words, a face
  symbol scale);
* ``carers-survey.xlsx``: for parents and carers.

The instruments live here as Python data so that they can be reviewed as code and rebuilt
identically: change this file and run it again, never edit a workbook by hand.  The
workbooks are written exactly as ``build_defaults.py`` writes the record-reading template
(its :func:`xlsform_workbook` and :func:`stable_bytes` are reused), so their content is the
same on every run and so are their bytes on a given set of installed packages.

The Care Inspectorate runs staff, children and young people's, and parents and carers'
surveys in its joint inspections of services for children at risk of harm (DOMAIN.md 2.8),
but its question wording was not available.  Every question here is HowGood's own proposed
wording, and each workbook's README sheet says so.

Conventions the tests rely on (``tests/questionnaires/test_default_surveys.py``):

* attitude items use the one agreement scale :data:`AGREE5` (list ``agree5``, ordered from
  strongly agree to strongly disagree, with no "don't know" in it: a respondent who does not
  know leaves the item blank, so scale items are optional);
* the children's survey uses the face symbol scale :data:`FACES3` (list ``faces3``), its
  groups carry the appearance ``hg-child`` and the carers' groups ``hg-carer``;
* the staff survey asks about the respondent only their role and job type (HowGood records
  the agency itself, outside the form);
* every question carries ``qi`` and ``statement`` tags;
* free text is optional, limited in length, and its hint asks people not to name anyone.
"""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent


def _load_defaults() -> ModuleType:
    """``build_defaults.py`` from this folder, which is not a package."""
    name = "howgood_build_defaults_for_surveys"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, HERE / "build_defaults.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the script runs
    spec.loader.exec_module(module)
    return module


_defaults = _load_defaults()
Row = _defaults.Row
SURVEY_HEADER: list[str] = _defaults.SURVEY_HEADER
CHOICES_HEADER: list[str] = _defaults.CHOICES_HEADER
SETTINGS_HEADER: list[str] = _defaults.SETTINGS_HEADER
xlsform_workbook = _defaults.xlsform_workbook
stable_bytes = _defaults.stable_bytes

VERSION = "2026.1"

# --------------------------------------------------------------------------------------
# Shared choice lists
# --------------------------------------------------------------------------------------

# The one agreement scale.  The analysis treats every ``agree5`` item as a scale item,
# ordered as listed; "don't know" is deliberately not an option (leave the item blank).
AGREE5: list[tuple[str, str]] = [
    ("strongly_agree", "Strongly agree"),
    ("agree", "Agree"),
    ("neither", "Neither agree nor disagree"),
    ("disagree", "Disagree"),
    ("strongly_disagree", "Strongly disagree"),
]
# The children's symbol scale: HowGood shows the faces large.
FACES3: list[tuple[str, str]] = [
    ("happy", "😊 Yes, mostly"),
    ("okay", "😐 Sometimes"),
    ("sad", "☹️ No, not really"),
]
YESNO: list[tuple[str, str]] = [
    ("yes", "Yes"),
    ("no", "No"),
    ("not_sure", "Not sure"),
]

SKIP_HINT = "If this does not apply to your work, or you do not know, leave it blank."
STAFF_NO_NAMES = (
    "Do not name children, family members or colleagues, and do not give details that "
    "could identify them."
)
CARER_NO_NAMES = (
    "You do not need to give your name. Please do not write the names of children, other "
    "family members or workers."
)
CHILD_NO_NAME = "You do not need to tell us your name."
TEXT_LIMIT = 2000
CHILD_TEXT_LIMIT = 1000
CHOOSE_MESSAGE = "Choose the answer that fits best."


# --------------------------------------------------------------------------------------
# Row helpers
# --------------------------------------------------------------------------------------


def scale(
    name: str,
    label: str,
    *,
    qi: str,
    statement: str,
    list_name: str = "agree5",
    hint: str = "",
    relevant: str = "",
) -> Row:
    """An optional scale item (``agree5`` unless told otherwise)."""
    return Row(
        type=f"select_one {list_name}",
        name=name,
        label=label,
        hint=hint,
        relevant=relevant,
        qi=qi,
        statement=statement,
    )


def choose(
    list_name: str,
    name: str,
    label: str,
    *,
    qi: str,
    statement: str,
    hint: str = "",
    required: bool = False,
    relevant: str = "",
) -> Row:
    """A select_one question that is not an attitude item."""
    return Row(
        type=f"select_one {list_name}",
        name=name,
        label=label,
        hint=hint,
        required=required,
        required_message=CHOOSE_MESSAGE if required else "",
        relevant=relevant,
        qi=qi,
        statement=statement,
    )


def free_text(
    name: str,
    label: str,
    *,
    qi: str,
    statement: str,
    hint: str,
    limit: int = TEXT_LIMIT,
    limit_message: str = "",
) -> Row:
    """Optional free text with a length limit; ``hint`` carries the no-names warning."""
    return Row(
        type="text",
        name=name,
        label=label,
        hint=hint,
        constraint=f"string-length(.) <= {limit}",
        constraint_message=limit_message or f"Keep this to {limit:,} characters or fewer.",
        appearance="multiline",
        qi=qi,
        statement=statement,
    )


def note(name: str, label: str) -> Row:
    return Row(type="note", name=name, label=label)


@dataclass(frozen=True)
class Group:
    """One section: a begin_group/end_group pair around its rows."""

    name: str
    label: str
    hint: str
    rows: list[Row]
    appearance: str = ""


@dataclass(frozen=True)
class Instrument:
    """One survey workbook."""

    key: str
    filename: str
    title: str
    form_id: str
    choices: dict[str, list[tuple[str, str]]]
    groups: list[Group]
    readme: list[str]
    version: str = VERSION

    @property
    def output(self) -> Path:
        return HERE / self.filename

    def survey_rows(self) -> list[list[str]]:
        """The survey sheet below its header, groups included."""
        rows: list[list[str]] = []
        for group in self.groups:
            begin = Row(
                "begin_group", group.name, group.label, group.hint, appearance=group.appearance
            )
            rows.append(begin.cells())
            rows.extend(row.cells() for row in group.rows)
            rows.append(Row("end_group", group.name).cells())
        return rows

    def choice_rows(self) -> list[list[str]]:
        return [
            [list_name, name, label]
            for list_name, options in self.choices.items()
            for name, label in options
        ]

    def question_count(self) -> int:
        return sum(1 for g in self.groups for r in g.rows if r.type != "note")

    def workbook_bytes(self) -> bytes:
        """The workbook's bytes, with every timestamp fixed."""
        wb = xlsform_workbook(
            self.readme,
            self.survey_rows(),
            self.choice_rows(),
            self.title,
            self.form_id,
            self.version,
        )
        return stable_bytes(wb)


def readme_lines(heading: str, about: str, specifics: list[str], form_id: str) -> list[str]:
    """The README sheet: what the instrument is, and what it is not."""
    lines = [
        heading,
        "",
        about,
        "",
        "These are HowGood's proposed instruments. In its joint inspections of services "
        "for children at risk of harm the Care Inspectorate runs a staff survey, a "
        "children and young people's survey and a parents and carers survey, but the "
        "wording of its questions was not available when these were written. The "
        "questions here are HowGood's own plain-English wording: they are NOT the Care "
        "Inspectorate's questions, and results should not be presented as Care "
        "Inspectorate survey results or compared with them.",
        "",
        "Check it locally before use: read every question with colleagues (and, for the "
        "children's and carers' surveys, with children, young people and parents who can "
        "advise), compare it with your child protection committee's priorities, and "
        "change what does not fit. Agree beforehand how you will respond if an answer "
        "suggests that someone may be at risk.",
        "",
    ]
    lines += specifics
    lines += [
        "",
        "The qi column tags each question with quality indicators of the Care "
        "Inspectorate's quality framework (2019, revised), and the statement column with "
        "the four inspection statements (1 to 4). Several indicator names and the "
        "statements' wording are not yet verified: see HowGood's framework reference data.",
        "",
        "The survey, choices and settings sheets are an XLSForm questionnaire; this README "
        "sheet is ignored when the workbook is uploaded. The workbook is generated by "
        "data/questionnaires/build_surveys.py in the HowGood repository: change the script "
        "and run it again rather than editing the workbook by hand.",
        "",
        f"Form ID {form_id}, version {VERSION}.",
    ]
    return lines


# --------------------------------------------------------------------------------------
# 1. Staff survey
# --------------------------------------------------------------------------------------

STAFF_INTRO = (
    "This survey asks about your experience of working with children at risk of harm and "
    "their families in this area. It takes about 15 to 20 minutes. It is anonymous: we "
    "ask only about your role and job type, and results are reported for groups of staff, "
    "never for individuals. Please answer about your own experience over the last 12 "
    "months."
)
STAFF_SCALE_NOTE = (
    "Most questions are statements: say how far you agree. If a statement does not apply "
    "to your work, or you do not know, leave it blank and carry on."
)
STAFF_SAFETY_NOTE = (
    "This survey is not a way to report a concern about a child. If you are worried about "
    "a child now, follow your child protection procedures straight away."
)
IRD_TAKEN_PART = "${ird_involved} = 'yes'"
HAS_SUPERVISION = "${supervision_freq} != '' and ${supervision_freq} != 'never'"

STAFF_CHOICES: dict[str, list[tuple[str, str]]] = {
    "role": [
        ("social_worker", "Social worker"),
        ("health_visitor_school_nurse", "Health visitor or school nurse"),
        ("doctor_health", "Doctor or other health professional"),
        ("teacher_education", "Teacher or education staff"),
        ("police", "Police officer"),
        ("reporter", "Children's Reporter staff"),
        ("third_sector", "Third sector worker"),
        ("other", "Other"),
    ],
    "job_type": [
        ("practitioner", "Practitioner"),
        ("first_line_manager", "First-line manager"),
        ("middle_senior_manager", "Middle or senior manager"),
        ("other", "Other"),
    ],
    "agree5": AGREE5,
    "often5": [
        ("always", "Always"),
        ("mostly", "Mostly"),
        ("sometimes", "Sometimes"),
        ("rarely", "Rarely"),
        ("never", "Never"),
    ],
    "yesno": YESNO,
    "training_when": [
        ("last_year", "In the last 12 months"),
        ("one_to_three_years", "1 to 3 years ago"),
        ("over_three_years", "More than 3 years ago"),
        ("never", "Never"),
    ],
    "supervision_freq": [
        ("monthly", "At least once a month"),
        ("two_three_months", "Every 2 or 3 months"),
        ("less_often", "Less often than every 3 months"),
        ("never", "Never"),
    ],
}

STAFF_GROUPS: list[Group] = [
    Group(
        "a_role",
        "About your role",
        "We ask only about your role and job type. Do not give your name anywhere in this survey.",
        [
            note("a_intro", STAFF_INTRO),
            note("a_scale", STAFF_SCALE_NOTE),
            note("a_safety", STAFF_SAFETY_NOTE),
            choose(
                "role",
                "role",
                "Which best describes your occupation or professional role?",
                hint="Choose the nearest. If none fits, choose 'Other'.",
                required=True,
                qi="3.1",
                statement="4",
            ),
            choose(
                "job_type",
                "job_type",
                "Which best describes your job?",
                hint="A first-line manager directly manages practitioners, for example a "
                "team leader or senior practitioner.",
                required=True,
                qi="3.1",
                statement="4",
            ),
        ],
    ),
    Group(
        "b_risk",
        "Recognising and responding to risk",
        "How well risks to children are noticed and acted on.",
        [
            scale(
                "recognise_risk",
                "I am confident that I can recognise when a child may be at risk of harm.",
                qi="5.2",
                statement="1",
            ),
            scale(
                "know_what_to_do",
                "I know what to do when I am worried that a child may be at risk of harm.",
                qi="5.2, 6.1",
                statement="1",
            ),
            scale(
                "concerns_acted_on",
                "When I raise a child protection concern, it is acted on promptly.",
                qi="5.2",
                statement="1",
            ),
            scale(
                "told_outcome",
                "When I raise a child protection concern, I am told what happened as a result.",
                qi="5.2, 7.1",
                statement="1",
            ),
            scale(
                "early_help",
                "Children and families get help early enough to stop problems getting worse.",
                qi="5.1",
                statement="1",
            ),
            scale(
                "neglect_response",
                "Services respond well when neglect builds up over time.",
                qi="5.2",
                statement="1",
            ),
            scale(
                "outside_home_risk",
                "Services respond well to risks that young people face outside the home, "
                "such as exploitation.",
                qi="5.2",
                statement="1",
            ),
        ],
    ),
    Group(
        "c_joint",
        "Working together across agencies",
        "Joint working, sharing information, and inter-agency referral discussions (IRDs).",
        [
            scale(
                "work_well_together",
                "Staff from different services work well together to keep children safe.",
                qi="7.1",
                statement="1, 2",
            ),
            scale(
                "know_who_to_contact",
                "I know who to contact in other services about a concern for a child.",
                qi="7.1",
                statement="1",
            ),
            scale(
                "sharing_confident",
                "I am confident about when and how to share information about a child at "
                "risk of harm.",
                qi="5.2, 6.1",
                statement="1",
            ),
            scale(
                "information_in_time",
                "How often do you get the information you need from other services in time "
                "to act on it?",
                list_name="often5",
                hint=SKIP_HINT,
                qi="7.1, 5.2",
                statement="1",
            ),
            scale(
                "views_respected",
                "Staff in other services respect my professional views.",
                qi="7.1",
                statement="1, 2",
            ),
            scale(
                "disagreement_resolved",
                "When professionals disagree about a child, there is a clear way to sort it out.",
                hint="For example, by escalating the disagreement to managers.",
                qi="7.1, 6.1",
                statement="4",
            ),
            choose(
                "yesno",
                "ird_involved",
                "In the last 12 months, have you taken part in an IRD?",
                hint="An inter-agency referral discussion (IRD) is the discussion between "
                "police, social work and health, and often education, about a possible child "
                "protection concern.",
                qi="5.2, 7.1",
                statement="1",
            ),
            scale(
                "ird_timely",
                "IRDs are held quickly enough when a child may be at risk of significant harm.",
                relevant=IRD_TAKEN_PART,
                qi="5.2",
                statement="1",
            ),
            scale(
                "ird_right_people",
                "The right services take part in IRDs.",
                relevant=IRD_TAKEN_PART,
                qi="5.2, 7.1",
                statement="1",
            ),
            scale(
                "ird_decisions_clear",
                "Decisions and actions agreed at IRDs are clear and written down.",
                relevant=IRD_TAKEN_PART,
                qi="5.2",
                statement="1",
            ),
        ],
    ),
    Group(
        "d_planning",
        "Planning and support for children",
        "Plans, meetings and the help children get.",
        [
            scale(
                "plans_clear",
                "Children's plans say clearly what needs to change and who will do what.",
                qi="5.3",
                statement="2",
            ),
            scale(
                "plans_reviewed",
                "Plans are reviewed and changed when a child's circumstances change.",
                qi="5.3",
                statement="2",
            ),
            scale(
                "core_groups_work",
                "Core group meetings work well to take the child protection plan forward.",
                qi="5.3, 7.1",
                statement="2",
            ),
            scale(
                "lasting_relationships",
                "Children keep trusted, lasting relationships with the people who matter to them.",
                qi="5.3, 2.1",
                statement="2",
            ),
            scale(
                "specialist_help",
                "Children can get specialist help, such as mental health support, when they "
                "need it.",
                qi="5.3",
                statement="2",
            ),
            scale(
                "lives_improve",
                "The help children get improves their lives.",
                qi="2.1",
                statement="2",
            ),
        ],
    ),
    Group(
        "e_involving",
        "Involving children and families",
        "How children, young people and families take part in decisions and in improving services.",
        [
            scale(
                "child_views_sought",
                "Children's views are asked for in ways that suit their understanding and needs.",
                qi="5.4",
                statement="3",
            ),
            scale(
                "child_views_count",
                "Children's views make a difference to decisions about them.",
                qi="5.4",
                statement="3",
            ),
            scale(
                "families_involved",
                "Parents and carers are involved in the decisions and plans for their children.",
                qi="5.4",
                statement="3",
            ),
            scale(
                "advocacy_available",
                "Children and families can get independent advocacy when they need it.",
                qi="5.4, 6.3",
                statement="3",
            ),
            scale(
                "views_improve_services",
                "What children and families tell us is used to improve services.",
                qi="6.3",
                statement="3",
            ),
        ],
    ),
    Group(
        "f_training",
        "Confidence and training",
        "Your training and how confident you feel in your child protection work.",
        [
            choose(
                "training_when",
                "training_when",
                "When did you last take part in child protection training with staff from "
                "other services?",
                qi="7.2",
                statement="4",
            ),
            scale(
                "training_helps",
                "The child protection training I have had helps me in my work.",
                qi="7.2",
                statement="4",
            ),
            scale(
                "confident_role",
                "I feel confident in my child protection role.",
                qi="3.1, 7.2",
                statement="4",
            ),
            scale(
                "confident_practice_model",
                "I am confident using the wellbeing indicators, the My World Triangle and "
                "the resilience matrix.",
                hint="These are the parts of the GIRFEC National Practice Model.",
                qi="7.2, 5.2",
                statement="1, 4",
            ),
        ],
    ),
    Group(
        "g_supervision",
        "Supervision and support",
        "The support you get to do this work.",
        [
            choose(
                "supervision_freq",
                "supervision_freq",
                "How often do you have supervision in which you can discuss children at risk "
                "of harm?",
                hint="Count any regular, planned discussion with a supervisor or manager.",
                qi="9.3",
                statement="4",
            ),
            scale(
                "supervision_helps",
                "Supervision helps me think through and make decisions about children at "
                "risk of harm.",
                relevant=HAS_SUPERVISION,
                qi="9.3, 3.1",
                statement="4",
            ),
            scale(
                "advice_available",
                "I can get advice from a manager or senior colleague when I need it.",
                qi="9.3",
                statement="4",
            ),
            scale(
                "wellbeing_supported",
                "I get support when this work is stressful or upsetting.",
                qi="3.1",
                statement="4",
            ),
            scale(
                "workload_manageable",
                "My workload lets me do my child protection work well.",
                qi="3.1",
                statement="4",
            ),
        ],
    ),
    Group(
        "h_leadership",
        "Leadership and direction",
        "Leaders across services, including the child protection committee.",
        [
            scale(
                "vision_clear",
                "Leaders share a clear vision for keeping children safe in this area.",
                qi="9.1",
                statement="4",
            ),
            scale(
                "priorities_known",
                "I know the child protection committee's priorities.",
                qi="9.2",
                statement="4",
            ),
            scale(
                "leaders_visible",
                "Senior leaders are visible and approachable.",
                qi="9.3",
                statement="4",
            ),
            scale(
                "leaders_listen",
                "Senior leaders listen to staff and act on what we tell them.",
                qi="9.3",
                statement="4",
            ),
            scale(
                "involved_in_improvement",
                "I have the chance to help improve services for children at risk of harm.",
                qi="9.4",
                statement="4",
            ),
            scale(
                "learning_shared",
                "Learning from case reviews and audits is shared with staff like me.",
                qi="6.4, 9.4",
                statement="4",
            ),
            scale(
                "quality_checked",
                "The quality of work with children at risk of harm is checked, and we are "
                "helped to improve it.",
                qi="6.4",
                statement="4",
            ),
        ],
    ),
    Group(
        "i_comments",
        "Your comments",
        "Optional. Tell us in your own words.",
        [
            free_text(
                "what_works_well",
                "What works well in how services keep children safe here?",
                hint=STAFF_NO_NAMES,
                qi="2.1, 9.4",
                statement="1, 2, 3, 4",
            ),
            free_text(
                "what_could_be_better",
                "What one thing would most improve how services keep children safe here?",
                hint=STAFF_NO_NAMES,
                qi="2.1, 9.4",
                statement="1, 2, 3, 4",
            ),
        ],
    ),
]

STAFF = Instrument(
    key="staff",
    filename="staff-survey.xlsx",
    title="Staff survey (HowGood default)",
    form_id="howgood_staff_survey",
    choices=STAFF_CHOICES,
    groups=STAFF_GROUPS,
    readme=readme_lines(
        "HowGood default staff survey",
        "A survey for all staff who work with children at risk of harm and their families "
        "(for example health visitors, school nurses, doctors, teachers, social workers, "
        "police officers, Children's Reporter staff and third sector workers). It takes "
        "about 15 to 20 minutes.",
        [
            "The only things it asks about the respondent are their occupation or "
            "professional role and their job type, so that views can be compared between "
            "services (staff in different services often see things differently). HowGood "
            "records the agency separately, outside the form. Do not add questions about "
            "age, sex, team or location: in a small partnership they can identify people.",
            "",
            "Attitude questions use one five-point agreement scale (the agree5 list) "
            "without a 'don't know' option: staff leave a statement blank if it does not "
            "apply to them. The questions about IRDs are shown only to staff who have taken "
            "part in one in the last 12 months.",
        ],
        "howgood_staff_survey",
    ),
)


# --------------------------------------------------------------------------------------
# 2. Children and young people's survey
# --------------------------------------------------------------------------------------

CHILD = "hg-child"

CHILDREN_CHOICES: dict[str, list[tuple[str, str]]] = {
    "faces3": FACES3,
    "age_child": [
        ("under_12", "Under 12"),
        ("12_to_15", "12 to 15"),
        ("16_or_over", "16 or over"),
    ],
}

CHILDREN_GROUPS: list[Group] = [
    Group(
        "a_about",
        "About this survey",
        "We want to know what you think about the help you get.",
        [
            note("a_not_a_test", "This is not a test. There are no right or wrong answers."),
            note("a_skip", "You can skip any question you do not want to answer."),
            note(
                "a_worried",
                "If you are worried about your safety, tell an adult you trust.",
            ),
            choose(
                "age_child",
                "age_child",
                "How old are you?",
                hint="You can skip this.",
                qi="2.1",
                statement="2",
            ),
        ],
        appearance=CHILD,
    ),
    Group(
        "b_safe",
        "Feeling safe and getting help",
        "Choose the face that fits best.",
        [
            scale(
                "feel_safe_home",
                "I feel safe at home",
                list_name="faces3",
                qi="2.1",
                statement="1, 2",
            ),
            scale(
                "feel_safe_out",
                "I feel safe when I am out and about",
                list_name="faces3",
                qi="2.1",
                statement="1, 2",
            ),
            scale(
                "trusted_adult",
                "There is an adult I trust who helps me",
                list_name="faces3",
                qi="2.1, 5.3",
                statement="2",
            ),
            scale(
                "know_who_to_tell",
                "I know who to talk to if I am worried",
                list_name="faces3",
                qi="2.1",
                statement="1, 2",
            ),
            scale(
                "help_makes_better",
                "The help I get is making things better for me",
                list_name="faces3",
                qi="2.1",
                statement="2",
            ),
        ],
        appearance=CHILD,
    ),
    Group(
        "c_workers",
        "The workers who help you",
        "Workers are people like social workers, nurses, teachers and police officers.",
        [
            scale(
                "know_why",
                "I know why workers are involved with my family",
                list_name="faces3",
                qi="5.4",
                statement="3",
            ),
            scale(
                "explain_things",
                "Workers explain things so I understand",
                list_name="faces3",
                qi="5.4",
                statement="3",
            ),
            scale(
                "adults_listen",
                "Adults listen to me",
                list_name="faces3",
                qi="5.4, 2.1",
                statement="3",
            ),
            scale(
                "asked_what_i_think",
                "I was asked what I think before decisions were made",
                list_name="faces3",
                qi="5.4",
                statement="3",
            ),
            scale(
                "what_i_say_counts",
                "What I say makes a difference to what happens",
                list_name="faces3",
                qi="5.4",
                statement="3",
            ),
        ],
        appearance=CHILD,
    ),
    Group(
        "d_anything_else",
        "Anything else",
        "You can skip this.",
        [
            free_text(
                "anything_else",
                "Is there anything else you want to tell us?",
                hint=CHILD_NO_NAME,
                limit=CHILD_TEXT_LIMIT,
                limit_message="That is a bit too long. Please make it shorter.",
                qi="2.1, 5.4",
                statement="2, 3",
            ),
            note(
                "d_childline",
                "You can talk to Childline about anything. Call free on 0800 1111.",
            ),
        ],
        appearance=CHILD,
    ),
]

CHILDREN = Instrument(
    key="children",
    filename="children-survey.xlsx",
    title="Children and young people's survey (HowGood default)",
    form_id="howgood_children_survey",
    choices=CHILDREN_CHOICES,
    groups=CHILDREN_GROUPS,
    readme=readme_lines(
        "HowGood default children and young people's survey",
        "A short survey for children and young people who have had help because of "
        "worries about their safety, in words a 10-year-old can understand. It has "
        f"{sum(1 for g in CHILDREN_GROUPS for r in g.rows if r.type != 'note')} questions, "
        "all of which can be skipped.",
        [
            "Answers use a symbol scale of three faces (the faces3 list); HowGood shows "
            "the faces large. Groups carry the appearance hg-child, which switches HowGood "
            "to child-friendly pages.",
            "",
            "The only thing it asks about the child is an optional age band. It is "
            "anonymous. Before using it, agree who will read the free-text answers and "
            "what they will do if a child writes something that suggests they are not "
            "safe; decide how children will be supported to take part (for example by a "
            "trusted adult who is not their worker). The Childline number (0800 1111) is "
            "in the last note: check it and add local sources of help.",
        ],
        "howgood_children_survey",
    ),
)


# --------------------------------------------------------------------------------------
# 3. Parents and carers survey
# --------------------------------------------------------------------------------------

CARER = "hg-carer"
INVITED = "${invited_meetings} = 'yes'"

CARERS_CHOICES: dict[str, list[tuple[str, str]]] = {
    "agree5": AGREE5,
    "yesno": YESNO,
}

CARERS_GROUPS: list[Group] = [
    Group(
        "a_about",
        "About this survey",
        "",
        [
            note(
                "a_intro",
                "This survey asks about the help your family has had from services such as "
                "social work, health, schools and the police. It takes about 10 minutes. "
                "You do not need to give your name, and you can skip any question.",
            ),
            note(
                "a_your_child",
                "When we say 'your child', think about the child or children that workers "
                "have been involved with.",
            ),
            note(
                "a_worried",
                "This survey is not read straight away. If you are worried about a child's "
                "safety now, contact your local social work service, or call 999 in an "
                "emergency.",
            ),
        ],
        appearance=CARER,
    ),
    Group(
        "b_listened",
        "Being listened to",
        "Say how far you agree with each sentence.",
        [
            scale("listened_to", "Workers listened to me.", qi="2.2, 5.4", statement="3"),
            scale(
                "worries_explained",
                "Workers told me clearly what they were worried about.",
                qi="2.2, 5.4",
                statement="3",
            ),
            scale(
                "understand_why",
                "I understand why workers are involved with my family.",
                qi="5.4",
                statement="3",
            ),
            scale(
                "know_what_next",
                "I know what will happen next.",
                qi="5.4, 5.3",
                statement="2, 3",
            ),
        ],
        appearance=CARER,
    ),
    Group(
        "c_plans",
        "Plans and meetings",
        "About the meetings and plans for your child.",
        [
            choose(
                "yesno",
                "invited_meetings",
                "Have you been invited to meetings about your child?",
                qi="5.4",
                statement="3",
            ),
            scale(
                "supported_in_meetings",
                "I got the help I needed to take part in meetings.",
                hint="For example, someone to support you or speak up for you.",
                relevant=INVITED,
                qi="5.4",
                statement="3",
            ),
            scale(
                "views_in_plan",
                "My views were included in the plans for my child.",
                qi="5.4, 5.3",
                statement="3",
            ),
            choose(
                "yesno",
                "copy_of_plan",
                "Have you been given a copy of your child's plan?",
                qi="5.3",
                statement="2",
            ),
            scale(
                "understand_plan",
                "I understand what the plan says needs to change.",
                qi="5.3, 5.4",
                statement="2, 3",
            ),
        ],
        appearance=CARER,
    ),
    Group(
        "d_help",
        "Workers and the help you got",
        "Say how far you agree with each sentence.",
        [
            scale(
                "treated_with_respect", "Workers treated me with respect.", qi="2.2", statement="3"
            ),
            scale(
                "workers_reliable",
                "Workers did what they said they would do.",
                qi="2.2, 5.3",
                statement="2",
            ),
            scale(
                "could_contact_worker",
                "I could get in touch with a worker when I needed to.",
                qi="2.2",
                statement="2",
            ),
            scale(
                "help_made_difference",
                "The help we got has made a positive difference to our family.",
                qi="2.2, 5.3",
                statement="2",
            ),
            scale(
                "child_safer",
                "I feel my child is safer now.",
                qi="2.2, 5.3",
                statement="2",
            ),
        ],
        appearance=CARER,
    ),
    Group(
        "e_comments",
        "Your comments",
        "Optional. Tell us in your own words.",
        [
            free_text(
                "what_helped",
                "What has helped your family most?",
                hint=CARER_NO_NAMES,
                qi="2.2, 5.3",
                statement="2",
            ),
            free_text(
                "what_could_be_better",
                "What could workers do better?",
                hint=CARER_NO_NAMES,
                qi="2.2, 5.4",
                statement="2, 3",
            ),
        ],
        appearance=CARER,
    ),
]

CARERS = Instrument(
    key="carers",
    filename="carers-survey.xlsx",
    title="Parents and carers survey (HowGood default)",
    form_id="howgood_carers_survey",
    choices=CARERS_CHOICES,
    groups=CARERS_GROUPS,
    readme=readme_lines(
        "HowGood default parents and carers survey",
        "A survey for parents and carers of children who have had help because of worries "
        "about their safety, in plain words. It takes about 10 minutes.",
        [
            "Attitude questions use the same five-point agreement scale as the staff survey "
            "(the agree5 list), so that answers can be set side by side; there are a few "
            "yes or no questions. Groups carry the appearance hg-carer.",
            "",
            "It asks nothing about the parent or carer themselves, and it is anonymous. "
            "Make clear locally that taking part, or not, will not change the help a family "
            "gets, and agree beforehand what you will do if a free-text answer suggests "
            "that a child is not safe.",
        ],
        "howgood_carers_survey",
    ),
)

INSTRUMENTS: dict[str, Instrument] = {i.key: i for i in (STAFF, CHILDREN, CARERS)}


def main(argv: list[str] | None = None) -> int:
    """Write all three workbooks (into the folder given, else next to this script)."""
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0]) if args else HERE
    for instrument in INSTRUMENTS.values():
        output = folder / instrument.filename
        output.write_bytes(instrument.workbook_bytes())
        print(
            f"Wrote {output} ({len(instrument.groups)} sections, "
            f"{instrument.question_count()} questions)."
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
