"""Disclosure rules for groups of people (issue 10, items 6-8): 0% and 100% of a small group,
small complements ("27 of 31" says 4 did not), and counts given in batches while a survey
is open."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from howgood.stats.disclosure import (
    batch,
    derivable_cells,
    is_safe,
    proportion,
    small_group,
    suppress_groups,
)

PROPS = settings(deadline=None, max_examples=300)
N = None


def _lines(table: list[list[int]]) -> list[list[tuple[int, int]]]:
    rows, cols = len(table), len(table[0])
    lines = []
    if cols >= 2:
        lines += [[(i, j) for j in range(cols)] for i in range(rows)]
    if rows >= 2:
        lines += [[(i, j) for i in range(rows)] for j in range(cols)]
    return [*lines, [(i, j) for i in range(rows) for j in range(cols)]]


# --- 0% and 100% of a small group (item 7) ------------------------------------------------


def test_a_small_group_where_everyone_gave_the_same_answer_shows_nothing() -> None:
    # Eight children's reporters all agree: "100%" beside hidden cells tells every one's answer.
    table = [[8, 0, 0], [30, 12, 9], [25, 10, 11]]
    result = suppress_groups(table, 5)
    assert result[0] == [N, N, N]
    assert is_safe(table, result, 5) and not derivable_cells(result)
    # The same answers from a group of ten or more are not "a small group" (NES: 1 to 9).
    assert small_group(5) == 10
    assert suppress_groups([[10, 0, 0], [30, 12, 9]], 5)[0] == [10, 0, 0]


def test_zeros_of_a_small_group_are_hidden_too() -> None:
    # "0 disagreed" of a group of 7 is as telling as "7 agreed".
    result = suppress_groups([[7, 0], [20, 15]], 5)
    assert result[0] == [N, N]


# --- small complements (item 8) --------------------------------------------------------------


def test_hidden_cells_of_a_group_never_add_up_to_a_small_number() -> None:
    # 84 of 88 agreed, with the other 4 hidden: the total less 84 gives the 4 away.
    table = [[84, 3, 1], [40, 20, 28], [35, 30, 25]]
    result = suppress_groups(table, 5)
    assert result[0] == [N, N, N]
    assert is_safe(table, result, 5)
    for line in _lines(table):
        hidden = sum(table[i][j] for i, j in line if result[i][j] is None)
        assert hidden not in range(1, 5), (line, hidden)


def test_a_group_with_no_small_numbers_is_shown_whole() -> None:
    table = [[40, 20, 28], [35, 30, 25]]
    assert suppress_groups(table, 5) == table


@PROPS
@given(
    st.integers(1, 5).flatmap(
        lambda cols: st.lists(
            st.lists(st.integers(0, 40), min_size=cols, max_size=cols), min_size=1, max_size=5
        )
    ),
    st.integers(2, 6),
)
def test_group_suppression_is_safe_for_any_table(table: list[list[int]], threshold: int) -> None:
    result = suppress_groups(table, threshold)
    if len(table) > 1 or len(table[0]) > 1:  # a lone small cell is its own total (suppress)
        assert is_safe(table, result, threshold)
    for i, row in enumerate(table):
        if 0 < sum(row) < 2 * threshold and len(row) > 1:
            assert all(v is None for v in result[i]), (table, result)
    for line in _lines(table):
        hidden = sum(table[i][j] for i, j in line if result[i][j] is None)
        fixable = any(table[i][j] for i, j in line)
        if fixable and len(line) > 1:
            # Hidden cells add up to 0, to the whole line, or to the threshold or more.
            small = set(range(1, threshold)) - {sum(table[i][j] for i, j in line)}
            assert hidden not in small, (table, result, line)


# --- a part of a whole in words (item 8) -----------------------------------------------------


@pytest.mark.parametrize(
    ("part", "whole", "words", "percent"),
    [
        (27, 31, "more than 26 of 31", None),  # 4 did not: a range, not the count
        (3, 31, "fewer than 5 of 31", None),
        (20, 31, "20 of 31", 65),
        (0, 31, "0 of 31", 0),
        (31, 31, "31 of 31", 100),
        (8, 8, "more than 3 of 8", None),  # 100% of a small group
        (0, 8, "fewer than 5 of 8", None),  # 0% of a small group
        (6, 12, "6 of 12", 50),
        (2, 3, "fewer than 5 answers, so not shown", None),
        (0, 0, "no answers", None),
    ],
)
def test_a_part_of_a_whole_is_given_exactly_only_when_neither_side_is_small(
    part: int, whole: int, words: str, percent: int | None
) -> None:
    shown = proportion(part, whole, 5)
    assert shown.words == words
    assert shown.percent == percent
    assert shown.exact == (percent is not None)


@PROPS
@given(st.integers(0, 200).flatmap(lambda w: st.tuples(st.integers(0, w), st.just(w))))
def test_an_exact_part_never_gives_a_small_number_away(pair: tuple[int, int]) -> None:
    part, whole = pair
    shown = proportion(part, whole, 5)
    if shown.exact:
        assert whole >= 10
        assert part not in range(1, 5)
        assert whole - part not in range(1, 5)
    else:
        assert str(part) not in shown.words.replace(str(whole), "").split()


# --- counts in batches while a survey is open (item 6) ---------------------------------------


@pytest.mark.parametrize(
    ("n", "low", "high", "words", "one_more"),
    [
        (0, 0, 4, "fewer than 5", "fewer than 5"),
        (4, 0, 4, "fewer than 5", "5 to 9"),
        (5, 5, 9, "5 to 9", "5 to 9"),
        (14, 10, 14, "10 to 14", "15 to 19"),
    ],
)
def test_counts_are_given_in_batches_of_the_threshold(
    n: int, low: int, high: int, words: str, one_more: str
) -> None:
    shown = batch(n, 5)
    assert (shown.low, shown.high, shown.words) == (low, high, words)
    # One more response moves the batch only when it completes one.
    assert batch(n + 1, 5).words == one_more
