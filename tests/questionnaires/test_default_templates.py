"""The default questionnaires shipped in ``data/questionnaires`` (pure Python: no database).

Run with::

    .venv/bin/python -m pytest tests/questionnaires/test_default_templates.py -q \
        -p no:cacheprovider

The record-reading template is read exactly as an upload would be, with
:func:`~howgood.questionnaires.xlsform.read_xlsform`, and checked against the rules the
template was written to (``data/questionnaires/README.md``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from howgood.questionnaires.definition import DefinitionError, FormDef, ItemDef
from howgood.questionnaires.xlsform import read_xlsform

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data" / "questionnaires"
TEMPLATE = DATA / "record-reading-template.xlsx"
FRAMEWORK = ROOT / "data" / "frameworks" / "qif-2019.yaml"

SECTION_PREFIXES = ["a_", "b_", "c_", "d_", "e_", "f_", "g_", "h_"]
SIX_POINT = [
    ("6", "6 Excellent"),
    ("5", "5 Very good"),
    ("4", "4 Good"),
    ("3", "3 Adequate"),
    ("2", "2 Weak"),
    ("1", "1 Unsatisfactory"),
]
NO_NAMES = "Do not write names of children, family members or staff"
# Phrases that would ask a reader for an identifying detail.  The standard "Do not ..."
# warnings are removed from the text before these are looked for.
IDENTIFYING = re.compile(
    r"\bname of\b|\bnames of\b|'s name\b|\bfull name\b|\bsurname\b|\bfirst name\b|"
    r"\bforename\b|\bdate of birth\b|\baddress of\b|\bhome address\b|\bpostcode\b|\bchi\b|"
    r"\bwho (?:is|was) the\b",
    re.IGNORECASE,
)
WARNING_SENTENCE = re.compile(r"Do not [^.]*\.(?:\s|$)")


@pytest.fixture(scope="module")
def form() -> FormDef:
    try:
        return read_xlsform(TEMPLATE, TEMPLATE.name)
    except DefinitionError as error:  # pragma: no cover - the failure message is the point
        pytest.fail(f"The default record-reading template has problems:\n{error}")


def questions(form: FormDef) -> list[ItemDef]:
    return [item for item in form.iter_items() if item.collects_answer]


def six_point_items(form: FormDef) -> list[ItemDef]:
    return [item for item in form.iter_items() if item.choice_list == "six_point"]


def test_reads_without_problems_and_settings(form: FormDef) -> None:
    assert form.title == "Record reading template (HowGood default)"
    assert form.form_id == "howgood_record_reading"
    assert form.version == "2026.1"
    assert form.source_format == "xlsform"


def test_eight_sections_in_order_a_to_h(form: FormDef) -> None:
    assert len(form.sections) == 8
    for section, prefix in zip(form.sections, SECTION_PREFIXES, strict=True):
        assert section.name.startswith(prefix), section.name
        assert section.title and len(section.title) <= 50
        assert section.items


def test_six_point_list_is_exactly_the_care_inspectorate_scale(form: FormDef) -> None:
    assert [(c.name, c.label) for c in form.choice_lists["six_point"]] == SIX_POINT


def test_shared_yes_no_partly_list(form: FormDef) -> None:
    assert [c.name for c in form.choice_lists["ynp"]] == [
        "yes",
        "no",
        "partly",
        "not_applicable",
        "not_known",
    ]


def test_every_evaluation_is_followed_by_a_required_reason(form: FormDef) -> None:
    evaluations = six_point_items(form)
    assert len(evaluations) >= 7
    for section in form.sections:
        items = section.items
        for index, item in enumerate(items):
            if item.choice_list != "six_point":
                continue
            assert item.type == "select_one"
            assert index + 1 < len(items), f"{item.name} has no reason after it"
            reason = items[index + 1]
            assert reason.name == f"{item.name}_reason"
            assert reason.type == "text"
            assert reason.required
            assert reason.label == "Why did you give this evaluation?"
            assert reason.relevant == f"${{{item.name}}} != ''"
            assert reason.constraint
            assert reason.min_length is not None and reason.min_length >= 10
            assert reason.max_length is not None
            assert reason.qi == item.qi
            assert reason.statements == item.statements


def test_reason_suffix_is_only_used_for_reasons(form: FormDef) -> None:
    evaluated = {item.name for item in six_point_items(form)}
    for item in form.iter_items():
        if item.name.endswith("_reason"):
            assert item.name.removesuffix("_reason") in evaluated, item.name
        assert "reason_for" not in item.extra


def test_most_evaluations_are_required(form: FormDef) -> None:
    required = [item.name for item in six_point_items(form) if item.required]
    assert "impact_evaluation" in required
    assert len(required) >= 6


def test_every_question_is_tagged_to_known_indicators_and_statements(form: FormDef) -> None:
    framework = yaml.safe_load(FRAMEWORK.read_text(encoding="utf-8"))
    known_qis = {str(qi["number"]) for qi in framework["quality_indicators"]}
    known_statements = {int(s["number"]) for s in framework["inspection_statements"]}
    assert known_statements == {1, 2, 3, 4}
    for item in questions(form):
        assert item.qi, f"{item.name} has no quality indicator"
        assert item.statements, f"{item.name} has no inspection statement"
        assert set(item.qi) <= known_qis, f"{item.name}: {item.qi}"
        assert set(item.statements) <= known_statements, f"{item.name}: {item.statements}"


def test_every_statement_and_the_impact_indicator_are_covered(form: FormDef) -> None:
    statements = {s for item in questions(form) for s in item.statements}
    assert statements == {1, 2, 3, 4}
    assert form.item("impact_evaluation").qi == ["2.1"]
    for section in form.sections[1:]:
        assert any(item.choice_list == "six_point" for item in section.items), section.name


def test_nothing_asks_for_a_name_or_other_identifier(form: FormDef) -> None:
    for section in form.sections:
        for text in (section.title, section.hint):
            assert not IDENTIFYING.search(WARNING_SENTENCE.sub("", text)), text
    for item in form.iter_items():
        if not item.collects_answer:
            continue  # notes only warn
        for text in (item.label, item.hint):
            assert not IDENTIFYING.search(WARNING_SENTENCE.sub("", text)), (item.name, text)
    for options in form.choice_lists.values():
        for choice in options:
            assert not IDENTIFYING.search(choice.label), choice.label


def test_free_text_warns_against_names(form: FormDef) -> None:
    texts = [item for item in form.iter_items() if item.type == "text"]
    assert texts
    for item in texts:
        assert NO_NAMES in item.hint, item.name
        assert item.max_length is not None, item.name


def test_the_form_opens_with_the_privacy_note(form: FormDef) -> None:
    first = form.sections[0].items[0]
    assert first.type == "note"
    assert "pseudonymous reading ID" in first.label


def test_names_are_snake_case_and_unique(form: FormDef) -> None:
    names = [item.name for item in form.iter_items()] + [s.name for s in form.sections]
    assert len(names) == len(set(names))
    for name in names:
        assert re.fullmatch(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*", name), name


def test_item_count_in_range(form: FormDef) -> None:
    assert 70 <= len(form.items) <= 110
    assert 70 <= len(questions(form)) <= 110


def test_skip_logic_examples(form: FormDef) -> None:
    assert form.item("ird_timely").relevant == "${ird_held} = 'yes'"
    assert form.item("child_seen_alone").relevant.startswith("${child_seen} = 'yes'")
    assert "cp_plan" in form.item("core_group_timely").relevant
    assert form.item("period_end").required
