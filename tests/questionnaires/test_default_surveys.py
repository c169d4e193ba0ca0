"""The default survey instruments shipped in ``data/questionnaires`` (pure Python: no database).

Run with::

    .venv/bin/python -m pytest tests/questionnaires/test_default_surveys.py -q \
        -p no:cacheprovider

The staff, children and young people's, and parents and carers surveys are read exactly as
an upload would be, with :func:`~howgood.questionnaires.xlsform.read_xlsform`, and checked
against the rules they were written to (``data/questionnaires/README.md``).
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
import yaml

from howgood.questionnaires.definition import DefinitionError, FormDef, ItemDef
from howgood.questionnaires.xlsform import read_xlsform

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data" / "questionnaires"
FRAMEWORK = ROOT / "data" / "frameworks" / "qif-2019.yaml"

STAFF = DATA / "staff-survey.xlsx"
CHILDREN = DATA / "children-survey.xlsx"
CARERS = DATA / "carers-survey.xlsx"

# file, form title, form_id, (min, max) sections, (min, max) questions
EXPECTED = {
    "staff": (
        STAFF,
        "Staff survey (HowGood default)",
        "howgood_staff_survey",
        (8, 10),
        (40, 50),
    ),
    "children": (
        CHILDREN,
        "Children and young people's survey (HowGood default)",
        "howgood_children_survey",
        (2, 5),
        (10, 14),
    ),
    "carers": (
        CARERS,
        "Parents and carers survey (HowGood default)",
        "howgood_carers_survey",
        (3, 6),
        (13, 18),
    ),
}
KEYS = list(EXPECTED)

AGREE5 = [
    ("strongly_agree", "Strongly agree"),
    ("agree", "Agree"),
    ("neither", "Neither agree nor disagree"),
    ("disagree", "Disagree"),
    ("strongly_disagree", "Strongly disagree"),
]
FACES3 = [
    ("happy", "😊 Yes, mostly"),
    ("okay", "😐 Sometimes"),
    ("sad", "☹️ No, not really"),
]
ROLES = [
    "social_worker",
    "health_visitor_school_nurse",
    "doctor_health",
    "teacher_education",
    "police",
    "reporter",
    "third_sector",
    "other",
]
JOB_TYPES = ["practitioner", "first_line_manager", "middle_senior_manager", "other"]
# Words that would mean a staff question asks about the respondent beyond role and job type
# (checked in item names and labels; the agency is recorded by HowGood outside the form).
ABOUT_THE_RESPONDENT = re.compile(
    r"\b(?:agenc\w*|age|ages|aged|sex|gender|names?|e-?mail|teams?|locations?|postcode|"
    r"date of birth|where you work|which service)\b",
    re.IGNORECASE,
)
IDENTIFYING = re.compile(
    r"\bname of\b|\bnames of\b|'s name\b|\byour name\b|\bfull name\b|\bsurname\b|"
    r"\bfirst name\b|\bdate of birth\b|\baddress\b|\bpostcode\b|\bschool (?:do you|you) attend",
    re.IGNORECASE,
)
# Hints and notes that say what not to write are not questions asking for it.
WARNING_SENTENCE = re.compile(r"(?:Do not|Please do not|You do not need to) [^.]*\.(?:\s|$)")


def _read(key: str) -> FormDef:
    path = EXPECTED[key][0]
    try:
        return read_xlsform(path, path.name)
    except DefinitionError as error:  # pragma: no cover - the failure message is the point
        pytest.fail(f"The default {key} survey has problems:\n{error}")


@pytest.fixture(scope="module")
def forms() -> dict[str, FormDef]:
    return {key: _read(key) for key in KEYS}


def questions(form: FormDef) -> list[ItemDef]:
    return [item for item in form.iter_items() if item.collects_answer]


def group_appearances(path: Path) -> dict[str, str]:
    """begin_group name -> appearance, from the survey sheet (sections do not keep it)."""
    book = openpyxl.load_workbook(path, read_only=True)
    rows = [
        ["" if cell is None else str(cell) for cell in row]
        for row in book["survey"].iter_rows(values_only=True)
    ]
    header = rows[0]
    type_, name, appearance = (header.index(c) for c in ("type", "name", "appearance"))
    return {row[name]: row[appearance] for row in rows[1:] if row[type_] == "begin_group"}


# --------------------------------------------------------------------------------------
# All three instruments
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", KEYS)
def test_reads_without_problems_and_settings(forms: dict[str, FormDef], key: str) -> None:
    form = forms[key]
    _, title, form_id, _, _ = EXPECTED[key]
    assert form.title == title
    assert form.form_id == form_id
    assert form.version == "2026.1"
    assert form.source_format == "xlsform"


@pytest.mark.parametrize("key", KEYS)
def test_section_and_question_counts_in_range(forms: dict[str, FormDef], key: str) -> None:
    form = forms[key]
    _, _, _, (min_sections, max_sections), (min_questions, max_questions) = EXPECTED[key]
    assert min_sections <= len(form.sections) <= max_sections
    assert min_questions <= len(questions(form)) <= max_questions
    for section in form.sections:
        assert section.title and len(section.title) <= 50
        assert section.items


@pytest.mark.parametrize("key", KEYS)
def test_every_question_is_tagged_to_known_indicators_and_statements(
    forms: dict[str, FormDef], key: str
) -> None:
    framework = yaml.safe_load(FRAMEWORK.read_text(encoding="utf-8"))
    known_qis = {str(qi["number"]) for qi in framework["quality_indicators"]}
    known_statements = {int(s["number"]) for s in framework["inspection_statements"]}
    assert known_statements == {1, 2, 3, 4}
    for item in questions(forms[key]):
        assert item.qi, f"{item.name} has no quality indicator"
        assert item.statements, f"{item.name} has no inspection statement"
        assert set(item.qi) <= known_qis, f"{item.name}: {item.qi}"
        assert set(item.statements) <= known_statements, f"{item.name}: {item.statements}"


@pytest.mark.parametrize("key", KEYS)
def test_free_text_is_optional_limited_and_warns_against_names(
    forms: dict[str, FormDef], key: str
) -> None:
    warning = {
        "staff": "Do not name children, family members or colleagues",
        "children": "You do not need to tell us your name",
        "carers": "Please do not write the names of children, other family members or workers",
    }[key]
    texts = [item for item in forms[key].iter_items() if item.type == "text"]
    assert 1 <= len(texts) <= 3
    for item in texts:
        assert not item.required, item.name
        assert warning in item.hint, item.name
        assert item.max_length is not None and item.max_length <= 2000, item.name
    # Free text comes last: the closed questions are answered first.
    assert all(item.type == "text" for item in questions(forms[key])[-len(texts) :])


@pytest.mark.parametrize("key", KEYS)
def test_nothing_asks_for_a_name_or_other_identifier(forms: dict[str, FormDef], key: str) -> None:
    form = forms[key]
    for item in questions(form):
        for text in (item.label, item.hint):
            assert not IDENTIFYING.search(WARNING_SENTENCE.sub("", text)), (item.name, text)
    for options in form.choice_lists.values():
        for choice in options:
            assert not IDENTIFYING.search(choice.label), choice.label


@pytest.mark.parametrize("key", KEYS)
def test_only_the_expected_question_types(forms: dict[str, FormDef], key: str) -> None:
    """Closed questions are single choices; no dates or numbers that could identify anyone."""
    for item in questions(forms[key]):
        assert item.type in ("select_one", "text"), (item.name, item.type)


@pytest.mark.parametrize("key", KEYS)
def test_names_are_snake_case_and_unique(forms: dict[str, FormDef], key: str) -> None:
    form = forms[key]
    names = [item.name for item in form.iter_items()] + [s.name for s in form.sections]
    assert len(names) == len(set(names))
    for name in names:
        assert re.fullmatch(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*", name), name


@pytest.mark.parametrize("key", ["staff", "carers"])
def test_agree5_is_exactly_the_five_point_scale(forms: dict[str, FormDef], key: str) -> None:
    form = forms[key]
    assert [(c.name, c.label) for c in form.choice_lists["agree5"]] == AGREE5
    scale_items = [item for item in form.iter_items() if item.choice_list == "agree5"]
    assert len(scale_items) >= len(questions(form)) // 2
    for item in scale_items:
        assert item.type == "select_one", item.name
        # No "don't know" on the scale, so a respondent who does not know skips the item.
        assert not item.required, item.name


# --------------------------------------------------------------------------------------
# Staff survey
# --------------------------------------------------------------------------------------


def test_staff_survey_asks_only_role_and_job_type_about_the_respondent(
    forms: dict[str, FormDef],
) -> None:
    form = forms["staff"]
    about = form.sections[0]
    asked = [item for item in about.items if item.collects_answer]
    assert [(item.name, item.choice_list) for item in asked] == [
        ("role", "role"),
        ("job_type", "job_type"),
    ]
    assert all(item.required for item in asked)
    assert [c.name for c in form.choice_lists["role"]] == ROLES
    assert [c.name for c in form.choice_lists["job_type"]] == JOB_TYPES
    for item in form.iter_items():
        if item.name in ("role", "job_type"):
            continue
        for text in (item.name.replace("_", " "), item.label):
            assert not ABOUT_THE_RESPONDENT.search(text), (item.name, text)
    for list_name, options in form.choice_lists.items():
        if list_name in ("role", "job_type"):
            continue
        for choice in options:
            assert not ABOUT_THE_RESPONDENT.search(choice.label), choice.label


def test_staff_survey_sections_cover_the_brief(forms: dict[str, FormDef]) -> None:
    form = forms["staff"]
    prefixes = [section.name.split("_", 1)[0] for section in form.sections]
    assert prefixes == list("abcdefghi")[: len(form.sections)]
    by_section = {section.name: section for section in form.sections}
    expected = {
        "b_risk": ({"5.1", "5.2"}, {1}),
        "c_joint": ({"7.1", "5.2"}, {1}),
        "d_planning": ({"5.3"}, {2}),
        "e_involving": ({"5.4", "6.3"}, {3}),
        "f_training": ({"7.2"}, {4}),
        "g_supervision": ({"3.1", "9.3"}, {4}),
        "h_leadership": ({"9.1", "9.2", "9.3", "9.4", "6.4"}, {4}),
    }
    for name, (qis, statements) in expected.items():
        items = [item for item in by_section[name].items if item.collects_answer]
        assert qis <= {qi for item in items for qi in item.qi}, name
        assert statements <= {s for item in items for s in item.statements}, name
    covered = {s for item in questions(form) for s in item.statements}
    assert covered == {1, 2, 3, 4}


def test_staff_survey_skip_logic(forms: dict[str, FormDef]) -> None:
    form = forms["staff"]
    assert form.item("ird_involved").choice_list == "yesno"
    for name in ("ird_timely", "ird_right_people", "ird_decisions_clear"):
        assert form.item(name).relevant == "${ird_involved} = 'yes'"
    assert "never" in form.item("supervision_helps").relevant


def test_staff_survey_has_some_frequency_and_yes_no_items(forms: dict[str, FormDef]) -> None:
    lists = {item.choice_list for item in questions(forms["staff"])}
    assert {"often5", "yesno", "supervision_freq"} <= lists


def test_staff_groups_have_no_child_or_carer_appearance() -> None:
    assert set(group_appearances(STAFF).values()) == {""}


# --------------------------------------------------------------------------------------
# Children and young people's survey
# --------------------------------------------------------------------------------------


def test_faces3_is_exactly_the_symbol_scale(forms: dict[str, FormDef]) -> None:
    form = forms["children"]
    assert [(c.name, c.label) for c in form.choice_lists["faces3"]] == FACES3
    faces = [item for item in form.iter_items() if item.choice_list == "faces3"]
    assert len(faces) >= 8
    labels = {item.label for item in faces}
    for wanted in (
        "I feel safe at home",
        "There is an adult I trust who helps me",
        "Adults listen to me",
        "I know why workers are involved with my family",
        "I was asked what I think before decisions were made",
        "Workers explain things so I understand",
    ):
        assert wanted in labels


def test_children_survey_is_short_and_plain(forms: dict[str, FormDef]) -> None:
    form = forms["children"]
    assert len(questions(form)) <= 14
    for section in form.sections:
        assert len(section.title) <= 90, section.title
    for item in form.iter_items():
        assert len(item.label) <= 90, item.name
        assert not item.required, item.name
    for options in form.choice_lists.values():
        for choice in options:
            assert len(choice.label) <= 90, choice.label


def test_children_survey_asks_only_an_optional_age_band(forms: dict[str, FormDef]) -> None:
    form = forms["children"]
    assert [c.name for c in form.choice_lists["age_child"]] == [
        "under_12",
        "12_to_15",
        "16_or_over",
    ]
    assert not form.item("age_child").required
    lists = {item.choice_list for item in questions(form) if item.is_select}
    assert lists == {"faces3", "age_child"}
    anything_else = form.item("anything_else")
    assert anything_else.label == "Is there anything else you want to tell us?"
    assert "You do not need to tell us your name" in anything_else.hint


def test_children_survey_tags_mainly_statements_2_and_3(forms: dict[str, FormDef]) -> None:
    items = questions(forms["children"])
    qis = {qi for item in items for qi in item.qi}
    assert {"2.1", "5.4"} <= qis
    assert sum(1 for item in items if {2, 3} & set(item.statements)) == len(items)


def test_children_groups_use_child_friendly_rendering() -> None:
    appearances = group_appearances(CHILDREN)
    assert appearances
    assert set(appearances.values()) == {"hg-child"}


# --------------------------------------------------------------------------------------
# Parents and carers survey
# --------------------------------------------------------------------------------------


def test_carers_survey_content(forms: dict[str, FormDef]) -> None:
    form = forms["carers"]
    items = questions(form)
    assert {"2.2", "5.3", "5.4"} <= {qi for item in items for qi in item.qi}
    assert {s for item in items for s in item.statements} <= {1, 2, 3}
    yes_no = [item for item in items if item.choice_list == "yesno"]
    assert 1 <= len(yes_no) <= 4
    assert form.item("supported_in_meetings").relevant == "${invited_meetings} = 'yes'"
    assert "faces3" not in form.choice_lists


def test_carers_groups_use_carer_rendering_not_child() -> None:
    appearances = group_appearances(CARERS)
    assert appearances
    assert set(appearances.values()) == {"hg-carer"}
