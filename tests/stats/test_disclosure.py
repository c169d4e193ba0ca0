"""Cell suppression: small counts hidden, complements chosen so no hidden cell is derivable."""

from __future__ import annotations

import copy
from collections import deque
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from howgood.stats.disclosure import (
    DEFAULT_THRESHOLD,
    Cell,
    _determined_unknowns,
    derivable_cells,
    is_safe,
    primary_cells,
    protect,
    suppress,
    suppress_counts,
    totals_safe,
)

# Deadlines off: timings are unreliable while the whole suite runs in parallel.
PROPS = settings(deadline=None, max_examples=300)

N = None  # shorthand for a hidden cell in expected tables


def hidden(result: list[list[int | None]]) -> list[Cell]:
    return [(i, j) for i, row in enumerate(result) for j, v in enumerate(row) if v is None]


# --- an independent oracle: a second table with the same published figures ---------------


def alternative(result: list[list[int | None]], cell: Cell) -> dict[Cell, int] | None:
    """Changes to the hidden cells that keep every published figure but move ``cell``.

    Returns None when there is none. Built from a cycle through ``cell`` in the graph of
    rows and columns joined by hidden cells (+1, -1, +1, ... round the cycle), or from a
    second hidden cell in the one line of a one-row/one-column table. This is written
    without linear algebra, so it checks the Fraction elimination in the module.
    """
    n_rows, n_cols = len(result), len(result[0])
    cells = hidden(result)
    if n_rows == 1 or n_cols == 1:
        others = [c for c in cells if c != cell]
        return {cell: 1, others[0]: -1} if others else None
    # BFS from row node ("r", i) to column node ("c", j) without the cell itself.
    i, j = cell
    start, goal = ("r", i), ("c", j)
    previous: dict[tuple[str, int], tuple[tuple[str, int], Cell] | None] = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            break
        kind, k = node
        for a, b in cells:
            if (a, b) == cell:
                continue
            if kind == "r" and a == k:
                nxt = ("c", b)
            elif kind == "c" and b == k:
                nxt = ("r", a)
            else:
                continue
            if nxt not in previous:
                previous[nxt] = (node, (a, b))
                queue.append(nxt)
    if goal not in previous:
        return None
    path: list[Cell] = []
    node = goal
    while (step := previous[node]) is not None:
        node, edge = step
        path.append(edge)
    delta = {cell: 1}
    for k, edge in enumerate(reversed(path)):
        delta[edge] = -1 if k % 2 == 0 else 1
    return delta


def totals(table: list[list[int]]) -> tuple[list[int], list[int], int]:
    """The published totals: rows, columns and the grand total.

    A total over a single cell is that cell, not a separate figure: a one-column table
    publishes no row totals and a one-row table no column totals.
    """
    rows = [sum(r) for r in table] if len(table[0]) > 1 else []
    cols = [sum(col) for col in zip(*table, strict=True)] if len(table) > 1 else []
    return rows, cols, sum(map(sum, table))


def apply(table: list[list[int]], delta: dict[Cell, int]) -> list[list[int]]:
    out = copy.deepcopy(table)
    for (i, j), d in delta.items():
        out[i][j] += d
    return out


# --- strategies ---------------------------------------------------------------------------

# Values 0..30, with extra weight on 0..6 so small cells and zeros are common.
values = st.one_of(st.integers(0, 30), st.integers(0, 6))


@st.composite
def tables(draw: st.DrawFn, max_side: int = 6) -> list[list[int]]:
    n_rows = draw(st.integers(1, max_side))
    n_cols = draw(st.integers(1, max_side))
    return draw(
        st.lists(
            st.lists(values, min_size=n_cols, max_size=n_cols), min_size=n_rows, max_size=n_rows
        )
    )


@st.composite
def patterns(draw: st.DrawFn) -> list[list[int | None]]:
    """A table with an arbitrary set of hidden cells (values irrelevant)."""
    table = draw(tables())
    mask = draw(
        st.lists(
            st.lists(st.booleans(), min_size=len(table[0]), max_size=len(table[0])),
            min_size=len(table),
            max_size=len(table),
        )
    )
    return [
        [N if m else v for v, m in zip(r, mr, strict=True)]
        for r, mr in zip(table, mask, strict=True)
    ]


def unprotectable(table: list[list[int]], threshold: int = DEFAULT_THRESHOLD) -> bool:
    """A 1x1 table with a small count: its total is the cell."""
    return len(table) == 1 and len(table[0]) == 1 and 0 < table[0][0] < threshold


# --- hand examples ------------------------------------------------------------------------


def test_one_small_cell_gets_a_row_a_column_and_a_corner_complement() -> None:
    table = [
        [2, 10, 20],
        [15, 30, 12],
        [8, 25, 40],
    ]
    # Row 0: smallest other cell is 10. Column 0: smallest other cell is 8 (row 2).
    # Column 1 now has 10 alone: of 30 and 25, 25 is in row 2, which already has a hidden
    # cell, so the four hidden cells form a rectangle and every line has two.
    assert suppress(table) == [
        [N, N, 20],
        [15, 30, 12],
        [N, N, 40],
    ]
    assert is_safe(table, suppress(table))


def test_a_complement_completes_a_rectangle_rather_than_starting_a_cascade() -> None:
    table = [
        [2, 10, 20],
        [15, 24, 12],
        [8, 25, 40],
    ]
    # Column 1 needs a partner for 10: 24 is smaller than 25, but row 1 has no hidden cell,
    # so hiding 24 would need yet another complement; 25 closes the rectangle.
    assert suppress(table) == [[N, N, 20], [15, 24, 12], [N, N, 40]]


def test_two_small_cells_in_one_row_protect_each_other_in_that_row() -> None:
    table = [
        [2, 3, 20],
        [10, 15, 12],
        [30, 25, 40],
    ]
    # Row 0 already has two hidden cells. Column 0: 10. Column 1: 15 (row 1 already hidden).
    result = suppress(table)
    assert result == [[N, N, 20], [N, N, 12], [30, 25, 40]]
    assert is_safe(table, result)
    assert totals_safe(table, result) == ([True, True, True], [True, True, True])


def test_a_lone_small_cell_in_a_single_column_gets_the_smallest_complement() -> None:
    table = [[12], [3], [20], [8]]
    result = suppress(table)
    # Only the column total is an equation (a row total here is just the cell).
    assert result == [[12], [N], [20], [N]]
    assert is_safe(table, result)
    # The row "totals" of the hidden cells are the cells themselves: withhold them.
    assert totals_safe(table, result) == ([True, False, True, False], [True])


def test_all_large_table_is_untouched() -> None:
    table = [[5, 12, 30], [7, 9, 100]]
    assert suppress(table) == table
    assert primary_cells(table) == []


def test_zeros_are_kept_and_not_used_when_non_zero_complements_exist() -> None:
    table = [
        [0, 12, 7],
        [0, 3, 9],
        [0, 14, 11],
    ]
    assert suppress(table) == [[0, N, N], [0, N, N], [0, 14, 11]]


def test_zeros_are_used_only_when_no_non_zero_cell_is_left() -> None:
    table = [[3, 0], [0, 10]]
    # Row 0 and column 0 hold nothing but the 3 and zeros, so the zeros are the only
    # complements; then 10 partners the zero in column 1. The row and column totals of 3
    # give the small count away whatever is hidden: totals_safe says so.
    result = suppress(table)
    assert result == [[N, N], [N, N]]
    assert is_safe(table, result)
    assert totals_safe(table, result) == ([False, True], [False, True])


def test_the_classic_linear_attack_is_caught_and_fixed() -> None:
    # Two 2x2 blocks of small cells joined by one more small cell at (1, 2). Every row and
    # column has at least two hidden cells, yet (1, 2) is derivable.
    table = [
        [1, 2, 60, 70, 80],
        [3, 4, 1, 90, 95],
        [51, 52, 2, 3, 53],
        [54, 56, 4, 1, 57],
        [61, 62, 63, 64, 65],
    ]
    only_primary = [[N if 0 < v < 5 else v for v in row] for row in table]
    assert derivable_cells(only_primary) == [(1, 2)]
    # The intruder's sum, by hand: row 1 total minus its visible cells gives
    # x10 + x11 + x12; columns 0 and 1 minus row 0 give x10 + x11.
    rows = [sum(r) for r in table]
    cols = [sum(table[i][j] for i in range(5)) for j in range(5)]
    visible = lambda cells: sum(table[i][j] for i, j in cells)  # noqa: E731
    x10_x11_x12 = rows[1] - visible([(1, 3), (1, 4)])
    x00_x01 = rows[0] - visible([(0, 2), (0, 3), (0, 4)])
    x00_x10 = cols[0] - visible([(2, 0), (3, 0), (4, 0)])
    x01_x11 = cols[1] - visible([(2, 1), (3, 1), (4, 1)])
    assert x10_x11_x12 - (x00_x10 + x01_x11 - x00_x01) == table[1][2] == 1
    assert not is_safe(table, only_primary)

    result = suppress(table)
    assert is_safe(table, result)
    # One more cell puts (1, 2) on a cycle: 60 at (0, 2) joins column 2 to row 0
    # (smaller than 90 at (1, 3), which would also work).
    assert hidden(result) == sorted([*hidden(only_primary), (0, 2)])


def test_a_lone_hidden_cell_is_derivable_and_a_two_by_two_block_is_not() -> None:
    assert derivable_cells([[N, 5], [6, 7]]) == [(0, 0)]
    assert derivable_cells([[N, N], [6, 7]]) == [(0, 0), (0, 1)]  # column totals
    assert derivable_cells([[N, N, 1], [N, N, 2]]) == []
    # An L of three: (0, 0) is in a row and a column with another hidden cell, yet the
    # other two are each alone in a line, so all three follow.
    assert derivable_cells([[N, N], [N, 7]]) == [(0, 0), (0, 1), (1, 0)]


def test_exact_elimination_on_a_small_system() -> None:
    one = Fraction(1)
    zero = Fraction(0)
    # x + y + z = a, y + z = b: x is determined, y and z are not.
    assert _determined_unknowns([[one, one, one], [zero, one, one]], 3) == [True, False, False]
    # 2x + y = a, x - y = b: both determined (non-unit pivots).
    assert _determined_unknowns([[Fraction(2), one], [one, -one]], 2) == [True, True]
    # No equations: nothing determined.
    assert _determined_unknowns([], 2) == [False, False]


def test_suppress_counts_hides_a_lone_small_count_with_the_smallest_other() -> None:
    assert suppress_counts([3, 10, 20]) == [N, N, 20]
    assert suppress_counts([12, 3, 4, 20]) == [12, N, N, 20]
    assert suppress_counts([12, 0, 20]) == [12, 0, 20]
    assert suppress_counts([]) == []


def test_suppress_counts_falls_back_to_a_zero_and_flags_the_total() -> None:
    counts = [0, 3, 0]
    result = suppress_counts(counts)
    assert result == [N, N, 0]  # first zero by position
    # The total is 3: publishing it reveals the small count.
    # The "column totals" of a one-row table are its cells, so the two hidden ones must
    # not be shown that way either.
    assert totals_safe([counts], [result]) == ([False], [False, False, True])


def test_a_single_small_cell_cannot_be_protected() -> None:
    assert suppress([[3]]) == [[N]]
    assert not is_safe([[3]], [[N]])
    assert totals_safe([[3]], [[N]]) == ([False], [False])
    assert suppress([[0]]) == [[0]]
    assert suppress([[7]]) == [[7]]


def test_threshold_is_configurable() -> None:
    table = [[6, 20], [30, 40]]
    assert suppress(table) == table
    assert suppress(table, threshold=10) == [[N, N], [N, N]]
    assert suppress(table, threshold=1) == table  # nothing is below 1 except zero


def test_totals_safe_flags_small_totals() -> None:
    table = [[2, 0, 0], [10, 20, 30], [1, 0, 50]]
    result = suppress(table)
    rows_ok, cols_ok = totals_safe(table, result)
    assert rows_ok == [False, True, True]
    assert cols_ok == [True, True, True]
    assert is_safe(table, result)


def test_protect_hides_chosen_cells_safely() -> None:
    table = [[40, 50, 60], [70, 80, 90], [15, 25, 35]]
    result = protect(table, [(1, 1)])
    assert result[1][1] is None
    assert is_safe(table, result)
    with pytest.raises(IndexError):
        protect(table, [(3, 0)])


# --- edge cases and errors ----------------------------------------------------------------


def test_empty_tables() -> None:
    assert suppress([]) == []
    assert suppress([[], []]) == [[], []]
    assert is_safe([], [])
    assert totals_safe([], []) == ([], [])


def test_ragged_rows_are_refused() -> None:
    with pytest.raises(ValueError, match="ragged"):
        suppress([[1, 2], [3]])


def test_negative_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        suppress([[1, -2]])
    with pytest.raises(ValueError, match="negative"):
        suppress_counts([5, -1])


@pytest.mark.parametrize("threshold", [0, -5])
def test_threshold_below_one_is_refused(threshold: int) -> None:
    with pytest.raises(ValueError, match="threshold"):
        suppress([[1, 2]], threshold)


def test_non_integer_counts_are_refused() -> None:
    with pytest.raises(TypeError):
        suppress([[1.5, 2]])  # type: ignore[list-item]
    with pytest.raises(TypeError):
        suppress([[True, 2]])
    with pytest.raises(TypeError):
        suppress([[1, 2]], 2.5)  # type: ignore[arg-type]


def test_is_safe_rejects_wrong_shapes_and_altered_or_small_visible_cells() -> None:
    table = [[2, 10], [20, 30]]
    with pytest.raises(ValueError, match="shape"):
        is_safe(table, [[N, 10]])
    assert not is_safe(table, [[2, 10], [20, 30]])  # small cell visible
    assert not is_safe(table, [[N, N], [N, 31]])  # altered visible cell
    assert is_safe(table, [[N, N], [N, N]])
    assert not is_safe(table, [[N, N], [20, 30]])  # column totals give both


def test_input_is_not_modified() -> None:
    table = [[1, 10, 20], [30, 40, 50]]
    before = copy.deepcopy(table)
    suppress(table)
    assert table == before


# --- properties -----------------------------------------------------------------------------


@PROPS
@given(tables(), st.integers(1, 8))
def test_result_is_safe(table: list[list[int]], threshold: int) -> None:
    assume(not unprotectable(table, threshold))
    result = suppress(table, threshold)
    assert is_safe(table, result, threshold)


@PROPS
@given(tables())
def test_every_hidden_cell_has_an_alternative_table_with_the_same_figures(
    table: list[list[int]],
) -> None:
    assume(not unprotectable(table))
    result = suppress(table)
    figures = totals(table)
    for cell in hidden(result):
        delta = alternative(result, cell)
        assert delta is not None, cell
        assert set(delta) <= set(hidden(result))  # only hidden cells change
        other = apply(table, delta)
        assert other[cell[0]][cell[1]] != table[cell[0]][cell[1]]
        assert totals(other) == figures


@PROPS
@given(patterns())
def test_derivable_cells_agree_with_the_cycle_oracle(result: list[list[int | None]]) -> None:
    expected = [c for c in hidden(result) if alternative(result, c) is None]
    assert derivable_cells(result) == expected


@PROPS
@given(tables(), st.integers(1, 8))
def test_primary_cells_are_hidden_and_visible_cells_are_the_originals(
    table: list[list[int]], threshold: int
) -> None:
    result = suppress(table, threshold)
    assert len(result) == len(table)
    for i, row in enumerate(table):
        assert len(result[i]) == len(row)
        for j, value in enumerate(row):
            if 0 < value < threshold:
                assert result[i][j] is None
            if result[i][j] is not None:
                assert result[i][j] == value
                assert not 0 < value < threshold


@PROPS
@given(tables(), st.integers(1, 8))
def test_zeros_are_hidden_only_when_no_non_zero_complement_was_left(
    table: list[list[int]], threshold: int
) -> None:
    result = suppress(table, threshold)
    for i, j in hidden(result):
        if table[i][j] != 0:
            continue
        row_has_visible_non_zero = any(v not in (None, 0) for v in result[i])
        col_has_visible_non_zero = any(result[a][j] not in (None, 0) for a in range(len(table)))
        assert not (row_has_visible_non_zero and col_has_visible_non_zero)


@PROPS
@given(tables())
def test_no_primary_cells_means_no_suppression(table: list[list[int]]) -> None:
    clean = [[0 if 0 < v < 5 else v for v in row] for row in table]
    assert suppress(clean) == clean


@PROPS
@given(tables(), st.integers(1, 8))
def test_deterministic_and_stable(table: list[list[int]], threshold: int) -> None:
    before = copy.deepcopy(table)
    first = suppress(table, threshold)
    assert table == before
    assert suppress(copy.deepcopy(table), threshold) == first
    # Idempotent: protecting the cells the result hides adds nothing.
    assert protect(table, hidden(first)) == first


@PROPS
@given(patterns())
def test_protect_makes_any_starting_pattern_safe(pattern: list[list[int | None]]) -> None:
    table = [[5 if v is None else v for v in row] for row in pattern]
    start = hidden(pattern)
    result = protect(table, start)
    assert set(start) <= set(hidden(result))
    if len(table) * len(table[0]) > 1:
        assert derivable_cells(result) == []


@PROPS
@given(st.lists(values, max_size=8), st.integers(1, 8))
def test_suppress_counts_is_the_one_row_table(counts: list[int], threshold: int) -> None:
    result = suppress_counts(counts, threshold)
    assert result == suppress([counts], threshold)[0]
    if len(counts) >= 2:
        assert sum(v is None for v in result) != 1


@PROPS
@given(tables(), st.integers(1, 8))
def test_totals_safe_is_false_exactly_for_small_totals_and_single_hidden_cells(
    table: list[list[int]], threshold: int
) -> None:
    result = suppress(table, threshold)
    rows_ok, cols_ok = totals_safe(table, result, threshold)
    n_rows, n_cols = len(table), len(table[0])
    for i in range(n_rows):
        total = sum(table[i])
        lone = n_cols == 1 and result[i][0] is None
        assert rows_ok[i] == (not 0 < total < threshold and not lone)
    for j in range(n_cols):
        total = sum(table[i][j] for i in range(n_rows))
        lone = n_rows == 1 and result[0][j] is None
        assert cols_ok[j] == (not 0 < total < threshold and not lone)
