"""Statistical disclosure control: cell suppression for tables of counts.

Scottish Government practice for official statistics is to suppress counts under five and,
where needed, further counts so the small ones cannot be worked back from what is published
(secondary suppression; gov.scot FOI/17/01248). This module does that for a two-way table
of counts published **together with its row totals, column totals and grand total**, all
of them the true totals of the original table.

Contract
========

``suppress(table, threshold=5)`` returns a copy of ``table`` with some cells replaced by
``None``:

* **Primary suppression**: every cell with ``0 < value < threshold`` is hidden. Zeros are
  never hidden as primary cells (a zero is not a small count of people).
* **Secondary suppression**: further cells are hidden until no hidden cell's exact value
  follows from the published totals and the visible cells (:func:`derivable_cells`).
* Visible cells are the original values, unchanged; the input is not modified.
* Deterministic: the same table always gives the same result (no randomness, no set
  ordering; every choice below ends in a tie-break by position).

What the intruder is assumed to know
====================================

Each hidden cell is an unknown. The published information gives linear equations: for
every row, the hidden cells of that row add up to the row total minus the visible cells;
the same for every column; and all hidden cells add up to the grand total minus the
visible cells. A hidden cell is **derivable** when these equations fix its value, i.e.
when its coordinate is zero in every vector of the null space of the equations' matrix
(equivalently, the unit vector of that unknown lies in the row space). This is checked
exactly by Gaussian elimination over :class:`fractions.Fraction` (reduced row echelon
form: a pivot unknown is determined exactly when its row has no entry in a free column;
free unknowns are never determined). Because only the pattern of hidden cells enters the
matrix, whether a cell is derivable does not depend on the values.

This catches both the obvious attack (a hidden cell alone in its row or column: the total
minus the visible cells) and combinations of rows and columns. For a table with at least
two rows and two columns, think of rows and columns as the nodes of a graph and each
hidden cell as an edge between its row and its column: a hidden cell is derivable exactly
when it lies on no cycle (a bridge). A 2x2 block of hidden cells is safe; two such blocks
joined by one more hidden cell are not, since that joining cell is worked out by adding
and subtracting totals.

A total over a single cell is that cell, so it is not a separate equation: in a
one-column table the row "totals" are the cells themselves and only the column total (the
grand total) is used; likewise the column "totals" of a one-row table. :func:`totals_safe`
says which of those totals must then be withheld.

Method
======

1. Hide the primary cells.
2. **Lone cells**: while some row or column (with at least two cells) has exactly one
   hidden cell, hide one more cell of that line, scanning rows top to bottom and then
   columns left to right and fixing the first lone line found (each new cell can create a
   new lone line across it, so this repeats until stable). The complement is the visible
   cell of that line with the smallest key

   ``(value is zero, lines it would leave with a lone hidden cell, value, row, column)``

   so a **non-zero cell is always preferred to a zero**; among non-zero cells, one whose
   crossing line already has a hidden cell comes first (it completes a rectangle instead
   of starting a cascade of further complements), then the smallest value, then the
   position. With one small cell this gives the familiar pattern of four: the small cell,
   a complement in its row, one in its column and the cell where those two cross.
3. **Linear-system check**: if any hidden cell is still derivable, take the first in
   row-major order and hide one more cell from its row or column, preferring (after
   "non-zero first") a cell that puts it on a cycle, i.e. makes it underivable; if its row
   and column are already fully hidden, look in the rows and columns of all derivable
   cells, and then anywhere. Go back to step 2.

Every round hides one more cell, so this ends; when every cell is hidden, nothing is
derivable unless the table is a single cell.

Zeros as complements
====================

Zeros are hidden only when the row or column that needs a complement has no visible
non-zero cell left. Under the linear model above a hidden zero protects like any other
cell (the intruder cannot tell which hidden cell holds how much). It is weaker protection
against an intruder who knows the zero is a structural zero (impossible combinations) or
who uses the fact that counts are never negative: a hidden zero can then only go up, which
can pin a cycle of hidden cells. Zeros are needed only when a line's total is made up of
the one hidden cell plus zeros, which for a small cell means the total itself is under the
threshold and :func:`totals_safe` reports it.

Limits (what this does not promise)
===================================

* Totals are assumed to be published. A total that is itself small (``0 < total <
  threshold``) reveals a small group on its own, which no choice of cells can prevent: if
  a row's only non-zero cell is small, the row total *is* that cell. The caller must
  withhold such totals; :func:`totals_safe` lists them. Withholding a total only removes
  an equation, so the cells stay safe. The grand total may be published when it is 0 or at
  least the threshold (for a 1x1 table it is the cell itself).
* A 1x1 table with a small count cannot be protected by hiding cells (its total is the
  cell): the result is ``[[None]]`` and :func:`is_safe` is False for it.
* Only exact disclosure is prevented, not interval disclosure: two hidden cells of 1 and 2
  in a row with everything else visible show that together they hold 3. There is no
  minimum "protection interval", and the non-negativity attack above is not modelled.
* Differencing between different tables from the same data (e.g. the same breakdown
  with and without one team) is outside a single call; the caller must suppress
  consistently across related tables.
* The greedy choice is not an optimal (fewest cells or least total hidden) suppression,
  which is an integer-programming problem.

Groups of people
================

:func:`suppress_groups` is for tables whose rows are groups of people (an agency's
staff, the records that answered a question) and columns their answers. On top of
:func:`suppress` it applies two rules (ADR 0008):

* **0% and 100% of a small group.** In a group of fewer than :func:`small_group` people
  (twice the threshold: NHS Education for Scotland's policy asks for a check on counts
  from 1 to 9 and on rows dominated by zeros or 100%), every cell is hidden, zeros too:
  "8 of 8 agreed" or "none of 7 disagreed" tells each member's answer.
* **Small complements.** The hidden cells of any row or column (and of the whole table)
  add up to 0 or to at least the threshold: otherwise the total less the cells shown
  gives a small number away ("84 agreed" of 88, with the rest hidden, says that 4 did
  not). A line whose visible cells are all zeros cannot be helped; its total is then
  itself small and :func:`totals_safe` says to withhold it.

:func:`proportion` applies the same rules to one count out of a total, in words: exact
("20 of 31") only when neither the count nor the rest is small, otherwise a range ("more
than 26 of 31", "fewer than 5 of 31"); nothing for a total under the threshold. A
proportion word ("most") must not be put beside a range: with it, the range can give the
count away ("most" of 31 and "more than 26" leaves only 27).

:func:`batch` gives a count that changes while people are still answering (a survey that
is open) in batches of the threshold, so two looks a response apart show the same.

No Django imports; tables are plain lists of lists of ``int``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

__all__ = [
    "DEFAULT_THRESHOLD",
    "Batch",
    "Cell",
    "Proportion",
    "batch",
    "derivable_cells",
    "is_safe",
    "primary_cells",
    "proportion",
    "protect",
    "small_group",
    "suppress",
    "suppress_counts",
    "suppress_groups",
    "totals_safe",
]

DEFAULT_THRESHOLD = 5
"""Counts from 1 to 4 are suppressed (Scottish Government general policy, "under five")."""

Cell = tuple[int, int]
"""A cell position: (row index, column index), both from 0."""

Published = Sequence[Sequence[int | None]]

# --- validation ---------------------------------------------------------------------------


def _check_threshold(threshold: int) -> None:
    if isinstance(threshold, bool) or not isinstance(threshold, int):
        raise TypeError(f"threshold must be an int, not {type(threshold).__name__}")
    if threshold < 1:
        raise ValueError(f"threshold must be at least 1, not {threshold}")


def _shape(table: Sequence[Sequence[int | None]], *, allow_none: bool) -> tuple[int, int]:
    """(rows, columns) of a rectangular table; ValueError for ragged rows or negatives."""
    if not table:
        return 0, 0
    n_cols = len(table[0])
    for i, row in enumerate(table):
        if len(row) != n_cols:
            raise ValueError(f"ragged table: row {i} has {len(row)} cells, row 0 has {n_cols}")
        for j, value in enumerate(row):
            if value is None and allow_none:
                continue
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"cell ({i}, {j}) must be an int count, not {type(value).__name__}")
            if value < 0:
                raise ValueError(f"cell ({i}, {j}) is negative ({value}); counts are >= 0")
    return len(table), n_cols


def _check_result(table: Sequence[Sequence[int]], result: Published) -> tuple[int, int]:
    shape = _shape(table, allow_none=False)
    if _shape(result, allow_none=True) != shape:
        raise ValueError("result does not have the shape of the table")
    return shape


# --- the linear system --------------------------------------------------------------------


def _lines(n_rows: int, n_cols: int) -> list[list[Cell]]:
    """The rows and columns whose totals are separate equations (at least two cells)."""
    lines: list[list[Cell]] = []
    if n_cols >= 2:
        lines.extend([(i, j) for j in range(n_cols)] for i in range(n_rows))
    if n_rows >= 2:
        lines.extend([(i, j) for i in range(n_rows)] for j in range(n_cols))
    return lines


def _determined_unknowns(matrix: list[list[Fraction]], n_unknowns: int) -> list[bool]:
    """For each unknown, whether ``matrix @ x = b`` fixes its value (for any consistent b).

    Reduces a copy of the matrix to reduced row echelon form with exact fractions. The
    null space has one basis vector per free column f: 1 at f, ``-rref[r][f]`` at the
    pivot column of row r, 0 elsewhere. So a free unknown is never determined, and the
    pivot unknown of row r is determined exactly when row r is zero in every free column
    (the row is then the unit vector of that unknown).
    """
    rows = [list(row) for row in matrix]
    pivots: list[int] = []
    rank = 0
    for col in range(n_unknowns):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][col] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        lead = rows[rank][col]
        rows[rank] = [value / lead for value in rows[rank]]
        for r in range(len(rows)):
            factor = rows[r][col]
            if r != rank and factor != 0:
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[rank], strict=True)]
        pivots.append(col)
        rank += 1
    free = [col for col in range(n_unknowns) if col not in set(pivots)]
    determined = [False] * n_unknowns
    for r, col in enumerate(pivots):
        determined[col] = all(rows[r][f] == 0 for f in free)
    return determined


def _derivable(n_rows: int, n_cols: int, hidden: Iterable[Cell]) -> list[Cell]:
    """The hidden cells whose values follow from the published totals (row-major order)."""
    unknowns = sorted(hidden)
    if not unknowns:
        return []
    index = {cell: k for k, cell in enumerate(unknowns)}
    grand = [(i, j) for i in range(n_rows) for j in range(n_cols)]
    matrix: list[list[Fraction]] = []
    for line in [*_lines(n_rows, n_cols), grand]:
        equation = [Fraction(0)] * len(unknowns)
        for cell in line:
            if cell in index:
                equation[index[cell]] = Fraction(1)
        if any(equation):
            matrix.append(equation)
    determined = _determined_unknowns(matrix, len(unknowns))
    return [cell for cell, fixed in zip(unknowns, determined, strict=True) if fixed]


# --- choosing complementary cells ---------------------------------------------------------


class _Components:
    """Union-find over the graph of rows and columns joined by hidden cells."""

    def __init__(self, n_rows: int, n_cols: int, hidden: Iterable[Cell]) -> None:
        self.n_rows = n_rows
        self.parent = list(range(n_rows + n_cols))
        for i, j in hidden:
            self.parent[self._find(i)] = self._find(n_rows + j)

    def _find(self, node: int) -> int:
        while self.parent[node] != node:
            self.parent[node] = self.parent[self.parent[node]]
            node = self.parent[node]
        return node

    def row(self, i: int) -> int:
        return self._find(i)

    def col(self, j: int) -> int:
        return self._find(self.n_rows + j)


def _new_lone_lines(cell: Cell, hidden: set[Cell], n_rows: int, n_cols: int) -> int:
    """How many lines through ``cell`` would be left with exactly one hidden cell."""
    i, j = cell
    count = 0
    if n_cols >= 2 and not any((i, b) in hidden for b in range(n_cols)):
        count += 1
    if n_rows >= 2 and not any((a, j) in hidden for a in range(n_rows)):
        count += 1
    return count


def _fill_lone_lines(table: Sequence[Sequence[int]], hidden: set[Cell]) -> None:
    """Step 2: give every row/column with a single hidden cell a complementary cell."""
    n_rows, n_cols = len(table), len(table[0])
    lines = _lines(n_rows, n_cols)
    while True:
        for line in lines:
            if sum(cell in hidden for cell in line) != 1:
                continue
            candidates = [cell for cell in line if cell not in hidden]
            chosen = min(
                candidates,
                key=lambda c: (
                    table[c[0]][c[1]] == 0,
                    _new_lone_lines(c, hidden, n_rows, n_cols),
                    table[c[0]][c[1]],
                    c,
                ),
            )
            hidden.add(chosen)
            break
        else:
            return


def _complement_for_derivable(
    table: Sequence[Sequence[int]], hidden: set[Cell], derivable: list[Cell]
) -> Cell | None:
    """Step 3: a cell to hide so the first derivable cell stops being derivable."""
    n_rows, n_cols = len(table), len(table[0])

    def crossing(cells: Iterable[Cell]) -> list[Cell]:
        rows = {i for i, _ in cells}
        cols = {j for _, j in cells}
        return [
            (i, j)
            for i in range(n_rows)
            for j in range(n_cols)
            if (i in rows or j in cols) and (i, j) not in hidden
        ]

    candidates = crossing(derivable[:1]) or crossing(derivable)
    if not candidates:
        candidates = [(i, j) for i in range(n_rows) for j in range(n_cols) if (i, j) not in hidden]
    if not candidates:
        return None
    target = derivable[0]
    parts = _Components(n_rows, n_cols, hidden - {target})
    side_a, side_b = parts.row(target[0]), parts.col(target[1])

    def closes_a_cycle(cell: Cell) -> bool:
        ends = {parts.row(cell[0]), parts.col(cell[1])}
        return ends == {side_a, side_b}

    return min(
        candidates,
        key=lambda c: (
            table[c[0]][c[1]] == 0,
            not closes_a_cycle(c),
            _new_lone_lines(c, hidden, n_rows, n_cols),
            table[c[0]][c[1]],
            c,
        ),
    )


# --- public API ---------------------------------------------------------------------------


def primary_cells(table: Sequence[Sequence[int]], threshold: int = DEFAULT_THRESHOLD) -> list[Cell]:
    """The cells with ``0 < value < threshold``, in row-major order."""
    _check_threshold(threshold)
    _shape(table, allow_none=False)
    return [
        (i, j)
        for i, row in enumerate(table)
        for j, value in enumerate(row)
        if 0 < value < threshold
    ]


def protect(table: Sequence[Sequence[int]], hidden: Iterable[Cell]) -> list[list[int | None]]:
    """Hide the given cells plus enough complementary cells that none is derivable.

    Steps 2 and 3 of the method, starting from ``hidden`` instead of the small cells: use
    it to hide a cell for another reason (e.g. it identifies a child whatever its count)
    and still protect it. ``suppress(t, k)`` is ``protect(t, primary_cells(t, k))``, and
    protecting the cells a result already hides gives that result back (it is stable).
    IndexError for a position outside the table.
    """
    n_rows, n_cols = _shape(table, allow_none=False)
    start: set[Cell] = set()
    for i, j in hidden:
        if not (0 <= i < n_rows and 0 <= j < n_cols):
            raise IndexError(f"cell ({i}, {j}) is outside the {n_rows}x{n_cols} table")
        start.add((i, j))
    if n_rows and n_cols:
        while True:
            _fill_lone_lines(table, start)
            derivable = _derivable(n_rows, n_cols, start)
            if not derivable:
                break
            cell = _complement_for_derivable(table, start, derivable)
            if cell is None:  # everything hidden: only a 1x1 table gets here
                break
            start.add(cell)
    return [
        [None if (i, j) in start else value for j, value in enumerate(row)]
        for i, row in enumerate(table)
    ]


def suppress(table: list[list[int]], threshold: int = DEFAULT_THRESHOLD) -> list[list[int | None]]:
    """Suppress small counts (and complements) in a table published with its totals.

    Returns a new table of the same shape with hidden cells as ``None``; see the module
    docstring for the rules and the method. ``[]`` gives ``[]``. ValueError for ragged
    rows, a negative count or ``threshold < 1``; TypeError for a non-int count.

    The caller must also withhold the totals :func:`totals_safe` marks False.
    """
    return protect(table, primary_cells(table, threshold))


def suppress_counts(counts: list[int], threshold: int = DEFAULT_THRESHOLD) -> list[int | None]:
    """Suppress a single distribution published with its total (a one-row table).

    A lone small count gets one complement (the smallest non-zero other count), so the
    total minus the visible counts never gives it away. If the total itself is small it
    gives the small group away: check ``0 < sum(counts) < threshold`` (or
    :func:`totals_safe`) and withhold the total then.
    """
    return suppress([list(counts)], threshold)[0]


def derivable_cells(result: Published) -> list[Cell]:
    """The hidden (``None``) cells whose exact value follows from the published totals.

    Row totals, column totals and the grand total are assumed published, together with
    the visible cells; the answer depends only on which cells are hidden. Row-major order.
    """
    n_rows, n_cols = _shape(result, allow_none=True)
    hidden = [
        (i, j) for i, row in enumerate(result) for j, value in enumerate(row) if value is None
    ]
    return _derivable(n_rows, n_cols, hidden)


def is_safe(
    table: Sequence[Sequence[int]], result: Published, threshold: int = DEFAULT_THRESHOLD
) -> bool:
    """Whether ``result`` may be published (with the totals) as a version of ``table``.

    True when every visible cell equals the original, no visible cell is in
    ``1 .. threshold - 1`` (zeros may show), and no hidden cell is derivable
    (:func:`derivable_cells`). It does not judge the totals themselves
    (:func:`totals_safe`). ValueError if the shapes differ.
    """
    _check_threshold(threshold)
    _check_result(table, result)
    for row, published in zip(table, result, strict=True):
        for value, shown in zip(row, published, strict=True):
            if shown is None:
                continue
            if shown != value or 0 < shown < threshold:
                return False
    return not derivable_cells(result)


def totals_safe(
    table: Sequence[Sequence[int]], result: Published, threshold: int = DEFAULT_THRESHOLD
) -> tuple[list[bool], list[bool]]:
    """Per row and per column, whether its total may be published next to ``result``.

    A total is unsafe when it is itself small (``0 < total < threshold``): it then gives a
    small group away whatever is hidden, e.g. a row whose only non-zero cell is 3. In a
    one-column table a row's total is its only cell, so it is also unsafe when that cell
    is hidden (likewise the columns of a one-row table). The grand total is safe when it
    is 0 or at least the threshold. Withholding a total never makes a cell derivable.
    Returns ``(rows_ok, columns_ok)``; ValueError if the shapes differ.
    """
    _check_threshold(threshold)
    n_rows, n_cols = _check_result(table, result)

    def ok(total: int, reveals_hidden_cell: bool) -> bool:
        return not (0 < total < threshold) and not reveals_hidden_cell

    rows_ok = [ok(sum(table[i]), n_cols == 1 and result[i][0] is None) for i in range(n_rows)]
    cols_ok = [
        ok(sum(table[i][j] for i in range(n_rows)), n_rows == 1 and result[0][j] is None)
        for j in range(n_cols)
    ]
    return rows_ok, cols_ok


# --- groups of people ----------------------------------------------------------------------


def small_group(threshold: int = DEFAULT_THRESHOLD) -> int:
    """Groups with fewer people than this are small: twice the threshold (10 for 5)."""
    _check_threshold(threshold)
    return 2 * threshold


def suppress_groups(
    table: list[list[int]], threshold: int = DEFAULT_THRESHOLD
) -> list[list[int | None]]:
    """:func:`suppress` for a table whose rows are groups of people, published with its
    totals, plus the two rules of the module docstring: every cell of a small group
    hidden (0% and 100% included), and no row, column or table whose hidden cells add up
    to a small number. Deterministic; visible cells are the original values."""
    _check_threshold(threshold)
    n_rows, n_cols = _shape(table, allow_none=False)
    if not n_rows or not n_cols:
        return [list(row) for row in table]
    hidden = set(primary_cells(table, threshold))
    if n_cols >= 2:
        for i, row in enumerate(table):
            if 0 < sum(row) < small_group(threshold):
                hidden.update((i, j) for j in range(n_cols))
    grand = [(i, j) for i in range(n_rows) for j in range(n_cols)]
    lines = [*_lines(n_rows, n_cols), grand]
    while True:
        result = protect(table, hidden)
        hidden = {(i, j) for i, row in enumerate(result) for j, v in enumerate(row) if v is None}
        more: Cell | None = None
        for line in lines:
            held = sum(table[i][j] for i, j in line if (i, j) in hidden)
            if 0 < held < threshold:
                visible = [(i, j) for i, j in line if (i, j) not in hidden and table[i][j]]
                if visible:
                    more = min(visible, key=lambda c: (table[c[0]][c[1]], c))
                    break
        if more is None:
            return result
        hidden.add(more)


@dataclass(frozen=True)
class Proportion:
    """A count out of a total as it may be published. ``form`` is ``exact``, ``fewer``
    (the count is small), ``more`` (the rest is small), ``withheld`` (the total is small)
    or ``none`` (a total of 0). Only ``words`` and ``percent`` are for showing."""

    part: int
    whole: int
    threshold: int
    form: str

    @property
    def exact(self) -> bool:
        return self.form == "exact"

    @property
    def words(self) -> str:
        t = self.threshold
        if self.form == "none":
            return "no answers"
        if self.form == "withheld":
            return f"fewer than {t} answers, so not shown"
        if self.form == "fewer":
            return f"fewer than {t} of {self.whole:,}"
        if self.form == "more":
            return f"more than {self.whole - t:,} of {self.whole:,}"
        return f"{self.part:,} of {self.whole:,}"

    @property
    def percent(self) -> int | None:
        """The whole percentage, only when the count is given exactly."""
        return round(100 * self.part / self.whole) if self.exact else None


def proportion(part: int, whole: int, threshold: int = DEFAULT_THRESHOLD) -> Proportion:
    """How ``part`` of ``whole`` may be published (module docstring, "Groups of people").

    Exact only when the total is at least the threshold, neither the count nor the rest
    is a small number, and it is not 0% or 100% of a small group; otherwise a range that
    holds at least the threshold's worth of values. ValueError for a count outside 0 to
    ``whole``.
    """
    _check_threshold(threshold)
    if not 0 <= part <= whole:
        raise ValueError(f"count {part} must be between 0 and the total {whole}")
    small = whole < small_group(threshold)
    if whole == 0:
        form = "none"
    elif whole < threshold:
        form = "withheld"
    elif 0 < part < threshold or (small and part == 0):
        form = "fewer"
    elif 0 < whole - part < threshold or (small and part == whole):
        form = "more"
    else:
        form = "exact"
    return Proportion(part, whole, threshold, form)


@dataclass(frozen=True)
class Batch:
    """A count given as the batch of the threshold it falls in (``low`` to ``high``); it
    does not hold the count itself."""

    low: int
    high: int
    threshold: int

    @property
    def words(self) -> str:
        if self.low == 0:
            return f"fewer than {self.threshold}"
        return f"{self.low:,} to {self.high:,}"


def batch(n: int, threshold: int = DEFAULT_THRESHOLD) -> Batch:
    """``n`` in batches of the threshold: 0-4 is "fewer than 5", 10-14 is "10 to 14"."""
    _check_threshold(threshold)
    if n < 0:
        raise ValueError(f"a count cannot be negative ({n})")
    low = n - n % threshold
    return Batch(low, low + threshold - 1, threshold)
