"""The SMART check and the RAG rule: plain functions, read by the plan, reminders and report."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from howgood.improvement.smart import RAG_RULE, rag_status, smart_gaps

TODAY = date(2026, 12, 1)


def gaps(**kwargs):  # type: ignore[no-untyped-def]
    values = {
        "title": "Hold a daily IRD screening meeting for every concern received by 10am",
        "description": "",
        "has_owner": True,
        "due_on": TODAY,
        "has_measure": True,
        "relevant_to": 1,
        **kwargs,
    }
    return [g.letter for g in smart_gaps(**values)]


def test_a_smart_action_has_no_gaps() -> None:
    assert gaps() == []


@pytest.mark.parametrize(
    ("change", "letter"),
    [
        ({"title": "Improve communication between services"}, "S"),
        ({"title": "Better joint working"}, "S"),
        ({"has_measure": False}, "M"),
        ({"has_owner": False}, "A"),
        ({"relevant_to": 0}, "R"),
        ({"due_on": None}, "T"),
    ],
)
def test_each_missing_part_is_named(change: dict[str, object], letter: str) -> None:
    assert gaps(**change) == [letter]


def test_vague_wording_is_specific_once_it_says_how_much() -> None:
    assert gaps(title="Improve the timeliness of IRDs so 90% are held within 24 hours") == []
    text = smart_gaps(
        title="Review and improve our approach to neglect across the partnership",
        description="",
        has_owner=False,
        due_on=None,
        has_measure=False,
        relevant_to=0,
    )
    assert [g.letter for g in text] == ["S", "M", "A", "R", "T"]
    assert text[0].text == (
        "Wording too vague to be specific: “improve” gives a direction, not what will be "
        "done. Name the change, how many or how much, and for whom."
    )


def rag(**kwargs):  # type: ignore[no-untyped-def]
    values = {
        "agreed": True,
        "complete": False,
        "starts_on": TODAY - timedelta(days=60),
        "due_on": TODAY + timedelta(days=120),
        "progress": 40,
        "last_progress_on": TODAY - timedelta(days=7),
        "today": TODAY,
        **kwargs,
    }
    return rag_status(**values)


def test_rag_follows_its_written_rule() -> None:
    assert rag().colour == "green"
    late = rag(due_on=TODAY - timedelta(days=3))
    assert late.colour == "red" and late.reason == "Overdue by 3 days."
    assert rag(due_on=TODAY + timedelta(days=10), progress=50).colour == "amber"
    assert rag(due_on=TODAY + timedelta(days=10), progress=80).colour == "green"
    behind = rag(progress=0)  # a third of its time used, nothing done
    assert behind.colour == "amber" and "0% done" in behind.reason
    assert rag(last_progress_on=TODAY - timedelta(days=60)).colour == "amber"
    assert rag(complete=True, due_on=TODAY - timedelta(days=9)).colour == "complete"
    assert rag(agreed=False).colour == ""
    assert "Red: past its due date" in RAG_RULE and "Amber" in RAG_RULE


def test_an_action_not_agreed_has_no_rag_even_when_complete() -> None:
    assert rag(agreed=False, complete=True).colour == ""
